#include "storage/database.h"

#include "storage/postgres/postgres_database.h"
#include "storage/sqlite/sqlite_database.h"

namespace seedcast::storage {

Result<int64_t> Database::QueryInt(std::string_view sql, std::initializer_list<Value> params) {
  std::optional<int64_t> value;
  SEEDCAST_RETURN_IF_ERROR(Query(sql, params, [&value](const Row& row) {
    if (!row.IsNull(0)) value = row.Int(0);
    return Status::Ok();
  }));
  if (!value) return NotFound("query returned no value: " + std::string(sql));
  return *value;
}

namespace {

constexpr size_t kInsertChunkRows = 64;

// "(?, ?, ?), (?, ?, ?)": `rows` groups of `columns` placeholders.
std::string Placeholders(size_t rows, int columns) {
  std::string group = "(";
  for (int c = 0; c < columns; ++c) group += c == 0 ? "?" : ", ?";
  group += ")";
  std::string out;
  for (size_t r = 0; r < rows; ++r) {
    if (r > 0) out += ", ";
    out += group;
  }
  return out;
}

}  // namespace

Status Database::CheckRows(int column_count, size_t values) {
  if (column_count > 0 && values % static_cast<size_t>(column_count) == 0) return Status::Ok();
  return InvalidArgument("CopyRows: " + std::to_string(values) + " values are not rows of " +
                         std::to_string(column_count));
}

Status Database::CopyRows(std::string_view table, std::string_view columns, int column_count,
                          std::span<const Value> values) {
  SEEDCAST_RETURN_IF_ERROR(CheckRows(column_count, values.size()));
  const auto width = static_cast<size_t>(column_count);
  const std::string head =
      "INSERT INTO " + std::string(table) + " (" + std::string(columns) + ") VALUES ";
  const std::string full = head + Placeholders(kInsertChunkRows, column_count);
  const size_t count = values.size() / width;
  for (size_t done = 0; done < count;) {
    const size_t rows = std::min(kInsertChunkRows, count - done);
    std::span<const Value> chunk = values.subspan(done * width, rows * width);
    SEEDCAST_RETURN_IF_ERROR(
        Execute(rows == kInsertChunkRows ? full : head + Placeholders(rows, column_count), chunk));
    done += rows;
  }
  return Status::Ok();
}

Result<std::unique_ptr<Database>> OpenDatabase(const std::string& url) {
  if (url.starts_with("sqlite:")) {
    std::string path = url.substr(7);
    if (path.starts_with("//")) path = path.substr(2);  // sqlite:///abs/path
    if (path.empty()) return InvalidArgument("database URL 'sqlite:' has no path");
    return SqliteDatabase::Open(path);
  }
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    return PostgresDatabase::Open(url);
  }
  return InvalidArgument("database URL '" + url + "' must start with sqlite: or postgresql://");
}

Result<std::unique_ptr<Transaction>> Transaction::Begin(Database& db) {
  SEEDCAST_RETURN_IF_ERROR(db.Begin());
  return std::unique_ptr<Transaction>(new Transaction(db));
}

Transaction::~Transaction() {
  if (!done_) (void)db_.Rollback();
}

Status Transaction::Commit() {
  Status s = db_.Commit();
  if (s.ok()) done_ = true;
  return s;
}

Status InTransaction(Database& db, const std::function<Status()>& body) {
  SEEDCAST_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(db));
  SEEDCAST_RETURN_IF_ERROR(body());
  return tx->Commit();
}

}  // namespace seedcast::storage

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

#include "storage/sqlite/sqlite_database.h"

#include <sqlite3.h>

#include <chrono>
#include <filesystem>

#include "common/clock.h"

namespace seedcast::storage {
namespace {

class SqliteRow final : public Row {
 public:
  explicit SqliteRow(sqlite3_stmt* stmt) : stmt_(stmt) {}
  int size() const override { return sqlite3_column_count(stmt_); }
  bool IsNull(int c) const override { return sqlite3_column_type(stmt_, c) == SQLITE_NULL; }
  int64_t Int(int c) const override { return sqlite3_column_int64(stmt_, c); }
  double Real(int c) const override { return sqlite3_column_double(stmt_, c); }
  std::string_view Text(int c) const override {
    const auto* p = sqlite3_column_text(stmt_, c);
    if (p == nullptr) return {};
    return {reinterpret_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(stmt_, c))};
  }

 private:
  sqlite3_stmt* stmt_;
};

}  // namespace

Result<std::unique_ptr<Database>> SqliteDatabase::Open(const std::string& path) {
  if (path != ":memory:") {
    std::error_code ec;
    std::filesystem::path parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    if (ec) return IoError("cannot create directory '" + parent.string() + "': " + ec.message());
  }
  sqlite3* raw = nullptr;
  int rc =
      sqlite3_open_v2(path.c_str(), &raw,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  std::unique_ptr<SqliteDatabase> db(new SqliteDatabase(raw));
  if (rc != SQLITE_OK) {
    return Unavailable("cannot open SQLite database '" + path + "': " + sqlite3_errmsg(raw));
  }
  sqlite3_busy_timeout(raw, 10'000);
  Status s = db->ExecuteScript(
      "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
      "PRAGMA cache_size=-262144; PRAGMA temp_store=MEMORY;");
  if (!s.ok()) return s.WithContext("configuring SQLite database '" + path + "'");
  return std::unique_ptr<Database>(std::move(db));
}

SqliteDatabase::~SqliteDatabase() {
  for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

Status SqliteDatabase::Error(const std::string& what) const {
  int code = sqlite3_extended_errcode(db_);
  std::string message = what + ": " + sqlite3_errmsg(db_);
  if ((code & 0xff) == SQLITE_CONSTRAINT) {
    return AlreadyExists(message).WithReason("constraint_violation");
  }
  // The write lock stayed taken past the busy timeout: another writer won.
  if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED) return Aborted(message);
  if (code == SQLITE_INTERRUPT) return Status(StatusCode::kDeadlineExceeded, message);
  return Internal(message);
}

bool SqliteDatabase::Alive() const { return true; }

int SqliteDatabase::CheckDeadline(void* self) {
  const auto* db = static_cast<const SqliteDatabase*>(self);
  return db->deadline_ms_ != 0 && SteadyNowMs() > db->deadline_ms_ ? 1 : 0;
}

Status SqliteDatabase::SetStatementTimeout(int64_t timeout_ms) {
  statement_timeout_ms_ = timeout_ms;
  // The handler runs every few thousand virtual-machine steps.
  sqlite3_progress_handler(db_, timeout_ms > 0 ? 4096 : 0,
                           timeout_ms > 0 ? &CheckDeadline : nullptr, this);
  return Status::Ok();
}

Result<sqlite3_stmt*> SqliteDatabase::Prepare(std::string_view sql, std::span<const Value> params) {
  deadline_ms_ = statement_timeout_ms_ > 0 ? SteadyNowMs() + statement_timeout_ms_ : 0;
  auto it = statements_.find(sql);
  sqlite3_stmt* stmt = nullptr;
  if (it != statements_.end()) {
    stmt = it->second;
  } else {
    if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                           &stmt, nullptr) != SQLITE_OK) {
      return Error("preparing SQL");
    }
    statements_.emplace(std::string(sql), stmt);
  }
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  if (static_cast<int>(params.size()) != sqlite3_bind_parameter_count(stmt)) {
    return InvalidArgument("statement expects " +
                           std::to_string(sqlite3_bind_parameter_count(stmt)) +
                           " parameters, got " + std::to_string(params.size()));
  }
  for (size_t i = 0; i < params.size(); ++i) {
    int index = static_cast<int>(i) + 1;
    int rc = std::visit(
        [&](const auto& v) -> int {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::nullptr_t>) {
            return sqlite3_bind_null(stmt, index);
          } else if constexpr (std::is_same_v<T, int64_t>) {
            return sqlite3_bind_int64(stmt, index, v);
          } else if constexpr (std::is_same_v<T, double>) {
            return sqlite3_bind_double(stmt, index, v);
          } else {
            return sqlite3_bind_text(stmt, index, v.data(), static_cast<int>(v.size()),
                                     SQLITE_STATIC);
          }
        },
        params[i]);
    if (rc != SQLITE_OK) return Error("binding parameter " + std::to_string(index));
  }
  return stmt;
}

Status SqliteDatabase::Execute(std::string_view sql, std::span<const Value> params) {
  return Query(sql, params, [](const Row&) { return Status::Ok(); });
}

Status SqliteDatabase::Query(std::string_view sql, std::span<const Value> params,
                             const RowCallback& on_row) {
  SEEDCAST_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(sql, params));
  SqliteRow row(stmt);
  while (true) {
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) {
      Status s = Error("running SQL");
      sqlite3_reset(stmt);
      return s;
    }
    Status s = on_row(row);
    if (!s.ok()) {
      sqlite3_reset(stmt);
      return s;
    }
  }
  sqlite3_reset(stmt);
  return Status::Ok();
}

// SQLite implements RETURNING with a temporary table per statement; the rowid is free.
Result<int64_t> SqliteDatabase::Insert(std::string_view sql, std::span<const Value> params) {
  SEEDCAST_RETURN_IF_ERROR(Execute(sql, params));
  return static_cast<int64_t>(sqlite3_last_insert_rowid(db_));
}

Status SqliteDatabase::ExecuteScript(std::string_view sql) {
  char* err = nullptr;
  std::string script(sql);
  if (sqlite3_exec(db_, script.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string message = err != nullptr ? err : "unknown error";
    sqlite3_free(err);
    return Internal("running SQL script: " + message);
  }
  return Status::Ok();
}

Status SqliteDatabase::Begin() { return Execute("BEGIN IMMEDIATE"); }
Status SqliteDatabase::Commit() { return Execute("COMMIT"); }
Status SqliteDatabase::Rollback() { return Execute("ROLLBACK"); }

}  // namespace seedcast::storage

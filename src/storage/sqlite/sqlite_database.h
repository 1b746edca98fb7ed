// SqliteDatabase: the embedded default backend. One sqlite3 connection in WAL mode with
// synchronous=NORMAL (a committed transaction survives a process crash), foreign keys on, and a
// busy timeout so that a second process waits for the write lock instead of failing.
//
// Prepared statements are cached by SQL text for the connection's lifetime. Not thread-safe.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>

#include "common/text.h"
#include "storage/database.h"

struct sqlite3;
struct sqlite3_stmt;

namespace seedcast::storage {

class SqliteDatabase final : public Database {
 public:
  static Result<std::unique_ptr<Database>> Open(const std::string& path);
  ~SqliteDatabase() override;

  using Database::Execute;
  using Database::Insert;
  using Database::Query;
  Backend backend() const override { return Backend::kSqlite; }
  Status Execute(std::string_view sql, std::span<const Value> params) override;
  Status Query(std::string_view sql, std::span<const Value> params,
               const RowCallback& on_row) override;
  Status ExecuteScript(std::string_view sql) override;
  Result<int64_t> Insert(std::string_view sql, std::span<const Value> params) override;
  Status Begin() override;
  Status Commit() override;
  Status Rollback() override;
  bool Alive() const override;
  Status SetStatementTimeout(int64_t timeout_ms) override;

 private:
  explicit SqliteDatabase(sqlite3* db) : db_(db) {}
  Result<sqlite3_stmt*> Prepare(std::string_view sql, std::span<const Value> params);
  Status Error(const std::string& what) const;
  // The progress handler: non-zero interrupts the running statement (its deadline passed).
  static int CheckDeadline(void* self);

  sqlite3* db_;
  int64_t statement_timeout_ms_ = 0;
  int64_t deadline_ms_ = 0;  // of the running statement (steady clock), when a timeout is set
  std::unordered_map<std::string, sqlite3_stmt*, text::StringHash, std::equal_to<>> statements_;
};

}  // namespace seedcast::storage

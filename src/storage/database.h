// Database: the one interface Seedcast's storage code talks to. Two implementations sit behind it:
// SQLite (embedded default, WAL) in sqlite/ and PostgreSQL (libpq) in postgres/.
//
// SQL is written once with `?` placeholders; each backend adapts it (PostgreSQL gets $1, $2, ...)
// and caches prepared statements by SQL text. Type names differ between the backends only in
// migrations.
//
// A Database is one connection: not thread-safe, use one per thread. Transactions nest only through
// Transaction (below), which rolls back unless committed.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "common/status.h"

namespace seedcast::storage {

enum class Backend { kSqlite, kPostgres };

// A parameter: NULL, integer, real or text. Text is borrowed: it must outlive the call.
using Value = std::variant<std::nullptr_t, int64_t, double, std::string_view>;

// One result row, valid only inside the row callback.
class Row {
 public:
  virtual ~Row() = default;
  virtual int size() const = 0;
  virtual bool IsNull(int column) const = 0;
  virtual int64_t Int(int column) const = 0;
  virtual double Real(int column) const = 0;
  virtual std::string_view Text(int column) const = 0;
};

using RowCallback = std::function<Status(const Row&)>;

class Database {
 public:
  virtual ~Database() = default;

  virtual Backend backend() const = 0;
  // Runs one statement with parameters.
  virtual Status Execute(std::string_view sql, std::span<const Value> params) = 0;
  Status Execute(std::string_view sql, std::initializer_list<Value> params = {}) {
    return Execute(sql, std::span<const Value>(params.begin(), params.size()));
  }
  // Runs one statement and calls `on_row` for each row; a failed Status from it stops the query.
  virtual Status Query(std::string_view sql, std::span<const Value> params,
                       const RowCallback& on_row) = 0;
  Status Query(std::string_view sql, std::initializer_list<Value> params,
               const RowCallback& on_row) {
    return Query(sql, std::span<const Value>(params.begin(), params.size()), on_row);
  }
  // Runs several statements without parameters (migrations).
  virtual Status ExecuteScript(std::string_view sql) = 0;

  // A write transaction. SQLite takes the write lock at once (BEGIN IMMEDIATE).
  virtual Status Begin() = 0;
  virtual Status Commit() = 0;
  virtual Status Rollback() = 0;

  // Runs an INSERT (written without RETURNING) and returns the new row's id column.
  virtual Result<int64_t> Insert(std::string_view sql, std::span<const Value> params) = 0;
  Result<int64_t> Insert(std::string_view sql, std::initializer_list<Value> params) {
    return Insert(sql, std::span<const Value>(params.begin(), params.size()));
  }

  // False once the connection is known to be broken (the server went away); a pool then opens a
  // new one instead of handing it out again.
  virtual bool Alive() const = 0;
  // Statements running longer than this fail with kDeadlineExceeded; 0 means no limit.
  virtual Status SetStatementTimeout(int64_t timeout_ms) = 0;

  // Bulk load: appends rows of `column_count` values each (`values`, row after row) to `table`'s
  // `columns` ("a, b, c"). Triggers and constraints apply as for INSERT. By default multi-row
  // INSERTs of 64 rows, each size prepared once; PostgreSQL streams them with COPY.
  virtual Status CopyRows(std::string_view table, std::string_view columns, int column_count,
                          std::span<const Value> values);

  // Convenience: a query returning one integer (e.g. COUNT(*)).
  Result<int64_t> QueryInt(std::string_view sql, std::initializer_list<Value> params = {});

 protected:
  // CopyRows' precondition: `values` holds whole rows of `column_count`.
  static Status CheckRows(int column_count, size_t values);
};

// Opens "sqlite:PATH" (PATH may be ":memory:") or a "postgresql://" / "postgres://" URL.
Result<std::unique_ptr<Database>> OpenDatabase(const std::string& url);

// Begins on construction; rolls back on destruction unless Commit() succeeded.
class Transaction {
 public:
  static Result<std::unique_ptr<Transaction>> Begin(Database& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  Status Commit();

 private:
  explicit Transaction(Database& db) : db_(db) {}
  Database& db_;
  bool done_ = false;
};

// Runs `body` in a transaction: commits when it returns Ok, rolls back otherwise.
Status InTransaction(Database& db, const std::function<Status()>& body);

}  // namespace seedcast::storage

// PostgresDatabase: the server backend, over libpq. Statements are prepared once per connection
// (named by a counter) with `?` placeholders rewritten to $1, $2, ...; rows are streamed in
// single-row mode so a query over millions of rows does not buffer them all; bulk loads use COPY.
//
// One connection; not thread-safe. A row callback must not run another query on the same Database.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>

#include "common/text.h"
#include "storage/database.h"

struct pg_conn;

namespace seedcast::storage {

class PostgresDatabase final : public Database {
 public:
  static Result<std::unique_ptr<Database>> Open(const std::string& url);
  ~PostgresDatabase() override;

  using Database::Execute;
  using Database::Insert;
  using Database::Query;
  Backend backend() const override { return Backend::kPostgres; }
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
  // COPY ... FROM STDIN in text format, sent in blocks of about 1 MB.
  Status CopyRows(std::string_view table, std::string_view columns, int column_count,
                  std::span<const Value> values) override;

  // "SELECT ? WHERE x = '?'" -> "SELECT $1 WHERE x = '?'"
  static std::string RewritePlaceholders(std::string_view sql);

 private:
  explicit PostgresDatabase(pg_conn* conn) : conn_(conn) {}
  Result<std::string> PreparedName(std::string_view sql, size_t param_count);

  pg_conn* conn_;
  std::unordered_map<std::string, std::string, text::StringHash, std::equal_to<>>
      prepared_;  // SQL -> name
};

}  // namespace seedcast::storage

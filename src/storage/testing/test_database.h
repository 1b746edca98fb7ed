// TestDatabase: a fresh, migrated database for one test, on "sqlite" (a file in the temporary
// directory, removed with its -wal and -shm files on destruction) or "postgres" (a new database on
// the process's shared TempPostgres server). Owned by one test; not thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "storage/database.h"

namespace seedcast::storage::testing {

class TestDatabase {
 public:
  static Result<std::unique_ptr<TestDatabase>> Create(std::string_view backend, const Clock& clock);
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  Database& db() { return *db_; }
  // For opening further connections to the same database.
  const std::string& url() const { return url_; }

 private:
  TestDatabase() = default;
  std::string url_;
  std::string sqlite_path_;  // empty on PostgreSQL
  std::unique_ptr<Database> db_;
};

}  // namespace seedcast::storage::testing

// TempPostgres: a real PostgreSQL server for tests, started from Debian's postgresql package in a
// fresh temporary directory, listening only on a Unix socket in that directory, and removed on
// destruction. When run as root, the server runs as the `postgres` system user (PostgreSQL refuses
// to run as root).
//
// Owned by one test process; not thread-safe.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"

namespace seedcast::storage::testing {

class TempPostgres {
 public:
  static Result<std::unique_ptr<TempPostgres>> Start();
  ~TempPostgres();
  TempPostgres(const TempPostgres&) = delete;
  TempPostgres& operator=(const TempPostgres&) = delete;

  // Creates an empty database and returns its URL.
  Result<std::string> CreateDatabase();
  std::string UrlFor(const std::string& database) const;
  // The server's programs (pg_dump, ...).
  const std::string& bin_dir() const { return bin_dir_; }

 private:
  TempPostgres(std::string bin_dir, std::string dir)
      : bin_dir_(std::move(bin_dir)), dir_(std::move(dir)) {}
  std::string bin_dir_;
  std::string dir_;
  int databases_ = 0;
};

// One server per test process, started on first use and stopped at exit.
TempPostgres& SharedTempPostgres();

}  // namespace seedcast::storage::testing

#include "storage/testing/test_database.h"

#include <unistd.h>

#include <filesystem>

#include "storage/migrations.h"
#include "storage/testing/temp_postgres.h"

namespace seedcast::storage::testing {
namespace {

void RemoveSqliteFiles(const std::string& path) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix, ec);
}

}  // namespace

Result<std::unique_ptr<TestDatabase>> TestDatabase::Create(std::string_view backend,
                                                           const Clock& clock) {
  static int created = 0;
  std::unique_ptr<TestDatabase> t(new TestDatabase());
  if (backend == "sqlite") {
    t->sqlite_path_ =
        (std::filesystem::temp_directory_path() /
         ("seedcast-test-" + std::to_string(getpid()) + "-" + std::to_string(++created) + ".db"))
            .string();
    RemoveSqliteFiles(t->sqlite_path_);
    t->url_ = "sqlite:" + t->sqlite_path_;
  } else if (backend == "postgres") {
    SEEDCAST_ASSIGN_OR_RETURN(t->url_, SharedTempPostgres().CreateDatabase());
  } else {
    return InvalidArgument("unknown test backend '" + std::string(backend) + "'");
  }
  SEEDCAST_ASSIGN_OR_RETURN(t->db_, OpenDatabase(t->url_));
  SEEDCAST_ASSIGN_OR_RETURN(int applied, Migrate(*t->db_, clock));
  (void)applied;
  return t;
}

TestDatabase::~TestDatabase() {
  db_.reset();
  if (!sqlite_path_.empty()) RemoveSqliteFiles(sqlite_path_);
}

}  // namespace seedcast::storage::testing

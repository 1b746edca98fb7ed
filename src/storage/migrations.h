// Versioned schema migrations. Each migration runs once, in its own transaction, and is recorded in
// schema_migrations. Concurrent migrators are serialised (SQLite's write lock, a PostgreSQL
// advisory lock), so two processes starting at once apply each migration exactly once.
#pragma once

#include <string>
#include <vector>

#include "common/clock.h"
#include "storage/database.h"

namespace seedcast::storage {

struct MigrationInfo {
  int version = 0;
  std::string name;
};

const std::vector<MigrationInfo>& Migrations();
int LatestSchemaVersion();

// The highest applied version; 0 for an empty database.
Result<int> SchemaVersion(Database& db);

// Applies every migration newer than the database's version. Returns how many were applied. Fails
// without changing anything when the database is newer than this binary.
Result<int> Migrate(Database& db, const Clock& clock);

}  // namespace seedcast::storage

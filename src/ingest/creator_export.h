// Creator export: every creator in the store, streamed to an output stream.
//
// NDJSON: one creator per line with its accounts nested (the form `creators show` prints).
// CSV: one row per account with the creator's fields repeated; lists are comma-joined, maps are
// JSON. Both read back through `import creators` to the same stored creators. Single-threaded.
#pragma once

#include <ostream>

#include "model/tiers.h"
#include "storage/creator_store.h"

namespace seedcast::ingest {

enum class ExportFormat { kNdjson, kCsv };

// Returns the number of creators written.
Result<int64_t> ExportCreators(storage::CreatorStore& store, const model::TierScheme& tiers,
                               ExportFormat format, std::ostream& out);

// One CSV field, quoted when it needs to be.
std::string CsvField(std::string_view value);

}  // namespace seedcast::ingest

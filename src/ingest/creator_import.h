// Creator import: reads a CSV, TSV or NDJSON file of creators, maps its columns to creator fields,
// cleans the values, and upserts the accounts through CreatorStore.
//
// Every record ends up in exactly one place: stored (created or updated), rejected (written to the
// rejects file with its line and the reason), or skipped (blank, separator or repeated-header
// lines). Work is committed in batches; a storage failure stops the import with the batches before
// it kept. Single-threaded; the Database is used only by the calling thread.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "ingest/table_reader.h"
#include "storage/creator_store.h"

namespace seedcast::ingest {

struct ImportOptions {
  std::string path;
  std::optional<FileFormat> format;  // default: from the extension or content
  std::string platform;              // for rows and files that name no platform
  // --map field=column pairs; column is a header text or a 1-based column number.
  std::vector<std::pair<std::string, std::string>> mappings;
  std::string rejects_path;  // default: PATH.rejects.tsv
  int batch_rows = 20'000;
  // Stores a row's personal data (email, phone, address) for its creator, inside the import's
  // transaction; kInvalidArgument rejects the row. Without it personal columns are not stored.
  std::function<Status(storage::Database& db, int64_t creator_id,
                       const std::map<std::string, std::string>& personal)>
      store_personal;
  // Called now and then with bytes read and the file's size.
  std::function<void(uint64_t done, uint64_t total)> on_progress;
};

struct ImportSummary {
  std::string path;
  std::string format;
  std::string encoding;  // as detected: "UTF-8", "UTF-16LE (byte-order mark)", "windows-1252 ..."
  int64_t replaced_bytes = 0;           // bytes invalid in the encoding, stored as U+FFFD
  std::vector<int64_t> replaced_lines;  // the lines they were on (the first 100)
  int64_t records = 0;                  // data records seen, after the header
  int64_t created = 0;                  // accounts created
  int64_t updated = 0;                  // accounts updated
  int64_t rejected = 0;
  int64_t skipped_blank_or_separator = 0;
  int64_t skipped_repeated_header = 0;
  int64_t skipped_before_header = 0;
  int64_t header_line = 0;
  std::vector<std::string> columns;  // "\"#Followers\" -> followers"
  std::vector<std::string> notes;    // duplicate columns, personal data not stored, scales
  std::map<std::string, int64_t> corrections;  // "niche 'fasion' -> fashion" -> count
  std::string rejects_path;                    // empty when nothing was rejected
  double seconds = 0;

  nlohmann::json ToJson() const;
  std::string ToText() const;
};

// Fails (storing nothing) when the file cannot be read, has no recognisable header, names no
// platform, or a --map is wrong; fails part-way (keeping committed batches) on a storage error.
Result<ImportSummary> ImportCreators(storage::Database& db, storage::CreatorStore& store,
                                     const ImportOptions& options);

}  // namespace seedcast::ingest

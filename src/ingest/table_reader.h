// RecordReader: streams the records of a CSV, TSV or NDJSON file, each with the physical line it
// starts on, so that rejects can point at the line a person sees in an editor.
//
// CSV and TSV go through libcsv (quoted fields may span lines; the delimiter is sniffed among , ;
// tab |). Files in UTF-16 or a legacy code page are decoded to UTF-8 first (ingest/encoding.h);
// bytes invalid in every encoding become U+FFFD, counted per record. NDJSON objects are flattened
// to key/value cells: a creator with an "accounts" array yields one record per account, carrying
// the creator's fields. A reader owns its file; not thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace seedcast::ingest {

enum class FileFormat { kCsv, kTsv, kNdjson };

struct Record {
  int64_t line = 0;               // 1-based line the record starts on
  std::vector<std::string> keys;  // NDJSON: one key per cell; empty for CSV/TSV
  std::vector<std::string> cells;
  std::string error;  // a record that could not be read at all (bad JSON)
  int replaced = 0;   // bytes invalid in the file's encoding, read as U+FFFD
};

class RecordReader {
 public:
  virtual ~RecordReader() = default;
  // Fills `record` and returns true, or returns false at the end of the file.
  virtual bool Next(Record* record) = 0;
  virtual FileFormat format() const = 0;
  virtual uint64_t bytes_read() const = 0;
  // The file's encoding as detected ("UTF-8", "windows-1252 (detected)"); records are UTF-8.
  virtual const std::string& encoding() const = 0;
  // Set when reading stopped on an I/O or parse error that ends the file early.
  virtual Status status() const = 0;
};

// Chooses the format from the extension (.csv, .tsv, .tab, .ndjson, .jsonl, .json) or, failing
// that, from the first bytes. `forced` overrides both.
Result<std::unique_ptr<RecordReader>> OpenRecordReader(const std::string& path,
                                                       std::optional<FileFormat> forced = {});

}  // namespace seedcast::ingest

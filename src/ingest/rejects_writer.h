// RejectsWriter: the rejects file of an import, as TSV (line, reason, the record's cells), created
// on the first reject. Not thread-safe.
#pragma once

#include <fstream>
#include <string>

#include "common/status.h"
#include "ingest/table_reader.h"

namespace seedcast::ingest {

class RejectsWriter {
 public:
  explicit RejectsWriter(std::string path) : path_(std::move(path)) {}
  const std::string& path() const { return path_; }
  Status Write(const Record& r, const std::string& reason);
  // Whether anything was written (also after Close).
  bool used() const { return used_; }
  void Close() {
    if (out_.is_open()) out_.close();
  }

 private:
  std::string path_;
  std::ofstream out_;
  bool used_ = false;
};

}  // namespace seedcast::ingest

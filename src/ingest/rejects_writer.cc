#include "ingest/rejects_writer.h"

namespace seedcast::ingest {
namespace {

// Tabs, newlines and backslashes escaped, so that each reject is one TSV line.
std::string Escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\t') {
      out += "\\t";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\\') {
      out += "\\\\";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

Status RejectsWriter::Write(const Record& r, const std::string& reason) {
  if (!out_.is_open()) {
    out_.open(path_, std::ios::trunc);
    if (!out_) return IoError("cannot write rejects file '" + path_ + "'");
    used_ = true;
    out_ << "line\treason\trecord\n";
  }
  out_ << r.line << '\t' << Escape(reason) << '\t';
  for (size_t i = 0; i < r.cells.size(); ++i) {
    if (i > 0) out_ << '\t';
    if (!r.keys.empty()) out_ << Escape(r.keys[i]) << '=';
    out_ << Escape(r.cells[i]);
  }
  out_ << '\n';
  return out_ ? Status::Ok() : IoError("writing rejects file '" + path_ + "' failed");
}

}  // namespace seedcast::ingest

#include "ingest/table_reader.h"

#include <csv.h>

#include <array>
#include <deque>
#include <fstream>
#include <istream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "common/text.h"
#include "ingest/encoding.h"

namespace seedcast::ingest {
namespace {

using nlohmann::json;

// Counts delimiter candidates outside quotes in the first lines and picks the most consistent one.
char SniffDelimiter(const std::string& sample) {
  constexpr std::array<char, 4> kCandidates = {',', ';', '\t', '|'};
  std::array<int, 4> lines_with{};
  std::array<int, 4> totals{};
  bool in_quote = false;
  std::array<int, 4> on_line{};
  for (char c : sample) {
    if (c == '"') in_quote = !in_quote;
    if (in_quote) continue;
    if (c == '\n') {
      for (size_t i = 0; i < kCandidates.size(); ++i) {
        if (on_line[i] > 0) ++lines_with[i];
        totals[i] += on_line[i];
        on_line[i] = 0;
      }
      continue;
    }
    for (size_t i = 0; i < kCandidates.size(); ++i) {
      if (c == kCandidates[i]) ++on_line[i];
    }
  }
  size_t best = 0;
  for (size_t i = 1; i < kCandidates.size(); ++i) {
    if (lines_with[i] > lines_with[best] ||
        (lines_with[i] == lines_with[best] && totals[i] > totals[best])) {
      best = i;
    }
  }
  return lines_with[best] == 0 ? ',' : kCandidates[best];
}

// Lines of the file as UTF-8: decoded input (UTF-16, legacy code pages) has its undecodable bytes
// as U+FFFD already; UTF-8 input has its invalid sequences replaced here. Either way each line's
// replacements are counted.
class LineSource {
 public:
  LineSource(std::unique_ptr<std::istream> in, std::string encoding, bool decoded)
      : in_(std::move(in)), encoding_(std::move(encoding)), decoded_(decoded) {}
  // Reads the next line into `line` (without its newline); false at the end or on an error.
  bool Next(std::string* line, int* replaced) {
    if (!std::getline(*in_, *line)) return false;
    bytes_ += line->size() + 1;
    if (decoded_) {
      *replaced += CountReplacements(*line);
    } else if (!text::IsValidUtf8(*line)) {
      *replaced += RepairUtf8(line);
    }
    return true;
  }
  bool bad() const { return in_->bad(); }
  uint64_t bytes() const { return bytes_; }
  const std::string& encoding() const { return encoding_; }

 private:
  std::unique_ptr<std::istream> in_;
  std::string encoding_;
  bool decoded_;
  uint64_t bytes_ = 0;
};

class CsvReader final : public RecordReader {
 public:
  CsvReader(LineSource in, char delimiter, FileFormat format)
      : in_(std::move(in)), format_(format) {
    csv_init(&parser_, CSV_APPEND_NULL);
    csv_set_delim(&parser_, static_cast<unsigned char>(delimiter));
  }
  ~CsvReader() override { csv_free(&parser_); }
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  bool Next(Record* record) override {
    while (ready_.empty()) {
      if (finished_) return false;
      FeedLine();
    }
    *record = std::move(ready_.front());
    ready_.pop_front();
    return true;
  }
  FileFormat format() const override { return format_; }
  uint64_t bytes_read() const override { return in_.bytes(); }
  const std::string& encoding() const override { return in_.encoding(); }
  Status status() const override { return status_; }

 private:
  static void OnField(void* data, size_t len, void* self) {
    auto* r = static_cast<CsvReader*>(self);
    r->row_.emplace_back(static_cast<const char*>(data), len);
    r->row_open_ = true;
  }
  static void OnRowEnd(int /*terminator*/, void* self) {
    auto* r = static_cast<CsvReader*>(self);
    Record rec;
    rec.line = r->row_start_;
    rec.cells = std::move(r->row_);
    rec.replaced = r->replaced_;
    r->replaced_ = 0;
    r->row_.clear();
    r->ready_.push_back(std::move(rec));
    r->row_open_ = false;
    r->row_start_ = r->line_ + 1;
  }

  void FeedLine() {
    if (!in_.Next(&buffer_, &replaced_)) {
      if (in_.bad()) status_ = IoError("read failed");
      csv_fini(&parser_, OnField, OnRowEnd, this);
      finished_ = true;
      return;
    }
    ++line_;
    const bool at_row_start = !row_open_ && !pending_partial_;
    // libcsv skips empty lines; keep the line count honest by skipping them here when between rows.
    if (at_row_start && text::Trim(buffer_).empty()) {
      row_start_ = line_ + 1;
      return;
    }
    if (at_row_start) row_start_ = line_;
    buffer_.push_back('\n');
    size_t before = ready_.size();
    if (csv_parse(&parser_, buffer_.data(), buffer_.size(), OnField, OnRowEnd, this) !=
        buffer_.size()) {
      status_ = InvalidArgument("CSV parse error at line " + std::to_string(line_) + ": " +
                                csv_strerror(csv_error(&parser_)));
      finished_ = true;
      return;
    }
    // A quoted field still open at the end of the line: the row continues on the next line.
    pending_partial_ = ready_.size() == before || row_open_;
    if (!pending_partial_) row_start_ = line_ + 1;
  }

  LineSource in_;
  FileFormat format_;
  csv_parser parser_{};
  std::string buffer_;
  std::vector<std::string> row_;
  std::deque<Record> ready_;
  int64_t line_ = 0;
  int64_t row_start_ = 1;
  bool row_open_ = false;
  bool pending_partial_ = false;
  bool finished_ = false;
  int replaced_ = 0;  // in the row being read
  Status status_;
};

std::string CellText(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "";
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  return v.dump();
}

class NdjsonReader final : public RecordReader {
 public:
  explicit NdjsonReader(LineSource in) : in_(std::move(in)) {}

  bool Next(Record* record) override {
    while (ready_.empty()) {
      replaced_ = 0;
      if (!in_.Next(&line_text_, &replaced_)) {
        if (in_.bad()) status_ = IoError("read failed");
        return false;
      }
      ++line_;
      if (text::Trim(line_text_).empty()) continue;
      Flatten();
    }
    *record = std::move(ready_.front());
    ready_.pop_front();
    return true;
  }
  FileFormat format() const override { return FileFormat::kNdjson; }
  uint64_t bytes_read() const override { return in_.bytes(); }
  const std::string& encoding() const override { return in_.encoding(); }
  Status status() const override { return status_; }

 private:
  void Flatten() {
    Record base;
    base.line = line_;
    base.replaced = replaced_;
    json j = json::parse(line_text_, nullptr, false);
    if (j.is_discarded()) {
      base.error = "invalid JSON";
      base.cells = {line_text_};
      ready_.push_back(std::move(base));
      return;
    }
    if (!j.is_object()) {
      base.error = "a line must hold one JSON object";
      base.cells = {line_text_};
      ready_.push_back(std::move(base));
      return;
    }
    const json* accounts = nullptr;
    for (const auto& [key, value] : j.items()) {
      if (key == "accounts" && value.is_array()) {
        accounts = &value;
        continue;
      }
      // In the nested form, a creator's own country and language are creator-level fields.
      std::string k = key;
      if (j.contains("accounts") && (key == "country" || key == "language" || key == "id")) {
        k = "creator " + key;
      }
      base.keys.push_back(k);
      base.cells.push_back(CellText(value));
    }
    if (accounts == nullptr) {
      ready_.push_back(std::move(base));
      return;
    }
    if (accounts->empty()) {
      base.error = "creator has an empty accounts list";
      ready_.push_back(std::move(base));
      return;
    }
    for (const json& account : *accounts) {
      Record rec = base;
      if (!account.is_object()) {
        rec.error = "an entry of accounts is not a JSON object";
        ready_.push_back(std::move(rec));
        continue;
      }
      for (const auto& [key, value] : account.items()) {
        rec.keys.push_back(key == "id" ? "account id" : key);
        rec.cells.push_back(CellText(value));
      }
      ready_.push_back(std::move(rec));
    }
  }

  LineSource in_;
  std::string line_text_;
  std::deque<Record> ready_;
  int64_t line_ = 0;
  int replaced_ = 0;  // in the current line
  Status status_;
};

std::optional<FileFormat> FormatFromExtension(const std::string& path) {
  std::string lower = text::AsciiLower(path);
  if (lower.ends_with(".csv")) return FileFormat::kCsv;
  if (lower.ends_with(".tsv") || lower.ends_with(".tab")) return FileFormat::kTsv;
  if (lower.ends_with(".ndjson") || lower.ends_with(".jsonl") || lower.ends_with(".json")) {
    return FileFormat::kNdjson;
  }
  return std::nullopt;
}

}  // namespace

Result<std::unique_ptr<RecordReader>> OpenRecordReader(const std::string& path,
                                                       std::optional<FileFormat> forced) {
  auto file = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!*file) return IoError("cannot open '" + path + "'");
  std::string sample(size_t{64} * 1024, '\0');
  file->read(sample.data(), static_cast<std::streamsize>(sample.size()));
  sample.resize(static_cast<size_t>(file->gcount()));
  file->clear();
  file->seekg(0);
  const Encoding encoding = DetectEncoding(sample);
  std::unique_ptr<std::istream> in = std::move(file);
  const bool decoded = !encoding.IsUtf8();
  if (decoded) {
    std::string bytes((std::istreambuf_iterator<char>(*in)), std::istreambuf_iterator<char>());
    if (in->bad()) return IoError("cannot read '" + path + "'");
    SEEDCAST_ASSIGN_OR_RETURN(std::string text, DecodeToUtf8(bytes, encoding));
    sample = text.substr(0, sample.size());
    in = std::make_unique<std::istringstream>(std::move(text));
  }
  LineSource lines(std::move(in), encoding.Describe(), decoded);
  std::optional<FileFormat> format = forced ? forced : FormatFromExtension(path);
  if (!format) {
    std::string_view head = text::Trim(sample);
    format = head.starts_with("{") ? FileFormat::kNdjson : FileFormat::kCsv;
  }
  if (*format == FileFormat::kNdjson) {
    return std::unique_ptr<RecordReader>(new NdjsonReader(std::move(lines)));
  }
  char delimiter = *format == FileFormat::kTsv ? '\t' : SniffDelimiter(sample);
  if (delimiter == '\t') format = FileFormat::kTsv;
  return std::unique_ptr<RecordReader>(new CsvReader(std::move(lines), delimiter, *format));
}

}  // namespace seedcast::ingest

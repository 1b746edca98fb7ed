#include "ingest/creator_import.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <unordered_set>

#include "common/text.h"
#include "fmt/format.h"
#include "ingest/column_profile.h"
#include "ingest/header_map.h"
#include "ingest/numbers.h"
#include "ingest/rejects_writer.h"
#include "ingest/row_mapper.h"

namespace seedcast::ingest {
namespace {

constexpr int kHeaderSearchRecords = 50;
constexpr size_t kScaleSampleRecords = 500;
constexpr size_t kReplacedLinesShown = 100;

const char* FormatName(FileFormat f) {
  switch (f) {
    case FileFormat::kCsv:
      return "csv";
    case FileFormat::kTsv:
      return "tsv";
    case FileFormat::kNdjson:
      return "ndjson";
  }
  return "?";
}

bool AllEmpty(const Record& r) {
  return std::all_of(r.cells.begin(), r.cells.end(),
                     [](const std::string& c) { return text::Trim(c).empty(); });
}

// "-----", "=====", "| --- | --- |", box-drawing rules.
bool IsSeparatorLine(const Record& r) {
  for (const std::string& cell : r.cells) {
    std::string_view t = text::Trim(cell);
    for (size_t i = 0; i < t.size(); ++i) {
      char c = t[i];
      if (std::string_view("-=_*~#+|.: \t").find(c) != std::string_view::npos) continue;
      if (t.substr(i).starts_with("\xE2\x94") || t.substr(i).starts_with("\xE2\x95")) {
        i += 2;  // U+2500..U+257F
        continue;
      }
      return false;
    }
  }
  return true;
}

struct HeaderPlan {
  std::vector<ColumnSpec> specs;
  std::vector<bool> mapped;             // named by --map: the values do not override it
  std::vector<std::string> normalized;  // to recognise repeated header rows
  std::string first_cell;               // trimmed, for a cheap first test
};

Result<std::vector<std::pair<ColumnSpec, std::string>>> ParseMappings(
    const ImportOptions& options) {
  std::vector<std::pair<ColumnSpec, std::string>> out;
  for (const auto& [field, column] : options.mappings) {
    SEEDCAST_ASSIGN_OR_RETURN(ColumnSpec spec, ParseFieldName(field));
    if (text::Trim(column).empty()) {
      return InvalidArgument("--map " + field + "= names no column");
    }
    out.emplace_back(spec, column);
  }
  return out;
}

// Applies --map to header cells, marking the columns it named.
Status ApplyMappings(const std::vector<std::pair<ColumnSpec, std::string>>& mappings,
                     const std::vector<std::string>& header, std::vector<ColumnSpec>* specs,
                     std::vector<bool>* mapped) {
  mapped->assign(header.size(), false);
  for (const auto& [target, column] : mappings) {
    bool found = false;
    for (size_t i = 0; i < header.size(); ++i) {
      if (!ColumnMatches(column, header[i], i)) continue;
      std::string label = (*specs)[i].label;
      (*specs)[i] = target;
      (*specs)[i].label = label;
      (*mapped)[i] = true;
      found = true;
    }
    if (!found) {
      return InvalidArgument("--map " + FieldName(target) + "=" + column +
                             ": the file has no such column");
    }
  }
  return Status::Ok();
}

HeaderPlan PlanHeader(const std::vector<std::string>& header) {
  HeaderPlan plan;
  for (const std::string& h : header) {
    plan.specs.push_back(GuessColumn(h));
    plan.normalized.push_back(text::NormalizeLabel(h));
  }
  if (!header.empty()) plan.first_cell = text::Trim(header[0]);
  return plan;
}

int RecognisedCount(const std::vector<ColumnSpec>& specs, bool* has_handle) {
  int n = 0;
  *has_handle = false;
  for (const ColumnSpec& s : specs) {
    if (IsRecognisedHeader(s)) ++n;
    if (s.field == Field::kHandle) *has_handle = true;
  }
  return n;
}

// Bare numbers in a share column are percentages when any sampled value carries a % sign or exceeds
// 1, or the header says percent.
void MarkPercentColumns(const std::vector<Record>& sample, std::vector<ColumnSpec>* specs) {
  for (size_t i = 0; i < specs->size(); ++i) {
    ColumnSpec& spec = (*specs)[i];
    if (!IsShareField(spec.field)) continue;
    spec.percent = spec.label.find('%') != std::string::npos ||
                   text::AsciiLower(spec.label).find("percent") != std::string::npos;
    for (size_t r = 0; r < sample.size() && !spec.percent; ++r) {
      if (i >= sample[r].cells.size()) continue;
      auto n = ParseNumber(sample[r].cells[i], NumberKind::kDecimal);
      spec.percent = n.ok() && (n->percent || n->value > 1.0);
    }
  }
}

std::string DescribeColumn(const ColumnSpec& spec) {
  std::string target;
  switch (spec.field) {
    case Field::kUnmapped:
      target = "kept in extra";
      break;
    case Field::kIgnored:
      target = "ignored (derived or internal)";
      break;
    case Field::kPersonal:
      target =
          "personal data (" + spec.key + "): sealed in the personal-data store, never in clear";
      break;
    default:
      target = FieldName(spec);
      if (!spec.platform.empty()) target += " (" + spec.platform + ")";
      if (!spec.window.empty()) target += " (over " + spec.window + ")";
  }
  std::string label = spec.label;
  std::replace(label.begin(), label.end(), '\n', ' ');
  return "\"" + label + "\" -> " + target;
}

class Importer {
 public:
  Importer(storage::Database& db, storage::CreatorStore& store, const ImportOptions& options)
      : db_(db),
        store_(store),
        options_(options),
        mapper_(options.platform),
        rejects_(options.rejects_path.empty() ? options.path + ".rejects.tsv"
                                              : options.rejects_path) {}

  Result<ImportSummary> Run() {
    auto started = std::chrono::steady_clock::now();
    SEEDCAST_ASSIGN_OR_RETURN(mappings_, ParseMappings(options_));
    SEEDCAST_ASSIGN_OR_RETURN(reader_, OpenRecordReader(options_.path, options_.format));
    summary_.path = options_.path;
    summary_.format = FormatName(reader_->format());
    summary_.encoding = reader_->encoding();
    std::error_code ec;
    total_bytes_ = std::filesystem::file_size(options_.path, ec);

    std::vector<Record> sample;
    if (reader_->format() == FileFormat::kNdjson) {
      SEEDCAST_RETURN_IF_ERROR(ReadSample(&sample));
    } else {
      SEEDCAST_RETURN_IF_ERROR(FindHeader());
      SEEDCAST_RETURN_IF_ERROR(ReadSample(&sample));
      SEEDCAST_RETURN_IF_ERROR(Reconcile(sample));
    }
    SEEDCAST_RETURN_IF_ERROR(db_.Begin());
    in_transaction_ = true;
    Status s = Status::Ok();
    for (Record& r : sample) {
      s = Process(std::move(r));
      if (!s.ok()) break;
    }
    Record r;
    while (s.ok() && reader_->Next(&r)) s = Process(std::move(r));
    if (s.ok()) s = reader_->status();
    if (s.ok()) s = FlushPending();
    if (s.ok()) {
      s = db_.Commit();
      in_transaction_ = false;
    }
    if (!s.ok()) {
      if (in_transaction_) (void)db_.Rollback();
      return s.WithContext(fmt::format("import stopped at line {} ({} accounts stored before it)",
                                       last_line_, committed_));
    }
    rejects_.Close();
    if (rejects_.used()) summary_.rejects_path = rejects_.path();
    summary_.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    Progress(true);
    return summary_;
  }

 private:
  // The header is the first record with at least two known column names, and a handle column or
  // no number among its cells (a header whose handle column has another name: the values decide
  // which column holds the handles, in Reconcile).
  Status FindHeader() {
    Record r;
    for (int i = 0; i < kHeaderSearchRecords && reader_->Next(&r); ++i) {
      HeaderPlan plan = PlanHeader(r.cells);
      Status mapped = ApplyMappings(mappings_, r.cells, &plan.specs, &plan.mapped);
      bool has_handle = false;
      int recognised = RecognisedCount(plan.specs, &has_handle);
      const bool numbers = std::any_of(r.cells.begin(), r.cells.end(), [](const std::string& c) {
        return ParseNumber(c, NumberKind::kDecimal).ok();
      });
      const bool header = recognised >= 2 && (has_handle || !numbers);
      if (mapped.ok() && header) {
        header_ = std::move(plan);
        summary_.header_line = r.line;
        return Status::Ok();
      }
      if (!mapped.ok() && header) return mapped;
      ++summary_.skipped_before_header;
    }
    SEEDCAST_RETURN_IF_ERROR(reader_->status());
    return InvalidArgument(
        "no header row found in the first " + std::to_string(kHeaderSearchRecords) +
        " records: expected at least two known column names (e.g. handle or username, and "
        "followers); name columns with --map handle=COLUMN");
  }

  // Lets the sampled values correct the header's guesses, then checks what the import needs.
  Status Reconcile(const std::vector<Record>& sample) {
    for (std::string& note :
         ReconcileColumns(sample, options_.platform, header_.mapped, &header_.specs)) {
      summary_.notes.push_back(std::move(note));
    }
    MarkPercentColumns(sample, &header_.specs);
    bool has_handle = false;
    RecognisedCount(header_.specs, &has_handle);
    if (!has_handle) {
      return InvalidArgument(fmt::format(
          "no handle column: no header on line {} names one, and no column holds handle-shaped "
          "values; name it with --map handle=COLUMN",
          summary_.header_line));
    }
    SEEDCAST_RETURN_IF_ERROR(CheckPlatform());
    DescribeHeader();
    return Status::Ok();
  }

  void DescribeHeader() {
    std::map<std::string, std::vector<std::string>> by_field;
    for (const ColumnSpec& spec : header_.specs) {
      summary_.columns.push_back(DescribeColumn(spec));
      if (spec.field == Field::kPersonal && !options_.store_personal && !personal_noted_) {
        summary_.notes.push_back(
            "personal data columns (email, phone, address) were not stored: this import has no "
            "key file to seal them with");
        personal_noted_ = true;
      }
      if (spec.field == Field::kUnmapped || spec.field == Field::kIgnored ||
          spec.field == Field::kPersonal || spec.field == Field::kNiches) {
        continue;  // niche columns add up
      }
      by_field[FieldName(spec) + spec.platform].push_back(spec.label);
    }
    for (const auto& [field, labels] : by_field) {
      if (labels.size() < 2) continue;
      summary_.notes.push_back(fmt::format("{} columns hold {}; the first non-empty one is used",
                                           labels.size(), FieldName(GuessColumn(labels[0]))));
    }
  }

  // A platform from --platform, a platform column, or a handle column's header. Failing those, a
  // platform every other header names ("Tiktoker name", "TikTok followers") is the handles'.
  Status CheckPlatform() {
    if (!options_.platform.empty()) return Status::Ok();
    std::set<std::string> named;
    for (const ColumnSpec& s : header_.specs) {
      if (s.field == Field::kPlatform || (s.field == Field::kHandle && !s.platform.empty())) {
        return Status::Ok();
      }
      if (!s.platform.empty()) named.insert(s.platform);
    }
    if (named.size() == 1) {
      for (ColumnSpec& s : header_.specs) {
        if (s.field == Field::kHandle) s.platform = *named.begin();
      }
      summary_.notes.push_back("the headers name one platform, " + *named.begin() +
                               ": the handles are read as " + *named.begin() + " accounts");
      return Status::Ok();
    }
    return InvalidArgument(
        "the file names no platform: add a platform column or pass --platform "
        "instagram|tiktok|youtube|NAME");
  }

  Status ReadSample(std::vector<Record>* sample) {
    Record r;
    while (sample->size() < kScaleSampleRecords && reader_->Next(&r)) sample->push_back(r);
    return reader_->status();
  }

  const std::vector<ColumnSpec>& SpecsFor(const Record& r) {
    if (r.keys.empty()) return header_.specs;
    ndjson_specs_.clear();
    for (const std::string& key : r.keys) {
      auto it = key_cache_.find(key);
      if (it == key_cache_.end()) {
        ColumnSpec spec = GuessColumn(key);
        for (const auto& [target, column] : mappings_) {
          if (ColumnMatches(column, key, std::string_view::npos)) {
            spec = target;
            spec.label = key;
          }
        }
        it = key_cache_.emplace(key, spec).first;
      }
      ndjson_specs_.push_back(it->second);
    }
    return ndjson_specs_;
  }

  bool IsRepeatedHeader(const Record& r) const {
    if (!r.keys.empty() || r.cells.size() != header_.normalized.size()) return false;
    if (r.cells.empty() || text::Trim(r.cells[0]) != header_.first_cell) return false;
    for (size_t i = 0; i < r.cells.size(); ++i) {
      if (text::NormalizeLabel(r.cells[i]) != header_.normalized[i]) return false;
    }
    return true;
  }

  Status Reject(const Record& r, const std::string& reason) {
    ++summary_.rejected;
    return rejects_.Write(r, reason);
  }

  // A reject goes to the file in line order: after the rows still waiting to be stored.
  Status RejectInOrder(Record r, std::string reason) {
    if (pending_.empty()) return Reject(r, reason);
    pending_.push_back({std::move(r), -1, std::move(reason), {}});
    return Status::Ok();
  }

  Status Process(Record r) {
    last_line_ = r.line;
    if (++since_progress_ >= 4096) Progress(false);
    if (r.replaced > 0) {
      summary_.replaced_bytes += r.replaced;
      if (summary_.replaced_lines.size() < kReplacedLinesShown) {
        summary_.replaced_lines.push_back(r.line);
      }
    }
    if (!r.error.empty()) {
      ++summary_.records;
      std::string reason = r.error;
      return RejectInOrder(std::move(r), std::move(reason));
    }
    if (AllEmpty(r) || (r.keys.empty() && IsSeparatorLine(r))) {
      ++summary_.skipped_blank_or_separator;
      return Status::Ok();
    }
    if (IsRepeatedHeader(r)) {
      ++summary_.skipped_repeated_header;
      return Status::Ok();
    }
    ++summary_.records;
    auto mapped = mapper_.Map(SpecsFor(r), r.cells);
    if (!mapped.ok()) return RejectInOrder(std::move(r), mapped.status().message());
    // One account and no personal data to seal: stored set-wise with the rows around it. Others,
    // and a row whose account is already waiting, go one by one after the waiting rows.
    const bool set_wise =
        mapped->accounts.size() == 1 && (mapped->personal.empty() || !options_.store_personal);
    if (set_wise) {
      const model::Account& a = mapped->accounts.front();
      std::string key = a.platform + '\n' + a.handle;
      if (pending_keys_.contains(key)) SEEDCAST_RETURN_IF_ERROR(FlushPending());
      pending_keys_.insert(std::move(key));
      batch_.push_back({std::move(mapped->creator), std::move(mapped->accounts.front())});
      pending_.push_back({std::move(r),
                          static_cast<int64_t>(batch_.size()) - 1,
                          {},
                          std::move(mapped->corrections)});
    } else {
      SEEDCAST_RETURN_IF_ERROR(FlushPending());
      SEEDCAST_ASSIGN_OR_RETURN(bool stored, Store(*mapped, r));
      if (stored) {
        for (const std::string& c : mapped->corrections) ++summary_.corrections[c];
      }
    }
    if (++rows_in_batch_ >= options_.batch_rows) {
      SEEDCAST_RETURN_IF_ERROR(FlushPending());
      SEEDCAST_RETURN_IF_ERROR(db_.Commit());
      committed_ = summary_.created + summary_.updated;
      rows_in_batch_ = 0;
      SEEDCAST_RETURN_IF_ERROR(db_.Begin());
    }
    return Status::Ok();
  }

  // Stores the waiting rows set-wise, then counts and writes their outcomes in line order.
  Status FlushPending() {
    if (pending_.empty()) return Status::Ok();
    SEEDCAST_ASSIGN_OR_RETURN(std::vector<storage::BatchOutcome> outcomes,
                              store_.UpsertAccounts(batch_));
    for (const PendingRow& p : pending_) {
      if (p.row < 0) {
        SEEDCAST_RETURN_IF_ERROR(Reject(p.record, p.reason));
        continue;
      }
      const storage::BatchOutcome& o = outcomes[static_cast<size_t>(p.row)];
      if (o.kind == storage::BatchOutcome::kRejected) {
        SEEDCAST_RETURN_IF_ERROR(Reject(p.record, o.reason));
        continue;
      }
      (o.kind == storage::BatchOutcome::kCreated ? summary_.created : summary_.updated) += 1;
      for (const std::string& c : p.corrections) ++summary_.corrections[c];
    }
    pending_.clear();
    pending_keys_.clear();
    batch_.clear();
    return Status::Ok();
  }

  // Stores the row's accounts; a row that is refused (kInvalidArgument) becomes a reject, with a
  // savepoint undoing its earlier accounts. Other failures stop the import.
  Result<bool> Store(const MappedRow& row, const Record& r) {
    const bool personal = !row.personal.empty() && options_.store_personal;
    const bool several = row.accounts.size() > 1;
    const bool savepoint = several || personal;
    if (savepoint) SEEDCAST_RETURN_IF_ERROR(db_.ExecuteScript("SAVEPOINT import_row"));
    storage::CreatorFields creator = row.creator;
    int64_t created = 0;
    int64_t updated = 0;
    for (const model::Account& account : row.accounts) {
      auto outcome = store_.UpsertAccount(creator, account);
      if (!outcome.ok()) {
        if (outcome.status().code() != StatusCode::kInvalidArgument) return outcome.status();
        if (savepoint)
          SEEDCAST_RETURN_IF_ERROR(db_.ExecuteScript("ROLLBACK TO SAVEPOINT import_row"));
        std::string reason = outcome.status().message();
        if (several) reason.insert(0, account.platform + " account: ");
        SEEDCAST_RETURN_IF_ERROR(Reject(r, reason));
        return false;
      }
      creator.creator_id = outcome->creator_id;
      (outcome->created ? created : updated) += 1;
    }
    if (personal) {
      const Status s = options_.store_personal(db_, creator.creator_id, row.personal);
      if (!s.ok()) {
        if (s.code() != StatusCode::kInvalidArgument) return s;
        SEEDCAST_RETURN_IF_ERROR(db_.ExecuteScript("ROLLBACK TO SAVEPOINT import_row"));
        SEEDCAST_RETURN_IF_ERROR(db_.ExecuteScript("RELEASE SAVEPOINT import_row"));
        SEEDCAST_RETURN_IF_ERROR(Reject(r, s.message()));
        return false;
      }
    }
    if (savepoint) SEEDCAST_RETURN_IF_ERROR(db_.ExecuteScript("RELEASE SAVEPOINT import_row"));
    summary_.created += created;
    summary_.updated += updated;
    return true;
  }

  void Progress(bool done) {
    since_progress_ = 0;
    if (options_.on_progress) {
      options_.on_progress(done ? total_bytes_ : reader_->bytes_read(), total_bytes_);
    }
  }

  storage::Database& db_;
  storage::CreatorStore& store_;
  const ImportOptions& options_;
  RowMapper mapper_;
  RejectsWriter rejects_;
  std::unique_ptr<RecordReader> reader_;
  std::vector<std::pair<ColumnSpec, std::string>> mappings_;
  HeaderPlan header_;
  std::map<std::string, ColumnSpec> key_cache_;
  // Rows waiting for a set-wise store, and the rejects read after the first of them, in order.
  struct PendingRow {
    Record record;
    int64_t row = -1;    // its index in batch_, or -1 for a reject
    std::string reason;  // the reject's
    std::vector<std::string> corrections;
  };
  std::vector<PendingRow> pending_;
  std::vector<storage::BatchRow> batch_;
  std::unordered_set<std::string> pending_keys_;
  std::vector<ColumnSpec> ndjson_specs_;
  ImportSummary summary_;
  uint64_t total_bytes_ = 0;
  int64_t last_line_ = 0;
  int64_t committed_ = 0;
  int rows_in_batch_ = 0;
  int since_progress_ = 0;
  bool in_transaction_ = false;
  bool personal_noted_ = false;
};

}  // namespace

nlohmann::json ImportSummary::ToJson() const {
  nlohmann::json j;
  j["path"] = path;
  j["format"] = format;
  j["encoding"] = encoding;
  j["invalid_bytes"] = {{"replaced", replaced_bytes}, {"lines", replaced_lines}};
  j["header_line"] = header_line;
  j["records"] = records;
  j["created"] = created;
  j["updated"] = updated;
  j["rejected"] = rejected;
  j["skipped"] = {{"blank_or_separator", skipped_blank_or_separator},
                  {"repeated_header", skipped_repeated_header},
                  {"before_header", skipped_before_header}};
  j["columns"] = columns;
  j["notes"] = notes;
  j["corrections"] = corrections;
  j["rejects_path"] = rejects_path;
  j["seconds"] = seconds;
  return j;
}

std::string ImportSummary::ToText() const {
  std::string out = fmt::format("Imported {} ({}) in {:.2f} s", path, format, seconds);
  if (seconds > 0)
    out += fmt::format(" ({:.0f} records/s)", static_cast<double>(records) / seconds);
  out += "\n";
  out += fmt::format("  records   {}\n  created   {}\n  updated   {}\n  rejected  {}{}\n", records,
                     created, updated, rejected,
                     rejects_path.empty() ? "" : "  (see " + rejects_path + ")");
  int64_t skipped = skipped_blank_or_separator + skipped_repeated_header + skipped_before_header;
  out += fmt::format(
      "  skipped   {} (blank or separator lines {}, repeated headers {}, lines before the header "
      "{})\n",
      skipped, skipped_blank_or_separator, skipped_repeated_header, skipped_before_header);
  if (!columns.empty()) {
    out += fmt::format("Columns (header on line {}):\n", header_line);
    for (const std::string& c : columns) out += "  " + c + "\n";
  }
  out += "Encoding: " + encoding + "\n";
  if (replaced_bytes > 0) {
    std::string lines;
    for (int64_t line : replaced_lines) lines += (lines.empty() ? "" : ", ") + std::to_string(line);
    out += fmt::format(
        "Note: {} byte{} invalid in every encoding stored as U+FFFD, on line{} {}{}\n",
        replaced_bytes, replaced_bytes == 1 ? "" : "s", replaced_lines.size() == 1 ? "" : "s",
        lines, replaced_lines.size() >= kReplacedLinesShown ? " and more" : "");
  }
  for (const std::string& n : notes) out += "Note: " + n + "\n";
  if (!corrections.empty()) {
    out += "Corrections:\n";
    int shown = 0;
    for (const auto& [what, count] : corrections) {
      if (++shown > 20) {
        out += fmt::format("  ... and {} more kinds\n", corrections.size() - 20);
        break;
      }
      out += fmt::format("  {} ({}x)\n", what, count);
    }
  }
  return out;
}

Result<ImportSummary> ImportCreators(storage::Database& db, storage::CreatorStore& store,
                                     const ImportOptions& options) {
  Importer importer(db, store, options);
  return importer.Run();
}

}  // namespace seedcast::ingest

#include "measure/ad_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <memory>
#include <utility>

#include "common/iso_time.h"
#include "common/text.h"
#include "ingest/header_map.h"
#include "ingest/numbers.h"
#include "ingest/table_reader.h"

namespace seedcast::measure {
namespace {

using storage::Row;
using storage::Value;

struct Synonym {
  std::string_view label;  // NormalizeLabel form, without the currency of "(USD)"
  AdField field;
  int rank;
};

// The header names of Meta Ads Manager and TikTok Ads Manager exports (and common variants).
// Ratios the platforms derive (CTR, CPC, cost per result, ROAS, frequency) are not read: Seedcast
// derives its own from the counts, over the rows it links.
constexpr std::array kSynonyms = {
    Synonym{"ad name", AdField::kAdName, 0},
    Synonym{"ad", AdField::kAdName, 1},
    Synonym{"creative name", AdField::kAdName, 2},
    Synonym{"campaign name", AdField::kCampaignName, 0},
    Synonym{"campaign", AdField::kCampaignName, 1},
    Synonym{"ad set name", AdField::kAdSetName, 0},
    Synonym{"ad set", AdField::kAdSetName, 1},
    Synonym{"ad group name", AdField::kAdSetName, 0},
    Synonym{"ad group", AdField::kAdSetName, 1},
    Synonym{"reporting starts", AdField::kStarts, 0},
    Synonym{"reporting start", AdField::kStarts, 0},
    Synonym{"start date", AdField::kStarts, 1},
    Synonym{"date", AdField::kStarts, 2},
    Synonym{"day", AdField::kStarts, 2},
    Synonym{"reporting ends", AdField::kEnds, 0},
    Synonym{"reporting end", AdField::kEnds, 0},
    Synonym{"end date", AdField::kEnds, 1},
    Synonym{"impressions", AdField::kImpressions, 0},
    Synonym{"impr", AdField::kImpressions, 1},
    Synonym{"reach", AdField::kReach, 0},
    Synonym{"3 second video plays", AdField::kPlays3s, 0},
    Synonym{"3 second video views", AdField::kPlays3s, 0},
    Synonym{"3 second plays", AdField::kPlays3s, 1},
    Synonym{"2 second video views", AdField::kViews2s, 0},
    Synonym{"2 second video plays", AdField::kViews2s, 0},
    Synonym{"2 second views", AdField::kViews2s, 1},
    Synonym{"link clicks", AdField::kClicks, 0},
    Synonym{"clicks destination", AdField::kClicks, 0},
    Synonym{"clicks", AdField::kClicks, 1},
    Synonym{"clicks all", AdField::kClicks, 2},
    Synonym{"amount spent", AdField::kSpend, 0},
    Synonym{"cost", AdField::kSpend, 0},
    Synonym{"spend", AdField::kSpend, 0},
    Synonym{"total cost", AdField::kSpend, 1},
    Synonym{"results", AdField::kResults, 0},
    Synonym{"purchases", AdField::kConversions, 0},
    Synonym{"website purchases", AdField::kConversions, 0},
    Synonym{"conversions", AdField::kConversions, 0},
    Synonym{"purchase", AdField::kConversions, 1},
    Synonym{"purchases conversion value", AdField::kConversionValue, 0},
    Synonym{"website purchases conversion value", AdField::kConversionValue, 0},
    Synonym{"conversion value", AdField::kConversionValue, 0},
    Synonym{"total purchase value", AdField::kConversionValue, 1},
    Synonym{"purchase value", AdField::kConversionValue, 1},
};

constexpr std::array<std::pair<AdField, std::string_view>, 15> kFieldNames = {{
    {AdField::kUnmapped, "ignore"},
    {AdField::kCampaignName, "campaign_name"},
    {AdField::kAdSetName, "ad_set_name"},
    {AdField::kAdName, "ad_name"},
    {AdField::kStarts, "starts"},
    {AdField::kEnds, "ends"},
    {AdField::kImpressions, "impressions"},
    {AdField::kReach, "reach"},
    {AdField::kPlays3s, "plays_3s"},
    {AdField::kViews2s, "views_2s"},
    {AdField::kClicks, "clicks"},
    {AdField::kSpend, "spend"},
    {AdField::kResults, "results"},
    {AdField::kConversions, "conversions"},
    {AdField::kConversionValue, "conversion_value"},
}};

// "USD" in "Amount spent (USD)"; "" when the header names no currency.
std::string CurrencyOf(std::string_view header) {
  for (size_t open = header.find('('); open != std::string_view::npos;
       open = header.find('(', open + 1)) {
    if (open + 4 >= header.size() || header[open + 4] != ')') continue;
    std::string code(header.substr(open + 1, 3));
    if (std::all_of(code.begin(), code.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
      return code;
    }
  }
  return "";
}

struct Plan {
  std::vector<AdColumn> columns;     // per header cell
  std::map<AdField, size_t> chosen;  // field -> the cell it is read from
};

Result<std::vector<std::pair<AdField, std::string>>> ParseMaps(const AdReportOptions& options) {
  std::vector<std::pair<AdField, std::string>> out;
  for (const std::string& m : options.maps) {
    const size_t eq = m.find('=');
    if (eq == std::string::npos || text::Trim(m.substr(eq + 1)).empty()) {
      return InvalidArgument("--map '" + m + "' is not FIELD=COLUMN").WithField("map");
    }
    SEEDCAST_ASSIGN_OR_RETURN(AdField field, ParseAdFieldName(text::Trim(m.substr(0, eq))));
    out.emplace_back(field, m.substr(eq + 1));
  }
  return out;
}

Result<Plan> PlanHeader(const std::vector<std::string>& header,
                        const std::vector<std::pair<AdField, std::string>>& maps) {
  Plan plan;
  std::vector<bool> mapped(header.size(), false);
  for (const std::string& cell : header) plan.columns.push_back(GuessAdColumn(cell));
  for (const auto& [field, column] : maps) {
    bool found = false;
    for (size_t i = 0; i < header.size(); ++i) {
      if (!ingest::ColumnMatches(column, header[i], i)) continue;
      plan.columns[i] = {.field = field, .currency = CurrencyOf(header[i]), .rank = -1};
      mapped[i] = found = true;
    }
    if (!found) {
      return InvalidArgument(fmt::format("--map {}={}: the file has no such column",
                                         AdFieldName(field), column))
          .WithField("map");
    }
  }
  for (size_t i = 0; i < header.size(); ++i) {
    const AdColumn& c = plan.columns[i];
    if (c.field == AdField::kUnmapped) continue;
    auto [it, fresh] = plan.chosen.emplace(c.field, i);
    if (!fresh && c.rank < plan.columns[it->second].rank) it->second = i;
  }
  return plan;
}

AdPlatform GuessPlatform(const Plan& plan, const std::vector<std::string>& header) {
  if (plan.chosen.contains(AdField::kViews2s) && !plan.chosen.contains(AdField::kPlays3s)) {
    return AdPlatform::kTikTok;
  }
  for (const std::string& h : header) {
    const std::string label = text::NormalizeLabel(h);
    if (label.starts_with("cost") || label == "clicks destination" ||
        label.starts_with("ad group")) {
      return AdPlatform::kTikTok;
    }
  }
  return AdPlatform::kMeta;
}

bool IsTotalsName(std::string_view ad_name) {
  const std::string n = text::AsciiLower(text::Trim(ad_name));
  return n == "total" || n == "totals" || n == "grand total" || n == "summary" ||
         n.starts_with("total of ") || n.starts_with("results from ");
}

Status ReadCount(const std::string& cell, std::string_view name, std::optional<int64_t>* out) {
  if (text::Trim(cell).empty() || ingest::IsMissingValue(cell)) return Status::Ok();
  auto v = ingest::ParseCount(cell);
  if (!v.ok()) return InvalidArgument(fmt::format("{}: {}", name, v.status().message()));
  *out = *v;
  return Status::Ok();
}

Status ReadMoney(const std::string& cell, std::string_view name, std::optional<int64_t>* out) {
  if (text::Trim(cell).empty() || ingest::IsMissingValue(cell)) return Status::Ok();
  auto v = ingest::ParseMoneyCents(cell);
  if (!v.ok()) return InvalidArgument(fmt::format("{}: {}", name, v.status().message()));
  *out = *v;
  return Status::Ok();
}

Status ReadDay(const std::string& cell, std::string_view name, std::string* out) {
  std::string_view t = text::Trim(cell);
  if (t.empty()) return Status::Ok();
  auto ms = ParseIsoTimeMs(t);
  if (!ms.ok()) return InvalidArgument(fmt::format("{}: '{}' is not a date", name, t));
  *out = FormatIsoTime(*ms).substr(0, 10);
  return Status::Ok();
}

// Reads one data record into `row`; a failure names the column and value.
Status ReadRow(const ingest::Record& rec, const Plan& plan, AdRow* row) {
  auto cell = [&](AdField f) -> const std::string& {
    static const std::string kEmpty;
    auto it = plan.chosen.find(f);
    return it == plan.chosen.end() || it->second >= rec.cells.size() ? kEmpty
                                                                     : rec.cells[it->second];
  };
  row->line = rec.line;
  row->ad_name = std::string(text::Trim(cell(AdField::kAdName)));
  row->campaign_name = std::string(text::Trim(cell(AdField::kCampaignName)));
  row->ad_set_name = std::string(text::Trim(cell(AdField::kAdSetName)));
  SEEDCAST_RETURN_IF_ERROR(ReadDay(cell(AdField::kStarts), "starts", &row->starts_on));
  SEEDCAST_RETURN_IF_ERROR(ReadDay(cell(AdField::kEnds), "ends", &row->ends_on));
  const std::pair<AdField, std::optional<int64_t>*> counts[] = {
      {AdField::kImpressions, &row->impressions}, {AdField::kReach, &row->reach},
      {AdField::kPlays3s, &row->plays_3s},        {AdField::kViews2s, &row->views_2s},
      {AdField::kClicks, &row->clicks},           {AdField::kResults, &row->results},
      {AdField::kConversions, &row->conversions}};
  for (const auto& [field, out] : counts) {
    SEEDCAST_RETURN_IF_ERROR(ReadCount(cell(field), AdFieldName(field), out));
  }
  SEEDCAST_RETURN_IF_ERROR(ReadMoney(cell(AdField::kSpend), "spend", &row->spend_cents));
  return ReadMoney(cell(AdField::kConversionValue), "conversion_value",
                   &row->conversion_value_cents);
}

bool HasAnyCell(const ingest::Record& rec) {
  return std::any_of(rec.cells.begin(), rec.cells.end(),
                     [](const std::string& c) { return !text::Trim(c).empty(); });
}

std::string RowKey(const AdRow& r) {
  return fmt::format("{}\x1f{}\x1f{}\x1f{}\x1f{}", r.campaign_name, r.ad_set_name, r.ad_name,
                     r.starts_on, r.ends_on);
}

void AddTo(std::optional<int64_t>& into, const std::optional<int64_t>& v) {
  if (v) into = into.value_or(0) + *v;
}

// Rows of one key in one file (a breakdown by age, placement or day inside the window) add up.
void Merge(AdRow& into, const AdRow& r) {
  AddTo(into.impressions, r.impressions);
  AddTo(into.reach, r.reach);
  AddTo(into.plays_3s, r.plays_3s);
  AddTo(into.views_2s, r.views_2s);
  AddTo(into.clicks, r.clicks);
  AddTo(into.spend_cents, r.spend_cents);
  AddTo(into.results, r.results);
  AddTo(into.conversions, r.conversions);
  AddTo(into.conversion_value_cents, r.conversion_value_cents);
}

void DescribeColumns(const Plan& plan, const std::vector<std::string>& header, AdReportRead* out) {
  for (size_t i = 0; i < header.size(); ++i) {
    auto it = plan.chosen.find(plan.columns[i].field);
    if (it != plan.chosen.end() && it->second == i) {
      out->columns[std::string(AdFieldName(it->first))] = std::string(text::Trim(header[i]));
      if (!plan.columns[i].currency.empty() && out->currency.empty()) {
        out->currency = plan.columns[i].currency;
      }
    } else if (!text::Trim(header[i]).empty()) {
      out->unread_columns.emplace_back(text::Trim(header[i]));
    }
  }
}

}  // namespace

std::string_view AdPlatformName(AdPlatform platform) {
  return platform == AdPlatform::kTikTok ? "tiktok" : "meta";
}

Result<AdPlatform> ParseAdPlatform(std::string_view name) {
  const std::string n = text::AsciiLower(text::Trim(name));
  if (n == "meta" || n == "facebook" || n == "instagram") return AdPlatform::kMeta;
  if (n == "tiktok") return AdPlatform::kTikTok;
  return InvalidArgument("platform '" + std::string(name) + "' is not meta or tiktok")
      .WithField("platform");
}

std::string_view AdFieldName(AdField field) {
  for (const auto& [f, name] : kFieldNames) {
    if (f == field) return name;
  }
  return "ignore";
}

Result<AdField> ParseAdFieldName(std::string_view name) {
  std::string known;
  for (const auto& [f, n] : kFieldNames) {
    if (n == name) return f;
    known += (known.empty() ? "" : ", ") + std::string(n);
  }
  return InvalidArgument("unknown ad-report field '" + std::string(name) + "'; fields are " + known)
      .WithField("map");
}

AdColumn GuessAdColumn(std::string_view header) {
  AdColumn c{.currency = CurrencyOf(header)};
  std::string label = text::NormalizeLabel(header);
  if (!c.currency.empty()) {
    const std::string suffix = " " + text::AsciiLower(c.currency);
    if (label.ends_with(suffix)) label.resize(label.size() - suffix.size());
  }
  for (const Synonym& s : kSynonyms) {
    if (s.label == label) {
      c.field = s.field;
      c.rank = s.rank;
      return c;
    }
  }
  return c;
}

int64_t AssetIdInName(std::string_view ad_name) {
  for (size_t i = 0; i + 4 < ad_name.size(); ++i) {
    if (text::AsciiLower(ad_name.substr(i, 4)) != "sca-") continue;
    if (i > 0 && std::isalnum(static_cast<unsigned char>(ad_name[i - 1])) != 0) continue;
    int64_t id = 0;
    size_t j = i + 4;
    for (; j < ad_name.size() && std::isdigit(static_cast<unsigned char>(ad_name[j])) != 0 &&
           id < 1'000'000'000'000;
         ++j) {
      id = id * 10 + (ad_name[j] - '0');
    }
    if (j > i + 4 && id > 0) return id;
  }
  return 0;
}

Result<AdReportRead> ReadAdReport(const std::string& path, const AdReportOptions& options) {
  SEEDCAST_ASSIGN_OR_RETURN(auto maps, ParseMaps(options));
  SEEDCAST_ASSIGN_OR_RETURN(std::unique_ptr<ingest::RecordReader> reader,
                            ingest::OpenRecordReader(path));
  AdReportRead out;
  ingest::Record rec;
  Plan plan;
  std::vector<std::string> header;
  // The header is the first of the first ten records with an ad-name column.
  for (int tries = 0; tries < 10 && reader->Next(&rec); ++tries) {
    SEEDCAST_ASSIGN_OR_RETURN(plan, PlanHeader(rec.cells, maps));
    if (plan.chosen.contains(AdField::kAdName)) {
      header = rec.cells;
      break;
    }
  }
  SEEDCAST_RETURN_IF_ERROR(reader->status());
  if (header.empty()) {
    return InvalidArgument(path +
                           ": no header row with an ad name column (\"Ad name\"); name it with "
                           "--map ad_name=COLUMN");
  }
  out.platform = options.platform.value_or(GuessPlatform(plan, header));
  DescribeColumns(plan, header, &out);
  std::map<std::string, size_t> by_key;
  while (reader->Next(&rec)) {
    if (!HasAnyCell(rec)) continue;
    out.records += 1;
    AdRow row{.platform = out.platform, .currency = out.currency};
    if (Status s = ReadRow(rec, plan, &row); !s.ok()) {
      out.rejects.push_back({rec.line, s.message()});
      continue;
    }
    if (row.ad_name.empty() || IsTotalsName(row.ad_name)) {
      out.totals_rows += 1;
      continue;
    }
    auto [it, fresh] = by_key.emplace(RowKey(row), out.rows.size());
    if (fresh) {
      out.rows.push_back(std::move(row));
    } else {
      Merge(out.rows[it->second], row);
    }
  }
  SEEDCAST_RETURN_IF_ERROR(reader->status());
  return out;
}

Result<std::map<std::string, int64_t>> ReadAssetMapping(const std::string& path) {
  SEEDCAST_ASSIGN_OR_RETURN(std::unique_ptr<ingest::RecordReader> reader,
                            ingest::OpenRecordReader(path));
  std::map<std::string, int64_t> out;
  ingest::Record rec;
  bool header = true;
  while (reader->Next(&rec)) {
    if (!HasAnyCell(rec)) continue;
    if (std::exchange(header, false)) continue;
    if (rec.cells.size() < 2) {
      return InvalidArgument(
          fmt::format("{}:{}: a line is an ad name and an asset code", path, rec.line));
    }
    const std::string code(text::Trim(rec.cells[1]));
    int64_t id = AssetIdInName(code);
    if (id == 0 && !code.empty() &&
        std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
        code.size() < 13) {
      id = std::stoll(code);
    }
    if (id <= 0) {
      return InvalidArgument(
          fmt::format("{}:{}: '{}' is not an asset code (SCA-12) or id", path, rec.line, code));
    }
    out[std::string(text::Trim(rec.cells[0]))] = id;
  }
  SEEDCAST_RETURN_IF_ERROR(reader->status());
  return out;
}

namespace {

Value OptionalValue(const std::optional<int64_t>& v) { return v ? Value(*v) : Value(nullptr); }

std::optional<int64_t> OptionalInt(const Row& r, int column) {
  if (r.IsNull(column)) return std::nullopt;
  return r.Int(column);
}

// The facts of asset `id` when it belongs to organisation `org_id` (its own org, or its
// campaign's); nullopt otherwise. Only the asset fields of `AdRow` are set.
Result<std::optional<AdRow>> AssetOfOrg(storage::Database& db, int64_t id, int64_t org_id) {
  std::optional<AdRow> out;
  SEEDCAST_RETURN_IF_ERROR(db.Query(
      "SELECT COALESCE(a.code, ''), COALESCE(a.creator_id, 0), COALESCE(cr.name, ''), "
      "COALESCE(a.campaign_id, 0), COALESCE(a.hook, ''), COALESCE(NULLIF(a.format, ''), a.kind, "
      "'') FROM assets a LEFT JOIN campaigns c ON c.id = a.campaign_id LEFT JOIN creators cr ON "
      "cr.id = a.creator_id WHERE a.id = ? AND COALESCE(a.org_id, c.org_id, 0) = ?",
      {id, org_id}, [&](const Row& r) {
        out = AdRow{
            .asset_id = id,
            .asset_code = r.Text(0).empty() ? fmt::format("SCA-{}", id) : std::string(r.Text(0)),
            .creator_id = r.Int(1),
            .creator_name = std::string(r.Text(2)),
            .campaign_id = r.Int(3),
            .hook = std::string(r.Text(4)),
            .format = std::string(r.Text(5))};
        return Status::Ok();
      }));
  return out;
}

// Links each row: the mapping file's line for its ad name first, then the code in its name.
Status LinkRows(storage::Database& db, int64_t org_id,
                const std::map<std::string, int64_t>& mapping, AdImportResult* out) {
  std::map<int64_t, std::optional<AdRow>> known;
  for (AdRow& row : out->read.rows) {
    auto m = mapping.find(row.ad_name);
    const int64_t id = m != mapping.end() ? m->second : AssetIdInName(row.ad_name);
    if (id == 0) {
      out->unlinked += 1;
      continue;
    }
    auto it = known.find(id);
    if (it == known.end()) {
      SEEDCAST_ASSIGN_OR_RETURN(std::optional<AdRow> facts, AssetOfOrg(db, id, org_id));
      it = known.emplace(id, std::move(facts)).first;
      if (!it->second) out->warnings.push_back(fmt::format("SCA-{} is no asset of this brand", id));
    }
    if (!it->second) {
      out->unlinked += 1;
      continue;
    }
    const AdRow& facts = *it->second;
    row.asset_id = id;
    row.asset_code = facts.asset_code;
    row.creator_id = facts.creator_id;
    row.creator_name = facts.creator_name;
    row.campaign_id = facts.campaign_id;
    row.hook = facts.hook;
    row.format = facts.format;
    row.link_rule = m != mapping.end() ? "mapping" : "code";
    (m != mapping.end() ? out->linked_by_mapping : out->linked_by_code) += 1;
  }
  return Status::Ok();
}

constexpr std::string_view kRowKeyWhere =
    "brand_id = ? AND platform = ? AND campaign_name = ? AND ad_set_name = ? AND ad_name = ? AND "
    "starts_on = ? AND ends_on = ?";

// Writes one row, replacing the stored row of the same key; returns whether one was replaced.
Result<bool> StoreRow(storage::Database& db, int64_t brand_id, int64_t org_id, const AdRow& r,
                      int64_t now_ms) {
  const std::string_view platform = AdPlatformName(r.platform);
  const Value key[] = {brand_id,
                       platform,
                       std::string_view(r.campaign_name),
                       std::string_view(r.ad_set_name),
                       std::string_view(r.ad_name),
                       std::string_view(r.starts_on),
                       std::string_view(r.ends_on)};
  SEEDCAST_ASSIGN_OR_RETURN(
      int64_t before, db.QueryInt("SELECT COUNT(*) FROM ad_rows WHERE " + std::string(kRowKeyWhere),
                                  {key[0], key[1], key[2], key[3], key[4], key[5], key[6]}));
  SEEDCAST_RETURN_IF_ERROR(
      db.Execute("DELETE FROM ad_rows WHERE " + std::string(kRowKeyWhere), key));
  const Value values[] = {org_id == 0 ? Value(nullptr) : Value(org_id),
                          key[0],
                          key[1],
                          key[2],
                          key[3],
                          key[4],
                          key[5],
                          key[6],
                          r.asset_id == 0 ? Value(nullptr) : Value(r.asset_id),
                          std::string_view(r.link_rule),
                          std::string_view(r.currency),
                          OptionalValue(r.impressions),
                          OptionalValue(r.reach),
                          OptionalValue(r.plays_3s),
                          OptionalValue(r.views_2s),
                          OptionalValue(r.clicks),
                          OptionalValue(r.spend_cents),
                          OptionalValue(r.results),
                          OptionalValue(r.conversions),
                          OptionalValue(r.conversion_value_cents),
                          now_ms};
  SEEDCAST_RETURN_IF_ERROR(db.Execute(
      "INSERT INTO ad_rows (org_id, brand_id, platform, campaign_name, ad_set_name, ad_name, "
      "starts_on, ends_on, asset_id, link_rule, currency, impressions, reach, plays_3s, views_2s, "
      "clicks, spend_cents, results, conversions, conversion_value_cents, imported_at_ms) VALUES "
      "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      values));
  return before > 0;
}

}  // namespace

Result<AdImportResult> ImportAdReport(storage::Database& db, int64_t brand_id, int64_t org_id,
                                      const std::string& path, const AdReportOptions& options,
                                      const Clock& clock) {
  AdImportResult out;
  SEEDCAST_ASSIGN_OR_RETURN(out.read, ReadAdReport(path, options));
  std::map<std::string, int64_t> mapping;
  if (!options.assets_path.empty()) {
    SEEDCAST_ASSIGN_OR_RETURN(mapping, ReadAssetMapping(options.assets_path));
  }
  const Status stored = storage::InTransaction(db, [&]() -> Status {
    SEEDCAST_RETURN_IF_ERROR(LinkRows(db, org_id, mapping, &out));
    for (const AdRow& row : out.read.rows) {
      SEEDCAST_ASSIGN_OR_RETURN(bool replaced, StoreRow(db, brand_id, org_id, row, clock.NowMs()));
      out.stored += 1;
      out.replaced += replaced ? 1 : 0;
    }
    return Status::Ok();
  });
  if (!stored.ok()) return stored;
  return out;
}

Result<std::vector<AdRow>> LoadAdRows(storage::Database& db, const storage::Scope& scope,
                                      const AdRowFilter& filter) {
  std::vector<AdRow> out;
  SEEDCAST_RETURN_IF_ERROR(db.Query(
      "SELECT r.platform, r.campaign_name, r.ad_set_name, r.ad_name, r.starts_on, r.ends_on, "
      "r.currency, r.impressions, r.reach, r.plays_3s, r.views_2s, r.clicks, r.spend_cents, "
      "r.results, r.conversions, r.conversion_value_cents, COALESCE(r.asset_id, 0), r.link_rule, "
      "COALESCE(a.code, ''), COALESCE(a.creator_id, 0), COALESCE(cr.name, ''), "
      "COALESCE(a.campaign_id, 0), COALESCE(a.hook, ''), COALESCE(NULLIF(a.format, ''), a.kind, "
      "'') FROM ad_rows r LEFT JOIN assets a ON a.id = r.asset_id LEFT JOIN creators cr ON cr.id "
      "= a.creator_id WHERE (? = 1 OR r.org_id = ?) AND (? = 0 OR r.brand_id = ?) AND (? = 0 OR "
      "a.campaign_id = ?) ORDER BY r.id",
      {scope.sql_all(), scope.sql_org(), filter.brand_id, filter.brand_id, filter.campaign_id,
       filter.campaign_id},
      [&out](const Row& r) {
        AdRow row{.platform = r.Text(0) == "tiktok" ? AdPlatform::kTikTok : AdPlatform::kMeta,
                  .campaign_name = std::string(r.Text(1)),
                  .ad_set_name = std::string(r.Text(2)),
                  .ad_name = std::string(r.Text(3)),
                  .starts_on = std::string(r.Text(4)),
                  .ends_on = std::string(r.Text(5)),
                  .currency = std::string(r.Text(6))};
        std::optional<int64_t>* metrics[] = {
            &row.impressions, &row.reach,       &row.plays_3s,
            &row.views_2s,    &row.clicks,      &row.spend_cents,
            &row.results,     &row.conversions, &row.conversion_value_cents};
        for (int i = 0; i < 9; ++i) *metrics[i] = OptionalInt(r, 7 + i);
        row.asset_id = r.Int(16);
        row.link_rule = std::string(r.Text(17));
        row.asset_code = std::string(r.Text(18));
        if (row.asset_id != 0 && row.asset_code.empty()) {
          row.asset_code = fmt::format("SCA-{}", row.asset_id);
        }
        row.creator_id = r.Int(19);
        row.creator_name = std::string(r.Text(20));
        row.campaign_id = r.Int(21);
        row.hook = std::string(r.Text(22));
        row.format = std::string(r.Text(23));
        out.push_back(std::move(row));
        return Status::Ok();
      }));
  return out;
}

}  // namespace seedcast::measure

#include "ingest/creator_export.h"

#include <csv.h>

#include <array>
#include <nlohmann/json.hpp>

#include "model/creator_json.h"

namespace seedcast::ingest {
namespace {

constexpr std::array<std::string_view, 26> kCsvColumns = {
    "creator_id",      "creator_ref",      "name",
    "creator_country", "creator_language", "account_id",
    "platform",        "handle",           "tier",
    "followers",       "following",        "posts",
    "engagement_rate", "avg_views",        "bio",
    "niches",          "country",          "language",
    "audience",        "rates_cents",      "has_profile_pic",
    "is_private",      "external_url",     "extra",
    "captions",        "quality_score"};

template <typename T>
std::string OptText(const std::optional<T>& v) {
  if (!v) return "";
  if constexpr (std::is_same_v<T, bool>) {
    return *v ? "true" : "false";
  } else if constexpr (std::is_same_v<T, double>) {
    return nlohmann::json(*v).dump();
  } else {
    return std::to_string(*v);
  }
}

}  // namespace

std::string CsvField(std::string_view value) {
  if (value.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(value);
  std::string out(value.size() * 2 + 2, '\0');
  size_t n = csv_write(out.data(), out.size(), value.data(), value.size());
  out.resize(n);
  return out;
}

Result<int64_t> ExportCreators(storage::CreatorStore& store, const model::TierScheme& tiers,
                               ExportFormat format, std::ostream& out) {
  int64_t count = 0;
  if (format == ExportFormat::kCsv) {
    for (size_t i = 0; i < kCsvColumns.size(); ++i) out << (i ? "," : "") << kCsvColumns[i];
    out << "\n";
  }
  Status s = store.ForEachCreator([&](const model::Creator& c) {
    ++count;
    if (format == ExportFormat::kNdjson) {
      out << model::CreatorToJson(c, tiers).dump() << "\n";
      return out ? Status::Ok() : IoError("writing the export failed");
    }
    for (const model::Account& a : c.accounts) {
      std::string niches;
      for (const std::string& n : a.niches) niches += (niches.empty() ? "" : ",") + n;
      std::array<std::string, kCsvColumns.size()> row = {
          std::to_string(c.id),
          c.ref,
          c.name,
          c.country,
          c.language,
          std::to_string(a.id),
          a.platform,
          a.handle,
          a.followers ? tiers.TierFor(*a.followers) : "",
          OptText(a.followers),
          OptText(a.following),
          OptText(a.posts),
          OptText(a.engagement_rate),
          OptText(a.avg_views),
          a.bio,
          niches,
          a.country,
          a.language,
          a.audience.empty() ? "" : model::AudienceToJson(a.audience).dump(),
          a.rates_cents.empty() ? "" : nlohmann::json(a.rates_cents).dump(),
          OptText(a.has_profile_pic),
          OptText(a.is_private),
          a.external_url,
          a.extra.empty() ? "" : nlohmann::json(a.extra).dump(),
          a.captions.empty() ? "" : nlohmann::json(a.captions).dump(),
          OptText(a.quality_score)};
      for (size_t i = 0; i < row.size(); ++i) out << (i ? "," : "") << CsvField(row[i]);
      out << "\n";
    }
    return out ? Status::Ok() : IoError("writing the export failed");
  });
  if (!s.ok()) return s;
  return count;
}

}  // namespace seedcast::ingest

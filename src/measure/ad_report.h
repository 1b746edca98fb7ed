// Ad reports: the CSV exports of Meta Ads Manager and TikTok Ads Manager, read into one row per ad
// and reporting window, linked to content assets, and stored so that a brand's paid reuse of
// creator content can be measured (measure/ad_metrics.h).
//
// Headers differ by platform, report preset and language of the export; each column is guessed
// from a vocabulary of the real header names ("Amount spent (USD)", "3-second video plays",
// "Clicks (destination)", ...) and --map FIELD=COLUMN overrides the guess. A totals row (no ad
// name, or an ad name such as "Total" or "Total of 12 results") is not an ad. An ad links to an
// asset by a mapping file's line for its name first, then by the asset code ("SCA-12") in its
// name; an ad matching no asset is still stored and counts in the totals.
//
// Re-import: a row is keyed by (brand, platform, campaign name, ad set name, ad name, reporting
// window); importing the same report again replaces those rows instead of adding to them.
//
// Pure functions and free functions over a caller's connection; thread-compatible.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "campaign/shopify_import.h"
#include "common/clock.h"
#include "common/status.h"
#include "storage/database.h"
#include "storage/scope.h"

namespace seedcast::measure {

enum class AdPlatform { kMeta, kTikTok };
std::string_view AdPlatformName(AdPlatform platform);  // "meta", "tiktok"
Result<AdPlatform> ParseAdPlatform(std::string_view name);

enum class AdField {
  kUnmapped,  // a column Seedcast does not read (derived ratios such as CTR, ThruPlays, ...)
  kCampaignName,
  kAdSetName,
  kAdName,
  kStarts,
  kEnds,
  kImpressions,
  kReach,
  kPlays3s,  // Meta: 3-second video plays
  kViews2s,  // TikTok: 2-second video views
  kClicks,
  kSpend,
  kResults,
  kConversions,
  kConversionValue,
};

// The name used by --map and in the summary: "ad_name", "spend", "plays_3s", ...
std::string_view AdFieldName(AdField field);
// Parses a --map target ("ignore" for kUnmapped); fails with the list of names.
Result<AdField> ParseAdFieldName(std::string_view name);

struct AdColumn {
  AdField field = AdField::kUnmapped;
  std::string currency;  // the ISO code a money header names: "USD" in "Amount spent (USD)"
  // Among several columns guessed for one field, the lowest rank wins ("Link clicks" over
  // "Clicks (all)").
  int rank = 0;
};
AdColumn GuessAdColumn(std::string_view header);

// One ad and reporting window. A metric the report does not carry is nullopt.
struct AdRow {
  int64_t line = 0;  // where it was read (0 for stored rows)
  AdPlatform platform = AdPlatform::kMeta;
  std::string campaign_name;
  std::string ad_set_name;
  std::string ad_name;
  std::string starts_on;  // YYYY-MM-DD when the report gave a date
  std::string ends_on;
  std::string currency;
  std::optional<int64_t> impressions, reach, plays_3s, views_2s, clicks, spend_cents, results,
      conversions, conversion_value_cents;
  // The asset it is linked to (0: none), how, and that asset's facts (for the breakdowns).
  int64_t asset_id = 0;
  std::string link_rule;  // "code", "mapping" or ""
  std::string asset_code;
  int64_t creator_id = 0;
  std::string creator_name;
  int64_t campaign_id = 0;
  std::string hook;
  std::string format;
};

struct AdReportOptions {
  std::optional<AdPlatform> platform;  // guessed from the headers when not given
  std::vector<std::string> maps;       // FIELD=COLUMN (header text or 1-based column number)
  std::string assets_path;             // a mapping file: ad name, asset code (CSV with header)
};

struct AdReportRead {
  AdPlatform platform = AdPlatform::kMeta;
  std::string currency;
  std::map<std::string, std::string> columns;  // field name -> the header it was read from
  std::vector<std::string> unread_columns;     // headers no field was read from
  std::vector<AdRow> rows;
  std::vector<campaign::ImportReject> rejects;
  int64_t records = 0;      // data records after the header
  int64_t totals_rows = 0;  // totals rows skipped
};

// Reads a report file (no storage). Fails when the file cannot be read, no header row is found,
// the file names no ad-name column, or a --map is wrong; bad rows are rejects.
Result<AdReportRead> ReadAdReport(const std::string& path, const AdReportOptions& options);

// The asset id of the first asset code ("SCA-12", any case) in an ad name; 0 when there is none.
int64_t AssetIdInName(std::string_view ad_name);

// A mapping file: each line an ad name and an asset code (or id); the first line is a header.
Result<std::map<std::string, int64_t>> ReadAssetMapping(const std::string& path);

struct AdImportResult {
  AdReportRead read;
  int64_t stored = 0;    // rows written (new or replacing)
  int64_t replaced = 0;  // of which replaced a row of an earlier import
  int64_t linked_by_mapping = 0;
  int64_t linked_by_code = 0;
  int64_t unlinked = 0;
  std::vector<std::string> warnings;  // codes naming no asset of the brand's organisation
};

// Reads, links and stores a report for the brand `brand_id` of organisation `org_id` (0: the
// instance's own) in one transaction. Assets of another organisation do not link.
Result<AdImportResult> ImportAdReport(storage::Database& db, int64_t brand_id, int64_t org_id,
                                      const std::string& path, const AdReportOptions& options,
                                      const Clock& clock);

// Which stored rows to load: a brand's, or those linked to a campaign's assets.
struct AdRowFilter {
  int64_t brand_id = 0;
  int64_t campaign_id = 0;
};
// The rows within `scope` matching `filter`, with their assets' facts.
Result<std::vector<AdRow>> LoadAdRows(storage::Database& db, const storage::Scope& scope,
                                      const AdRowFilter& filter);

}  // namespace seedcast::measure

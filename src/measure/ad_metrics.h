// Paid-reuse metrics of ad-report rows (measure/ad_report.h): totals, and the same per asset,
// creator, hook and format.
//
//   thumbstop rate = 3-second video plays ÷ impressions (TikTok rows: 2-second video views ÷
//                    impressions; `thumbstop_basis` says which, or "mixed")
//   CTR            = clicks ÷ impressions
//   CPC            = spend ÷ clicks                 (cents)
//   CPA            = spend ÷ conversions            (cents; the conversions or purchases column
//                    where any row of the group reports one, else the rows' results)
//   ROAS           = conversion value ÷ spend       (where the report gives conversion value)
//
// Each ratio sums its numerator and denominator over the rows that report both, so an ad without
// a metric neither adds 0 to it nor is counted in its base. A ratio whose base is 0, or that no row
// reports, is undefined (null), never 0 or infinity. Money figures over rows of several currencies
// are undefined too (currency "mixed"). Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "measure/ad_report.h"

namespace seedcast::measure {

struct AdTotals {
  int64_t ads = 0;
  std::optional<int64_t> impressions, reach, plays_3s, views_2s, clicks, spend_cents, results,
      conversions, conversion_value_cents;
  std::string currency;          // "" when the reports named none, "mixed" for several
  std::string thumbstop_basis;   // "3-second video plays", "2-second video views", "mixed", ""
  std::string conversion_basis;  // "conversions" or "results": what CPA divides by
  std::optional<double> thumbstop_rate, ctr, cpc_cents, cpa_cents, roas;
};

struct AdGroup {
  std::string key;    // the asset code, creator id, hook or format ("" for rows without one)
  std::string label;  // for people: the creator's name, the asset's ad names
  AdTotals totals;
};

struct AdBreakdown {
  AdTotals totals;  // every row, linked or not
  int64_t linked_ads = 0;
  int64_t unlinked_ads = 0;
  std::vector<AdGroup> by_asset, by_creator, by_hook, by_format;  // linked rows only, by key
};

AdTotals SumAds(std::span<const AdRow* const> rows);
AdBreakdown SummariseAds(std::span<const AdRow> rows);

nlohmann::ordered_json AdTotalsToJson(const AdTotals& t);
nlohmann::ordered_json AdBreakdownToJson(const AdBreakdown& b);

// [{"line", "reason"}, ...]
nlohmann::ordered_json RejectsToJson(const std::vector<campaign::ImportReject>& rejects);
// The summary of an import: what was read, skipped, linked and rejected, with the totals, the
// derived metrics and the breakdowns of the rows it read (AdBreakdownToJson's members).
nlohmann::ordered_json AdImportToJson(const AdImportResult& r);

}  // namespace seedcast::measure

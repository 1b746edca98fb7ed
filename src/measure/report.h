// Campaign and brand reports: the measurement figures gathered for a campaign (its KPIs, the paid
// reuse of its assets, what its tracked links and codes brought, the lift of its product's
// listing) and for a brand (its campaigns and all its ad rows), as JSON and as CSV. The campaign
// JSON keeps every field of the campaign report (campaign/campaign_json.h) and adds
// "measurement"; the web app's report page reads it. The HTML page is report_html.h.
//
// Free functions over a caller's connection; thread-compatible.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "campaign/service.h"
#include "config/config.h"
#include "measure/ad_metrics.h"
#include "measure/kpis.h"
#include "measure/lift.h"
#include "measure/links.h"
#include "storage/database.h"
#include "storage/scope.h"

namespace seedcast::measure {

// The days (YYYY-MM-DD, inclusive) lift compares.
struct LiftWindows {
  std::string campaign_from, campaign_to;
  std::string baseline_from, baseline_to;  // "": the same number of days just before the campaign
};

struct LiftView {
  int64_t brand_id = 0;
  std::string sku;  // "" for the whole shop
  LiftWindows windows;
  LiftResult result;
};

// The lift of a listing between two windows of its stored sessions. Fails on days that are not
// dates or a window that ends before it starts.
Result<LiftView> MeasureLift(storage::Database& db, const storage::Scope& scope, int64_t brand_id,
                             const std::string& sku, LiftWindows windows,
                             const LiftOptions& options = {});

struct CampaignMeasures {
  std::vector<Figure> kpis;
  AdBreakdown paid;                       // ads linked to the campaign's assets
  std::vector<CreatorTracking> tracking;  // per creator
  std::optional<LiftView> lift;  // when the campaign has a timeline and its listing has sessions
};

// `report` is the campaign report read within `scope` (which is what lets this read the rest).
Result<CampaignMeasures> MeasureCampaign(storage::Database& db, const storage::Scope& scope,
                                         const campaign::CampaignReport& report,
                                         const config::KpiSettings& settings);

nlohmann::ordered_json LiftViewToJson(const LiftView& v);
nlohmann::ordered_json CampaignReportToJson(const campaign::CampaignReport& report,
                                            const CampaignMeasures& measures);

struct BrandReport {
  int64_t brand_id = 0;
  std::string name;
  std::vector<campaign::CampaignReport> campaigns;
  std::vector<CampaignMeasures> measures;  // one per campaign, in the same order
  AdBreakdown paid;                        // every ad row of the brand, linked or not
};
nlohmann::ordered_json BrandReportToJson(const BrandReport& report);

// A report JSON (either kind) as CSV: one line per figure, "section,key,metric,value,formula",
// RFC 4180 quoting.
std::string ReportToCsv(const nlohmann::ordered_json& report);

}  // namespace seedcast::measure

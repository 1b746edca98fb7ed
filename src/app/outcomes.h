// Outcome use cases: importing ad-platform reports and listing sessions, entering sessions,
// conversion lift, and the campaign and brand reports with their measurement figures. Each reads
// and writes within the caller's scope: another organisation's brand, campaign or sessions answer
// not found. The *ToJson functions give the one JSON form the CLI prints and the API answers with.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app/context.h"
#include "measure/ad_metrics.h"
#include "measure/ad_report.h"
#include "measure/lift.h"
#include "measure/report.h"
#include "measure/sessions.h"

namespace seedcast::app {

struct AdReportImport {
  int64_t brand_id = 0;
  measure::AdImportResult result;
};
// Imports a report for the brand of that name in the scope's organisation (created if new).
Result<AdReportImport> ImportAdReport(AppContext& ctx, const storage::Scope& scope,
                                      const std::string& path, const std::string& brand,
                                      const measure::AdReportOptions& options);
nlohmann::ordered_json AdReportImportToJson(const AdReportImport& r);

struct SessionsTarget {
  std::string brand;
  std::string sku;  // "" for the whole shop
};
struct SessionsResult {
  int64_t brand_id = 0;
  std::string sku;
  measure::SessionsImport import;
};
Result<SessionsResult> ImportSessions(AppContext& ctx, const storage::Scope& scope,
                                      const std::string& path, const SessionsTarget& target);
// Stores days given directly (the API's and CLI's entered sessions).
Result<SessionsResult> EnterSessions(AppContext& ctx, const storage::Scope& scope,
                                     const SessionsTarget& target,
                                     const std::vector<measure::DaySessions>& days);
nlohmann::ordered_json SessionsToJson(const SessionsResult& r);

struct LiftRequest {
  std::string brand;        // the brand's name, or
  int64_t campaign_id = 0;  // a campaign: its brand, product SKU and timeline fill what is unset
  std::optional<std::string> sku;
  measure::LiftWindows windows;
  measure::LiftOptions options;
};
Result<measure::LiftView> Lift(AppContext& ctx, const storage::Scope& scope,
                               const LiftRequest& request);

// The campaign report (campaign/campaign_json.h's fields) with "measurement".
Result<nlohmann::ordered_json> CampaignReportJson(AppContext& ctx, const storage::Scope& scope,
                                                  int64_t campaign_id);
// The brand's campaigns in scope, each measured, and all its ad rows.
Result<nlohmann::ordered_json> BrandReportJson(AppContext& ctx, const storage::Scope& scope,
                                               const std::string& brand);

// A report JSON in a format: "json" (the JSON text), "csv" or "html". `content_type` receives
// its media type.
Result<std::string> RenderReport(const nlohmann::ordered_json& report, const std::string& format,
                                 std::string* content_type);

}  // namespace seedcast::app

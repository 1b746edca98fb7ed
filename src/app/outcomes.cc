#include "app/outcomes.h"

#include <fmt/format.h>

#include "campaign/service.h"
#include "common/iso_time.h"
#include "measure/report_html.h"

namespace seedcast::app {
namespace {

using nlohmann::ordered_json;
using storage::ConnectionPool;
using storage::Intent;
using storage::Row;

struct BrandRef {
  int64_t id = 0;
  int64_t org_id = 0;
  std::string name;
};

// The brand of that name within the scope; not found outside it. The instance's own brand wins
// when an operator's name matches several organisations' brands.
Result<BrandRef> FindBrand(storage::Database& db, const storage::Scope& scope,
                           const std::string& name) {
  std::optional<BrandRef> out;
  SEEDCAST_RETURN_IF_ERROR(db.Query(
      "SELECT id, COALESCE(org_id, 0), name FROM brands WHERE name = ? AND (? = 1 OR org_id = ?) "
      "ORDER BY COALESCE(org_id, 0), id LIMIT 1",
      {std::string_view(name), scope.sql_all(), scope.sql_org()}, [&out](const Row& r) {
        out = BrandRef{r.Int(0), r.Int(1), std::string(r.Text(2))};
        return Status::Ok();
      }));
  if (!out) return NotFound("no brand named '" + name + "'").WithField("brand");
  return *out;
}

// The brand of that name in the scope's organisation, created when new (as imports do).
Result<BrandRef> EnsureBrand(AppContext& ctx, storage::Database& db, const storage::Scope& scope,
                             const std::string& name) {
  if (name.empty()) return InvalidArgument("the brand's name is required").WithField("brand");
  campaign::CampaignStore store(db, ctx.clock(), scope);
  SEEDCAST_ASSIGN_OR_RETURN(int64_t id, store.EnsureBrand(name));
  return BrandRef{id, scope.org_id(), name};
}

Result<campaign::CampaignReport> ReadReport(AppContext& ctx, storage::Database& db,
                                            const storage::Scope& scope, int64_t campaign_id) {
  campaign::CampaignService service(db, ctx.clock(), ctx.rules(), scope,
                                    {.quality_gate = ctx.quality_gate()});
  return service.Report(campaign_id);
}

}  // namespace

Result<AdReportImport> ImportAdReport(AppContext& ctx, const storage::Scope& scope,
                                      const std::string& path, const std::string& brand,
                                      const measure::AdReportOptions& options) {
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire(Intent::kWrite));
  SEEDCAST_ASSIGN_OR_RETURN(BrandRef b, EnsureBrand(ctx, *db, scope, brand));
  AdReportImport out{.brand_id = b.id};
  SEEDCAST_ASSIGN_OR_RETURN(
      out.result, measure::ImportAdReport(*db, b.id, b.org_id, path, options, ctx.clock()));
  return out;
}

ordered_json AdReportImportToJson(const AdReportImport& r) {
  ordered_json j = {{"brand_id", r.brand_id}};
  j.update(measure::AdImportToJson(r.result));
  return j;
}

Result<SessionsResult> ImportSessions(AppContext& ctx, const storage::Scope& scope,
                                      const std::string& path, const SessionsTarget& target) {
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire(Intent::kWrite));
  SEEDCAST_ASSIGN_OR_RETURN(BrandRef b, EnsureBrand(ctx, *db, scope, target.brand));
  SessionsResult out{.brand_id = b.id, .sku = target.sku};
  SEEDCAST_ASSIGN_OR_RETURN(
      out.import, measure::ImportSessions(*db, {b.id, b.org_id, target.sku}, path, ctx.clock()));
  return out;
}

Result<SessionsResult> EnterSessions(AppContext& ctx, const storage::Scope& scope,
                                     const SessionsTarget& target,
                                     const std::vector<measure::DaySessions>& days) {
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire(Intent::kWrite));
  SEEDCAST_ASSIGN_OR_RETURN(BrandRef b, EnsureBrand(ctx, *db, scope, target.brand));
  SEEDCAST_RETURN_IF_ERROR(
      measure::StoreSessions(*db, {b.id, b.org_id, target.sku}, days, "entered", ctx.clock()));
  SessionsResult out{.brand_id = b.id, .sku = target.sku};
  out.import.records = out.import.stored = static_cast<int64_t>(days.size());
  out.import.orders_from = "entered";
  return out;
}

ordered_json SessionsToJson(const SessionsResult& r) {
  return {{"brand_id", r.brand_id},
          {"sku", r.sku},
          {"records", r.import.records},
          {"days_stored", r.import.stored},
          {"orders_from", r.import.orders_from},
          {"rejected", static_cast<int64_t>(r.import.rejects.size())},
          {"rejects", measure::RejectsToJson(r.import.rejects)}};
}

Result<measure::LiftView> Lift(AppContext& ctx, const storage::Scope& scope,
                               const LiftRequest& request) {
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire(Intent::kRead));
  measure::LiftWindows windows = request.windows;
  int64_t brand_id = 0;
  std::string sku = request.sku.value_or("");
  if (request.campaign_id != 0) {
    SEEDCAST_ASSIGN_OR_RETURN(campaign::CampaignReport r,
                              ReadReport(ctx, *db, scope, request.campaign_id));
    brand_id = r.campaign.brand_id;
    if (!request.sku) sku = r.product.sku;
    const campaign::CampaignSpec& spec = r.campaign.spec;
    if (windows.campaign_from.empty() && spec.starts_at_ms) {
      windows.campaign_from = FormatIsoTime(*spec.starts_at_ms).substr(0, 10);
    }
    if (windows.campaign_to.empty() && spec.ends_at_ms) {
      windows.campaign_to = FormatIsoTime(*spec.ends_at_ms).substr(0, 10);
    }
  } else {
    SEEDCAST_ASSIGN_OR_RETURN(BrandRef b, FindBrand(*db, scope, request.brand));
    brand_id = b.id;
  }
  if (windows.campaign_from.empty() || windows.campaign_to.empty()) {
    return InvalidArgument("the campaign window (campaign_from, campaign_to) is required")
        .WithField("campaign_from");
  }
  return measure::MeasureLift(*db, scope, brand_id, sku, windows, request.options);
}

Result<ordered_json> CampaignReportJson(AppContext& ctx, const storage::Scope& scope,
                                        int64_t campaign_id) {
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire(Intent::kRead));
  SEEDCAST_ASSIGN_OR_RETURN(campaign::CampaignReport report,
                            ReadReport(ctx, *db, scope, campaign_id));
  SEEDCAST_ASSIGN_OR_RETURN(measure::CampaignMeasures m,
                            measure::MeasureCampaign(*db, scope, report, ctx.config().kpi));
  return measure::CampaignReportToJson(report, m);
}

Result<ordered_json> BrandReportJson(AppContext& ctx, const storage::Scope& scope,
                                     const std::string& brand) {
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire(Intent::kRead));
  SEEDCAST_ASSIGN_OR_RETURN(BrandRef b, FindBrand(*db, scope, brand));
  measure::BrandReport out{.brand_id = b.id, .name = b.name};
  campaign::CampaignStore store(*db, ctx.clock(), scope);
  SEEDCAST_ASSIGN_OR_RETURN(std::vector<campaign::Campaign> all, store.ListCampaigns());
  for (const campaign::Campaign& c : all) {
    if (c.brand_id != b.id) continue;
    SEEDCAST_ASSIGN_OR_RETURN(campaign::CampaignReport report, ReadReport(ctx, *db, scope, c.id));
    SEEDCAST_ASSIGN_OR_RETURN(measure::CampaignMeasures m,
                              measure::MeasureCampaign(*db, scope, report, ctx.config().kpi));
    out.campaigns.push_back(std::move(report));
    out.measures.push_back(std::move(m));
  }
  SEEDCAST_ASSIGN_OR_RETURN(std::vector<measure::AdRow> rows,
                            measure::LoadAdRows(*db, scope, {.brand_id = b.id}));
  out.paid = measure::SummariseAds(rows);
  return measure::BrandReportToJson(out);
}

Result<std::string> RenderReport(const ordered_json& report, const std::string& format,
                                 std::string* content_type) {
  if (format.empty() || format == "json") {
    *content_type = "application/json";
    return report.dump(2) + "\n";
  }
  if (format == "csv") {
    *content_type = "text/csv; charset=utf-8";
    return measure::ReportToCsv(report);
  }
  if (format == "html") {
    *content_type = "text/html; charset=utf-8";
    return measure::ReportToHtml(report);
  }
  return InvalidArgument("format '" + format + "' is not json, csv or html").WithField("format");
}

}  // namespace seedcast::app

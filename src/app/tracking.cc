#include "app/tracking.h"

#include <fmt/format.h>

#include <map>

#include "app/accounts_internal.h"
#include "campaign/campaign_store.h"
#include "measure/links.h"

namespace seedcast::app {

using nlohmann::ordered_json;
using storage::ConnectionPool;
using storage::Intent;
using storage::Row;

namespace {

// The handle of each assignment's account, by assignment id.
Result<std::map<int64_t, std::string>> HandlesOf(storage::Database& db, int64_t campaign_id) {
  std::map<int64_t, std::string> out;
  SEEDCAST_RETURN_IF_ERROR(db.Query(
      "SELECT a.id, COALESCE(ac.handle, '') FROM assignments a LEFT JOIN accounts ac ON ac.id = "
      "a.account_id WHERE a.campaign_id = ?",
      {campaign_id}, [&out](const Row& r) {
        out[r.Int(0)] = r.Text(1);
        return Status::Ok();
      }));
  return out;
}

// One assignment's link, code and counts (`counts` from measure::CampaignTracking, by creator).
Result<AssignmentTracking> Describe(storage::Database& db, const campaign::Assignment& a,
                                    const std::string& handle,
                                    const std::map<int64_t, measure::CreatorTracking>& counts) {
  AssignmentTracking t{.assignment_id = a.id,
                       .campaign_id = a.campaign_id,
                       .creator_id = a.creator_id,
                       .handle = handle};
  SEEDCAST_ASSIGN_OR_RETURN(std::optional<measure::Link> link, measure::LinkOfAssignment(db, a.id));
  if (link) {
    t.link_code = link->code;
    t.target_url = link->target_url;
  }
  SEEDCAST_ASSIGN_OR_RETURN(std::optional<measure::DiscountCode> code,
                            measure::CodeOfAssignment(db, a.id));
  if (code) t.discount_code = code->code;
  if (auto it = counts.find(a.creator_id); it != counts.end()) t.counts = it->second;
  return t;
}

Result<std::vector<AssignmentTracking>> DescribeCampaign(storage::Database& db,
                                                         campaign::CampaignStore& store,
                                                         int64_t campaign_id) {
  SEEDCAST_ASSIGN_OR_RETURN(std::vector<campaign::Assignment> all, store.Assignments(campaign_id));
  SEEDCAST_ASSIGN_OR_RETURN(auto handles, HandlesOf(db, campaign_id));
  SEEDCAST_ASSIGN_OR_RETURN(std::vector<measure::CreatorTracking> tracked,
                            measure::CampaignTracking(db, campaign_id));
  std::map<int64_t, measure::CreatorTracking> counts;
  for (const measure::CreatorTracking& t : tracked) counts[t.creator_id] = t;
  std::vector<AssignmentTracking> out;
  for (const campaign::Assignment& a : all) {
    SEEDCAST_ASSIGN_OR_RETURN(AssignmentTracking t, Describe(db, a, handles[a.id], counts));
    out.push_back(std::move(t));
  }
  return out;
}

Result<int64_t> BrandOrg(storage::Database& db, int64_t brand_id) {
  return db.QueryInt("SELECT COALESCE(MAX(org_id), 0) FROM brands WHERE id = ?", {brand_id});
}

}  // namespace

Result<std::vector<AssignmentTracking>> EquipCampaign(AppContext& ctx, const storage::Scope& scope,
                                                      int64_t campaign_id,
                                                      const EquipOptions& options) {
  std::vector<AssignmentTracking> out;
  Status done = internal::InWriteTransaction(ctx, [&](storage::Database& db) -> Status {
    campaign::CampaignStore store(db, ctx.clock(), scope);
    SEEDCAST_ASSIGN_OR_RETURN(campaign::Campaign c, store.GetCampaign(campaign_id));
    SEEDCAST_ASSIGN_OR_RETURN(std::vector<measure::Link> links,
                              measure::LinksOfCampaign(db, campaign_id));
    std::string landing = options.landing_url;
    if (landing.empty() && !links.empty()) landing = links.front().landing_url;
    SEEDCAST_ASSIGN_OR_RETURN(std::vector<campaign::Assignment> all, store.Assignments(c.id));
    SEEDCAST_ASSIGN_OR_RETURN(auto handles, HandlesOf(db, c.id));
    const int64_t now = ctx.clock().NowMs();
    for (const campaign::Assignment& a : all) {
      SEEDCAST_ASSIGN_OR_RETURN(std::optional<measure::Link> link,
                                measure::LinkOfAssignment(db, a.id));
      if (!link) {
        if (landing.empty()) {
          return InvalidArgument(
                     "the campaign has no tracked links yet: give the brand's landing URL")
              .WithField("landing_url");
        }
        SEEDCAST_RETURN_IF_ERROR(measure::CreateLink(db, c, a, landing, now).status());
      }
      SEEDCAST_ASSIGN_OR_RETURN(std::optional<measure::DiscountCode> code,
                                measure::CodeOfAssignment(db, a.id));
      if (!code) {
        SEEDCAST_RETURN_IF_ERROR(measure::IssueCode(db,
                                                    {.org_id = c.org_id,
                                                     .brand_id = c.brand_id,
                                                     .creator_id = a.creator_id,
                                                     .assignment_id = a.id,
                                                     .handle = handles[a.id],
                                                     .pattern = options.code_pattern},
                                                    now)
                                     .status());
      }
    }
    SEEDCAST_ASSIGN_OR_RETURN(out, DescribeCampaign(db, store, c.id));
    return Status::Ok();
  });
  if (!done.ok()) return done;
  return out;
}

Result<std::vector<AssignmentTracking>> TrackingOfCampaign(AppContext& ctx,
                                                           const storage::Scope& scope,
                                                           int64_t campaign_id) {
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire());
  campaign::CampaignStore store(*db, ctx.clock(), scope);
  SEEDCAST_ASSIGN_OR_RETURN(campaign::Campaign c, store.GetCampaign(campaign_id));
  return DescribeCampaign(*db, store, c.id);
}

Result<AssignmentTracking> AssignmentTrackingOf(AppContext& ctx, const storage::Scope& scope,
                                                int64_t assignment_id) {
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire());
  campaign::CampaignStore store(*db, ctx.clock(), scope);
  SEEDCAST_ASSIGN_OR_RETURN(campaign::Assignment a, store.GetAssignment(assignment_id));
  SEEDCAST_ASSIGN_OR_RETURN(auto handles, HandlesOf(*db, a.campaign_id));
  SEEDCAST_ASSIGN_OR_RETURN(std::vector<measure::CreatorTracking> tracked,
                            measure::CampaignTracking(*db, a.campaign_id));
  std::map<int64_t, measure::CreatorTracking> counts;
  for (const measure::CreatorTracking& t : tracked) counts[t.creator_id] = t;
  return Describe(*db, a, handles[a.id], counts);
}

Result<std::string> FollowLink(AppContext& ctx, measure::ClickQueue& clicks, std::string_view code,
                               const Visit& visit) {
  std::optional<measure::RedirectTarget> target;
  {
    SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire());
    SEEDCAST_ASSIGN_OR_RETURN(target, measure::FindRedirect(*db, code));
  }
  if (!target) return NotFound("no tracked link has that code").WithReason("no_link");
  // A full queue drops the click, never the redirect.
  (void)clicks.Add({.link_id = target->link_id,
                    .at_ms = ctx.clock().NowMs(),
                    .referrer = visit.referrer,
                    .user_agent = visit.user_agent,
                    .address = visit.address});
  return std::move(target->target_url);
}

Result<OrdersImported> ImportOrders(AppContext& ctx, const storage::Scope& scope,
                                    const OrderImportRequest& request) {
  if (!scope.everything() && scope.org_id() == 0) {
    return PermissionDenied("orders are imported for a brand of an organisation");
  }
  if (request.campaign_id == 0 && (request.brand.empty() || request.brand.size() > 200)) {
    return InvalidArgument("give the brand's name (1 to 200 bytes) or its campaign")
        .WithField("brand");
  }
  // Read (and refused) before anything is written.
  SEEDCAST_ASSIGN_OR_RETURN(measure::OrdersFile file, measure::ReadShopifyOrders(request.path));
  OrdersImported out{.attribution = request.attribution};
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire(Intent::kWrite));
  campaign::CampaignStore store(*db, ctx.clock(), scope);
  if (request.campaign_id != 0) {
    SEEDCAST_ASSIGN_OR_RETURN(campaign::Campaign c, store.GetCampaign(request.campaign_id));
    out.brand_id = c.brand_id;
  } else {
    SEEDCAST_ASSIGN_OR_RETURN(out.brand_id, store.EnsureBrand(request.brand));
  }
  SEEDCAST_ASSIGN_OR_RETURN(const int64_t org_id, BrandOrg(*db, out.brand_id));
  const int64_t now = ctx.clock().NowMs();
  if (!request.codes_path.empty()) {
    SEEDCAST_ASSIGN_OR_RETURN(
        out.codes, measure::ImportCodes(*db, out.brand_id, org_id, request.codes_path, now));
  }
  SEEDCAST_ASSIGN_OR_RETURN(
      out.report, measure::StoreOrders(*db, {.brand_id = out.brand_id, .org_id = org_id}, file,
                                       request.attribution, now));
  return out;
}

Result<std::vector<StoredOrder>> ListOrders(AppContext& ctx, const storage::Scope& scope,
                                            const OrderQuery& q) {
  if (!scope.everything() && scope.org_id() == 0) {
    return PermissionDenied("orders are a brand's");
  }
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire());
  std::vector<StoredOrder> out;
  const int64_t attributed = q.attributed_only ? 1 : 0;
  SEEDCAST_RETURN_IF_ERROR(db->Query(
      "SELECT id, brand_id, name, ordered_at_ms, financial_status, conversion, currency, "
      "total_cents, refunded_cents, units, rule, COALESCE(creator_id, 0), "
      "COALESCE(assignment_id, 0), COALESCE(campaign_id, 0) FROM orders WHERE (? = 1 OR org_id = "
      "?) AND (? = 0 OR brand_id = ?) AND (? = 0 OR campaign_id = ?) AND (? = 0 OR (rule <> '' "
      "AND conversion = 1)) AND (? = 0 OR id < ?) ORDER BY id DESC LIMIT ?",
      {scope.sql_all(), scope.sql_org(), q.brand_id, q.brand_id, q.campaign_id, q.campaign_id,
       attributed, q.before_id, q.before_id, int64_t{q.limit}},
      [&out](const Row& r) {
        out.push_back({r.Int(0), r.Int(1), std::string(r.Text(2)), r.Int(3), std::string(r.Text(4)),
                       r.Int(5) != 0, std::string(r.Text(6)), r.Int(7), r.Int(8), r.Int(9),
                       std::string(r.Text(10)), r.Int(11), r.Int(12), r.Int(13)});
        return Status::Ok();
      }));
  return out;
}

ordered_json AssignmentTrackingToJson(const AssignmentTracking& t) {
  const measure::CreatorTracking& c = t.counts;
  return {
      {"assignment_id", t.assignment_id},
      {"campaign_id", t.campaign_id},
      {"creator_id", t.creator_id},
      {"handle", t.handle},
      {"link_code", t.link_code},
      {"link_path", t.link_code.empty() ? "" : std::string(measure::kRedirectPrefix) + t.link_code},
      {"target_url", t.target_url},
      {"discount_code", t.discount_code},
      {"clicks", c.clicks},
      {"unique_clicks", c.unique_clicks},
      {"bot_clicks", c.bot_clicks},
      {"orders", c.orders},
      {"units", c.units},
      {"revenue_cents", c.revenue_cents}};
}

ordered_json OrdersImportedToJson(const OrdersImported& imported) {
  ordered_json out = {{"brand_id", imported.brand_id}};
  if (imported.codes) {
    ordered_json rejects = ordered_json::array();
    for (const campaign::ImportReject& r : imported.codes->rejects) {
      rejects.push_back({{"line", r.line}, {"reason", r.reason}});
    }
    out["codes"] = {{"rows_read", imported.codes->rows},
                    {"registered", imported.codes->registered},
                    {"unchanged", imported.codes->unchanged},
                    {"rows_rejected", rejects}};
  }
  const ordered_json summary =
      measure::OrderImportReportToJson(imported.report, imported.attribution);
  for (const auto& [key, value] : summary.items()) out[key] = value;
  return out;
}

ordered_json StoredOrderToJson(const StoredOrder& o) {
  return {{"id", o.id},
          {"brand_id", o.brand_id},
          {"name", o.name},
          {"ordered_at_ms", o.ordered_at_ms},
          {"financial_status", o.financial_status},
          {"conversion", o.conversion},
          {"currency", o.currency},
          {"total_cents", o.total_cents},
          {"refunded_cents", o.refunded_cents},
          {"revenue_cents", o.total_cents - o.refunded_cents},
          {"units", o.units},
          {"rule", o.rule},
          {"creator_id", o.creator_id},
          {"assignment_id", o.assignment_id},
          {"campaign_id", o.campaign_id}};
}

}  // namespace seedcast::app

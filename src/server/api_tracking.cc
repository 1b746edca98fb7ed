// Tracking routes: the public redirect of tracked links, GET /r/{code}, and the brands' routes
// over app/tracking.h: equipping a campaign's assignments with links and discount codes, a
// campaign's and one assignment's tracking, importing a Shopify orders export, and listing orders.
//
// The redirect's clicks go to a measure::ClickQueue that these routes own (captured by the
// handler, destroyed with the router, so with the dispatcher): the request thread only appends
// to it, and the queue's own thread writes them in batches. Its destructor writes what is still
// queued, so a graceful stop (listener closed, requests answered, then the dispatcher destroyed)
// loses no click.
#include <fmt/format.h>

#include <memory>
#include <mutex>
#include <optional>

#include "app/tracking.h"
#include "server/api_util.h"
#include "server/dispatcher.h"

namespace seedcast::server {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

// The queue of the redirects' clicks. It is made at the first redirect, over that request's
// pool and clock: routes are added before a context is at hand (Dispatcher's constructor).
class RedirectClicks {
 public:
  measure::ClickQueue& Of(app::AppContext& app) {
    std::call_once(made_, [&] { queue_.emplace(app.pool(), app.clock()); });
    return *queue_;
  }

 private:
  std::once_flag made_;
  std::optional<measure::ClickQueue> queue_;
};

// 302 to the link's target. no-store: each visit must reach us to be counted. no-referrer: the
// UTM parameters already say where the visitor came from, and the page they clicked on (its
// path and query) is theirs, not the brand's.
Result<Response> Redirect(RedirectClicks& clicks, HandlerContext& c, Request& r) {
  const app::ClientInfo client = ClientOf(r);
  SEEDCAST_ASSIGN_OR_RETURN(std::string target,
                            app::FollowLink(c.app, clicks.Of(c.app), r.params["code"],
                                            {.referrer = r.Header("referer"),
                                             .user_agent = client.user_agent,
                                             .address = client.address}));
  Response resp{.status = 302, .content_type = ""};
  resp.headers = {{"Location", std::move(target)},
                  {"Cache-Control", "no-store"},
                  {"Referrer-Policy", "no-referrer"}};
  return resp;
}

Response CampaignItems(int64_t campaign_id, const std::vector<app::AssignmentTracking>& all) {
  ordered_json items = ordered_json::array();
  for (const app::AssignmentTracking& t : all) items.push_back(app::AssignmentTrackingToJson(t));
  return Ok({{"campaign_id", campaign_id}, {"items", items}});
}

// {"landing_url"?, "code_pattern"?}; an empty body keeps the campaign's URL and the default
// pattern.
Result<Response> Equip(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(int64_t id, IdParam(r, "id"));
  app::EquipOptions options;
  if (!r.body.empty()) {
    SEEDCAST_ASSIGN_OR_RETURN(json b, JsonObjectBody(r));
    SEEDCAST_RETURN_IF_ERROR(OnlyFields(b, {"landing_url", "code_pattern"}));
    SEEDCAST_ASSIGN_OR_RETURN(options.landing_url, StringField(b, "landing_url"));
    SEEDCAST_ASSIGN_OR_RETURN(options.code_pattern,
                              StringField(b, "code_pattern", options.code_pattern));
  }
  SEEDCAST_ASSIGN_OR_RETURN(std::vector<app::AssignmentTracking> all,
                            app::EquipCampaign(c.app, r.scope, id, options));
  return CampaignItems(id, all);
}

Result<Response> OfCampaign(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(int64_t id, IdParam(r, "id"));
  SEEDCAST_ASSIGN_OR_RETURN(std::vector<app::AssignmentTracking> all,
                            app::TrackingOfCampaign(c.app, r.scope, id));
  return CampaignItems(id, all);
}

Result<Response> OfAssignment(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(int64_t id, IdParam(r, "id"));
  SEEDCAST_ASSIGN_OR_RETURN(app::AssignmentTracking t,
                            app::AssignmentTrackingOf(c.app, r.scope, id));
  return Ok(app::AssignmentTrackingToJson(t));
}

// The body is the export; ?brand=NAME or ?campaign_id=ID (its brand) says whose orders they are,
// ?window_days=N the attribution window.
Result<Response> ImportOrders(HandlerContext& c, Request& r) {
  app::OrderImportRequest request;
  if (auto brand = r.query.find("brand"); brand != r.query.end()) request.brand = brand->second;
  SEEDCAST_ASSIGN_OR_RETURN(request.campaign_id, IntQuery(r, "campaign_id", 0, 1, INT64_MAX));
  if (request.brand.empty() == (request.campaign_id == 0)) {
    return InvalidArgument("name the brand (?brand=NAME) or its campaign (?campaign_id=ID), one")
        .WithField("brand");
  }
  SEEDCAST_ASSIGN_OR_RETURN(int64_t window, IntQuery(r, "window_days", 7, 0, 365));
  request.attribution.window_days = static_cast<int>(window);
  if (r.body.empty()) return InvalidArgument("the body (a Shopify orders export, CSV) is empty");
  SEEDCAST_ASSIGN_OR_RETURN(SpooledBody file, SpooledBody::Write(r.body, ".csv"));
  request.path = file.path();
  SEEDCAST_ASSIGN_OR_RETURN(app::OrdersImported imported,
                            app::ImportOrders(c.app, r.scope, request));
  return Ok(app::OrdersImportedToJson(imported));
}

Result<Response> Orders(HandlerContext& c, Request& r) {
  app::OrderQuery q;
  SEEDCAST_ASSIGN_OR_RETURN(q.brand_id, IntQuery(r, "brand_id", 0, 0, INT64_MAX));
  SEEDCAST_ASSIGN_OR_RETURN(q.campaign_id, IntQuery(r, "campaign_id", 0, 0, INT64_MAX));
  SEEDCAST_ASSIGN_OR_RETURN(q.before_id, IntQuery(r, "before", 0, 0, INT64_MAX));
  SEEDCAST_ASSIGN_OR_RETURN(int64_t attributed, IntQuery(r, "attributed", 0, 0, 1));
  q.attributed_only = attributed == 1;
  SEEDCAST_ASSIGN_OR_RETURN(int64_t limit, IntQuery(r, "limit", 100, 1, 1000));
  q.limit = static_cast<int>(limit);
  SEEDCAST_ASSIGN_OR_RETURN(std::vector<app::StoredOrder> all, app::ListOrders(c.app, r.scope, q));
  return Items(all, app::StoredOrderToJson);
}

}  // namespace

void AddTrackingRoutes(Router& router) {
  auto clicks = std::make_shared<RedirectClicks>();
  router.Add({"GET", "/r/{code}", kPublicRead,
              [clicks](HandlerContext& c, Request& r) { return Redirect(*clicks, c, r); }});
  router.Add({"POST", "/v1/campaigns/{id}/tracking", {Who::kBrand, true}, Equip});
  router.Add({"GET", "/v1/campaigns/{id}/tracking", {Who::kBrand}, OfCampaign});
  router.Add({"GET", "/v1/assignments/{id}/tracking", {Who::kSignedIn}, OfAssignment});
  router.Add({"POST", "/v1/orders/import", {Who::kBrand, true}, ImportOrders});
  router.Add({"GET", "/v1/orders", {Who::kBrand}, Orders});
}

}  // namespace seedcast::server

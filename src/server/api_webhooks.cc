// Webhook routes: an organisation's subscriptions, the delivery log, and replays (app/webhooks.h).
#include <fmt/format.h>

#include "app/webhooks.h"
#include "server/api_util.h"
#include "server/dispatcher.h"

namespace seedcast::server {
namespace {

using nlohmann::json;

// {"url", "events"?: [type, ...], "org_id"?: operators only}
Result<app::SubscriptionSpec> SubscriptionBody(const Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(json b, JsonObjectBody(r));
  SEEDCAST_RETURN_IF_ERROR(OnlyFields(b, {"url", "events", "org_id"}));
  app::SubscriptionSpec spec;
  SEEDCAST_ASSIGN_OR_RETURN(spec.url, StringField(b, "url"));
  if (spec.url.empty()) return InvalidArgument("field 'url' is required").WithField("url");
  if (b.contains("events") && !b["events"].is_null()) {
    if (!b["events"].is_array()) {
      return InvalidArgument("field 'events' must be a list of event types").WithField("events");
    }
    for (size_t i = 0; i < b["events"].size(); ++i) {
      if (!b["events"][i].is_string()) {
        return InvalidArgument(fmt::format("events[{}] must be a string", i))
            .WithField(fmt::format("events[{}]", i));
      }
      spec.events.push_back(b["events"][i].get<std::string>());
    }
  }
  if (b.contains("org_id") && !b["org_id"].is_null()) {
    if (!b["org_id"].is_number_integer() || b["org_id"].get<int64_t>() < 0) {
      return InvalidArgument("field 'org_id' must be an organisation's id").WithField("org_id");
    }
    spec.org_id = b["org_id"].get<int64_t>();
  }
  return spec;
}

std::string QueryText(const Request& r, const std::string& name) {
  auto it = r.query.find(name);
  return it == r.query.end() ? "" : it->second;
}

Result<Response> Subscribe(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(app::SubscriptionSpec spec, SubscriptionBody(r));
  SEEDCAST_ASSIGN_OR_RETURN(app::CreatedSubscription s, app::Subscribe(c.app, r.scope, spec));
  return Ok(app::CreatedSubscriptionToJson(s), 201);
}

Result<Response> Subscriptions(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(std::vector<app::Subscription> all,
                            app::ListSubscriptions(c.app, r.scope));
  return Items(all, app::SubscriptionToJson);
}

Result<Response> Disable(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(int64_t id, IdParam(r, "id"));
  SEEDCAST_ASSIGN_OR_RETURN(app::Subscription s, app::DisableSubscription(c.app, r.scope, id));
  return Ok(app::SubscriptionToJson(s));
}

Result<Response> Deliveries(HandlerContext& c, Request& r) {
  app::DeliveryQuery q{.state = QueryText(r, "state")};
  SEEDCAST_ASSIGN_OR_RETURN(q.subscription_id, IntQuery(r, "subscription_id", 0, 0, INT64_MAX));
  SEEDCAST_ASSIGN_OR_RETURN(q.event_id, IntQuery(r, "event_id", 0, 0, INT64_MAX));
  SEEDCAST_ASSIGN_OR_RETURN(q.before_id, IntQuery(r, "before", 0, 0, INT64_MAX));
  SEEDCAST_ASSIGN_OR_RETURN(int64_t limit, IntQuery(r, "limit", 100, 1, 1000));
  q.limit = static_cast<int>(limit);
  SEEDCAST_ASSIGN_OR_RETURN(std::vector<app::Delivery> all, app::ListDeliveries(c.app, r.scope, q));
  return Items(all, app::DeliveryToJson);
}

Result<Response> OneDelivery(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(int64_t id, IdParam(r, "id"));
  SEEDCAST_ASSIGN_OR_RETURN(app::Delivery d, app::GetDelivery(c.app, r.scope, id));
  return Ok(app::DeliveryDetailToJson(d));
}

Result<Response> ReplayDelivery(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(int64_t id, IdParam(r, "id"));
  SEEDCAST_ASSIGN_OR_RETURN(app::Delivery d, app::ReplayDelivery(c.app, r.scope, id));
  return Ok(app::DeliveryDetailToJson(d));
}

Result<Response> ReplayEvent(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(int64_t id, IdParam(r, "id"));
  SEEDCAST_ASSIGN_OR_RETURN(app::EventReplay e, app::ReplayEvent(c.app, r.scope, id));
  return Ok(app::EventReplayToJson(e));
}

}  // namespace

void AddWebhookRoutes(Router& router) {
  router.Add({"POST", "/v1/webhooks/subscriptions", {Who::kBrand, true}, Subscribe});
  router.Add({"GET", "/v1/webhooks/subscriptions", {Who::kBrand}, Subscriptions});
  router.Add({"POST", "/v1/webhooks/subscriptions/{id}/disable", {Who::kBrand, true}, Disable});
  router.Add({"GET", "/v1/webhooks/deliveries", {Who::kBrand}, Deliveries});
  router.Add({"GET", "/v1/webhooks/deliveries/{id}", {Who::kBrand}, OneDelivery});
  router.Add({"POST", "/v1/webhooks/deliveries/{id}/replay", {Who::kBrand, true}, ReplayDelivery});
  router.Add({"POST", "/v1/webhooks/events/{id}/replay", {Who::kBrand, true}, ReplayEvent});
}

}  // namespace seedcast::server

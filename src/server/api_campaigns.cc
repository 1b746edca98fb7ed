// Campaign routes: campaigns (create, list, get, plan, invite, tick, ledger; the report is in
// api_outcomes.cc), a plan preview of a campaign file, the assignment workflow, and products.
#include <fmt/format.h>

#include "app/campaigns.h"
#include "campaign/campaign_json.h"
#include "server/api_util.h"
#include "server/dispatcher.h"

namespace seedcast::server {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

Result<campaign::CampaignSpec> SpecOf(const Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(json body, JsonObjectBody(r));
  return campaign::ParseCampaignSpec(r.body, false);
}

Result<Response> Create(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(campaign::CampaignSpec spec, SpecOf(r));
  SEEDCAST_ASSIGN_OR_RETURN(campaign::Campaign created, app::CreateCampaign(c.app, r.scope, spec));
  Response resp = Ok(campaign::CampaignToJson(created), 201);
  resp.headers.emplace_back("Location", fmt::format("/v1/campaigns/{}", created.id));
  return resp;
}

Result<Response> List(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(std::vector<app::CampaignSummary> all,
                            app::ListCampaigns(c.app, r.scope));
  return Items(all, app::SummaryToJson);
}

// GET /v1/campaigns/{id}/...: the campaign id, then the use case rendered as JSON.
template <typename T, typename Call, typename ToJson>
Result<Response> ForCampaign(Request& r, Call call, ToJson to_json) {
  SEEDCAST_ASSIGN_OR_RETURN(int64_t id, IdParam(r, "id"));
  SEEDCAST_ASSIGN_OR_RETURN(T value, call(id));
  return Ok(to_json(value));
}

Result<Response> Show(HandlerContext& c, Request& r) {
  return ForCampaign<app::CampaignDetail>(
      r, [&](int64_t id) { return app::ShowCampaign(c.app, r.scope, id); }, app::DetailToJson);
}
Result<Response> Plan(HandlerContext& c, Request& r) {
  return ForCampaign<app::PlanView>(
      r, [&](int64_t id) { return app::PlanCampaign(c.app, r.scope, id); }, app::PlanViewToJson);
}
Result<Response> Invite(HandlerContext& c, Request& r) {
  return ForCampaign<app::InviteView>(
      r, [&](int64_t id) { return app::InviteCampaign(c.app, r.scope, id); }, app::InviteToJson);
}
Result<Response> Tick(HandlerContext& c, Request& r) {
  return ForCampaign<campaign::TickOutcome>(
      r, [&](int64_t id) { return app::TickCampaign(c.app, r.scope, id); },
      [&](const campaign::TickOutcome& t) { return app::TickToJson(t, c.app.clock().NowMs()); });
}
Result<Response> Ledger(HandlerContext& c, Request& r) {
  return ForCampaign<std::vector<campaign::StoredTransaction>>(
      r, [&](int64_t id) { return app::CampaignLedger(c.app, r.scope, id); },
      [](const std::vector<campaign::StoredTransaction>& t) {
        return ordered_json{{"transactions", app::LedgerToJson(t)}};
      });
}

// A campaign file planned against the store, without storing it.
Result<Response> Preview(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(campaign::CampaignSpec spec, SpecOf(r));
  SEEDCAST_RETURN_IF_ERROR(app::ResolveProduct(c.app, r.scope, spec));
  SEEDCAST_ASSIGN_OR_RETURN(app::PlanView plan, app::PlanSpec(c.app, spec, {}, {}));
  return Ok(app::PlanViewToJson(plan));
}

Result<Response> Act(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(int64_t id, IdParam(r, "id"));
  // Who acted is the principal; a body's "actor" only adds on whose behalf ("user:5 as carrier").
  app::ActionRequest request{.action = r.params["action"], .actor = ""};
  if (!r.body.empty()) {
    SEEDCAST_ASSIGN_OR_RETURN(json body, JsonObjectBody(r));
    SEEDCAST_RETURN_IF_ERROR(
        OnlyFields(body, {"actor", "reason", "post", "product_id", "carrier", "tracking"}));
    SEEDCAST_ASSIGN_OR_RETURN(request.actor, StringField(body, "actor", request.actor));
    SEEDCAST_ASSIGN_OR_RETURN(request.reason, StringField(body, "reason"));
    if (body.contains("product_id")) {
      if (!body["product_id"].is_number_integer() || body["product_id"].get<int64_t>() <= 0) {
        return InvalidArgument("'product_id' is a product's id").WithField("product_id");
      }
      request.product_id = body["product_id"].get<int64_t>();
    }
    for (const char* name : {"carrier", "tracking"}) {
      if (!body.contains(name) || body[name].is_null()) continue;
      SEEDCAST_ASSIGN_OR_RETURN(std::string value, StringField(body, name));
      (std::string_view(name) == "carrier" ? request.shipment.carrier : request.shipment.tracking) =
          value;
    }
    if (body.contains("post")) {
      if (!body["post"].is_object()) {
        return InvalidArgument("'post' must be the post as an object").WithField("post");
      }
      request.post_json = body["post"].dump();
    }
  }
  request.actor = r.principal.Name() + (request.actor.empty() ? "" : " as " + request.actor);
  SEEDCAST_ASSIGN_OR_RETURN(app::ActionResult result,
                            app::ActOnAssignment(c.app, r.scope, id, request));
  return Ok(app::ActionToJson(result));
}

Result<Response> ImportProducts(HandlerContext& c, Request& r) {
  const auto brand = r.query.find("brand");
  if (brand == r.query.end() || brand->second.empty()) {
    return InvalidArgument("the brand's name is the 'brand' parameter").WithField("brand");
  }
  if (r.body.empty()) return InvalidArgument("the body (a Shopify product CSV) is empty");
  SEEDCAST_ASSIGN_OR_RETURN(SpooledBody file, SpooledBody::Write(r.body, ".csv"));
  int64_t brand_id = 0;
  SEEDCAST_ASSIGN_OR_RETURN(
      campaign::ProductImportReport report,
      app::ImportProducts(c.app, r.scope, file.path(), brand->second, &brand_id));
  return Ok(app::ProductImportToJson(report, brand_id));
}

Result<Response> Products(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(int64_t brand, IntQuery(r, "brand_id", 0, 0, INT64_MAX));
  SEEDCAST_ASSIGN_OR_RETURN(std::vector<campaign::Product> all,
                            app::ListProducts(c.app, r.scope, brand));
  return Items(all, app::ProductToJson);
}

Result<Response> Product(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(int64_t id, IdParam(r, "id"));
  SEEDCAST_ASSIGN_OR_RETURN(campaign::Product p, app::GetProduct(c.app, r.scope, id));
  return Ok(app::ProductToJson(p));
}

}  // namespace

void AddCampaignRoutes(Router& router) {
  AddBoardRoutes(router);
  AddShortlistRoutes(router);
  AddKitRoutes(router);
  AddLibraryRoutes(router);
  AddWebhookRoutes(router);
  AddOutcomeRoutes(router);  // with the campaign report (GET /v1/campaigns/{id}/report)
  AddTrackingRoutes(router);
  router.Add({"POST", "/v1/campaigns", {Who::kBrand, true}, Create});
  router.Add({"GET", "/v1/campaigns", {Who::kBrand}, List});
  router.Add({"GET", "/v1/campaigns/{id}", {Who::kBrand}, Show});
  router.Add({"POST", "/v1/campaigns/{id}/plan", {Who::kBrand}, Plan});
  router.Add({"POST", "/v1/campaigns/{id}/invite", {Who::kBrand, true}, Invite});
  router.Add({"POST", "/v1/campaigns/{id}/tick", {Who::kBrand, true}, Tick});
  router.Add({"GET", "/v1/campaigns/{id}/ledger", {Who::kBrand}, Ledger});
  router.Add({"POST", "/v1/plans", {Who::kBrand}, Preview});
  router.Add({"POST", "/v1/assignments/{id}/{action}", {Who::kSignedIn, true}, Act});
  router.Add({"POST", "/v1/products/import", {Who::kBrand, true}, ImportProducts});
  router.Add({"GET", "/v1/products", {Who::kBrand}, Products});
  router.Add({"GET", "/v1/products/{id}", {Who::kBrand}, Product});
}

}  // namespace seedcast::server

// Media kit routes: a creator's public page for an account, the creator's edits of it, and the
// rate estimator (creator economics).
#include "app/kits.h"
#include "app/rates.h"
#include "ingest/numbers.h"
#include "server/api_util.h"
#include "server/dispatcher.h"

namespace seedcast::server {
namespace {

using nlohmann::json;

Result<Response> Kit(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(
      app::MediaKit kit, app::GetKit(c.app, r.principal, r.params["platform"], r.params["handle"]));
  return Ok(app::KitToJson(kit));
}

Result<Response> SaveKit(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(json b, JsonObjectBody(r));
  SEEDCAST_RETURN_IF_ERROR(OnlyFields(b, {"headline", "about", "published"}));
  app::KitEdit edit;
  for (const char* name : {"headline", "about"}) {
    if (!b.contains(name) || b[name].is_null()) continue;
    SEEDCAST_ASSIGN_OR_RETURN(std::string value, StringField(b, name));
    (std::string_view(name) == "headline" ? edit.headline : edit.about) = std::move(value);
  }
  if (b.contains("published")) {
    if (!b["published"].is_boolean()) {
      return InvalidArgument("'published' is true or false").WithField("published");
    }
    edit.published = b["published"].get<bool>();
  }
  SEEDCAST_ASSIGN_OR_RETURN(
      app::MediaKit kit,
      app::SaveMyKit(c.app, r.principal, r.params["platform"], r.params["handle"], edit));
  return Ok(app::KitToJson(kit));
}

Result<Response> Rates(HandlerContext& c, Request& r) {
  auto text = [&r](const std::string& name) {
    auto it = r.query.find(name);
    return it == r.query.end() ? std::string() : it->second;
  };
  app::RatesRequest q{.platform = text("platform"), .niche = text("niche")};
  if (!r.query.contains("followers")) {
    return InvalidArgument("followers is required").WithField("followers");
  }
  SEEDCAST_ASSIGN_OR_RETURN(q.followers, IntQuery(r, "followers", 0, 0, 10'000'000'000));
  SEEDCAST_ASSIGN_OR_RETURN(int64_t min_sample, IntQuery(r, "min_sample", 5, 1, 1000));
  q.min_sample = static_cast<int>(min_sample);
  if (!text("engagement_rate").empty()) {
    Result<double> er = ingest::ParseFraction(text("engagement_rate"), false);
    if (!er.ok()) {
      return InvalidArgument("engagement_rate is a share (0.04) or a percentage (4%)")
          .WithField("engagement_rate");
    }
    q.engagement_rate = *er;
  }
  SEEDCAST_ASSIGN_OR_RETURN(measure::RateEstimates e, app::EstimateCreatorRates(c.app, q));
  return Ok(measure::RateEstimatesToJson(e));
}

}  // namespace

void AddKitRoutes(Router& router) {
  router.Add({"GET", "/v1/rates", {Who::kSignedIn}, Rates});
  router.Add({"GET", "/v1/kits/{platform}/{handle}", kPublicRead, Kit});
  router.Add({"POST", "/v1/me/kits/{platform}/{handle}", {Who::kCreator, true}, SaveKit});
}

}  // namespace seedcast::server

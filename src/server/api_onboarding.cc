// Creator onboarding routes: a creator adds their accounts and sees how their review stands;
// operators list the pending ones and decide.
#include <fmt/format.h>

#include "app/onboarding.h"
#include "server/api_util.h"
#include "server/dispatcher.h"

namespace seedcast::server {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

// A count or a share from the body: absent stays unset; another type is an error naming it.
template <typename T>
Status Number(const json& b, const std::string& name, std::optional<T>* out) {
  if (!b.contains(name) || b[name].is_null()) return Status::Ok();
  const bool ok = std::is_integral_v<T> ? b[name].is_number_integer() : b[name].is_number();
  if (!ok) return InvalidArgument(fmt::format("'{}' must be a number", name)).WithField(name);
  *out = b[name].get<T>();
  return Status::Ok();
}

// The stats of an account in the body (followers, ..., external_url), each checked.
Status StatsOf(const json& b, model::Account* out);

Result<model::Account> AccountOf(const Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(json b, JsonObjectBody(r));
  SEEDCAST_RETURN_IF_ERROR(OnlyFields(
      b, {"platform", "handle", "followers", "following", "posts", "engagement_rate", "avg_views",
          "bio", "niches", "country", "language", "has_profile_pic", "external_url"}));
  model::Account a;
  SEEDCAST_ASSIGN_OR_RETURN(a.platform, StringField(b, "platform"));
  SEEDCAST_ASSIGN_OR_RETURN(a.handle, StringField(b, "handle"));
  if (a.platform.empty()) return InvalidArgument("'platform' is required").WithField("platform");
  if (a.handle.empty()) return InvalidArgument("'handle' is required").WithField("handle");
  SEEDCAST_RETURN_IF_ERROR(StatsOf(b, &a));
  return a;
}

// An edit: the stats alone (an account's platform and handle do not change).
Result<model::Account> ChangesOf(const Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(json b, JsonObjectBody(r));
  SEEDCAST_RETURN_IF_ERROR(
      OnlyFields(b, {"followers", "following", "posts", "engagement_rate", "avg_views", "bio",
                     "niches", "country", "language", "has_profile_pic", "external_url"}));
  model::Account a;
  SEEDCAST_RETURN_IF_ERROR(StatsOf(b, &a));
  return a;
}

Status StatsOf(const json& b, model::Account* out) {
  model::Account& a = *out;
  SEEDCAST_RETURN_IF_ERROR(Number(b, "followers", &a.followers));
  SEEDCAST_RETURN_IF_ERROR(Number(b, "following", &a.following));
  SEEDCAST_RETURN_IF_ERROR(Number(b, "posts", &a.posts));
  SEEDCAST_RETURN_IF_ERROR(Number(b, "engagement_rate", &a.engagement_rate));
  SEEDCAST_RETURN_IF_ERROR(Number(b, "avg_views", &a.avg_views));
  SEEDCAST_ASSIGN_OR_RETURN(a.bio, StringField(b, "bio"));
  SEEDCAST_ASSIGN_OR_RETURN(a.country, StringField(b, "country"));
  SEEDCAST_ASSIGN_OR_RETURN(a.language, StringField(b, "language"));
  SEEDCAST_ASSIGN_OR_RETURN(a.external_url, StringField(b, "external_url"));
  if (a.bio.size() > 2000) return InvalidArgument("'bio' is at most 2000 bytes").WithField("bio");
  if (b.contains("has_profile_pic")) {
    if (!b["has_profile_pic"].is_boolean()) {
      return InvalidArgument("'has_profile_pic' is true or false").WithField("has_profile_pic");
    }
    a.has_profile_pic = b["has_profile_pic"].get<bool>();
  }
  if (b.contains("niches")) {
    if (!b["niches"].is_array() || b["niches"].size() > 20) {
      return InvalidArgument("'niches' is a list of up to 20 names").WithField("niches");
    }
    for (const json& n : b["niches"]) {
      if (!n.is_string()) return InvalidArgument("'niches' holds names").WithField("niches");
      a.niches.push_back(n.get<std::string>());
    }
  }
  return Status::Ok();
}

Result<Response> AddAccount(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(model::Account account, AccountOf(r));
  SEEDCAST_ASSIGN_OR_RETURN(app::ReviewedAccount added,
                            app::AddMyAccount(c.app, r.principal, std::move(account), ClientOf(r)));
  return Ok(app::ReviewedToJson(added), 201);
}

Result<Response> EditAccount(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(int64_t id, IdParam(r, "id"));
  SEEDCAST_ASSIGN_OR_RETURN(model::Account changes, ChangesOf(r));
  SEEDCAST_ASSIGN_OR_RETURN(app::ReviewedAccount edited,
                            app::EditMyAccount(c.app, r.principal, id, changes, ClientOf(r)));
  return Ok(app::ReviewedToJson(edited));
}

Result<Response> MyAccounts(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(std::vector<app::ReviewedAccount> all,
                            app::MyAccounts(c.app, r.principal));
  return Items(all, app::ReviewedToJson);
}

Result<Response> Pending(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(int64_t limit, IntQuery(r, "limit", 100, 1, 1000));
  SEEDCAST_ASSIGN_OR_RETURN(std::vector<app::ReviewedAccount> all,
                            app::PendingReviews(c.app, r.principal, static_cast<int>(limit)));
  return Items(all, app::ReviewedToJson);
}

Result<Response> Review(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(int64_t id, IdParam(r, "id"));
  SEEDCAST_ASSIGN_OR_RETURN(Decision b, DecisionBody(r));
  SEEDCAST_ASSIGN_OR_RETURN(
      app::ReviewedAccount done,
      app::ReviewAccount(c.app, r.principal, id, b.decision, b.reason, ClientOf(r)));
  return Ok(app::ReviewedToJson(done));
}

}  // namespace

void AddOnboardingRoutes(Router& router) {
  router.Add({"POST", "/v1/me/accounts", {Who::kCreator, true}, AddAccount});
  router.Add({"GET", "/v1/me/accounts", {Who::kCreator}, MyAccounts});
  router.Add({"POST", "/v1/me/accounts/{id}", {Who::kCreator, true}, EditAccount});
  router.Add({"GET", "/v1/reviews", {Who::kOperator}, Pending});
  router.Add({"POST", "/v1/reviews/{id}", {Who::kOperator, true}, Review});
}

}  // namespace seedcast::server

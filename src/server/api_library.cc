// Library routes across campaigns: operators' fraud flags and their decisions, the whole ledger,
// and the content library of posts' assets (filtered listings as JSON and CSV, and their usage
// rights).
#include <fmt/format.h>

#include <algorithm>

#include "app/campaigns.h"
#include "app/library.h"
#include "common/iso_time.h"
#include "ingest/numbers.h"
#include "server/api_util.h"
#include "server/dispatcher.h"

namespace seedcast::server {
namespace {

using nlohmann::json;

std::string QueryText(const Request& r, const std::string& name) {
  auto it = r.query.find(name);
  return it == r.query.end() ? "" : it->second;
}

Result<Response> Flags(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(int64_t limit, IntQuery(r, "limit", 100, 1, 1000));
  SEEDCAST_ASSIGN_OR_RETURN(std::vector<app::Flag> all,
                            app::ListFlags(c.app, r.principal, static_cast<int>(limit)));
  return Items(all, app::FlagToJson);
}

Result<Response> Decide(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(int64_t id, IdParam(r, "account_id"));
  SEEDCAST_ASSIGN_OR_RETURN(Decision b, DecisionBody(r));
  SEEDCAST_ASSIGN_OR_RETURN(app::FlagDecision d, app::DecideFlag(c.app, r.principal, id, b.decision,
                                                                 b.reason, ClientOf(r)));
  return Ok(app::FlagDecisionToJson(d));
}

Result<Response> Ledger(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(int64_t limit, IntQuery(r, "limit", 100, 1, 1000));
  SEEDCAST_ASSIGN_OR_RETURN(int64_t before, IntQuery(r, "before", 0, 0, INT64_MAX));
  SEEDCAST_ASSIGN_OR_RETURN(
      std::vector<campaign::StoredTransaction> all,
      app::ListLedger(c.app, r.scope, QueryText(r, "kind"), before, static_cast<int>(limit)));
  return Ok({{"items", app::LedgerToJson(all)}});
}

// A yes/no query value ("true", "false", "1", "0", ...; absent: false).
Result<bool> BoolQuery(const Request& r, const std::string& name) {
  const std::string value = QueryText(r, name);
  if (value.empty()) return false;
  Result<bool> b = ingest::ParseBool(value);
  if (!b.ok()) return InvalidArgument(fmt::format("{} is true or false", name)).WithField(name);
  return *b;
}

Result<app::AssetQuery> AssetFilters(const Request& r) {
  app::AssetQuery q{.kind = QueryText(r, "kind"),
                    .format = QueryText(r, "format"),
                    .usage_rights = QueryText(r, "usage_rights"),
                    .rights_scope = QueryText(r, "rights"),
                    .creator = QueryText(r, "creator")};
  SEEDCAST_ASSIGN_OR_RETURN(q.campaign_id, IntQuery(r, "campaign_id", 0, 0, INT64_MAX));
  SEEDCAST_ASSIGN_OR_RETURN(q.expiring_only, BoolQuery(r, "expiring"));
  SEEDCAST_ASSIGN_OR_RETURN(q.usable_for_paid_only, BoolQuery(r, "usable_for_paid"));
  SEEDCAST_ASSIGN_OR_RETURN(int64_t limit, IntQuery(r, "limit", 100, 1, 10'000));
  q.limit = static_cast<int>(limit);
  return q;
}

Result<Response> Assets(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(app::AssetQuery q, AssetFilters(r));
  SEEDCAST_ASSIGN_OR_RETURN(std::vector<app::Asset> all, app::ListAssets(c.app, r.scope, q));
  return Items(all, app::AssetToJson);
}

Result<Response> AssetsCsv(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(app::AssetQuery q, AssetFilters(r));
  SEEDCAST_ASSIGN_OR_RETURN(std::vector<app::Asset> all, app::ListAssets(c.app, r.scope, q));
  return Response{.content_type = "text/csv; charset=utf-8", .body = app::AssetsToCsv(all)};
}

// An ISO 8601 time or null (which clears it).
Result<std::optional<int64_t>> TimeField(const json& b, const std::string& name) {
  if (b[name].is_null()) return std::optional<int64_t>();
  SEEDCAST_ASSIGN_OR_RETURN(std::string text, StringField(b, name));
  Result<int64_t> ms = ParseIsoTimeMs(text);
  if (!ms.ok()) return ms.status().WithField(name);
  return std::optional<int64_t>(*ms);
}

Result<Response> SetRights(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(int64_t id, IdParam(r, "id"));
  SEEDCAST_ASSIGN_OR_RETURN(json b, JsonObjectBody(r));
  SEEDCAST_RETURN_IF_ERROR(
      OnlyFields(b, {"scope", "channels", "starts_at", "expires_at", "authorization_code"}));
  app::RightsEdit edit;
  if (b.contains("scope")) {
    SEEDCAST_ASSIGN_OR_RETURN(edit.scope, StringField(b, "scope"));
  }
  if (b.contains("authorization_code")) {
    SEEDCAST_ASSIGN_OR_RETURN(edit.authorization_code, StringField(b, "authorization_code"));
  }
  if (b.contains("channels")) {
    const json& list = b["channels"];
    if (!list.is_array() ||
        !std::all_of(list.begin(), list.end(), [](const json& v) { return v.is_string(); })) {
      return InvalidArgument("channels is a list of channel names").WithField("channels");
    }
    edit.channels = list.get<std::vector<std::string>>();
  }
  if (b.contains("starts_at")) {
    SEEDCAST_ASSIGN_OR_RETURN(std::optional<int64_t> starts, TimeField(b, "starts_at"));
    edit.starts_at_ms.emplace(starts);
  }
  if (b.contains("expires_at")) {
    SEEDCAST_ASSIGN_OR_RETURN(std::optional<int64_t> expires, TimeField(b, "expires_at"));
    edit.expires_at_ms.emplace(expires);
  }
  SEEDCAST_ASSIGN_OR_RETURN(app::Asset asset, app::SetAssetRights(c.app, r.scope, id, edit));
  return Ok(app::AssetToJson(asset));
}

}  // namespace

void AddLibraryRoutes(Router& router) {
  router.Add({"GET", "/v1/flags", {Who::kOperator}, Flags});
  router.Add({"POST", "/v1/flags/{account_id}", {Who::kOperator, true}, Decide});
  router.Add({"GET", "/v1/ledger", {Who::kOperator}, Ledger});
  router.Add({"GET", "/v1/assets", {Who::kBrand}, Assets});
  router.Add({"GET", "/v1/assets.csv", {Who::kBrand}, AssetsCsv});
  router.Add({"POST", "/v1/assets/{id}/rights", {Who::kBrand, true}, SetRights});
}

}  // namespace seedcast::server

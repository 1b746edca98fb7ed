// Library routes across campaigns: operators' fraud flags and their decisions, the whole ledger,
// and the content library of posts' assets.
#include "app/campaigns.h"
#include "app/library.h"
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

Result<Response> Assets(HandlerContext& c, Request& r) {
  app::AssetQuery q{.kind = QueryText(r, "kind"),
                    .usage_rights = QueryText(r, "usage_rights"),
                    .creator = QueryText(r, "creator")};
  SEEDCAST_ASSIGN_OR_RETURN(q.campaign_id, IntQuery(r, "campaign_id", 0, 0, INT64_MAX));
  SEEDCAST_ASSIGN_OR_RETURN(int64_t limit, IntQuery(r, "limit", 100, 1, 1000));
  q.limit = static_cast<int>(limit);
  SEEDCAST_ASSIGN_OR_RETURN(std::vector<app::Asset> all, app::ListAssets(c.app, r.scope, q));
  return Items(all, app::AssetToJson);
}

}  // namespace

void AddLibraryRoutes(Router& router) {
  router.Add({"GET", "/v1/flags", {Who::kOperator}, Flags});
  router.Add({"POST", "/v1/flags/{account_id}", {Who::kOperator, true}, Decide});
  router.Add({"GET", "/v1/ledger", {Who::kOperator}, Ledger});
  router.Add({"GET", "/v1/assets", {Who::kBrand}, Assets});
}

}  // namespace seedcast::server

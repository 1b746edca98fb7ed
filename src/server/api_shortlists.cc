// Shortlist routes: an organisation's named lists of creators.
#include <fmt/format.h>

#include "app/shortlists.h"
#include "server/api_util.h"
#include "server/dispatcher.h"

namespace seedcast::server {
namespace {

using nlohmann::json;

Result<Response> List(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(std::vector<app::Shortlist> all, app::ListShortlists(c.app, r.scope));
  return Items(all, app::ShortlistToJson);
}

Result<Response> Create(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(json b, JsonObjectBody(r));
  SEEDCAST_RETURN_IF_ERROR(OnlyFields(b, {"name"}));
  SEEDCAST_ASSIGN_OR_RETURN(std::string name, StringField(b, "name"));
  SEEDCAST_ASSIGN_OR_RETURN(app::Shortlist made, app::CreateShortlist(c.app, r.scope, name));
  Response resp = Ok(app::ShortlistToJson(made), 201);
  resp.headers.emplace_back("Location", fmt::format("/v1/shortlists/{}", made.id));
  return resp;
}

Result<Response> Show(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(int64_t id, IdParam(r, "id"));
  SEEDCAST_ASSIGN_OR_RETURN(app::ShortlistDetail d, app::GetShortlist(c.app, r.scope, id));
  return Ok(app::ShortlistDetailToJson(d));
}

Result<Response> Add(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(int64_t id, IdParam(r, "id"));
  SEEDCAST_ASSIGN_OR_RETURN(json b, JsonObjectBody(r));
  SEEDCAST_RETURN_IF_ERROR(OnlyFields(b, {"creator_id"}));
  // 0 when missing or not an id: refused once the shortlist is known to be the caller's.
  const int64_t creator = b.contains("creator_id") && b["creator_id"].is_number_integer()
                              ? b["creator_id"].get<int64_t>()
                              : 0;
  SEEDCAST_ASSIGN_OR_RETURN(bool added, app::AddToShortlist(c.app, r.scope, id, creator));
  return Ok({{"added", added}});
}

Result<Response> Remove(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(int64_t id, IdParam(r, "id"));
  SEEDCAST_ASSIGN_OR_RETURN(int64_t creator, IdParam(r, "creator_id"));
  SEEDCAST_ASSIGN_OR_RETURN(bool removed, app::RemoveFromShortlist(c.app, r.scope, id, creator));
  return Ok({{"removed", removed}});
}

}  // namespace

void AddShortlistRoutes(Router& router) {
  router.Add({"GET", "/v1/shortlists", {Who::kBrand}, List});
  router.Add({"POST", "/v1/shortlists", {Who::kBrand, true}, Create});
  router.Add({"GET", "/v1/shortlists/{id}", {Who::kBrand}, Show});
  router.Add({"POST", "/v1/shortlists/{id}/creators", {Who::kBrand, true}, Add});
  router.Add(
      {"POST", "/v1/shortlists/{id}/creators/{creator_id}/remove", {Who::kBrand, true}, Remove});
}

}  // namespace seedcast::server

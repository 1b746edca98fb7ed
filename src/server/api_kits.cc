// Media kit routes: a creator's public page for an account, and the creator's edits of it.
#include "app/kits.h"
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

}  // namespace

void AddKitRoutes(Router& router) {
  router.Add({"GET", "/v1/kits/{platform}/{handle}", kPublicRead, Kit});
  router.Add({"POST", "/v1/me/kits/{platform}/{handle}", {Who::kCreator, true}, SaveKit});
}

}  // namespace seedcast::server

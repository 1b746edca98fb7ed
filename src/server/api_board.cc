// Campaign board routes: one assignment with everything known about it, and a brand's reminder
// to the creator.
#include "app/board.h"
#include "common/iso_time.h"
#include "server/api_util.h"
#include "server/dispatcher.h"

namespace seedcast::server {
namespace {

Result<Response> Assignment(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(int64_t id, IdParam(r, "id"));
  SEEDCAST_ASSIGN_OR_RETURN(app::AssignmentView v, app::GetAssignmentView(c.app, r.scope, id));
  return Ok(app::AssignmentViewToJson(v));
}

Result<Response> Remind(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(int64_t id, IdParam(r, "id"));
  if (!r.body.empty()) {
    SEEDCAST_ASSIGN_OR_RETURN(nlohmann::json body, JsonObjectBody(r));
    SEEDCAST_RETURN_IF_ERROR(OnlyFields(body, {}));
  }
  SEEDCAST_ASSIGN_OR_RETURN(app::ReminderSent sent,
                            app::RemindCreator(c.app, r.scope, r.principal.Name(), id));
  return Ok({{"queued", true}, {"next_allowed_at", FormatIsoTime(sent.next_allowed_at_ms)}});
}

}  // namespace

void AddBoardRoutes(Router& router) {
  router.Add({"GET", "/v1/assignments/{id}", {Who::kSignedIn}, Assignment});
  router.Add({"POST", "/v1/assignments/{id}/remind", {Who::kBrand, true}, Remind});
}

}  // namespace seedcast::server

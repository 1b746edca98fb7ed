// Account routes: sign-up, sign-in and out, email verification and password reset, the signed-in
// user and their sessions, API keys, organisations and their members, a creator's own
// assignments, and the security log.
#include <fmt/format.h>

#include "app/accounts.h"
#include "app/audit.h"
#include "app/board.h"
#include "app/campaigns.h"
#include "app/keys.h"
#include "app/private_data.h"
#include "campaign/campaign_json.h"
#include "common/iso_time.h"
#include "server/api_util.h"
#include "server/dispatcher.h"

namespace seedcast::server {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

constexpr size_t kMaxField = 4096;

// The body's fields, each a string of at most kMaxField bytes, none but `allowed`.
Result<json> Fields(const Request& r, std::initializer_list<std::string_view> allowed) {
  SEEDCAST_ASSIGN_OR_RETURN(json body, JsonObjectBody(r));
  SEEDCAST_RETURN_IF_ERROR(OnlyFields(body, allowed));
  for (const auto& [name, value] : body.items()) {
    if (value.is_string() && value.get_ref<const std::string&>().size() > kMaxField) {
      return InvalidArgument(fmt::format("'{}' is longer than {} bytes", name, kMaxField))
          .WithField(name);
    }
  }
  return body;
}

Result<std::string> Required(const json& body, const std::string& name) {
  SEEDCAST_ASSIGN_OR_RETURN(std::string v, StringField(body, name));
  if (v.empty()) return InvalidArgument(fmt::format("'{}' is required", name)).WithField(name);
  return v;
}

std::string SessionCookie(const std::string& token, int64_t max_age_ms) {
  return fmt::format("{}={}; Path=/; Max-Age={}; Secure; HttpOnly; SameSite=Lax", kSessionCookie,
                     token, max_age_ms / 1000);
}

Response SignedInResponse(HandlerContext& c, const app::SignedIn& in, int status) {
  Response resp = Ok({{"user", app::UserToJson(in.user)},
                      {"session_id", in.session_id},
                      {"csrf_token", in.csrf_token},
                      {"expires_at", FormatIsoTime(in.expires_at_ms)}},
                     status);
  resp.headers.emplace_back("Set-Cookie",
                            SessionCookie(in.token, c.app.config().accounts.session_lifetime_ms));
  resp.headers.emplace_back("Cache-Control", "no-store");
  return resp;
}

Result<Response> SignUp(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(json b, Fields(r, {"email", "password", "kind", "org_name", "name"}));
  app::SignUpRequest req;
  SEEDCAST_ASSIGN_OR_RETURN(req.email, Required(b, "email"));
  SEEDCAST_ASSIGN_OR_RETURN(req.password, Required(b, "password"));
  SEEDCAST_ASSIGN_OR_RETURN(req.kind, Required(b, "kind"));
  SEEDCAST_ASSIGN_OR_RETURN(req.org_name, StringField(b, "org_name"));
  SEEDCAST_ASSIGN_OR_RETURN(req.name, StringField(b, "name"));
  SEEDCAST_ASSIGN_OR_RETURN(app::SignedIn in, app::SignUp(c.app, req, ClientOf(r)));
  return SignedInResponse(c, in, 201);
}

Result<Response> SignIn(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(json b, Fields(r, {"email", "password"}));
  SEEDCAST_ASSIGN_OR_RETURN(std::string email, Required(b, "email"));
  SEEDCAST_ASSIGN_OR_RETURN(std::string password, Required(b, "password"));
  SEEDCAST_ASSIGN_OR_RETURN(app::SignedIn in, app::SignIn(c.app, email, password, ClientOf(r)));
  return SignedInResponse(c, in, 200);
}

Result<Response> SignOut(HandlerContext& c, Request& r) {
  SEEDCAST_RETURN_IF_ERROR(app::SignOut(c.app, r.principal, ClientOf(r)));
  Response resp = Ok({{"signed_out", true}});
  resp.headers.emplace_back("Set-Cookie", SessionCookie("", 0));
  return resp;
}

Result<Response> VerifyEmail(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(json b, Fields(r, {"token"}));
  SEEDCAST_ASSIGN_OR_RETURN(std::string token, Required(b, "token"));
  SEEDCAST_RETURN_IF_ERROR(app::VerifyEmail(c.app, token, ClientOf(r)));
  return Ok({{"email_verified", true}});
}

Result<Response> RequestReset(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(json b, Fields(r, {"email"}));
  SEEDCAST_ASSIGN_OR_RETURN(std::string email, Required(b, "email"));
  SEEDCAST_RETURN_IF_ERROR(app::RequestPasswordReset(c.app, email, ClientOf(r)));
  return Ok({{"sent_if_registered", true}}, 202);
}

Result<Response> Reset(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(json b, Fields(r, {"token", "password"}));
  SEEDCAST_ASSIGN_OR_RETURN(std::string token, Required(b, "token"));
  SEEDCAST_ASSIGN_OR_RETURN(std::string password, Required(b, "password"));
  SEEDCAST_ASSIGN_OR_RETURN(int ended, app::ResetPassword(c.app, token, password, ClientOf(r)));
  return Ok({{"password_changed", true}, {"sessions_ended", ended}});
}

Result<Response> Me(HandlerContext& c, Request& r) {
  const app::Principal& p = r.principal;
  ordered_json j = {
      {"principal", p.Name()},
      {"kind", p.kind},
      {"role", p.role},
      {"org_id", p.org_id == 0 ? ordered_json(nullptr) : ordered_json(p.org_id)},
      {"creator_id", p.creator_id == 0 ? ordered_json(nullptr) : ordered_json(p.creator_id)},
      {"can_write", p.can_write}};
  if (p.kind == "session") {
    SEEDCAST_ASSIGN_OR_RETURN(app::User user, app::GetUser(c.app, p.user_id));
    j["user"] = app::UserToJson(user);
    j["csrf_token"] = p.csrf_token;
  }
  Response resp = Ok(j);
  resp.headers.emplace_back("Cache-Control", "no-store");
  return resp;
}

Result<Response> Sessions(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(std::vector<app::SessionInfo> all,
                            app::ListSessions(c.app, r.principal));
  return Items(all, app::SessionToJson);
}

Result<Response> RevokeSession(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(int64_t id, IdParam(r, "id"));
  SEEDCAST_RETURN_IF_ERROR(app::RevokeSession(c.app, r.principal, id, ClientOf(r)));
  return Ok({{"revoked", id}});
}

Result<Response> ChangePassword(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(json b,
                            Fields(r, {"current_password", "new_password", "end_other_sessions"}));
  app::PasswordChange change;
  SEEDCAST_ASSIGN_OR_RETURN(change.current_password, Required(b, "current_password"));
  SEEDCAST_ASSIGN_OR_RETURN(change.new_password, Required(b, "new_password"));
  if (b.contains("end_other_sessions")) {
    if (!b["end_other_sessions"].is_boolean()) {
      return InvalidArgument("'end_other_sessions' is true or false")
          .WithField("end_other_sessions");
    }
    change.end_other_sessions = b["end_other_sessions"].get<bool>();
  }
  SEEDCAST_ASSIGN_OR_RETURN(int ended,
                            app::ChangePassword(c.app, r.principal, change, ClientOf(r)));
  return Ok({{"password_changed", true}, {"other_sessions_ended", ended}});
}

Result<Response> CreateKey(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(json b, Fields(r, {"scope", "name", "org_id"}));
  app::KeySpec spec;
  SEEDCAST_ASSIGN_OR_RETURN(spec.access, StringField(b, "scope", "write"));
  SEEDCAST_ASSIGN_OR_RETURN(spec.name, StringField(b, "name"));
  spec.org_id = r.principal.org_id;
  if (r.principal.is_operator()) {
    // An operator makes an organisation's key by naming it, or an operator's key without.
    if (b.contains("org_id") && !b["org_id"].is_number_integer()) {
      return InvalidArgument("'org_id' is an organisation's id").WithField("org_id");
    }
    spec.org_id = b.value("org_id", int64_t{0});
  } else if (b.contains("org_id") && b["org_id"] != r.principal.org_id) {
    return PermissionDenied("keys are made for your own organisation").WithField("org_id");
  }
  SEEDCAST_ASSIGN_OR_RETURN(app::CreatedKey key, app::CreateKey(c.app, spec, r.principal.Name()));
  Response resp =
      Ok({{"id", key.id},
          {"key", key.secret},
          {"prefix", key.prefix},
          {"role", key.role},
          {"org_id", key.org_id == 0 ? ordered_json(nullptr) : ordered_json(key.org_id)},
          {"scope", key.access}},
         201);
  resp.headers.emplace_back("Cache-Control", "no-store");
  return resp;
}

Result<Response> Keys(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(std::vector<app::KeyInfo> all, app::ListKeys(c.app, r.scope));
  return Items(all, app::KeyToJson);
}

Result<Response> RevokeKey(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(int64_t id, IdParam(r, "id"));
  SEEDCAST_RETURN_IF_ERROR(app::RevokeKey(c.app, r.scope, id, r.principal.Name()));
  return Ok({{"revoked", id}});
}

Result<Response> CreateOrg(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(json b, Fields(r, {"name"}));
  SEEDCAST_ASSIGN_OR_RETURN(std::string name, Required(b, "name"));
  SEEDCAST_ASSIGN_OR_RETURN(int64_t id, app::CreateOrg(c.app, name, r.principal.Name()));
  Response resp = Ok({{"id", id}, {"name", name}}, 201);
  resp.headers.emplace_back("Location", fmt::format("/v1/orgs/{}/members", id));
  return resp;
}

Result<Response> Members(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(int64_t id, IdParam(r, "id"));
  SEEDCAST_ASSIGN_OR_RETURN(std::vector<app::User> all, app::OrgMembers(c.app, r.principal, id));
  return Items(all, app::UserToJson);
}

Result<Response> SetRole(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(int64_t id, IdParam(r, "id"));
  SEEDCAST_ASSIGN_OR_RETURN(json b, Fields(r, {"role"}));
  SEEDCAST_ASSIGN_OR_RETURN(std::string role, Required(b, "role"));
  SEEDCAST_ASSIGN_OR_RETURN(app::User u,
                            app::ChangeRole(c.app, r.principal, id, role, ClientOf(r)));
  return Ok(app::UserToJson(u));
}

Result<Response> MyAssignments(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(std::vector<app::Offer> all,
                            app::CreatorOffers(c.app, r.scope, r.principal.creator_id));
  return Items(all, app::OfferToJson);
}

// Personal data answers are never cached anywhere on the way.
Response Private(const app::Contact& contact) {
  Response resp = Ok(app::ContactToJson(contact));
  resp.headers.emplace_back("Cache-Control", "no-store");
  return resp;
}

Result<Response> MyContact(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(app::Contact contact, app::MyContact(c.app, r.principal));
  return Private(contact);
}

Result<Response> UpdateMyContact(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(json b, Fields(r, {"email", "phone", "address"}));
  std::map<std::string, std::string> fields;
  for (const auto& [name, value] : b.items()) {
    SEEDCAST_ASSIGN_OR_RETURN(fields[name], StringField(b, name));
  }
  SEEDCAST_ASSIGN_OR_RETURN(app::Contact contact, app::UpdateMyContact(c.app, r.principal, fields));
  return Private(contact);
}

Result<Response> AssignmentContact(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(int64_t id, IdParam(r, "id"));
  SEEDCAST_ASSIGN_OR_RETURN(app::Contact contact,
                            app::RevealContact(c.app, r.principal, id, ClientOf(r)));
  return Private(contact);
}

Result<Response> CreatorContact(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(int64_t id, IdParam(r, "id"));
  SEEDCAST_ASSIGN_OR_RETURN(app::Contact contact,
                            app::ReadContact(c.app, r.principal, id, ClientOf(r)));
  return Private(contact);
}

Result<Response> MyEarnings(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(app::Earnings e,
                            app::CreatorEarnings(c.app, r.scope, r.principal.creator_id));
  return Ok(app::EarningsToJson(e));
}

Result<Response> Audit(HandlerContext& c, Request& r) {
  app::EventQuery q;
  if (auto k = r.query.find("kind"); k != r.query.end()) q.kind = k->second;
  SEEDCAST_ASSIGN_OR_RETURN(q.before_id, IntQuery(r, "before", 0, 0, INT64_MAX));
  SEEDCAST_ASSIGN_OR_RETURN(q.user_id, IntQuery(r, "user_id", 0, 0, INT64_MAX));
  SEEDCAST_ASSIGN_OR_RETURN(int64_t limit, IntQuery(r, "limit", 100, 1, 1000));
  q.limit = static_cast<int>(limit);
  SEEDCAST_ASSIGN_OR_RETURN(std::vector<app::SecurityEvent> all,
                            app::ListEvents(c.app, r.scope, q));
  return Items(all, app::EventToJson);
}

}  // namespace

void AddAccountRoutes(Router& router) {
  router.Add({"POST", "/v1/auth/signup", kPublicWrite, SignUp, true});
  router.Add({"POST", "/v1/auth/signin", kPublicWrite, SignIn, true});
  router.Add({"POST", "/v1/auth/signout", {Who::kSignedIn, true}, SignOut});
  router.Add({"POST", "/v1/auth/verify-email", kPublicWrite, VerifyEmail});
  router.Add({"POST", "/v1/auth/password-reset/request", kPublicWrite, RequestReset});
  router.Add({"POST", "/v1/auth/password-reset", kPublicWrite, Reset, true});
  router.Add({"GET", "/v1/me", {Who::kSignedIn}, Me});
  router.Add({"GET", "/v1/me/sessions", {Who::kSignedIn}, Sessions});
  router.Add({"POST", "/v1/me/sessions/{id}/revoke", {Who::kSignedIn, true}, RevokeSession});
  router.Add({"POST", "/v1/me/password", {Who::kSignedIn, true}, ChangePassword, true});
  router.Add({"GET", "/v1/me/assignments", {Who::kCreator}, MyAssignments});
  router.Add({"GET", "/v1/keys", {Who::kBrandAdmin}, Keys});
  router.Add({"POST", "/v1/keys", {Who::kBrandAdmin, true}, CreateKey});
  router.Add({"POST", "/v1/keys/{id}/revoke", {Who::kBrandAdmin, true}, RevokeKey});
  router.Add({"POST", "/v1/orgs", {Who::kOperator, true}, CreateOrg});
  router.Add({"GET", "/v1/orgs/{id}/members", {Who::kBrand}, Members});
  router.Add({"POST", "/v1/members/{id}/role", {Who::kBrandAdmin, true}, SetRole});
  router.Add({"GET", "/v1/audit", {Who::kOperator}, Audit});
  router.Add({"GET", "/v1/me/contact", {Who::kCreator}, MyContact});
  router.Add({"GET", "/v1/me/earnings", {Who::kCreator}, MyEarnings});
  router.Add({"POST", "/v1/me/contact", {Who::kCreator, true}, UpdateMyContact});
  router.Add({"GET", "/v1/assignments/{id}/contact", {Who::kBrand}, AssignmentContact});
  router.Add({"GET", "/v1/creators/{id}/contact", {Who::kOperator}, CreatorContact});
}

}  // namespace seedcast::server

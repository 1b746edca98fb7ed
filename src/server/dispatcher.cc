#include "server/dispatcher.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/accounts.h"
#include "app/guard.h"
#include "app/keys.h"
#include "app/view_cache.h"
#include "server/problem.h"

namespace seedcast::server {
namespace {

// How long an authenticated key is remembered: a revoked key stops working within this time.
constexpr int64_t kKeyCacheMs = 5'000;

Status CheckAccess(const app::Principal& p, Access access) {
  if (access.who == Who::kPublic) return Status::Ok();
  if (!p.authenticated()) {
    return Unauthenticated(
               "this route needs credentials: sign in, or send Authorization: Bearer KEY")
        .WithReason("no_credentials");
  }
  if (access.writes && !p.can_write) {
    return PermissionDenied("this key may only read").WithReason("read_only_key");
  }
  bool allowed = true;
  const char* who = "";
  switch (access.who) {
    case Who::kPublic:
    case Who::kSignedIn:
      break;
    case Who::kBrand:
      allowed = p.is_operator() || p.in_org();
      who = "members of an organisation";
      break;
    case Who::kBrandAdmin:
      allowed = p.is_operator() || p.manages_org();
      who = "an organisation's owners and admins";
      break;
    case Who::kCreator:
      allowed = p.is_creator();
      who = "creators";
      break;
    case Who::kOperator:
      allowed = p.is_operator();
      who = "operators";
      break;
  }
  if (!allowed) {
    return PermissionDenied(fmt::format("this route is for {}", who)).WithReason("wrong_role");
  }
  return Status::Ok();
}

// The client's address: the peer's, or, when the peer is a trusted proxy, the address it says it
// forwarded for (the last entry of X-Forwarded-For, the one the proxy itself added).
std::string ClientAddress(const Request& r, const std::vector<std::string>& trusted) {
  if (std::find(trusted.begin(), trusted.end(), r.client) == trusted.end()) return r.client;
  const std::string header = r.Header("x-forwarded-for");
  std::string_view forwarded = header;
  const size_t comma = forwarded.rfind(',');
  if (comma != std::string_view::npos) forwarded.remove_prefix(comma + 1);
  while (!forwarded.empty() && forwarded.front() == ' ') forwarded.remove_prefix(1);
  while (!forwarded.empty() && forwarded.back() == ' ') forwarded.remove_suffix(1);
  return forwarded.empty() || forwarded.size() > 64 ? r.client : std::string(forwarded);
}

bool Unsafe(const std::string& method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

// The value of one cookie in a Cookie header ("a=1; b=2"), or "".
std::string CookieValue(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const size_t end = header.find(';');
    std::string_view pair = header.substr(0, end);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    if (pair.size() > name.size() && pair.starts_with(name) && pair[name.size()] == '=') {
      return std::string(pair.substr(name.size() + 1));
    }
    if (end == std::string_view::npos) break;
    header.remove_prefix(end + 1);
  }
  return "";
}

}  // namespace

Dispatcher::Dispatcher(app::AppContext& app, app::JobRunner& jobs, DispatchOptions options)
    : app_(app), jobs_(jobs), options_(options), idempotency_(app) {
  AddServiceRoutes(router_);
  AddCreatorRoutes(router_);
  AddCampaignRoutes(router_);
  AddAccountRoutes(router_);
  AddOnboardingRoutes(router_);
}

Response Dispatcher::Handle(Request& request) {
  return Handle(request, router_.Find(request.method, request.path));
}

Response Dispatcher::Handle(Request& request, const Match& match) {
  ++in_flight_;
  struct Done {
    std::atomic<int>& n;
    ~Done() { --n; }
  } done{in_flight_};
  try {
    return HandleUnguarded(request, match);
  } catch (const std::exception& e) {
    return Problem(Internal(std::string("unexpected failure: ") + e.what()).WithReason("uncaught"),
                   "", "");
  }
}

Response Dispatcher::HandleUnguarded(Request& request, const Match& match) {
  const auto start = std::chrono::steady_clock::now();
  if (request.request_id.empty()) {
    request.request_id = request.Header("x-request-id");
    if (request.request_id.empty() || request.request_id.size() > 128) {
      request.request_id = fmt::format("{:x}-{}", app_.clock().NowMs(), next_request_++);
    }
  }
  Result<Response> result = NotFound("no route for " + request.path).WithReason("no_route");
  std::string route_name = "unmatched";
  const WebFiles* web = options_.web_files;
  if (match.route != nullptr) {
    route_name = match.route->pattern;
    request.params = match.params;
    result = Run(request, *match.route);
  } else if (!match.allowed_methods.empty()) {
    result = Status(StatusCode::kFailedPrecondition,
                    fmt::format("{} does not take {}; it takes {}", request.path, request.method,
                                fmt::join(match.allowed_methods, ", ")))
                 .WithReason("method_not_allowed");
  } else if (web != nullptr && web->Handles(request.method, request.path)) {
    // Public files: no credentials are looked at. File answers skip the ETag below (WebFiles
    // gives them their own).
    route_name = "web";
    result = web->Serve(request);
  }
  const bool not_allowed = !result.ok() && result.status().reason() == "method_not_allowed";
  Response response = result.ok() ? std::move(result).value()
                                  : Problem(result.status(), request.path, request.request_id);
  if (not_allowed) {
    response.headers.emplace_back("Allow",
                                  fmt::format("{}", fmt::join(match.allowed_methods, ", ")));
  }
  if ((request.method == "GET" || request.method == "HEAD") && response.status == 200 &&
      response.file_path.empty()) {
    // A handler that knows its answer's ETag (a cached view) sets it; others get one here.
    auto given = std::find_if(response.headers.begin(), response.headers.end(),
                              [](const auto& h) { return h.first == "ETag"; });
    if (given == response.headers.end()) {
      given = response.headers.emplace(response.headers.end(), "ETag", app::ETagOf(response.body));
    }
    const std::string etag = given->second;
    if (request.Header("if-none-match") == etag) {
      response.status = 304;
      response.body.clear();
    }
  }
  const bool sets_session =
      std::any_of(response.headers.begin(), response.headers.end(), [](const auto& h) {
        return h.first == "Set-Cookie" && h.second.starts_with(kSessionCookie);
      });
  if (request.stale_cookie && !sets_session) {
    response.headers.emplace_back(
        "Set-Cookie",
        fmt::format("{}=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Lax", kSessionCookie));
  }
  response.headers.emplace_back("X-Request-Id", request.request_id);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // Unmatched requests are counted under one label each, whatever method or path they name; the
  // web app's under "web" (GET or HEAD).
  const bool labelled = match.route != nullptr || route_name == "web";
  metrics_.Record(labelled ? request.method : "OTHER", route_name, response.status, seconds);
  if (options_.access_log) Log(request, route_name, response.status, seconds);
  return response;
}

Status Dispatcher::CheckOrigin(const Request& r) const {
  const std::string origin = r.Header("origin");
  if (origin.empty()) {
    return PermissionDenied("a signed-in browser request must send its Origin")
        .WithReason("csrf_origin");
  }
  const auto& allowed = app_.config().accounts.origins;
  const std::string host = r.Header("host");
  const bool ok =
      allowed.empty()
          ? (!host.empty() && (origin == "https://" + host || origin == "http://" + host))
          : std::find(allowed.begin(), allowed.end(), origin) != allowed.end();
  if (!ok) {
    return PermissionDenied("the request's Origin is not this site's").WithReason("csrf_origin");
  }
  return Status::Ok();
}

Result<app::Principal> Dispatcher::PrincipalOf(Request& r) {
  const std::string auth = r.Header("authorization");
  if (auth.empty()) {
    const std::string token = CookieValue(r.Header("cookie"), kSessionCookie);
    if (token.empty()) return app::Principal{};
    r.via_cookie = true;
    return app::AuthenticateSession(app_, token);
  }
  constexpr std::string_view kBearer = "Bearer ";
  if (!auth.starts_with(kBearer)) {
    return Unauthenticated("Authorization must be 'Bearer KEY'").WithField("Authorization");
  }
  const std::string key = auth.substr(kBearer.size());
  const std::string hash = app::HashHex(key);
  const int64_t now = app_.clock().NowMs();
  {
    MutexLock lock(&keys_mu_);
    auto it = keys_.find(hash);
    if (it != keys_.end() && now - it->second.checked_at_ms < kKeyCacheMs) {
      return it->second.principal;
    }
  }
  SEEDCAST_ASSIGN_OR_RETURN(app::Principal principal, app::Authenticate(app_, key));
  MutexLock lock(&keys_mu_);
  if (keys_.size() > 10'000) keys_.clear();  // bounded: keys are few; junk keys never enter
  keys_[hash] = {principal, now};
  return principal;
}

Result<Response> Dispatcher::Run(Request& request, const Route& route) {
  request.client = ClientAddress(request, app_.config().accounts.trusted_proxies);
  Result<app::Principal> principal = PrincipalOf(request);
  if (!principal.ok() && request.via_cookie) {
    // A stale session cookie is cleared, and must not stop its browser from signing in again.
    request.stale_cookie = true;
    if (route.access.who == Who::kPublic) {
      principal = app::Principal{};
      request.via_cookie = false;
    }
  }
  SEEDCAST_ASSIGN_OR_RETURN(request.principal, std::move(principal));
  // Cross-site request forgery: a browser's unsafe request with the session cookie must come
  // from this site (Origin) and carry the session's CSRF token. Sign-in and sign-up from a
  // browser must come from this site too (login CSRF).
  if (Unsafe(request.method) && request.via_cookie) {
    SEEDCAST_RETURN_IF_ERROR(CheckOrigin(request));
    const std::string sent = request.Header("x-csrf-token");
    if (sent.empty() || sent != request.principal.csrf_token) {
      return PermissionDenied("send the session's CSRF token in X-CSRF-Token")
          .WithReason("csrf_token");
    }
  } else if (Unsafe(request.method) && !request.Header("origin").empty() &&
             route.access.who == Who::kPublic) {
    SEEDCAST_RETURN_IF_ERROR(CheckOrigin(request));
  }
  SEEDCAST_RETURN_IF_ERROR(CheckAccess(request.principal, route.access));
  request.scope = app::ScopeOf(request.principal);
  // Anonymous callers share no namespace of keys: their requests are not made idempotent.
  const std::string key = request.Header("idempotency-key");
  if (request.method == "POST" && !key.empty() && request.principal.authenticated()) {
    return RunIdempotent(request, route, key);
  }
  HandlerContext ctx{app_, jobs_, metrics_};
  Result<Response> out = Internal("the handler returned nothing");
  const Status guarded = app::Guard([&] {
    out = route.handler(ctx, request);
    return Status::Ok();
  });
  if (!guarded.ok()) return guarded;
  return out;
}

Result<Response> Dispatcher::RunIdempotent(Request& request, const Route& route,
                                           const std::string& key) {
  const std::string principal = request.principal.Name();
  std::string query;
  for (const auto& [k, v] : request.query) query += fmt::format("{}={}&", k, v);
  const std::string hash = app::HashHex(request.method + " " + request.path + "?" + query + "\n" +
                                        request.Header("content-type") + "\n" + request.body);
  SEEDCAST_ASSIGN_OR_RETURN(IdempotencyStore::Claimed claim,
                            idempotency_.Claim(principal, key, hash));
  if (claim.replay) return std::move(*claim.replay);
  HandlerContext ctx{app_, jobs_, metrics_};
  Result<Response> out = Internal("the handler returned nothing");
  const Status guarded = app::Guard([&] {
    out = route.handler(ctx, request);
    return Status::Ok();
  });
  if (!guarded.ok()) out = guarded;
  const Response response =
      out.ok() ? *out : Problem(out.status(), request.path, request.request_id);
  // Failures worth retrying are not kept: a retry with the same key runs again.
  const bool retryable = (!out.ok() && out.status().retryable()) || response.status == 408 ||
                         response.status == 429 || response.status >= 500;
  // An answer holding a secret (a new key, a session) says no-store; it is not kept either.
  const bool secret = std::any_of(
      response.headers.begin(), response.headers.end(),
      [](const auto& h) { return h.first == "Cache-Control" && h.second == "no-store"; });
  if (retryable || secret || !response.file_path.empty()) {
    (void)idempotency_.Release(principal, key, claim.at_ms);
  } else if (!idempotency_.Finish(principal, key, claim.at_ms, response).ok()) {
    // The request took effect; its answer still goes back. A replay finds the claim unfinished
    // and gets 409 for 15 minutes; after that the key runs the request again (README, Limits).
    return response;
  }
  return response;
}

void Dispatcher::Log(const Request& request, const std::string& route, int status, double seconds) {
  const nlohmann::ordered_json line = {{"at_ms", app_.clock().NowMs()},
                                       {"request_id", request.request_id},
                                       {"method", request.method},
                                       {"path", request.path},
                                       {"route", route},
                                       {"status", status},
                                       {"ms", std::round(seconds * 1e6) / 1e3},
                                       {"principal", request.principal.Name()},
                                       {"bytes_in", request.body.size()}};
  const std::string text =
      line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
  MutexLock lock(&log_mu_);
  std::fwrite(text.data(), 1, text.size(), stderr);
}

}  // namespace seedcast::server

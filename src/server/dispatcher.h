// Dispatcher: what happens to every request between the socket and the handler, in order:
// a request id, the route, the principal (Authorization: Bearer KEY), the access rule, the
// Idempotency-Key of a POST, the handler (inside app::Guard, so nothing it throws escapes), the
// problem document of a failure, the ETag of a GET and If-None-Match, the metrics and one JSON line
// of access log. A GET or HEAD that no route takes goes to the web app (web_files.h), if any. It
// knows nothing of sockets (http_server.cc does), so tests call it directly.
//
// Thread-safe: the router is read-only; the stores and metrics lock for themselves.
#pragma once

#include <absl/container/flat_hash_map.h>

#include <atomic>
#include <cstdio>
#include <string>

#include "app/context.h"
#include "app/jobs.h"
#include "common/mutex.h"
#include "server/idempotency.h"
#include "server/metrics.h"
#include "server/router.h"
#include "server/web_files.h"

namespace seedcast::server {

// The session cookie's name: __Host- makes browsers keep it to this host, over HTTPS, path /.
inline constexpr std::string_view kSessionCookie = "__Host-seedcast_session";

struct DispatchOptions {
  bool access_log = true;  // one JSON line per request on stderr
  // The web app, for the GET and HEAD requests no API route takes (borrowed: it outlives the
  // dispatcher); null: none, and such requests get the API's 404.
  const WebFiles* web_files = nullptr;
};

class Dispatcher {
 public:
  Dispatcher(app::AppContext& app, app::JobRunner& jobs, DispatchOptions options);

  Response Handle(Request& request);
  // The same, with the request's route already found (router().Find): the server looks it up
  // once, to know whether it is slow, and hands it on.
  Response Handle(Request& request, const Match& match);

  const Router& router() const { return router_; }
  Metrics& metrics() { return metrics_; }
  // Requests being handled now (for a graceful stop).
  int in_flight() const { return in_flight_; }

 private:
  // The principal of a request's credentials (anonymous without any); a key checked in the
  // last few seconds is not looked up again.
  Result<app::Principal> PrincipalOf(Request& r);
  // Whether an unsafe request's Origin is this site ([accounts] origins, else its Host).
  Status CheckOrigin(const Request& r) const;
  Response HandleUnguarded(Request& request, const Match& match);
  Result<Response> Run(Request& request, const Route& route);
  Result<Response> RunIdempotent(Request& request, const Route& route, const std::string& key);
  void Log(const Request& request, const std::string& route, int status, double seconds);

  app::AppContext& app_;
  app::JobRunner& jobs_;
  DispatchOptions options_;
  Router router_;
  Metrics metrics_;
  IdempotencyStore idempotency_;
  std::atomic<int> in_flight_{0};
  std::atomic<uint64_t> next_request_{1};
  Mutex log_mu_;
  struct CachedKey {
    app::Principal principal;
    int64_t checked_at_ms = 0;
  };
  Mutex keys_mu_;
  absl::flat_hash_map<std::string, CachedKey> keys_ ABSL_GUARDED_BY(keys_mu_);
};

// Adds every route of the API to `router` (api_*.cc).
void AddCreatorRoutes(Router& router);
void AddCampaignRoutes(Router& router);
void AddServiceRoutes(Router& router);
void AddAccountRoutes(Router& router);
void AddOnboardingRoutes(Router& router);

}  // namespace seedcast::server

// The HTTP API's routes: method + path pattern ("/v1/campaigns/{id}/plan") -> handler. Handlers see
// plain request and response values, not Beast's types, and return a Status on failure; the
// server turns it into a problem document (problem.h). A handler is an adapter: parse, call the
// application layer, render its result.
//
// Router is built once at start-up and read-only after: thread-safe for matching.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/context.h"
#include "app/jobs.h"
#include "app/keys.h"
#include "common/status.h"

namespace seedcast::server {

struct Request {
  std::string method;
  std::string path;  // without the query
  std::map<std::string, std::string> query;
  // Every query parameter in order, repeated names kept (?map=a=1&map=b=2); `query` holds the
  // last value of each name.
  std::vector<std::pair<std::string, std::string>> query_list;
  std::map<std::string, std::string> params;                 // from the pattern's {names}
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-case
  std::string body;
  std::string request_id;
  std::string client;  // the peer's address
  app::Principal principal;
  // What the principal may read (app::ScopeOf); the dispatcher sets it, handlers pass it on.
  storage::Scope scope;
  bool via_cookie = false;    // the principal came from a session cookie
  bool stale_cookie = false;  // it sent a session cookie that no longer signs in

  // The first header of that (lower-case) name, or "".
  std::string Header(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string file_path;  // when set, the body is this file's contents (streamed)
};

// What a handler may use besides the request.
class Metrics;
struct HandlerContext {
  app::AppContext& app;
  app::JobRunner& jobs;
  const Metrics& metrics;
};

using Handler = std::function<Result<Response>(HandlerContext&, Request&)>;

// Who may call a route. Operators may call every route but the creators' own.
enum class Who {
  kPublic,      // anyone: no credentials needed (health, sign-in, the OpenAPI document)
  kSignedIn,    // any principal with credentials
  kBrand,       // members of an organisation (any role, and its keys), and operators
  kBrandAdmin,  // an organisation's owners and admins (people, not keys), and operators
  kCreator,     // creators, for their own rows
  kOperator,    // operators only
};

struct Access {
  Who who = Who::kSignedIn;
  bool writes = false;  // changes something: read-only keys may not call it
};
constexpr Access kPublicRead{Who::kPublic, false};
constexpr Access kPublicWrite{Who::kPublic, true};

struct Route {
  std::string method;
  std::string pattern;  // "/v1/creators/{id}"
  Access access;
  Handler handler;
  // Deliberately slow (password hashing): run on the server's bounded pool for such work, so
  // a flood of them cannot hold up the threads answering every other route.
  bool slow = false;
};

struct Match {
  const Route* route = nullptr;
  std::map<std::string, std::string> params;
  std::vector<std::string> allowed_methods;  // when the path matched but the method did not
};

class Router {
 public:
  void Add(Route route);
  Match Find(std::string_view method, std::string_view path) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

// A JSON response.
Response Json(int status, const std::string& body);

// Request helpers for handlers: the path parameter as an id, a query value as a bounded integer.
Result<int64_t> IdParam(const Request& r, const std::string& name);
Result<int64_t> IntQuery(const Request& r, const std::string& name, int64_t fallback, int64_t min,
                         int64_t max);

}  // namespace seedcast::server

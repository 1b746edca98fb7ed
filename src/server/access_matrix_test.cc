// The cross-tenant matrix: every route the server registers, called as each of seven principals
// (anonymous, two creators, a member of each of two brands, the owner of brand A, an operator),
// with path parameters naming brand A's and creator A's rows. testdata/access_matrix.json says,
// for each route and principal, "ok" or the denial expected (401, 403, or 404 where existence
// must not leak). A route without an entry fails the test; so does any unexpected allow or deny.
// Runs on SQLite and on a real PostgreSQL, through the Dispatcher (no sockets).
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "app/accounts.h"
#include "app/audit.h"
#include "app/campaigns.h"
#include "app/jobs.h"
#include "app/keys.h"
#include "app/secrets.h"
#include "app/shortlists.h"
#include "campaign/campaign_store.h"
#include "campaign/ledger.h"
#include "campaign/spec.h"
#include "server/dispatcher.h"
#include "server/test_server.h"
#include "storage/testing/test_database.h"

namespace seedcast::server {
namespace {

using nlohmann::json;

constexpr const char* kPassword = "matrix test passphrase 2026";
const std::vector<std::string> kPrincipals = {"anonymous", "creator_a", "creator_b", "member_a",
                                              "member_b",  "owner_a",   "operator"};

struct Identity {
  std::string token;
  std::string csrf;
  int64_t session_id = 0;
  int64_t user_id = 0;
};

class AccessMatrixTest : public ::testing::TestWithParam<const char*>, protected TestServer {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(StartServer(GetParam(), clock_, "matrix"));
    ASSERT_NO_FATAL_FAILURE(MakePeople());
    ASSERT_NO_FATAL_FAILURE(MakeRows());
    ASSERT_TRUE(ctx_->LoadIndex().ok());
  }

  void TearDown() override { StopServer(); }

  void AddUser(const std::string& name, const std::string& role, int64_t org) {
    auto user = app::CreateUser(
        *ctx_, {.email = name + "@matrix.test", .password = kPassword, .role = role, .org_id = org},
        "test");
    ASSERT_TRUE(user.ok()) << name << ": " << user.status().ToString();
    auto in = app::SignIn(*ctx_, name + "@matrix.test", kPassword, {.address = "127.0.0.1"});
    ASSERT_TRUE(in.ok()) << name << ": " << in.status().ToString();
    people_[name] = {in->token, in->csrf_token, in->session_id, user->id};
    if (role == "creator") creators_[name] = user->creator_id;
    if (name == "creator_a") {
      // A second session of creator A: the one the session-revoking route is called on.
      auto again = app::SignIn(*ctx_, name + "@matrix.test", kPassword, {.address = "127.0.0.1"});
      ASSERT_TRUE(again.ok()) << again.status().ToString();
      spare_session_ = again->session_id;
    }
  }

  void MakePeople() {
    auto a = app::CreateOrg(*ctx_, "Brand A", "test");
    auto b = app::CreateOrg(*ctx_, "Brand B", "test");
    ASSERT_TRUE(a.ok() && b.ok());
    org_a_ = *a;
    org_b_ = *b;
    AddUser("creator_a", "creator", 0);
    AddUser("creator_b", "creator", 0);
    AddUser("member_a", "member", org_a_);
    AddUser("member_b", "member", org_b_);
    AddUser("owner_a", "owner", org_a_);
    AddUser("operator", "operator", 0);
  }

  // Brand A's campaign (with its product), creator A's assignment in it, and brand A's key.
  void MakeRows() {
    const std::string spec_text = R"({"name": "A launch", "brand": "A", "product": {"name": "Serum",
      "sku": "A-1", "price_cents": 2400, "units_available": 5, "niche": "beauty"},
      "compensation": "paid", "target_posts": 1, "fee_cents_per_post": 10000,
      "payout_cents_per_post": 6000, "platforms": ["instagram"], "jurisdiction": "us"})";
    auto spec = campaign::ParseCampaignSpec(spec_text, false);
    ASSERT_TRUE(spec.ok()) << spec.status().ToString();
    auto created = app::CreateCampaign(*ctx_, storage::Scope::Org(org_a_), *spec);
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    campaign_a_ = created->id;
    product_a_ = created->product_id;
    {
      auto db = ctx_->pool().Acquire(storage::Intent::kWrite);
      ASSERT_TRUE(db.ok());
      const int64_t now = clock_.NowMs();
      auto account = (*db)->Insert(
          "INSERT INTO accounts (creator_id, platform, handle, followers, quality_score, "
          "created_at_ms, updated_at_ms) VALUES (?, 'instagram', 'creator_a', 5000, 0.9, ?, ?)",
          {creators_["creator_a"], now, now});
      ASSERT_TRUE(account.ok()) << account.status().ToString();
      account_a_ = *account;
      campaign::CampaignStore store(**db, clock_, storage::Scope::Org(org_a_));
      auto assignment = store.Invite(campaign_a_, creators_["creator_a"], *account, 0.5,
                                     clock_.NowMs() + 86'400'000, "test", "matrix");
      ASSERT_TRUE(assignment.ok()) << assignment.status().ToString();
      assignment_a_ = assignment->id;
    }
    auto key = app::CreateKey(*ctx_, {.org_id = org_a_, .name = "a"}, "test");
    ASSERT_TRUE(key.ok());
    key_a_ = key->id;
    auto shortlist = app::CreateShortlist(*ctx_, storage::Scope::Org(org_a_), "A picks");
    ASSERT_TRUE(shortlist.ok()) << shortlist.status().ToString();
    shortlist_a_ = shortlist->id;
    Response job = Call("operator", "POST", "/v1/creators/export", "");
    ASSERT_EQ(job.status, 202) << job.body;
    job_id_ = json::parse(job.body)["job_id"].get<int64_t>();
  }

  Response Call(const std::string& who, const std::string& method, const std::string& path,
                const std::string& body) {
    Request r;
    r.method = method;
    r.path = path;
    r.body = body;
    r.client = "127.0.0.1";
    r.headers = {{"host", "127.0.0.1"}, {"content-type", "application/json"}};
    if (who != "anonymous") {
      const Identity& id = people_.at(who);
      r.headers.emplace_back("cookie", std::string(kSessionCookie) + "=" + id.token);
      r.headers.emplace_back("origin", "http://127.0.0.1");
      r.headers.emplace_back("x-csrf-token", id.csrf);
    }
    return dispatcher_->Handle(r);
  }

  // The route's pattern with its parameters filled in: brand A's and creator A's rows.
  std::string Fill(const std::string& pattern, const std::string& action) {
    std::string out = pattern;
    auto put = [&out](const std::string& name, const std::string& value) {
      const size_t at = out.find("{" + name + "}");
      if (at != std::string::npos) out.replace(at, name.size() + 2, value);
    };
    int64_t id = 0;
    if (pattern.starts_with("/v1/campaigns/")) id = campaign_a_;
    if (pattern.starts_with("/v1/assignments/")) id = assignment_a_;
    if (pattern.starts_with("/v1/products/")) id = product_a_;
    if (pattern.starts_with("/v1/creators/")) id = creators_["creator_a"];
    if (pattern.starts_with("/v1/jobs/")) id = job_id_;
    if (pattern.starts_with("/v1/me/sessions/")) id = spare_session_;
    if (pattern.starts_with("/v1/keys/")) id = key_a_;
    if (pattern.starts_with("/v1/orgs/")) id = org_a_;
    if (pattern.starts_with("/v1/members/")) id = people_["member_a"].user_id;
    if (pattern.starts_with("/v1/reviews/")) id = account_a_;
    if (pattern.starts_with("/v1/me/accounts/")) id = account_a_;
    if (pattern.starts_with("/v1/shortlists/")) id = shortlist_a_;
    put("id", std::to_string(id));
    put("creator_id", std::to_string(creators_["creator_a"]));
    put("account_id", std::to_string(account_a_));
    put("platform", "instagram");
    put("handle", "creator_a");
    put("action", action);
    return out;
  }

  SystemClock clock_;
  std::map<std::string, Identity> people_;
  std::map<std::string, int64_t> creators_;
  int64_t org_a_ = 0, org_b_ = 0, campaign_a_ = 0, product_a_ = 0, assignment_a_ = 0, key_a_ = 0,
          job_id_ = 0, spare_session_ = 0, account_a_ = 0, shortlist_a_ = 0;
};

json ReadMatrix() {
  const char* source = std::getenv("SEEDCAST_SOURCE_DIR");
  if (source == nullptr) return json();
  std::ifstream in(std::string(source) + "/src/server/testdata/access_matrix.json");
  return in ? json::parse(in, nullptr, false) : json();
}

// A call is allowed when it got past authentication, the role check and the scope: anything
// but 401, 403 and 404 (an empty body may still be refused, with 400 or 422).
bool Allowed(int status) { return status != 401 && status != 403 && status != 404; }

TEST_P(AccessMatrixTest, EveryRouteAllowsExactlyWhomItShould) {
  const json matrix = ReadMatrix();
  ASSERT_TRUE(matrix.is_object()) << "cannot read testdata/access_matrix.json";
  // Calls that end a session run last (signing out last of all), so every other call is made
  // with live sessions.
  std::vector<const Route*> routes;
  for (const Route& r : dispatcher_->router().routes()) routes.push_back(&r);
  auto rank = [](const Route* r) {
    return r->pattern == "/v1/auth/signout" ? 2 : r->pattern == "/v1/me/sessions/{id}/revoke";
  };
  std::stable_sort(routes.begin(), routes.end(),
                   [&](const Route* x, const Route* y) { return rank(x) < rank(y); });
  int unexpected_allows = 0;
  int calls = 0;
  for (const Route* route : routes) {
    const std::string key = route->method + " " + route->pattern;
    ASSERT_TRUE(matrix.contains(key)) << key << " has no entry in access_matrix.json";
    const json& entry = matrix[key];
    // An entry is {principal: expectation}, or {"variants": {action: {principal: ...}}}.
    std::map<std::string, json> variants;
    if (entry.contains("variants")) {
      for (const auto& [action, cells] : entry["variants"].items()) variants[action] = cells;
    } else {
      variants[""] = entry;
    }
    for (const auto& [action, cells] : variants) {
      const std::string path = Fill(route->pattern, action);
      for (const std::string& who : kPrincipals) {
        ASSERT_TRUE(cells.contains(who)) << key << " " << action << " has no entry for " << who;
        const json& expect = cells[who];
        const std::string body = route->method == "GET"   ? ""
                                 : cells.contains("body") ? cells["body"].dump()
                                                          : "{}";
        const Response got = Call(who, route->method, path, body);
        ++calls;
        if (expect == "ok") {
          EXPECT_TRUE(Allowed(got.status) && got.status < 500)
              << key << " " << action << " as " << who << ": expected it allowed, got "
              << got.status << " " << got.body;
        } else {
          if (Allowed(got.status)) ++unexpected_allows;
          EXPECT_EQ(got.status, expect.get<int>())
              << key << " " << action << " as " << who << ": " << got.body;
        }
      }
    }
  }
  EXPECT_EQ(unexpected_allows, 0);
  // The figures the closing notes quote come from here.
  std::cout << fmt::format("access matrix ({}): {} routes, {} calls, {} unexpected allows\n",
                           GetParam(), routes.size(), calls, unexpected_allows);
  std::set<std::string> served;
  for (const Route* r : routes) served.insert(r->method + " " + r->pattern);
  for (const auto& [key, cells] : matrix.items()) {
    EXPECT_TRUE(served.contains(key)) << key << " is in the matrix but not served";
  }
  EXPECT_GT(calls, 7 * 40);
}

// Lists hold only what is the caller's: brand B sees none of brand A's campaigns, products or
// keys; a creator sees only their own assignments.
TEST_P(AccessMatrixTest, ListsHoldOnlyTheCallersRows) {
  auto items = [&](const std::string& who, const std::string& path) {
    const Response r = Call(who, "GET", path, "");
    EXPECT_EQ(r.status, 200) << who << " " << path << ": " << r.body;
    return json::parse(r.body)["items"];
  };
  EXPECT_EQ(items("member_a", "/v1/campaigns").size(), 1u);
  EXPECT_TRUE(items("member_b", "/v1/campaigns").empty());
  EXPECT_EQ(items("member_a", "/v1/products").size(), 1u);
  EXPECT_TRUE(items("member_b", "/v1/products").empty());
  EXPECT_EQ(items("operator", "/v1/campaigns").size(), 1u);
  const json keys_a = items("owner_a", "/v1/keys");
  ASSERT_EQ(keys_a.size(), 1u);
  EXPECT_EQ(keys_a[0]["org_id"], org_a_);
  EXPECT_EQ(items("creator_a", "/v1/me/assignments").size(), 1u);
  EXPECT_TRUE(items("creator_b", "/v1/me/assignments").empty());
  // A brand B campaign stays invisible to brand A, as brand A's is to brand B.
  auto spec = campaign::ParseCampaignSpec(
      R"({"name": "B launch", "brand": "B", "product": {"name": "Balm", "sku": "B-1",
      "price_cents": 900, "units_available": 3}, "compensation": "gifted", "target_posts": 1,
      "platforms": ["instagram"], "jurisdiction": "us"})",
      false);
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  auto b = app::CreateCampaign(*ctx_, storage::Scope::Org(org_b_), *spec);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(Call("member_a", "GET", fmt::format("/v1/campaigns/{}", b->id), "").status, 404);
  EXPECT_EQ(Call("member_b", "GET", fmt::format("/v1/campaigns/{}", b->id), "").status, 200);
  EXPECT_EQ(items("operator", "/v1/campaigns").size(), 2u);
}

std::string HeaderOf(const Response& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "";
}

Response Raw(Dispatcher& d, const std::string& method, const std::string& path,
             const std::string& body, std::vector<std::pair<std::string, std::string>> headers) {
  Request r;
  r.method = method;
  r.path = path;
  r.body = body;
  r.client = "127.0.0.1";
  r.headers = std::move(headers);
  r.headers.emplace_back("host", "127.0.0.1");
  return d.Handle(r);
}

// A session that ended leaves its cookie in the browser: signing in again works, and an answer
// to the dead cookie clears it.
TEST_P(AccessMatrixTest, AStaleCookieIsClearedAndDoesNotBlockSigningIn) {
  const Identity& old = people_.at("member_b");
  const std::string cookie = std::string(kSessionCookie) + "=" + old.token;
  ASSERT_EQ(Call("member_b", "POST", "/v1/auth/signout", "").status, 200);
  const Response denied = Raw(*dispatcher_, "GET", "/v1/me", "", {{"cookie", cookie}});
  EXPECT_EQ(denied.status, 401);
  EXPECT_TRUE(HeaderOf(denied, "Set-Cookie").starts_with(std::string(kSessionCookie) + "=;"))
      << HeaderOf(denied, "Set-Cookie");
  const Response again =
      Raw(*dispatcher_, "POST", "/v1/auth/signin",
          R"({"email": "member_b@matrix.test", "password": ")" + std::string(kPassword) + "\"}",
          {{"cookie", cookie}, {"origin", "http://127.0.0.1"}});
  ASSERT_EQ(again.status, 200) << again.body;
  int session_cookies = 0;
  for (const auto& [k, v] : again.headers) {
    if (k == "Set-Cookie") {
      ++session_cookies;
      EXPECT_TRUE(v.starts_with(std::string(kSessionCookie) + "=scs_")) << v;
    }
  }
  EXPECT_EQ(session_cookies, 1);
}

TEST_P(AccessMatrixTest, SignInSetsAHostOnlySecureCookieAndItWorks) {
  const Response r =
      Raw(*dispatcher_, "POST", "/v1/auth/signin",
          R"({"email": "member_a@matrix.test", "password": ")" + std::string(kPassword) + "\"}",
          {{"origin", "http://127.0.0.1"}});
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string cookie = HeaderOf(r, "Set-Cookie");
  EXPECT_TRUE(cookie.starts_with("__Host-seedcast_session=scs_")) << cookie;
  for (const char* flag : {"; Path=/", "; Secure", "; HttpOnly", "; SameSite=Lax"}) {
    EXPECT_NE(cookie.find(flag), std::string::npos) << flag << " missing: " << cookie;
  }
  EXPECT_EQ(cookie.find("Domain"), std::string::npos);
  EXPECT_EQ(HeaderOf(r, "Cache-Control"), "no-store");
  const std::string token =
      cookie.substr(cookie.find('=') + 1, cookie.find(';') - cookie.find('=') - 1);
  const std::string csrf = json::parse(r.body)["csrf_token"];
  const Response me = Raw(*dispatcher_, "GET", "/v1/me", "",
                          {{"cookie", "a=b; " + std::string(kSessionCookie) + "=" + token}});
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(json::parse(me.body)["role"], "member");
  EXPECT_EQ(json::parse(me.body)["csrf_token"], csrf);
}

TEST_P(AccessMatrixTest, CookieRequestsThatChangeThingsNeedOriginAndCsrfToken) {
  const Identity& id = people_.at("member_a");
  const std::string cookie = std::string(kSessionCookie) + "=" + id.token;
  const std::string body = "{}";
  auto post = [&](std::vector<std::pair<std::string, std::string>> h) {
    h.emplace_back("cookie", cookie);
    return Raw(*dispatcher_, "POST", "/v1/campaigns", body, std::move(h));
  };
  auto reason = [](const Response& r) { return json::parse(r.body).value("reason", ""); };
  Response r = post({{"x-csrf-token", id.csrf}});
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(reason(r), "csrf_origin");
  r = post({{"origin", "https://evil.example"}, {"x-csrf-token", id.csrf}});
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(reason(r), "csrf_origin");
  r = post({{"origin", "http://127.0.0.1"}});
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(reason(r), "csrf_token");
  r = post({{"origin", "http://127.0.0.1"}, {"x-csrf-token", people_.at("owner_a").csrf}});
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(reason(r), "csrf_token");
  r = post({{"origin", "http://127.0.0.1"}, {"x-csrf-token", id.csrf}});
  EXPECT_TRUE(Allowed(r.status)) << r.body;  // past the checks (the empty brief is refused)
  // Reads need neither; a key (no cookie) needs neither.
  EXPECT_EQ(Raw(*dispatcher_, "GET", "/v1/campaigns", "", {{"cookie", cookie}}).status, 200);
  auto key = app::CreateKey(*ctx_, {.org_id = org_a_}, "test");
  ASSERT_TRUE(key.ok());
  r = Raw(*dispatcher_, "POST", "/v1/campaigns", body,
          {{"authorization", "Bearer " + key->secret}});
  EXPECT_TRUE(Allowed(r.status)) << r.body;
  // Signing in from another site's page is refused (login CSRF).
  r = Raw(*dispatcher_, "POST", "/v1/auth/signin", body, {{"origin", "https://evil.example"}});
  EXPECT_EQ(r.status, 403);
}

TEST_P(AccessMatrixTest, AReadOnlyKeyReadsButChangesNothing) {
  auto key = app::CreateKey(*ctx_, {.org_id = org_a_, .access = "read"}, "test");
  ASSERT_TRUE(key.ok());
  const std::vector<std::pair<std::string, std::string>> auth = {
      {"authorization", "Bearer " + key->secret}};
  EXPECT_EQ(Raw(*dispatcher_, "GET", fmt::format("/v1/campaigns/{}", campaign_a_), "", auth).status,
            200);
  const Response r =
      Raw(*dispatcher_, "POST", fmt::format("/v1/campaigns/{}/tick", campaign_a_), "", auth);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(json::parse(r.body)["reason"], "read_only_key");
}

TEST_P(AccessMatrixTest, TheEleventhFailedSignInGets429WithRetryAfter) {
  const std::string wrong = R"({"email": "owner_a@matrix.test", "password": "wrong wrong wrong"})";
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(Raw(*dispatcher_, "POST", "/v1/auth/signin", wrong, {}).status, 401);
  }
  const Response r =
      Raw(*dispatcher_, "POST", "/v1/auth/signin",
          R"({"email": "owner_a@matrix.test", "password": ")" + std::string(kPassword) + "\"}", {});
  EXPECT_EQ(r.status, 429) << r.body;
  const std::string retry = HeaderOf(r, "Retry-After");
  ASSERT_FALSE(retry.empty());
  EXPECT_GT(std::stoi(retry), 800);
  EXPECT_LE(std::stoi(retry), 900);
}

TEST_P(AccessMatrixTest, BadAccountInputNamesTheFieldAndChangesNothing) {
  auto count = [&](const char* table) {
    auto db = ctx_->pool().Acquire();
    EXPECT_TRUE(db.ok());
    return *(*db)->QueryInt(fmt::format("SELECT COUNT(*) FROM {}", table));
  };
  const int64_t users = count("users");
  const int64_t orgs = count("orgs");
  struct Case {
    std::string body;
    int status;
    std::string field;
  };
  const std::vector<Case> cases = {
      {R"({"email": "nope", "password": "a fine passphrase", "kind": "creator"})", 422, "email"},
      {R"({"email": "x@y.org", "password": "a fine passphrase", "kind": "robot"})", 422, "kind"},
      {R"({"email": "x@y.org", "password": "a fine passphrase", "kind": "brand"})", 422,
       "org_name"},
      {R"({"email": "x@y.org", "password": "short", "kind": "creator"})", 422, "password"},
      {R"({"email": "x@y.org", "password": "a fine passphrase", "kind": "creator", "admin": true})",
       422, "admin"},
      {R"({"email": 7, "password": "a fine passphrase", "kind": "creator"})", 422, "email"},
      {R"({"email": "x@y.org", "password": ")" + std::string(5000, 'p') +
           R"(", "kind": "creator"})",
       422, "password"},
      {"not json", 400, ""},
  };
  for (const Case& c : cases) {
    const Response r = Raw(*dispatcher_, "POST", "/v1/auth/signup", c.body, {});
    EXPECT_EQ(r.status, c.status) << c.body.substr(0, 80) << ": " << r.body;
    if (!c.field.empty()) {
      EXPECT_EQ(json::parse(r.body).value("field", ""), c.field) << r.body;
    }
  }
  const Identity& owner = people_.at("owner_a");
  const Response role =
      Raw(*dispatcher_, "POST", fmt::format("/v1/members/{}/role", people_.at("member_a").user_id),
          R"({"role": "emperor"})",
          {{"cookie", std::string(kSessionCookie) + "=" + owner.token},
           {"origin", "http://127.0.0.1"},
           {"x-csrf-token", owner.csrf}});
  EXPECT_EQ(role.status, 422) << role.body;
  EXPECT_EQ(json::parse(role.body)["field"], "role");
  EXPECT_EQ(count("users"), users);
  EXPECT_EQ(count("orgs"), orgs);
}

// A creator's contact reaches a brand only once it approved them, only while the assignment is
// open, and each reveal is logged with who, when and which campaign.
TEST_P(AccessMatrixTest, AContactIsRevealedOnlyForAnApprovedOpenAssignment) {
  const std::string address = "12 Hidden Lane\\nSpringfield";
  const Response added = Call("creator_a", "POST", "/v1/me/contact",
                              R"({"address": ")" + address + R"(", "phone": "+1 555 0100"})");
  ASSERT_EQ(added.status, 200) << added.body;
  const std::string path = fmt::format("/v1/assignments/{}/contact", assignment_a_);
  Response r = Call("member_a", "GET", path, "");
  EXPECT_EQ(r.status, 409) << r.body;  // invited: not approved yet
  EXPECT_EQ(r.body.find("Hidden Lane"), std::string::npos);
  ASSERT_EQ(
      Call("creator_a", "POST", fmt::format("/v1/assignments/{}/apply", assignment_a_), "").status,
      200);
  const Response approved =
      Call("member_a", "POST", fmt::format("/v1/assignments/{}/approve", assignment_a_), "");
  ASSERT_EQ(approved.status, 200) << approved.body;
  r = Call("member_a", "GET", path, "");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)["address"], "12 Hidden Lane\nSpringfield");
  EXPECT_EQ(HeaderOf(r, "Cache-Control"), "no-store");
  EXPECT_EQ(Call("member_b", "GET", path, "").status, 404);
  auto events = app::ListEvents(*ctx_, storage::Scope::Everything(), {.kind = "address_revealed"});
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].actor, fmt::format("user:{}", people_.at("member_a").user_id));
  EXPECT_EQ((*events)[0].detail["campaign_id"], campaign_a_);
  EXPECT_EQ((*events)[0].detail["creator_id"], creators_["creator_a"]);
  // Closed: the creator fails the assignment; the address is no longer shown.
  ASSERT_EQ(
      Call("member_a", "POST", fmt::format("/v1/assignments/{}/fail", assignment_a_), "").status,
      200);
  EXPECT_EQ(Call("member_a", "GET", path, "").status, 409);
  // An operator's read of it is logged too.
  ASSERT_EQ(
      Call("operator", "GET", fmt::format("/v1/creators/{}/contact", creators_["creator_a"]), "")
          .status,
      200);
  events = app::ListEvents(*ctx_, storage::Scope::Everything(), {.kind = "personal_data_read"});
  ASSERT_TRUE(events.ok());
  EXPECT_EQ(events->size(), 1u);
}

// A creator's earnings are their own ledger account's entries; no one else's show.
TEST_P(AccessMatrixTest, ACreatorSeesTheirOwnEarnings) {
  {
    auto db = ctx_->pool().Acquire(storage::Intent::kWrite);
    ASSERT_TRUE(db.ok());
    campaign::Ledger ledger(**db, clock_);
    const Status posted = storage::InTransaction(**db, [&]() -> Status {
      return ledger
          .Post(campaign::Transfer{
              .idempotency_key = "matrix-pay-1",
              .kind = "creator_pay",
              .campaign_id = campaign_a_,
              .assignment_id = assignment_a_,
              .debit = fmt::format("campaign:{}:creator_pay", campaign_a_),
              .credit = fmt::format("creator:{}:payable", creators_["creator_a"]),
              .cents = 6000})
          .status();
    });
    ASSERT_TRUE(posted.ok()) << posted.ToString();
  }
  const Response a = Call("creator_a", "GET", "/v1/me/earnings", "");
  ASSERT_EQ(a.status, 200) << a.body;
  const json ja = json::parse(a.body);
  EXPECT_EQ(ja["owed_cents"], 6000);
  ASSERT_EQ(ja["lines"].size(), 1u);
  EXPECT_EQ(ja["lines"][0]["campaign_id"], campaign_a_);
  const Response b = Call("creator_b", "GET", "/v1/me/earnings", "");
  ASSERT_EQ(b.status, 200) << b.body;
  EXPECT_EQ(json::parse(b.body)["owed_cents"], 0);
  EXPECT_TRUE(json::parse(b.body)["lines"].empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, AccessMatrixTest, ::testing::Values("sqlite", "postgres"));

}  // namespace
}  // namespace seedcast::server

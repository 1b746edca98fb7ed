// A fixture for the web app's API tests (workspace_api_test, library_api_test): two
// organisations with an API key each, an operator's key, two signed-in creators, and brand A's
// campaign (two products) with creator A's approved account invited to it. Calls go through the
// Dispatcher (no sockets), on a fake clock, on the backend the test is instantiated with.
#pragma once

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app/accounts.h"
#include "app/campaigns.h"
#include "app/jobs.h"
#include "app/keys.h"
#include "app/secrets.h"
#include "campaign/campaign_store.h"
#include "campaign/spec.h"
#include "server/dispatcher.h"
#include "server/test_server.h"
#include "storage/testing/test_database.h"

namespace seedcast::server {
namespace workspace_testing {

using nlohmann::json;

constexpr const char* kPassword = "workspace test passphrase 2026";
constexpr int64_t kHourMs = 3'600'000;

struct Reply {
  int status = 0;
  json body;
  std::string retry_after;
};

class WorkspaceFixture : public ::testing::TestWithParam<const char*>, protected TestServer {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(StartServer(GetParam(), clock_, "workspace"));
    auto a = app::CreateOrg(*ctx_, "Brand A", "test");
    auto b = app::CreateOrg(*ctx_, "Brand B", "test");
    ASSERT_TRUE(a.ok() && b.ok());
    org_a_ = *a;
    org_b_ = *b;
    ASSERT_NO_FATAL_FAILURE(AddKey("brand_a", org_a_));
    ASSERT_NO_FATAL_FAILURE(AddKey("brand_b", org_b_));
    ASSERT_NO_FATAL_FAILURE(AddKey("operator", 0));
    ASSERT_NO_FATAL_FAILURE(AddCreator("creator_a", "Ana Creator"));
    ASSERT_NO_FATAL_FAILURE(AddCreator("creator_b", "Bo Creator"));
    ASSERT_NO_FATAL_FAILURE(MakeCampaign());
  }

  void TearDown() override { StopServer(); }

  void AddKey(const std::string& who, int64_t org) {
    auto key = app::CreateKey(*ctx_, {.org_id = org, .name = who}, "test");
    ASSERT_TRUE(key.ok()) << key.status().ToString();
    keys_[who] = key->secret;
  }

  void AddCreator(const std::string& who, const std::string& name) {
    auto user = app::CreateUser(*ctx_,
                                {.email = who + "@workspace.test",
                                 .password = kPassword,
                                 .role = "creator",
                                 .creator_name = name},
                                "test");
    ASSERT_TRUE(user.ok()) << user.status().ToString();
    creators_[who] = user->creator_id;
    SignIn(who);
  }

  void SignIn(const std::string& who) {
    auto in = app::SignIn(*ctx_, who + "@workspace.test", kPassword, {.address = "127.0.0.1"});
    ASSERT_TRUE(in.ok()) << in.status().ToString();
    sessions_[who] = {in->token, in->csrf_token};
  }

  // Brand A's campaign with a second product, and creator A's approved account, invited.
  void MakeCampaign() {
    auto spec = campaign::ParseCampaignSpec(
        R"({"name": "A launch", "brand": "Glow A", "product": {"name": "Serum", "sku": "A-1",
        "price_cents": 2400, "units_available": 5, "niche": "beauty"}, "compensation": "paid",
        "target_posts": 1, "fee_cents_per_post": 10000, "payout_cents_per_post": 6000,
        "platforms": ["instagram"], "jurisdiction": "us", "usage_rights": "paid",
        "deliverables": {"video": 1, "mentions": ["@glowa"]},
        "brief": {"key_benefits": ["light texture"], "call_to_action": "link in bio"}})",
        false);
    ASSERT_TRUE(spec.ok()) << spec.status().ToString();
    auto created = app::CreateCampaign(*ctx_, storage::Scope::Org(org_a_), *spec);
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    campaign_ = created->id;
    product_ = created->product_id;
    auto db = ctx_->pool().Acquire(storage::Intent::kWrite);
    ASSERT_TRUE(db.ok());
    campaign::CampaignStore store(**db, clock_, storage::Scope::Org(org_a_));
    auto other = store.UpsertProduct(
        created->brand_id,
        {.name = "Balm", .sku = "A-2", .price_cents = 1200, .units_available = 3});
    ASSERT_TRUE(other.ok()) << other.status().ToString();
    second_product_ = *other;
    ASSERT_TRUE(
        (*db)
            ->Execute("INSERT INTO campaign_products (campaign_id, product_id) VALUES (?, ?)",
                      {campaign_, second_product_})
            .ok());
    const int64_t now = clock_.NowMs();
    auto account = (*db)->Insert(
        "INSERT INTO accounts (creator_id, platform, handle, followers, quality_score, "
        "created_at_ms, updated_at_ms) VALUES (?, 'instagram', 'ana.makes', 5000, 0.9, ?, ?)",
        {creators_["creator_a"], now, now});
    ASSERT_TRUE(account.ok()) << account.status().ToString();
    account_ = *account;
    auto assignment = store.Invite(campaign_, creators_["creator_a"], account_, 0.5,
                                   now + int64_t{3} * 24 * kHourMs, "test", "invited");
    ASSERT_TRUE(assignment.ok()) << assignment.status().ToString();
    assignment_ = assignment->id;
  }

  // A call as `who`: a brand or the operator with its key, a creator with their session.
  Reply Call(const std::string& who, const std::string& method, const std::string& path,
             const std::string& body = "") {
    Request r;
    r.method = method;
    r.path = path.substr(0, path.find('?'));
    if (path.find('?') != std::string::npos) {
      std::stringstream query(path.substr(path.find('?') + 1));
      for (std::string pair; std::getline(query, pair, '&');) {
        r.query[pair.substr(0, pair.find('='))] = pair.substr(pair.find('=') + 1);
      }
    }
    r.body = body;
    r.client = "127.0.0.1";
    r.headers = {{"host", "127.0.0.1"}, {"content-type", "application/json"}};
    if (keys_.contains(who)) {
      r.headers.emplace_back("authorization", "Bearer " + keys_.at(who));
    } else if (sessions_.contains(who)) {
      r.headers.emplace_back("cookie", std::string(kSessionCookie) + "=" + sessions_[who].first);
      r.headers.emplace_back("origin", "http://127.0.0.1");
      r.headers.emplace_back("x-csrf-token", sessions_[who].second);
    }
    const Response got = dispatcher_->Handle(r);
    Record(r, got);
    Reply out{got.status, json::parse(got.body, nullptr, false), ""};
    for (const auto& [k, v] : got.headers) {
      if (k == "Retry-After") out.retry_after = v;
    }
    return out;
  }

  // With SEEDCAST_API_RECORD set, each answer is appended there as tests/openapi/validate.mjs
  // reads them, to check it against docs/openapi.json.
  void Record(const Request& r, const Response& got) {
    const char* path = std::getenv("SEEDCAST_API_RECORD");
    const Match m = dispatcher_->router().Find(r.method, r.path);
    if (path == nullptr || m.route == nullptr) return;
    std::ofstream(path, std::ios::app)
        << json{{"case", r.method + " " + r.path},  {"method", r.method},
                {"route", m.route->pattern},        {"status", got.status},
                {"content_type", got.content_type}, {"body", got.body}}
               .dump()
        << "\n";
  }

  std::string Act(const std::string& action) {
    return fmt::format("/v1/assignments/{}/{}", assignment_, action);
  }

  // The newest message in the mail directory.
  std::string LastMail() {
    std::string last;
    for (const auto& e : std::filesystem::directory_iterator(config_.accounts.mail_dir)) {
      if (e.path().extension() == ".eml" && e.path().string() > last) last = e.path().string();
    }
    std::ifstream in(last);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  FakeClock clock_{1'780'000'000'000};
  std::map<std::string, std::string> keys_;
  std::map<std::string, std::pair<std::string, std::string>> sessions_;
  std::map<std::string, int64_t> creators_;
  int64_t org_a_ = 0, org_b_ = 0, campaign_ = 0, product_ = 0, second_product_ = 0, account_ = 0,
          assignment_ = 0;
};

}  // namespace workspace_testing
}  // namespace seedcast::server

// The tracking routes by behaviour: the public redirect over real HTTP on 127.0.0.1 (302 with the
// UTM target, clicks written when the server stops, bots stored but not counted, unique visitors
// by their hash, 404 for unknown codes), and the brands' routes (links and codes, orders imported
// and listed, other organisations answered 404). On SQLite and on a real PostgreSQL.
#include <curl/curl.h>

#include <map>
#include <memory>

#include "app/tracking.h"
#include "server/http_server.h"
#include "server/workspace_fixture.h"

namespace seedcast::server {
namespace {

using nlohmann::json;
using workspace_testing::Reply;

constexpr std::string_view kPhone =
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/17.4 Mobile/15E148 Safari/604.1";
constexpr std::string_view kPreviewer =
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)";

struct HttpReply {
  long status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

size_t Collect(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

size_t CollectHeader(char* data, size_t size, size_t n, void* out) {
  const std::string line(data, size * n);
  const size_t colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    value.erase(value.find_last_not_of("\r\n") + 1);
    (*static_cast<std::map<std::string, std::string>*>(out))[name] = value;
  }
  return size * n;
}

// One GET to 127.0.0.1:port, redirects not followed.
HttpReply Get(uint16_t port, const std::string& path, const std::vector<std::string>& headers) {
  HttpReply out;
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  curl_slist* list = nullptr;
  for (const std::string& h : headers) list = curl_slist_append(list, h.c_str());
  const std::string url = fmt::format("http://127.0.0.1:{}{}", port, path);
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, Collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &out.body);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, CollectHeader);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &out.headers);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 5000L);
  if (curl_easy_perform(c) == CURLE_OK) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out.status);
  curl_slist_free_all(list);
  return out;
}

class TrackingApiTest : public workspace_testing::WorkspaceFixture {
 protected:
  void SetUp() override {
    // Requests come from 127.0.0.1, a trusted proxy here: X-Forwarded-For names each visitor.
    config_.accounts.trusted_proxies = {"127.0.0.1"};
    WorkspaceFixture::SetUp();
  }

  // Brand A's campaign equipped with links to the shop; creator A's row.
  json Equip() {
    const Reply r = Call("brand_a", "POST", fmt::format("/v1/campaigns/{}/tracking", campaign_),
                         R"({"landing_url": "https://glow.example/serum?ref=bio"})");
    EXPECT_EQ(r.status, 200) << r.body.dump();
    EXPECT_EQ(r.body["items"].size(), 1u) << r.body.dump();
    return r.body["items"].empty() ? json::object() : r.body["items"][0];
  }

  app::AssignmentTracking Counts() {
    auto all = app::TrackingOfCampaign(*ctx_, storage::Scope::Org(org_a_), campaign_);
    EXPECT_TRUE(all.ok()) << all.status().ToString();
    return all.ok() && all->size() == 1 ? all->front() : app::AssignmentTracking{};
  }

  std::string OrdersPath(const std::string& query) { return "/v1/orders/import?" + query; }
};

TEST_P(TrackingApiTest, TheRedirectAnswers302AndItsClicksAreWrittenWhenTheServerStops) {
  const json link = Equip();
  const std::string code = link.value("link_code", "");
  const std::string target = link.value("target_url", "");
  ASSERT_EQ(code.size(), 8u) << link.dump();
  EXPECT_NE(target.find("https://glow.example/serum?ref=bio&"), std::string::npos) << target;
  EXPECT_NE(target.find("utm_content=" + code), std::string::npos) << target;
  EXPECT_NE(target.find("utm_source=seedcast"), std::string::npos) << target;

  auto server = std::make_unique<HttpServer>(
      *dispatcher_, ServerOptions{.host = "127.0.0.1", .port = 0, .request_timeout_ms = 2000});
  ASSERT_TRUE(server->Start().ok());
  const uint16_t port = server->port();
  auto visit = [&](std::string_view address, std::string_view agent) {
    return Get(port, "/r/" + code,
               {fmt::format("X-Forwarded-For: {}", address), fmt::format("User-Agent: {}", agent),
                "Referer: https://l.instagram.com/?u=https%3A%2F%2Fx&e=ann%40example.com"});
  };
  HttpReply first = visit("203.0.113.9", kPhone);
  EXPECT_EQ(first.status, 302) << first.body;
  EXPECT_EQ(first.headers["location"], target);
  EXPECT_EQ(first.headers["cache-control"], "no-store");
  EXPECT_EQ(first.headers["referrer-policy"], "no-referrer");
  EXPECT_FALSE(first.headers.contains("etag"));
  EXPECT_EQ(visit("203.0.113.9", kPhone).status, 302);        // the same visitor again
  EXPECT_EQ(visit("198.51.100.20", kPhone).status, 302);      // another
  EXPECT_EQ(visit("198.51.100.30", kPreviewer).status, 302);  // a link preview

  const std::vector<std::string> unknowns = {"/r/Zz9Zz9Zz", "/r/no%20such!code",
                                             "/r/" + std::string(40, 'a')};
  for (const std::string& path : unknowns) {
    HttpReply unknown = Get(port, path, {});
    EXPECT_EQ(unknown.status, 404) << path;
    EXPECT_FALSE(unknown.headers.contains("location")) << path;
    EXPECT_EQ(unknown.headers["content-type"], "application/problem+json") << path;
    EXPECT_NE(unknown.body.find("no_link"), std::string::npos) << path << ": " << unknown.body;
  }

  // A graceful stop: the listener closes, then the dispatcher (owning the click queue) goes,
  // writing what is queued.
  server->Shutdown();
  server->Wait();
  server.reset();
  dispatcher_.reset();
  const app::AssignmentTracking t = Counts();
  EXPECT_EQ(t.counts.clicks, 3);
  EXPECT_EQ(t.counts.unique_clicks, 2);
  EXPECT_EQ(t.counts.bot_clicks, 1);
  auto db = ctx_->pool().Acquire();
  ASSERT_TRUE(db.ok());
  auto origins = (*db)->QueryInt(
      "SELECT COUNT(*) FROM clicks WHERE referrer = 'https://l.instagram.com' AND at_ms = ?",
      {clock_.NowMs()});
  ASSERT_TRUE(origins.ok()) << origins.status().ToString();
  EXPECT_EQ(*origins, 4);
}

TEST_P(TrackingApiTest, LinksAndCodesAreTheBrandsAndTheCreatorsOwn) {
  const std::string campaign = fmt::format("/v1/campaigns/{}/tracking", campaign_);
  // Without a landing URL the first links cannot be made: the field is named, nothing is made.
  Reply r = Call("brand_a", "POST", campaign, "");
  EXPECT_EQ(r.status, 422) << r.body.dump();
  EXPECT_EQ(r.body["field"], "landing_url");
  r = Call("brand_a", "POST", campaign, R"({"landing_url": "https://glow.example", "x": 1})");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.body["field"], "x");
  r = Call("brand_a", "POST", campaign, R"({"landing_url": "ftp://glow.example/serum"})");
  EXPECT_EQ(r.status, 422) << r.body.dump();
  EXPECT_EQ(Call("brand_a", "GET", campaign).body["items"][0]["link_code"], "");

  const json made = Equip();
  EXPECT_FALSE(made.value("discount_code", "").empty()) << made.dump();
  // Again: nothing new; the same link and code.
  r = Call("brand_a", "POST", campaign, "");
  ASSERT_EQ(r.status, 200) << r.body.dump();
  EXPECT_EQ(r.body["items"][0]["link_code"], made["link_code"]);
  EXPECT_EQ(r.body["items"][0]["discount_code"], made["discount_code"]);
  EXPECT_EQ(r.body["items"][0]["link_path"], "/r/" + made["link_code"].get<std::string>());

  const std::string mine = fmt::format("/v1/assignments/{}/tracking", assignment_);
  r = Call("creator_a", "GET", mine);
  ASSERT_EQ(r.status, 200) << r.body.dump();
  EXPECT_EQ(r.body["discount_code"], made["discount_code"]);
  EXPECT_EQ(r.body["handle"], "ana.makes");
  EXPECT_EQ(Call("creator_b", "GET", mine).status, 404);
  EXPECT_EQ(Call("brand_b", "GET", mine).status, 404);
  EXPECT_EQ(Call("brand_b", "GET", campaign).status, 404);
  EXPECT_EQ(Call("brand_b", "POST", campaign, "").status, 404);
  EXPECT_EQ(Call("creator_a", "GET", campaign).status, 403);
}

TEST_P(TrackingApiTest, OrdersAreImportedOnceAttributedAndListedForTheirBrandOnly) {
  const json made = Equip();
  const std::string code = made.value("discount_code", "");
  const std::string csv = fmt::format(
      "Name,Financial Status,Currency,Subtotal,Total,Discount Code,Discount Amount,Created "
      "at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Email\n"
      "#1001,paid,USD,48.00,43.20,{},4.80,2026-05-28 10:00:00 +0000,2,Serum,24.00,A-1,a@x.org\n"
      "#1002,refunded,USD,24.00,24.00,{},0.00,2026-05-28 11:00:00 +0000,1,Serum,24.00,A-1,\n"
      "#1003,paid,USD,12.00,12.00,,0.00,not a time,1,Balm,12.00,A-2,\n"
      "#1004,paid,USD,12.00,12.00,,0.00,2026-05-28 12:00:00 +0000,1,Balm,12.00,A-2,\n",
      code, code);
  Reply r = Call("brand_a", "POST", OrdersPath(fmt::format("campaign_id={}", campaign_)), csv);
  ASSERT_EQ(r.status, 200) << r.body.dump();
  EXPECT_EQ(r.body["orders_read"], 3) << r.body.dump();
  EXPECT_EQ(r.body["orders_new"], 3);
  EXPECT_EQ(r.body["attributed"]["orders"], 1) << r.body.dump();
  EXPECT_EQ(r.body["attributed"]["revenue_cents"], 4320);
  EXPECT_EQ(r.body["attributed"]["by_rule"]["discount_code"], 1) << r.body.dump();
  ASSERT_EQ(r.body["rows_rejected"].size(), 1u) << r.body.dump();
  EXPECT_EQ(r.body["rows_rejected"][0]["line"], 4);
  // The same file again: updated in place, nothing new.
  r = Call("brand_a", "POST", OrdersPath(fmt::format("campaign_id={}", campaign_)), csv);
  ASSERT_EQ(r.status, 200) << r.body.dump();
  EXPECT_EQ(r.body["orders_new"], 0) << r.body.dump();
  EXPECT_EQ(r.body["orders_updated"], 3);

  r = Call("brand_a", "GET", "/v1/orders?attributed=1");
  ASSERT_EQ(r.status, 200) << r.body.dump();
  ASSERT_EQ(r.body["items"].size(), 1u) << r.body.dump();
  EXPECT_EQ(r.body["items"][0]["name"], "#1001");
  EXPECT_EQ(r.body["items"][0]["rule"], "discount_code");
  EXPECT_EQ(r.body["items"][0]["assignment_id"], assignment_);
  EXPECT_EQ(r.body["items"][0].dump().find("a@x.org"), std::string::npos);
  EXPECT_EQ(Call("brand_a", "GET", "/v1/orders").body["items"].size(), 3u);
  EXPECT_TRUE(Call("brand_b", "GET", "/v1/orders").body["items"].empty());
  const json tracked =
      Call("brand_a", "GET", fmt::format("/v1/campaigns/{}/tracking", campaign_)).body["items"][0];
  EXPECT_EQ(tracked["orders"], 1) << tracked.dump();
  EXPECT_EQ(tracked["revenue_cents"], 4320);

  // Hostile input: refused with the reason, nothing stored.
  const std::string by_campaign = OrdersPath(fmt::format("campaign_id={}", campaign_));
  EXPECT_EQ(Call("brand_b", "POST", by_campaign, csv).status, 404);
  r = Call("brand_a", "POST", by_campaign, "");
  EXPECT_EQ(r.status, 422);
  r = Call("brand_a", "POST", by_campaign, R"({"orders": []})");
  EXPECT_EQ(r.status, 422) << r.body.dump();
  EXPECT_NE(r.body["detail"].get<std::string>().find("not a Shopify orders export"),
            std::string::npos)
      << r.body.dump();
  EXPECT_EQ(Call("brand_a", "POST", "/v1/orders/import", csv).body["field"], "brand");
  EXPECT_EQ(
      Call("brand_a", "POST", OrdersPath("brand=" + std::string(201, 'b')), csv).body["field"],
      "brand");
  EXPECT_EQ(Call("brand_a", "POST", OrdersPath("window_days=400&brand=GlowA"), csv).body["field"],
            "window_days");
  EXPECT_EQ(Call("brand_a", "GET", "/v1/orders").body["items"].size(), 3u);
}

INSTANTIATE_TEST_SUITE_P(Backends, TrackingApiTest, ::testing::Values("sqlite", "postgres"));

}  // namespace
}  // namespace seedcast::server

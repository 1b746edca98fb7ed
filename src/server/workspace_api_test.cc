// The web app's API additions, by behaviour: a creator's offers and their choice of product, the
// campaign board (who each assignment is with, one assignment with its post and shipment),
// reminders. On SQLite and on a real PostgreSQL (workspace_fixture.h).
#include "server/workspace_fixture.h"

namespace seedcast::server {
namespace {

using nlohmann::json;
using workspace_testing::kHourMs;
using workspace_testing::Reply;
using WorkspaceApiTest = workspace_testing::WorkspaceFixture;

TEST_P(WorkspaceApiTest, ACreatorsOffersCarryTheCampaignAndTheirChoiceOfProduct) {
  Reply r = Call("creator_a", "GET", "/v1/me/assignments");
  ASSERT_EQ(r.status, 200) << r.body.dump();
  ASSERT_EQ(r.body["items"].size(), 1u);
  const json& offer = r.body["items"][0];
  EXPECT_EQ(offer["product_id"], product_);
  const json& c = offer["campaign"];
  EXPECT_EQ(c["id"], campaign_);
  EXPECT_EQ(c["name"], "A launch");
  EXPECT_EQ(c["brand"], "Glow A");
  EXPECT_EQ(c["compensation"], "paid");
  EXPECT_EQ(c["fulfilment"], "ship");
  EXPECT_EQ(c["payout_cents_per_post"], 6000);
  EXPECT_EQ(c["jurisdiction"], "us");
  EXPECT_EQ(c["deliverables"]["video"], 1);
  EXPECT_EQ(c["brief"]["call_to_action"], "link in bio");
  EXPECT_TRUE(c["timeline"].is_null());
  ASSERT_EQ(c["products"].size(), 2u);
  EXPECT_EQ(c["products"][0]["id"], product_);
  EXPECT_EQ(c["products"][1]["sku"], "A-2");
  EXPECT_EQ(c["products"][1]["price_cents"], 1200);
  EXPECT_TRUE(Call("creator_b", "GET", "/v1/me/assignments").body["items"].empty());

  // A product of another campaign is refused, naming the field, and nothing changes.
  r = Call("creator_a", "POST", Act("apply"), R"({"product_id": 999999})");
  EXPECT_EQ(r.status, 422) << r.body.dump();
  EXPECT_EQ(r.body["field"], "product_id");
  EXPECT_EQ(Call("creator_a", "GET", Act("")).body["state"], "invited");
  r = Call("creator_a", "POST", Act("apply"),
           fmt::format(R"({{"product_id": {}}})", second_product_));
  ASSERT_EQ(r.status, 200) << r.body.dump();
  r = Call("creator_a", "GET", "/v1/me/assignments");
  EXPECT_EQ(r.body["items"][0]["product_id"], second_product_);
  EXPECT_EQ(r.body["items"][0]["state"], "applied");
  // Shipping takes a unit of the chosen product.
  ASSERT_EQ(Call("brand_a", "POST", Act("approve")).status, 200);
  ASSERT_EQ(Call("brand_a", "POST", Act("ship")).status, 200);
  EXPECT_EQ(Call("brand_a", "GET", fmt::format("/v1/products/{}", second_product_))
                .body["units_available"],
            2);
  EXPECT_EQ(
      Call("brand_a", "GET", fmt::format("/v1/products/{}", product_)).body["units_available"], 5);
}

TEST_P(WorkspaceApiTest, TheBoardShowsWhoAndOneAssignmentHasItsShipmentAndPost) {
  Reply board = Call("brand_a", "GET", fmt::format("/v1/campaigns/{}", campaign_));
  ASSERT_EQ(board.status, 200) << board.body.dump();
  const json& row = board.body["assignments"][0];
  EXPECT_EQ(row["handle"], "ana.makes");
  EXPECT_EQ(row["platform"], "instagram");
  EXPECT_EQ(row["creator_name"], "Ana Creator");

  Reply one = Call("brand_a", "GET", Act(""));
  ASSERT_EQ(one.status, 200) << one.body.dump();
  EXPECT_EQ(one.body["handle"], "ana.makes");
  EXPECT_TRUE(one.body["post"].is_null());
  EXPECT_TRUE(one.body["shipment"].is_null());
  EXPECT_EQ(one.body["audit"][0]["to"], "invited");
  EXPECT_EQ(Call("creator_a", "GET", Act("")).status, 200);
  EXPECT_EQ(Call("creator_b", "GET", Act("")).status, 404);
  EXPECT_EQ(Call("brand_b", "GET", Act("")).status, 404);
  EXPECT_EQ(Call("operator", "GET", Act("")).status, 200);

  ASSERT_EQ(Call("creator_a", "POST", Act("apply")).status, 200);
  ASSERT_EQ(Call("brand_a", "POST", Act("approve")).status, 200);
  Reply bad = Call("brand_a", "POST", Act("ship"), R"({"carrier": "DHL\u0007"})");
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(bad.body["field"], "carrier");
  bad = Call("brand_a", "POST", Act("ship"),
             fmt::format(R"({{"tracking": "{}"}})", std::string(101, '7')));
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(bad.body["field"], "tracking");
  EXPECT_EQ(Call("brand_a", "GET", Act("")).body["state"], "approved");
  ASSERT_EQ(
      Call("brand_a", "POST", Act("ship"), R"({"carrier": "DHL", "tracking": "JD014600"})").status,
      200);
  one = Call("brand_a", "GET", Act(""));
  EXPECT_EQ(one.body["shipment"]["carrier"], "DHL");
  EXPECT_EQ(one.body["shipment"]["tracking"], "JD014600");
  EXPECT_FALSE(one.body["shipment"]["at"].get<std::string>().empty());
  EXPECT_EQ(one.body["audit"].back()["to"], "shipped");
  EXPECT_NE(one.body["audit"].back()["reason"].get<std::string>().find("DHL"), std::string::npos);
  EXPECT_NE(one.body["audit"].back()["reason"].get<std::string>().find("JD014600"),
            std::string::npos);

  ASSERT_EQ(Call("creator_a", "POST", Act("deliver")).status, 200);
  // A post's address is shown to the brand: only http(s), and the post is not stored otherwise.
  for (const char* url : {"javascript:alert(1)", "https://x.example/a b", "ftp://x.example/p"}) {
    const Reply refused =
        Call("creator_a", "POST", Act("submit-post"),
             fmt::format(R"({{"post": {{"caption": "#ad love it @glowa", "media": )"
                         R"(["video"], "platform": "instagram", "url": "{}"}}}})",
                         url));
    EXPECT_EQ(refused.status, 422) << url;
    EXPECT_EQ(refused.body["field"], "url") << refused.body.dump();
  }
  EXPECT_EQ(Call("brand_a", "GET", Act("")).body["state"], "delivered");
  EXPECT_TRUE(Call("brand_a", "GET", "/v1/assets").body["items"].empty());
  const Reply posted = Call(
      "creator_a", "POST", Act("submit-post"),
      R"({"post": {"caption": "#ad love it @glowa", "media": ["video"], "platform": "instagram",
      "url": "https://instagram.example/p/1"}})");
  ASSERT_EQ(posted.status, 200) << posted.body.dump();
  // Not in the content library until it is verified.
  EXPECT_TRUE(Call("brand_a", "GET", "/v1/assets").body["items"].empty());
  one = Call("brand_a", "GET", Act(""));
  EXPECT_EQ(one.body["post"]["url"], "https://instagram.example/p/1");
  EXPECT_EQ(one.body["post"]["format"], "video");
  EXPECT_EQ(one.body["post"]["caption"], "#ad love it @glowa");
  EXPECT_TRUE(one.body["post"]["verdict"].is_null());
  ASSERT_EQ(Call("brand_a", "POST", Act("verify")).status, 200);
  one = Call("brand_a", "GET", Act(""));
  EXPECT_EQ(one.body["state"], "completed");
  EXPECT_EQ(Call("brand_a", "GET", "/v1/assets").body["items"].size(), 1u);
  EXPECT_EQ(one.body["post"]["verdict"]["compliant"], true);
}

TEST_P(WorkspaceApiTest, ARemindingBrandEmailsTheCreatorOnceADay) {
  Reply r = Call("brand_a", "POST", Act("remind"));
  EXPECT_EQ(r.status, 409) << r.body.dump();  // invited: nothing is due from the creator yet
  EXPECT_NE(r.body["detail"].get<std::string>().find("invited"), std::string::npos);
  ASSERT_EQ(Call("creator_a", "POST", Act("apply")).status, 200);
  ASSERT_EQ(Call("brand_a", "POST", Act("approve")).status, 200);
  ASSERT_EQ(Call("brand_a", "POST", Act("ship")).status, 200);
  EXPECT_EQ(Call("brand_b", "POST", Act("remind")).status, 404);
  EXPECT_EQ(Call("creator_a", "POST", Act("remind")).status, 403);

  r = Call("brand_a", "POST", Act("remind"));
  ASSERT_EQ(r.status, 200) << r.body.dump();
  EXPECT_EQ(r.body["queued"], true);
  const std::string mail = LastMail();
  EXPECT_NE(mail.find("creator_a@workspace.test"), std::string::npos) << mail;
  EXPECT_NE(mail.find("A launch"), std::string::npos) << mail;
  EXPECT_NE(mail.find("confirm delivery"), std::string::npos) << mail;
  const json audit = Call("brand_a", "GET", Act("")).body["audit"];
  EXPECT_EQ(audit.back()["kind"], "reminder");
  EXPECT_EQ(audit.back()["from"], "shipped");
  EXPECT_EQ(audit.back()["to"], "shipped");

  clock_.AdvanceMs(23 * kHourMs);
  r = Call("brand_a", "POST", Act("remind"));
  EXPECT_EQ(r.status, 429) << r.body.dump();
  EXPECT_EQ(r.retry_after, "3600");
  clock_.AdvanceMs(kHourMs);
  r = Call("operator", "POST", Act("remind"));
  EXPECT_EQ(r.status, 200) << r.body.dump();
  // The reminder is a note: the state and the units sent are as they were.
  EXPECT_EQ(Call("brand_a", "GET", Act("")).body["state"], "shipped");
  EXPECT_EQ(
      Call("brand_a", "GET", fmt::format("/v1/campaigns/{}/report", campaign_)).body["units_used"],
      1);
}

INSTANTIATE_TEST_SUITE_P(Backends, WorkspaceApiTest, ::testing::Values("sqlite", "postgres"));

}  // namespace
}  // namespace seedcast::server

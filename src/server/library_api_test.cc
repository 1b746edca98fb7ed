// The web app's API additions, by behaviour (continued): account edits and their new review,
// shortlists, media kits, fraud flags, the operators' ledger and the content library. On SQLite
// and on a real PostgreSQL (workspace_fixture.h).
#include "app/audit.h"
#include "common/iso_time.h"
#include "server/workspace_fixture.h"

namespace seedcast::server {
namespace {

using nlohmann::json;
using workspace_testing::kHourMs;
using workspace_testing::Reply;

class LibraryApiTest : public workspace_testing::WorkspaceFixture {
 protected:
  // Creator A's assignment taken to completed: verified post, invoice and pay.
  void Complete() {
    ASSERT_EQ(Call("creator_a", "POST", Act("apply")).status, 200);
    ASSERT_EQ(Call("brand_a", "POST", Act("approve")).status, 200);
    ASSERT_EQ(Call("brand_a", "POST", Act("ship")).status, 200);
    ASSERT_EQ(Call("creator_a", "POST", Act("deliver")).status, 200);
    const Reply posted = Call(
        "creator_a", "POST", Act("submit-post"),
        R"({"post": {"caption": "#ad love it @glowa", "media": ["video"], "platform": "instagram",
        "url": "https://instagram.example/p/1"}})");
    ASSERT_EQ(posted.status, 200) << posted.body.dump();
    const Reply verified = Call("brand_a", "POST", Act("verify"));
    ASSERT_EQ(verified.status, 200) << verified.body.dump();
    ASSERT_EQ(verified.body["assignment"]["state"], "completed") << verified.body.dump();
  }

  // Creator A's verified post with its format, hook and duration (after one refused for a
  // malformed duration, which leaves the assignment where it was).
  void SubmitWithDetails() {
    ASSERT_EQ(Call("creator_a", "POST", Act("apply")).status, 200);
    ASSERT_EQ(Call("brand_a", "POST", Act("approve")).status, 200);
    ASSERT_EQ(Call("brand_a", "POST", Act("ship")).status, 200);
    ASSERT_EQ(Call("creator_a", "POST", Act("deliver")).status, 200);
    // A malformed detail refuses the post and leaves the assignment where it was.
    Reply r =
        Call("creator_a", "POST", Act("submit-post"),
             R"({"post": {"caption": "#ad @glowa", "media": ["video"], "duration_s": "long"}})");
    EXPECT_EQ(r.status, 422) << r.body.dump();
    EXPECT_EQ(r.body["field"], "post.duration_s");
    r = Call("creator_a", "POST", Act("submit-post"),
             R"({"post": {"caption": "#ad love it @glowa", "media": ["video"], "format": " Reel",
             "hook": "Unboxing", "duration_s": 21.5, "url": "https://instagram.example/p/2"}})");
    ASSERT_EQ(r.status, 200) << r.body.dump();
    ASSERT_EQ(Call("brand_a", "POST", Act("verify")).status, 200);
  }

  // The id of the one asset in brand A's library, its rights set to expire in 10 days.
  int64_t AssetExpiringIn10Days() {
    SubmitWithDetails();
    const json items = Call("brand_a", "GET", "/v1/assets").body["items"];
    EXPECT_EQ(items.size(), 1u);
    const int64_t id = items.empty() ? 0 : items[0]["id"].get<int64_t>();
    const Reply r = Call("brand_a", "POST", fmt::format("/v1/assets/{}/rights", id),
                         fmt::format(R"({{"scope": "paid", "channels": ["meta", "tiktok"],
                         "expires_at": "{}", "authorization_code": "PA-78"}})",
                                     FormatIsoTime(clock_.NowMs() + int64_t{10} * 24 * kHourMs)));
    EXPECT_EQ(r.status, 200) << r.body.dump();
    return id;
  }

  int64_t InsertAccount(const std::string& who, const std::string& handle, double quality) {
    auto db = ctx_->pool().Acquire(storage::Intent::kWrite);
    EXPECT_TRUE(db.ok());
    const int64_t now = clock_.NowMs();
    auto id = (*db)->Insert(
        "INSERT INTO accounts (creator_id, platform, handle, followers, quality_score, "
        "created_at_ms, updated_at_ms) VALUES (?, 'instagram', ?, 3000, ?, ?, ?)",
        {creators_[who], std::string_view(handle), quality, now, now});
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : 0;
  }

  // The handles of a creator's accounts in the catalogue brands read.
  std::vector<std::string> CatalogueHandles(const std::string& who) {
    const Reply r = Call("brand_a", "GET", fmt::format("/v1/creators/{}", creators_[who]));
    std::vector<std::string> out;
    for (const json& a : r.body.value("accounts", json::array())) out.push_back(a["handle"]);
    return out;
  }
};

TEST_P(LibraryApiTest, AnEditedAccountIsReviewedAgainAndLeavesTheCatalogueUntilApproved) {
  EXPECT_EQ(CatalogueHandles("creator_a"), std::vector<std::string>{"ana.makes"});
  const std::string path = fmt::format("/v1/me/accounts/{}", account_);
  Reply r = Call("creator_a", "POST", path, R"({"followers": "many"})");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.body["field"], "followers");
  r = Call("creator_a", "POST", path, R"({"handle": "someone.else"})");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.body["field"], "handle");
  EXPECT_EQ(Call("creator_b", "POST", path, R"({"followers": 50})").status, 404);
  EXPECT_EQ(Call("brand_a", "POST", path, R"({"followers": 50})").status, 403);

  r = Call("creator_a", "POST", path, R"({"followers": 50, "bio": "new bio"})");
  ASSERT_EQ(r.status, 200) << r.body.dump();
  EXPECT_EQ(r.body["account_id"], account_);
  EXPECT_EQ(r.body["followers"], 50);
  EXPECT_EQ(r.body["status"], "pending");
  EXPECT_EQ(r.body["gate_passed"], false);
  EXPECT_NE(r.body["reasons"][0].get<std::string>().find("50 followers"), std::string::npos);
  EXPECT_TRUE(CatalogueHandles("creator_a").empty());
  // No product goes to it meanwhile.
  ASSERT_EQ(Call("creator_a", "POST", Act("apply")).status, 200);
  r = Call("brand_a", "POST", Act("approve"));
  EXPECT_EQ(r.status, 409) << r.body.dump();
  EXPECT_EQ(r.body["reason"], "account_not_approved");
  // An operator's approval brings it back, with the new numbers.
  r = Call("operator", "POST", fmt::format("/v1/reviews/{}", account_),
           R"({"decision": "approve", "reason": "checked"})");
  ASSERT_EQ(r.status, 200) << r.body.dump();
  EXPECT_EQ(CatalogueHandles("creator_a"), std::vector<std::string>{"ana.makes"});
  const json mine = Call("creator_a", "GET", "/v1/me/accounts").body["items"];
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0]["followers"], 50);
  EXPECT_EQ(mine[0]["status"], "approved");
}

TEST_P(LibraryApiTest, ShortlistsBelongToOneOrganisation) {
  Reply r = Call("brand_a", "POST", "/v1/shortlists", R"({"name": "Summer picks"})");
  ASSERT_EQ(r.status, 201) << r.body.dump();
  const int64_t id = r.body["id"];
  EXPECT_EQ(r.body["count"], 0);
  r = Call("brand_a", "POST", "/v1/shortlists", R"({"name": "Summer picks"})");
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(Call("brand_b", "POST", "/v1/shortlists", R"({"name": "Summer picks"})").status, 201);
  EXPECT_EQ(Call("brand_a", "POST", "/v1/shortlists", R"({"name": ""})").body["field"], "name");
  r = Call("operator", "POST", "/v1/shortlists", R"({"name": "Ops"})");
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.body["reason"], "no_organisation");

  const std::string creators = fmt::format("/v1/shortlists/{}/creators", id);
  const std::string add = fmt::format(R"({{"creator_id": {}}})", creators_["creator_a"]);
  EXPECT_EQ(Call("brand_a", "POST", creators, add).body["added"], true);
  EXPECT_EQ(Call("brand_a", "POST", creators, add).body["added"], false);
  EXPECT_EQ(Call("brand_a", "POST", creators, R"({"creator_id": 999999})").status, 404);
  EXPECT_EQ(Call("brand_b", "POST", creators, add).status, 404);

  r = Call("brand_a", "GET", fmt::format("/v1/shortlists/{}", id));
  ASSERT_EQ(r.status, 200) << r.body.dump();
  EXPECT_EQ(r.body["name"], "Summer picks");
  ASSERT_EQ(r.body["creators"].size(), 1u);
  const json& c = r.body["creators"][0];
  EXPECT_EQ(c["creator_id"], creators_["creator_a"]);
  EXPECT_EQ(c["name"], "Ana Creator");
  EXPECT_EQ(c["handle"], "ana.makes");
  EXPECT_EQ(c["platform"], "instagram");
  EXPECT_EQ(c["followers"], 5000);
  EXPECT_EQ(Call("brand_b", "GET", fmt::format("/v1/shortlists/{}", id)).status, 404);
  const json mine = Call("brand_a", "GET", "/v1/shortlists").body["items"];
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0]["count"], 1);
  EXPECT_EQ(Call("operator", "GET", "/v1/shortlists").body["items"].size(), 2u);

  const std::string remove =
      fmt::format("/v1/shortlists/{}/creators/{}/remove", id, creators_["creator_a"]);
  EXPECT_EQ(Call("brand_a", "POST", remove).body["removed"], true);
  EXPECT_EQ(Call("brand_a", "POST", remove).body["removed"], false);
  EXPECT_TRUE(
      Call("brand_a", "GET", fmt::format("/v1/shortlists/{}", id)).body["creators"].empty());
}

TEST_P(LibraryApiTest, AMediaKitIsSeenByBrandsAndItsOwnerAndByAnyoneOncePublished) {
  ASSERT_EQ(Call("creator_a", "POST", "/v1/me/contact", R"({"address": "12 Hidden Lane"})").status,
            200);
  const std::string path = "/v1/kits/instagram/ana.makes";
  EXPECT_EQ(Call("anonymous", "GET", path).status, 404);
  EXPECT_EQ(Call("creator_b", "GET", path).status, 404);
  EXPECT_EQ(Call("anonymous", "GET", "/v1/kits/instagram/nobody.here").status, 404);
  Reply r = Call("brand_a", "GET", path);
  ASSERT_EQ(r.status, 200) << r.body.dump();
  EXPECT_EQ(r.body["name"], "Ana Creator");
  EXPECT_EQ(r.body["tier"], "nano");
  EXPECT_EQ(r.body["followers"], 5000);
  EXPECT_EQ(r.body["quality_score"], 90);
  EXPECT_EQ(r.body["published"], false);
  EXPECT_EQ(r.body["mine"], false);
  EXPECT_GT(r.body["benchmark_engagement_rate"].get<double>(), 0.01);
  EXPECT_EQ(r.body["rates"]["guidance_cents"]["low"], 1000);  // nano Instagram: $10-100
  EXPECT_EQ(r.body["rates"]["guidance_cents"]["high"], 10000);
  EXPECT_EQ(r.body["rates"]["guidance_cents"]["typical"], 3200);  // their geometric mean
  EXPECT_NE(r.body["rates"]["basis"].get<std::string>().find("industry"), std::string::npos);
  EXPECT_TRUE(r.body["collaborations"].empty());
  EXPECT_TRUE(r.body["audience"].is_null());
  EXPECT_EQ(Call("creator_a", "GET", path).body["mine"], true);

  const std::string save = "/v1/me/kits/instagram/ana.makes";
  r = Call("creator_a", "POST", save,
           fmt::format(R"({{"headline": "{}"}})", std::string(121, 'h')));
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.body["field"], "headline");
  EXPECT_EQ(Call("creator_b", "POST", save, R"({"published": true})").status, 404);
  r = Call("creator_a", "POST", save,
           R"({"headline": "Skincare for real life", "about": "Routines.", "published": true})");
  ASSERT_EQ(r.status, 200) << r.body.dump();
  EXPECT_EQ(r.body["published"], true);
  ASSERT_NO_FATAL_FAILURE(Complete());
  r = Call("anonymous", "GET", path);
  ASSERT_EQ(r.status, 200) << r.body.dump();
  EXPECT_EQ(r.body["headline"], "Skincare for real life");
  EXPECT_EQ(r.body["about"], "Routines.");
  EXPECT_EQ(r.body["mine"], false);
  ASSERT_EQ(r.body["collaborations"].size(), 1u);
  EXPECT_EQ(r.body["collaborations"][0]["campaign"], "A launch");
  EXPECT_EQ(r.body["collaborations"][0]["brand"], "Glow A");
  EXPECT_EQ(r.body["collaborations"][0]["state"], "completed");
  EXPECT_EQ(r.body.dump().find("Hidden Lane"), std::string::npos);
  EXPECT_EQ(r.body.dump().find("@workspace.test"), std::string::npos);
  // A partial edit keeps the rest.
  r = Call("creator_a", "POST", save, R"({"about": "New text."})");
  EXPECT_EQ(r.body["headline"], "Skincare for real life");
  EXPECT_EQ(r.body["published"], true);
}

TEST_P(LibraryApiTest, FlaggedAccountsAreClearedOrSuspendedOutOfTheCatalogue) {
  const int64_t fake = InsertAccount("creator_b", "bo.fake", 0.2);
  const int64_t meh = InsertAccount("creator_b", "bo.meh", 0.5);
  InsertAccount("creator_b", "bo.real", 0.95);
  EXPECT_EQ(Call("brand_a", "GET", "/v1/flags").status, 403);
  Reply r = Call("operator", "GET", "/v1/flags");
  ASSERT_EQ(r.status, 200) << r.body.dump();
  ASSERT_EQ(r.body["items"].size(), 2u) << r.body.dump();
  EXPECT_EQ(r.body["items"][0]["account_id"], fake);
  EXPECT_EQ(r.body["items"][0]["handle"], "bo.fake");
  EXPECT_DOUBLE_EQ(r.body["items"][0]["fake_probability"].get<double>(), 0.8);
  EXPECT_EQ(r.body["items"][0]["quality_score"], 20);
  EXPECT_EQ(r.body["items"][0]["status"], "approved");
  EXPECT_NE(r.body["items"][0]["reasons"][0].get<std::string>().find("below the gate"),
            std::string::npos);
  EXPECT_EQ(r.body["items"][1]["account_id"], meh);

  EXPECT_EQ(Call("operator", "POST", fmt::format("/v1/flags/{}", meh), R"({"decision": "ban"})")
                .body["field"],
            "decision");
  EXPECT_EQ(Call("operator", "POST", "/v1/flags/999999", R"({"decision": "clear"})").status, 404);
  r = Call("operator", "POST", fmt::format("/v1/flags/{}", meh),
           R"({"decision": "clear", "reason": "real audience, checked"})");
  ASSERT_EQ(r.status, 200) << r.body.dump();
  EXPECT_EQ(r.body["status"], "approved");
  r = Call("operator", "POST", fmt::format("/v1/flags/{}", fake),
           R"({"decision": "suspend", "reason": "bought followers"})");
  ASSERT_EQ(r.status, 200) << r.body.dump();
  EXPECT_EQ(r.body["status"], "suspended");
  EXPECT_TRUE(Call("operator", "GET", "/v1/flags").body["items"].empty());
  // The creator cannot lift the suspension by editing the account (it would go back to review).
  r = Call("creator_b", "POST", fmt::format("/v1/me/accounts/{}", fake), R"({"followers": 90000})");
  EXPECT_EQ(r.status, 409) << r.body.dump();
  EXPECT_EQ(r.body["reason"], "account_suspended");
  const std::vector<std::string> listed = CatalogueHandles("creator_b");
  EXPECT_EQ(std::count(listed.begin(), listed.end(), "bo.fake"), 0);
  EXPECT_EQ(std::count(listed.begin(), listed.end(), "bo.meh"), 1);
  for (const char* kind : {"account_flag_cleared", "account_suspended"}) {
    auto events = app::ListEvents(*ctx_, storage::Scope::Everything(), {.kind = kind});
    ASSERT_TRUE(events.ok());
    ASSERT_EQ(events->size(), 1u) << kind;
  }
}

TEST_P(LibraryApiTest, OperatorsReadTheWholeLedgerAndBrandsTheirContentLibrary) {
  ASSERT_NO_FATAL_FAILURE(Complete());
  EXPECT_EQ(Call("brand_a", "GET", "/v1/ledger").status, 403);
  Reply r = Call("operator", "GET", "/v1/ledger");
  ASSERT_EQ(r.status, 200) << r.body.dump();
  const json all = r.body["items"];
  ASSERT_EQ(all.size(), 2u) << all.dump();  // the invoice line and the creator's pay
  EXPECT_GT(all[0]["id"].get<int64_t>(), all[1]["id"].get<int64_t>());
  EXPECT_EQ(all[0]["campaign_id"], campaign_);
  r = Call("operator", "GET", "/v1/ledger?kind=creator_pay");
  ASSERT_EQ(r.body["items"].size(), 1u);
  EXPECT_EQ(r.body["items"][0]["entries"].size(), 2u);
  r = Call("operator", "GET", fmt::format("/v1/ledger?before={}", all[0]["id"].get<int64_t>()));
  ASSERT_EQ(r.body["items"].size(), 1u);
  EXPECT_EQ(r.body["items"][0]["id"], all[1]["id"]);

  r = Call("brand_a", "GET", "/v1/assets");
  ASSERT_EQ(r.status, 200) << r.body.dump();
  ASSERT_EQ(r.body["items"].size(), 1u);
  const json& asset = r.body["items"][0];
  EXPECT_EQ(asset["campaign_id"], campaign_);
  EXPECT_EQ(asset["campaign"], "A launch");
  EXPECT_EQ(asset["creator_id"], creators_["creator_a"]);
  EXPECT_EQ(asset["handle"], "ana.makes");
  EXPECT_EQ(asset["kind"], "video");
  EXPECT_EQ(asset["uri"], "https://instagram.example/p/1");
  EXPECT_EQ(asset["usage_rights"], "paid");
  EXPECT_EQ(asset["caption"], "#ad love it @glowa");
  EXPECT_TRUE(Call("brand_b", "GET", "/v1/assets").body["items"].empty());
  EXPECT_EQ(Call("operator", "GET", "/v1/assets").body["items"].size(), 1u);
  EXPECT_TRUE(Call("brand_a", "GET", "/v1/assets?kind=photo").body["items"].empty());
  EXPECT_TRUE(Call("brand_a", "GET", "/v1/assets?usage_rights=organic").body["items"].empty());
  EXPECT_EQ(Call("brand_a", "GET", "/v1/assets?creator=ana.makes").body["items"].size(), 1u);
  EXPECT_EQ(Call("brand_a", "GET", fmt::format("/v1/assets?creator={}", creators_["creator_a"]))
                .body["items"]
                .size(),
            1u);
  EXPECT_TRUE(Call("brand_a", "GET", "/v1/assets?campaign_id=999").body["items"].empty());
}

TEST_P(LibraryApiTest, AssetsCarryTheirDetailsAndUsageRightsSetByTheirBrandOnly) {
  ASSERT_NO_FATAL_FAILURE(SubmitWithDetails());
  Reply r = Call("brand_a", "GET", "/v1/assets");
  ASSERT_EQ(r.body["items"].size(), 1u) << r.body.dump();
  json asset = r.body["items"][0];
  const int64_t id = asset["id"];
  EXPECT_EQ(asset["code"], fmt::format("SCA-{}", id));
  EXPECT_EQ(asset["kind"], "video");
  EXPECT_EQ(asset["format"], "reel");
  EXPECT_EQ(asset["hook"], "unboxing");
  EXPECT_EQ(asset["duration_s"], 21.5);
  EXPECT_EQ(asset["usage_rights"], "paid");
  EXPECT_EQ(asset["rights"]["scope"], "paid");  // the campaign's grant
  EXPECT_EQ(asset["rights"]["state"], "active");
  EXPECT_EQ(asset["rights"]["usable_for_paid"], true);
  EXPECT_TRUE(asset["rights"]["expires_at"].is_null());

  const std::string path = fmt::format("/v1/assets/{}/rights", id);
  EXPECT_EQ(Call("brand_b", "POST", path, R"({"scope": "organic"})").status, 404);
  EXPECT_EQ(Call("creator_a", "POST", path, R"({"scope": "organic"})").status, 403);
  EXPECT_EQ(Call("brand_a", "POST", "/v1/assets/999999/rights", "{}").status, 404);
  EXPECT_EQ(Call("brand_a", "POST", path, R"({"scope": "ads"})").body["field"], "scope");
  EXPECT_EQ(Call("brand_a", "POST", path, R"({"channels": ["myspace"]})").body["field"],
            "channels");
  EXPECT_EQ(Call("brand_a", "POST", path, R"({"channels": "meta"})").body["field"], "channels");
  EXPECT_EQ(Call("brand_a", "POST", path, R"({"expires_at": "soon"})").body["field"], "expires_at");
  EXPECT_EQ(Call("brand_a", "POST", path, R"({"term": 3})").status, 422);
  const int64_t expires = clock_.NowMs() + int64_t{10} * 24 * kHourMs;
  r = Call("brand_a", "POST", path,
           fmt::format(R"({{"scope": "paid", "channels": ["TikTok", "meta"], "expires_at": "{}",
           "authorization_code": "PA-77"}})",
                       FormatIsoTime(expires)));
  ASSERT_EQ(r.status, 200) << r.body.dump();
  EXPECT_EQ(r.body["rights"]["channels"], json::array({"meta", "tiktok"}));
  EXPECT_EQ(r.body["rights"]["state"], "expiring");
  EXPECT_EQ(r.body["rights"]["expiring"], true);
  EXPECT_EQ(r.body["rights"]["days_left"], 10);
  EXPECT_EQ(r.body["rights"]["authorization_code"], "PA-77");
  EXPECT_EQ(r.body["rights"]["usable_for_paid"], true);
  // A partial edit keeps the rest.
  r = Call("brand_a", "POST", path, R"({"authorization_code": "PA-78"})");
  EXPECT_EQ(r.body["rights"]["channels"], json::array({"meta", "tiktok"}));
  EXPECT_EQ(r.body["rights"]["expires_at"], FormatIsoTime(expires));
}

TEST_P(LibraryApiTest, TheLibraryIsFilteredByTheRightsStateNowAndExportedAsCsv) {
  const int64_t id = AssetExpiringIn10Days();
  ASSERT_NE(id, 0);
  auto count = [&](const std::string& query) {
    const Reply got = Call("brand_a", "GET", "/v1/assets?" + query);
    EXPECT_EQ(got.status, 200) << query << ": " << got.body.dump();
    return got.body.value("items", json::array()).size();
  };
  EXPECT_EQ(count("expiring=true"), 1u);
  EXPECT_EQ(count("usable_for_paid=true"), 1u);
  EXPECT_EQ(count("rights=paid&format=reel"), 1u);
  EXPECT_EQ(count("rights=organic"), 0u);
  EXPECT_EQ(count("format=story"), 0u);
  EXPECT_EQ(Call("brand_a", "GET", "/v1/assets?expiring=maybe").body["field"], "expiring");
  EXPECT_EQ(Call("brand_a", "GET", "/v1/assets?rights=ads").body["field"], "rights");
  EXPECT_TRUE(Call("brand_b", "GET", "/v1/assets?usable_for_paid=true").body["items"].empty());

  // Past its term the asset is not usable for paid, and no longer flagged as expiring.
  clock_.AdvanceMs(int64_t{11} * 24 * kHourMs);
  const json asset = Call("brand_a", "GET", "/v1/assets").body["items"][0];
  EXPECT_EQ(asset["rights"]["state"], "expired");
  EXPECT_EQ(asset["rights"]["usable_for_paid"], false);
  EXPECT_EQ(count("usable_for_paid=true"), 0u);
  EXPECT_EQ(count("expiring=true"), 0u);

  Request csv_request;
  csv_request.method = "GET";
  csv_request.path = "/v1/assets.csv";
  csv_request.client = "127.0.0.1";
  csv_request.headers = {{"host", "127.0.0.1"}, {"authorization", "Bearer " + keys_["brand_a"]}};
  const Response csv = dispatcher_->Handle(csv_request);
  Record(csv_request, csv);
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(csv.content_type, "text/csv; charset=utf-8");
  std::istringstream lines(csv.body);
  std::string header, row, extra;
  ASSERT_TRUE(std::getline(lines, header) && std::getline(lines, row));
  EXPECT_FALSE(std::getline(lines, extra));
  EXPECT_TRUE(header.starts_with("id,code,campaign_id,campaign,")) << header;
  EXPECT_NE(row.find(fmt::format("{},SCA-{},", id, id)), std::string::npos) << row;
  EXPECT_NE(row.find(",\"meta,tiktok\","), std::string::npos) << row;
  EXPECT_NE(row.find(",PA-78,expired,false,0,false,false,"), std::string::npos) << row;
}

TEST_P(LibraryApiTest, RateEstimatesComeFromAcceptedRatesOrTheReference) {
  Reply r = Call("creator_a", "GET",
                 "/v1/rates?platform=ig&followers=25000&niche=Beauty&engagement_rate=0.04");
  ASSERT_EQ(r.status, 200) << r.body.dump();
  EXPECT_EQ(r.body["tier"], "micro");
  EXPECT_EQ(r.body["by_segment"]["source"], "reference");
  EXPECT_EQ(r.body["by_segment"]["platform"], "instagram");
  EXPECT_EQ(r.body["by_segment"]["p50_cents"], 22400);
  EXPECT_EQ(r.body["by_engagement"]["engagement_band"], "3%-6%");
  EXPECT_EQ(Call("anonymous", "GET", "/v1/rates?platform=instagram&followers=1").status, 401);
  EXPECT_EQ(Call("brand_a", "GET", "/v1/rates?platform=instagram").body["field"], "followers");
  EXPECT_EQ(Call("brand_a", "GET", "/v1/rates?followers=10").body["field"], "platform");
  EXPECT_EQ(Call("brand_a", "GET", "/v1/rates?platform=instagram&followers=10&niche=zzzqqq")
                .body["field"],
            "niche");
  EXPECT_EQ(Call("brand_a", "GET", "/v1/rates?platform=instagram&followers=10&engagement_rate=x")
                .body["field"],
            "engagement_rate");
  EXPECT_EQ(Call("brand_a", "GET", "/v1/rates?platform=instagram&followers=10&min_sample=0")
                .body["field"],
            "min_sample");

  // Creator A's completed post paid $60: one accepted rate for nano Instagram creators.
  ASSERT_NO_FATAL_FAILURE(Complete());
  r = Call("brand_a", "GET", "/v1/rates?platform=instagram&followers=5000&min_sample=1");
  ASSERT_EQ(r.status, 200) << r.body.dump();
  EXPECT_EQ(r.body["by_segment"]["source"], "instance");
  EXPECT_EQ(r.body["by_segment"]["sample_size"], 1);
  EXPECT_EQ(r.body["by_segment"]["p50_cents"], 6000);
  EXPECT_TRUE(r.body["by_engagement"].is_null());
  r = Call("brand_a", "GET", "/v1/rates?platform=instagram&followers=5000");
  EXPECT_EQ(r.body["by_segment"]["source"], "reference");
  EXPECT_EQ(r.body["min_sample"], 5);
  // The media kit carries the same estimate.
  r = Call("brand_a", "GET", "/v1/kits/instagram/ana.makes");
  EXPECT_EQ(r.body["rates"]["estimate"]["by_segment"]["source"], "reference");
  EXPECT_EQ(r.body["rates"]["guidance_cents"]["typical"],
            r.body["rates"]["estimate"]["by_segment"]["p50_cents"]);
}

INSTANTIATE_TEST_SUITE_P(Backends, LibraryApiTest, ::testing::Values("sqlite", "postgres"));

}  // namespace
}  // namespace seedcast::server

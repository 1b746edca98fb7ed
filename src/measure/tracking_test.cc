// Tracked links, clicks, visitor hashes and their salts, user-agent classes and discount codes, on
// SQLite and a real PostgreSQL server.
#include <gtest/gtest.h>

#include "campaign/campaign_store.h"
#include "measure/discount_codes.h"
#include "measure/links.h"
#include "measure/shopify_orders.h"
#include "measure/user_agents.h"
#include "storage/creator_store.h"
#include "storage/testing/test_database.h"

namespace seedcast::measure {
namespace {

constexpr int64_t kNow = 1'775'000'000'000;  // 2026-03-31T23:33:20Z
constexpr std::string_view kPhone =
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/17.4 Mobile/15E148 Safari/604.1";

// Whether every character of `s` is in `alphabet`.
bool OnlyOf(std::string_view s, std::string_view alphabet) {
  return s.find_first_not_of(alphabet) == std::string_view::npos;
}

constexpr std::string_view kBase62 =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

TEST(AgentClasses, CrawlersPreviewersAndDevices) {
  const AgentClassifier& agents = AgentClassifier::BuiltIn();
  EXPECT_GT(agents.bot_patterns(), 50U);
  const std::pair<std::string_view, AgentClass> cases[] = {
      {"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
       AgentClass::kBot},
      {"facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
       AgentClass::kBot},
      {"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_1) AppleWebKit/601.2.4 (KHTML, like Gecko) "
       "Version/9.0.1 Safari/601.2.4 facebookexternalhit/1.1 Facebot Twitterbot/1.0",
       AgentClass::kBot},
      {"Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", AgentClass::kBot},
      {"WhatsApp/2.23.20.0", AgentClass::kBot},
      {"TelegramBot (like TwitterBot)", AgentClass::kBot},
      {"curl/8.5.0", AgentClass::kBot},
      {"python-requests/2.31.0", AgentClass::kBot},
      {"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
       "HeadlessChrome/120.0.0.0 Safari/537.36",
       AgentClass::kBot},
      {kPhone, AgentClass::kMobile},
      {"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
       "Chrome/120.0 Mobile Safari/537.36",
       AgentClass::kMobile},
      {"Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
       "Version/17.4 Mobile/15E148 Safari/604.1",
       AgentClass::kTablet},
      {"Mozilla/5.0 (Linux; Android 13; SM-X200) AppleWebKit/537.36 (KHTML, like Gecko) "
       "Chrome/120.0 Safari/537.36",
       AgentClass::kTablet},
      {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
       "Chrome/120.0 Safari/537.36",
       AgentClass::kDesktop},
      {"", AgentClass::kOther},
  };
  for (const auto& [ua, want] : cases) {
    EXPECT_EQ(AgentClassName(agents.Classify(ua)), AgentClassName(want)) << ua;
  }
  // A list of one's own: comments and blank lines skipped, matched case-insensitively.
  const AgentClassifier own("# mine\n\nMyMonitor\n");
  EXPECT_EQ(own.bot_patterns(), 1U);
  EXPECT_EQ(own.Classify("mymonitor/1.0"), AgentClass::kBot);
}

TEST(Clicks, ReferrerKeepsOnlyItsOriginAndHashesAreKeyed) {
  EXPECT_EQ(ReferrerOrigin("https://l.instagram.com/?u=https%3A%2F%2Fx&e=ann%40example.com"),
            "https://l.instagram.com");
  EXPECT_EQ(ReferrerOrigin("http://localhost:8080/a"), "http://localhost:8080");
  EXPECT_EQ(ReferrerOrigin("android-app://com.google.android.gm/"),
            "android-app://com.google.android.gm");
  EXPECT_EQ(ReferrerOrigin("not a url"), "");
  const std::vector<unsigned char> salt_a(32, 1), salt_b(32, 2);
  const std::string h = VisitorHash(salt_a, "203.0.113.9", kPhone);
  EXPECT_EQ(h.size(), 32U);
  EXPECT_EQ(h, VisitorHash(salt_a, "203.0.113.9", kPhone));
  EXPECT_NE(h, VisitorHash(salt_b, "203.0.113.9", kPhone));
  EXPECT_NE(h, VisitorHash(salt_a, "203.0.113.10", kPhone));
  EXPECT_NE(VisitorHash(salt_a, "a", "bc"), VisitorHash(salt_a, "ab", "c"));
}

TEST(ShopifyTimes, ShopifysOffsetFormAndIso) {
  EXPECT_EQ(*ParseShopifyTime("2019-03-27 13:49:41 -0400"), 1553708981000);
  EXPECT_EQ(*ParseShopifyTime("2019-03-27T17:49:41Z"), 1553708981000);
  EXPECT_FALSE(ParseShopifyTime("last tuesday").ok());
  Utm utm = UtmOfNoteAttributes("UTM Source: ig\nutm-content: abc\nlanding_site: /p?utm_term=x");
  EXPECT_EQ(utm["source"], "ig");
  EXPECT_EQ(utm["content"], "abc");
  EXPECT_EQ(utm["term"], "x");
}

TEST(DiscountCodes, PatternsExpand) {
  auto zero = [](uint32_t) { return uint32_t{0}; };
  EXPECT_EQ(*ExpandCodePattern("{HANDLE}{NN}", "anna.glow_beauty!", zero), "ANNAGLOWBEAU00");
  EXPECT_EQ(*ExpandCodePattern("SEED-{XXXX}", "", zero), "SEED-2222");
  for (int i = 0; i < 20; ++i) {
    const std::string code = *ExpandCodePattern("seed-{XXXX}", "x");
    ASSERT_EQ(code.size(), 9U);
    EXPECT_TRUE(code.starts_with("SEED-") &&
                OnlyOf(code.substr(5), "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"))
        << code;
  }
  EXPECT_EQ(ExpandCodePattern("{WHO}", "a").status().field(), "code_pattern");
  EXPECT_EQ(ExpandCodePattern("{HANDLE", "anna").status().field(), "code_pattern");
  EXPECT_TRUE(OnlyOf(*ExpandCodePattern("A{NN}", ""), "A0123456789"));
  EXPECT_FALSE(ExpandCodePattern("{HANDLE}", "").ok());  // too short
  EXPECT_EQ(CodeKey(" anna10 "), "ANNA10");
}

class TrackingStore : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto created = storage::testing::TestDatabase::Create(GetParam(), clock_);
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    test_db_ = std::move(created).value();
    campaign::CampaignStore store(db(), clock_, storage::Scope::Everything());
    auto spec = campaign::ParseCampaignSpec(
        R"({"name": "Spring glow", "brand": "Glow Co", "target_posts": 2, "product": {"name":
            "Glow serum", "sku": "GLOW-30", "price_cents": 2400, "units_available": 50}})",
        false);
    ASSERT_TRUE(spec.ok()) << spec.status().ToString();
    auto c = store.CreateCampaign(*spec);
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    campaign_ = *c;
    storage::CreatorStore creators(db(), clock_);
    for (const char* handle : {"anna.glow", "ben.makes"}) {
      model::Account account;
      account.platform = "instagram";
      account.handle = handle;
      account.followers = 9'000;
      auto added = creators.UpsertAccount({}, account);
      ASSERT_TRUE(added.ok()) << added.status().ToString();
      auto a = store.Invite(campaign_.id, added->creator_id, added->account_id, 0.8, kNow + kDayMs,
                            "test", "");
      ASSERT_TRUE(a.ok()) << a.status().ToString();
      assignments_.push_back(*a);
    }
  }
  storage::Database& db() { return test_db_->db(); }

  FakeClock clock_{kNow};
  std::unique_ptr<storage::testing::TestDatabase> test_db_;
  campaign::Campaign campaign_;
  std::vector<campaign::Assignment> assignments_;
};

TEST_P(TrackingStore, LinkPointsAtTheLandingUrlWithUtm) {
  auto link =
      CreateLink(db(), campaign_, assignments_[0], "https://glow.example/serum?c=red", kNow);
  ASSERT_TRUE(link.ok()) << link.status().ToString();
  EXPECT_TRUE(link->code.size() == 8 && OnlyOf(link->code, kBase62)) << link->code;
  EXPECT_EQ(link->target_url,
            "https://glow.example/serum?c=red&utm_campaign=Spring%20glow&utm_content=" +
                link->code + "&utm_medium=creator&utm_source=seedcast");
  EXPECT_EQ(
      CreateLink(db(), campaign_, assignments_[0], "https://glow.example", kNow).status().reason(),
      "link_exists");
  EXPECT_EQ(
      CreateLink(db(), campaign_, assignments_[1], "javascript:alert(1)", kNow).status().reason(),
      "bad_url");
  auto found = FindRedirect(db(), link->code);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->target_url, link->target_url);
  EXPECT_FALSE(FindRedirect(db(), "nope0000")->has_value());
  EXPECT_FALSE(FindRedirect(db(), "'; DROP TABLE clicks; --")->has_value());
  auto again = LinkOfAssignment(db(), assignments_[0].id);
  ASSERT_TRUE(again.ok() && again->has_value());
  EXPECT_EQ((*again)->code, link->code);
  EXPECT_EQ(LinksOfCampaign(db(), campaign_.id)->size(), 1U);
}

TEST_P(TrackingStore, ClicksCountPeopleOncePerDayAndNeverBots) {
  auto link = CreateLink(db(), campaign_, assignments_[0], "https://glow.example/serum", kNow);
  ASSERT_TRUE(link.ok());
  const int64_t day = kNow - 2 * kDayMs;
  const std::string desktop = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0";
  std::vector<Click> clicks = {
      {link->id, day + 1, "https://l.instagram.com/x?e=ann@example.com", std::string(kPhone),
       "203.0.113.9"},
      {link->id, day + 2, "", std::string(kPhone), "203.0.113.9"},
      {link->id, day + 3, "", desktop, "203.0.113.9"},  // another agent: another visitor
      {link->id, day + 4, "", "Twitterbot/1.0", "203.0.113.50"},
      {link->id, day + kDayMs + 5, "", std::string(kPhone), "203.0.113.9"},  // the next day
  };
  ASSERT_TRUE(WriteClicks(db(), clicks, AgentClassifier::BuiltIn(), kNow).ok());
  auto tracking = CampaignTracking(db(), campaign_.id);
  ASSERT_TRUE(tracking.ok()) << tracking.status().ToString();
  ASSERT_EQ(tracking->size(), 1U);
  const CreatorTracking& t = (*tracking)[0];
  EXPECT_EQ(t.creator_id, assignments_[0].creator_id);
  EXPECT_EQ(t.link_code, link->code);
  EXPECT_EQ(t.clicks, 4);
  EXPECT_EQ(t.unique_clicks, 3);
  EXPECT_EQ(t.bot_clicks, 1);
  // Nothing of the address, the agent or the referrer's path is stored.
  EXPECT_EQ(*db().QueryInt("SELECT COUNT(*) FROM clicks WHERE visitor_hash LIKE '%203.0%' OR "
                           "referrer LIKE '%example%' OR agent_class NOT IN ('mobile', 'desktop', "
                           "'bot')"),
            0);
  EXPECT_EQ(
      *db().QueryInt("SELECT COUNT(*) FROM clicks WHERE referrer = 'https://l.instagram.com'"), 1);
  EXPECT_EQ(*db().QueryInt("SELECT COUNT(*) FROM click_salts"), 2);
  // Days later the old salts are gone: those hashes can no longer be recomputed.
  ASSERT_TRUE(WriteClicks(db(), {}, AgentClassifier::BuiltIn(), kNow + 5 * kDayMs).ok());
  EXPECT_EQ(*db().QueryInt("SELECT COUNT(*) FROM click_salts"), 0);
  EXPECT_EQ(CampaignTracking(db(), campaign_.id)->at(0).unique_clicks, 3);
}

TEST_P(TrackingStore, OneUniqueCodePerAssignment) {
  const campaign::Assignment& a = assignments_[0];
  const NewCode request{.brand_id = campaign_.brand_id,
                        .creator_id = a.creator_id,
                        .assignment_id = a.id,
                        .handle = "anna.glow",
                        .pattern = "{HANDLE}"};
  auto code = IssueCode(db(), request, kNow);
  ASSERT_TRUE(code.ok()) << code.status().ToString();
  EXPECT_EQ(code->code, "ANNAGLOW");
  EXPECT_EQ(IssueCode(db(), request, kNow).status().reason(), "code_exists");
  // Another assignment's code from the same fixed pattern gets a number.
  NewCode other = request;
  other.assignment_id = assignments_[1].id;
  other.creator_id = assignments_[1].creator_id;
  auto second = IssueCode(db(), other, kNow);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->code, "ANNAGLOW2");
  auto stored = CodeOfAssignment(db(), a.id);
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->code, "ANNAGLOW");
  EXPECT_EQ((*stored)->source, "generated");
}

INSTANTIATE_TEST_SUITE_P(Backends, TrackingStore, ::testing::Values("sqlite", "postgres"));

}  // namespace
}  // namespace seedcast::measure

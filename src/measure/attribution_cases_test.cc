// The declarative attribution cases (testdata/attribution_cases/NAME/): setup.json (creators with
// their link code, discount code, clicks and posts; the window), orders.csv (a Shopify orders
// export), codes.csv when codes issued elsewhere are imported first, and expected.json (the JSON
// summary, the stored orders, the imported codes). Each case runs on SQLite and PostgreSQL, and
// is imported twice: the second import must change nothing and record no event.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "campaign/campaign_store.h"
#include "common/iso_time.h"
#include "measure/attribution.h"
#include "measure/discount_codes.h"
#include "measure/links.h"
#include "storage/creator_store.h"
#include "storage/testing/test_database.h"

namespace seedcast::measure {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr int64_t kNow = 1'775'000'000'000;  // 2026-03-31

fs::path CasesDir() {
  const char* root = std::getenv("SEEDCAST_SOURCE_DIR");  // NOLINT(concurrency-mt-unsafe)
  return fs::path(root != nullptr ? root : ".") / "src/measure/testdata/attribution_cases";
}

json ReadJson(const fs::path& p) {
  std::ifstream in(p);
  return json::parse(in);
}

int64_t Time(const json& text) {
  auto t = ParseShopifyTime(text.get<std::string>());
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  return t.ok() ? *t : 0;
}

// Each key of `want` is in `got` with the same value; arrays match element by element.
void ExpectWithin(const json& want, const json& got, const std::string& where) {
  if (want.is_object()) {
    ASSERT_TRUE(got.is_object()) << where << ": got " << got.dump();
    for (const auto& [key, value] : want.items()) {
      ASSERT_TRUE(got.contains(key)) << where << ": no " << key << " in " << got.dump();
      ExpectWithin(value, got[key], fmt::format("{}.{}", where, key));
    }
  } else if (want.is_array()) {
    ASSERT_TRUE(got.is_array() && got.size() == want.size()) << where << ": got " << got.dump();
    for (size_t i = 0; i < want.size(); ++i) {
      ExpectWithin(want[i], got[i], fmt::format("{}[{}]", where, i));
    }
  } else {
    EXPECT_EQ(want, got) << where;
  }
}

class AttributionCases : public ::testing::TestWithParam<std::tuple<std::string, std::string>> {
 protected:
  void SetUp() override {
    auto created = storage::testing::TestDatabase::Create(std::get<0>(GetParam()), clock_);
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    test_db_ = std::move(created).value();
    dir_ = CasesDir() / std::get<1>(GetParam());
  }

  storage::Database& db() { return test_db_->db(); }

  // The brand, its campaign, and each creator of setup.json with an assignment, and their link,
  // code, clicks and posts.
  void Arrange(const json& setup) {
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
    for (const json& who : setup.at("creators")) {
      model::Account account;
      account.platform = "instagram";
      account.handle = who.at("handle").get<std::string>();
      account.followers = 12'000;
      auto added = creators.UpsertAccount({}, account);
      ASSERT_TRUE(added.ok()) << added.status().ToString();
      handles_[added->creator_id] = account.handle;
      auto a = store.Invite(campaign_.id, added->creator_id, added->account_id, 0.8, kNow + kDayMs,
                            "test", "");
      ASSERT_TRUE(a.ok()) << a.status().ToString();
      Equip(who, *a, added->account_id);
    }
  }

  void Equip(const json& who, const campaign::Assignment& a, int64_t account_id) {
    if (who.contains("link")) {
      auto link = CreateLink(db(), campaign_, a, "https://glow.example/serum", kNow);
      ASSERT_TRUE(link.ok()) << link.status().ToString();
      // Codes are random; a case names its own so its orders can carry it.
      const std::string code = who.at("link").get<std::string>();
      ASSERT_TRUE(db().Execute("UPDATE tracked_links SET code = ? WHERE id = ?",
                               {std::string_view(code), link->id})
                      .ok());
      std::vector<Click> clicks;
      for (const json& at : who.value("clicks", json::array())) {
        clicks.push_back({.link_id = link->id,
                          .at_ms = Time(at),
                          .user_agent = "Mozilla/5.0 (iPhone)",
                          .address = "198.51.100.7"});
      }
      for (const json& at : who.value("bot_clicks", json::array())) {
        clicks.push_back({.link_id = link->id, .at_ms = Time(at), .user_agent = "Googlebot/2.1"});
      }
      ASSERT_TRUE(WriteClicks(db(), clicks, AgentClassifier::BuiltIn(), kNow).ok());
    }
    if (who.contains("code")) {
      // A pattern without tokens is the code itself.
      auto code = IssueCode(db(),
                            {.brand_id = campaign_.brand_id,
                             .creator_id = a.creator_id,
                             .assignment_id = a.id,
                             .pattern = who.at("code").get<std::string>()},
                            kNow);
      ASSERT_TRUE(code.ok()) << code.status().ToString();
    }
    for (const json& at : who.value("posts", json::array())) {
      ASSERT_TRUE(db().Execute("INSERT INTO posts (assignment_id, account_id, posted_at_ms) "
                               "VALUES (?, ?, ?)",
                               {a.id, account_id, Time(at)})
                      .ok());
    }
  }

  // The stored orders, by name, in the form expected.json gives them.
  json StoredOrders() {
    json out = json::array();
    Status s = db().Query(
        "SELECT name, rule, COALESCE(creator_id, 0), conversion, units, total_cents - "
        "refunded_cents, (SELECT COUNT(*) FROM order_lines l WHERE l.order_id = o.id) FROM "
        "orders o ORDER BY name",
        {}, [&](const storage::Row& r) {
          out.push_back({{"name", r.Text(0)},
                         {"rule", r.Text(1)},
                         {"creator", handles_[r.Int(2)]},
                         {"conversion", r.Int(3) != 0},
                         {"units", r.Int(4)},
                         {"revenue_cents", r.Int(5)},
                         {"lines", r.Int(6)}});
          return Status::Ok();
        });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out;
  }

  FakeClock clock_{kNow};
  std::unique_ptr<storage::testing::TestDatabase> test_db_;
  fs::path dir_;
  campaign::Campaign campaign_;
  std::map<int64_t, std::string> handles_{{0, ""}};
};

TEST_P(AttributionCases, OrdersFileInAttributedOrdersOut) {
  const json setup = ReadJson(dir_ / "setup.json");
  const json expected = ReadJson(dir_ / "expected.json");
  ASSERT_NO_FATAL_FAILURE(Arrange(setup));
  if (fs::exists(dir_ / "codes.csv")) {
    auto codes = ImportCodes(db(), campaign_.brand_id, 0, (dir_ / "codes.csv").string(), kNow);
    ASSERT_TRUE(codes.ok()) << codes.status().ToString();
    json rejects = json::array();
    for (const auto& r : codes->rejects)
      rejects.push_back({{"line", r.line}, {"reason", r.reason}});
    ExpectWithin(expected.at("codes"),
                 {{"rows", codes->rows},
                  {"registered", codes->registered},
                  {"unchanged", codes->unchanged},
                  {"rejects", rejects}},
                 "codes");
  }
  auto file = ReadShopifyOrders((dir_ / "orders.csv").string());
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  const AttributionOptions options{.window_days = setup.value("window_days", 7)};
  const OrderStoreTarget target{.brand_id = campaign_.brand_id};
  auto first = StoreOrders(db(), target, *file, options, kNow);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  const json summary = json::parse(OrderImportReportToJson(*first, options).dump());
  ExpectWithin(expected.at("summary"), summary, "summary");
  const json orders = StoredOrders();
  ExpectWithin(expected.at("orders"), orders, "orders");
  EXPECT_EQ(*db().QueryInt("SELECT COUNT(*) FROM webhook_events WHERE type = 'order.attributed'"),
            first->attributed);

  // Again: the same orders, updated in place, and no second event.
  auto second = StoreOrders(db(), target, *file, options, kNow + 1000);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->orders_new, 0);
  EXPECT_EQ(second->orders_updated, first->orders_read);
  EXPECT_EQ(second->events, 0);
  EXPECT_EQ(second->attributed, first->attributed);
  EXPECT_EQ(StoredOrders(), orders);
}

std::vector<std::string> CaseNames() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(CasesDir())) {
    if (entry.is_directory()) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

INSTANTIATE_TEST_SUITE_P(Backends, AttributionCases,
                         ::testing::Combine(::testing::Values("sqlite", "postgres"),
                                            ::testing::ValuesIn(CaseNames())),
                         [](const auto& param_info) {
                           std::string name =
                               std::get<0>(param_info.param) + "_" + std::get<1>(param_info.param);
                           for (char& ch : name) {
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           }
                           return name;
                         });

}  // namespace
}  // namespace seedcast::measure

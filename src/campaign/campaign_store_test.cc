// The campaign workflow against SQLite and a real PostgreSQL server: transitions and their audit
// log, inventory, the quality gate, the ledger's exactly-once rule under retries and concurrent
// commands, invoicing up to the target, and removals.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "campaign/service.h"
#include "campaign/shopify_import.h"
#include "compliance/rules.h"
#include "storage/creator_store.h"
#include "storage/testing/test_database.h"

namespace seedcast::campaign {
namespace {

#define ASSERT_OK(expr)                                           \
  do {                                                            \
    auto status_or = (expr);                                      \
    ASSERT_TRUE(status_or.ok()) << status_or.status().ToString(); \
  } while (false)

constexpr int64_t kNow = 1'790'000'000'000;  // 2026-09-21

class CampaignTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto created = storage::testing::TestDatabase::Create(GetParam(), clock_);
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    test_db_ = std::move(created).value();
    auto rules = compliance::BuiltInRules();
    ASSERT_TRUE(rules.ok());
    rules_ = std::make_unique<compliance::RuleBook>(std::move(rules).value());
    service_ =
        std::make_unique<CampaignService>(db(), clock_, *rules_, storage::Scope::Everything());
  }

  storage::Database& db() { return test_db_->db(); }

  // A creator with one account and the given audience quality score (0-1).
  int64_t AddCreator(const std::string& handle, std::optional<double> quality) {
    storage::CreatorStore creators(db(), clock_);
    model::Account a;
    a.platform = "instagram";
    a.handle = handle;
    a.followers = 20'000;
    a.engagement_rate = 0.04;
    auto out = creators.UpsertAccount({}, a);
    EXPECT_TRUE(out.ok()) << out.status().ToString();
    if (quality) {
      EXPECT_TRUE(creators.SetQualityScore(out->account_id, *quality).ok());
    }
    account_of_[out->creator_id] = out->account_id;
    return out->creator_id;
  }

  CampaignSpec Spec(const std::string& extra = "") {
    std::string json = R"({"name": "Glow serum launch", "brand": "Glow Co",
      "product": {"name": "Glow serum", "sku": "GLOW-30", "price_cents": 2400,
                  "units_available": 5, "niche": "beauty"},
      "compensation": "paid", "target_posts": 2, "fee_cents_per_post": 10000,
      "payout_cents_per_post": 6000, "deliverables": {"mentions": ["@glowco"]},
      "platforms": ["instagram"])" +
                       extra + "}";
    auto spec = ParseCampaignSpec(json, false);
    EXPECT_TRUE(spec.ok()) << spec.status().ToString();
    return spec.value();
  }

  // An assignment moved up to approved.
  int64_t Approved(int64_t campaign_id, int64_t creator_id) {
    auto a = service_->store().Invite(campaign_id, creator_id, account_of_[creator_id], 0.8,
                                      kNow + 86'400'000, "test", "picked by hand");
    EXPECT_TRUE(a.ok()) << a.status().ToString();
    EXPECT_TRUE(service_->Apply(a->id, "creator").ok());
    auto approved = service_->Approve(a->id, "brand");
    EXPECT_TRUE(approved.ok()) << approved.status().ToString();
    return a->id;
  }

  void PostAndVerify(int64_t id, const std::string& caption) {
    ASSERT_TRUE(service_->Ship(id, "brand").ok());
    ASSERT_TRUE(service_->Deliver(id, "carrier").ok());
    auto posted = service_->SubmitPost(
        id, R"({"id": "p", "platform": "instagram", "caption": ")" + caption + R"("})", "creator");
    ASSERT_TRUE(posted.ok()) << posted.status().ToString();
    auto verified = service_->Verify(id, "checker");
    ASSERT_TRUE(verified.ok()) << verified.status().ToString();
  }

  FakeClock clock_{kNow};
  std::unique_ptr<storage::testing::TestDatabase> test_db_;
  std::unique_ptr<compliance::RuleBook> rules_;
  std::unique_ptr<CampaignService> service_;
  std::map<int64_t, int64_t> account_of_;
};

TEST_P(CampaignTest, CampaignAndProductRoundTrip) {
  auto c = service_->Create(Spec());
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  auto again = service_->store().GetCampaign(c->id);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->spec.name, "Glow serum launch");
  EXPECT_EQ(again->spec.target_posts, 2);
  EXPECT_EQ(again->spec.compensation, Compensation::kPaid);
  EXPECT_EQ(again->spec.requirements.mentions, std::vector<std::string>{"@glowco"});
  auto product = service_->store().GetProduct(again->product_id);
  ASSERT_TRUE(product.ok());
  EXPECT_EQ(product->sku, "GLOW-30");
  EXPECT_EQ(product->price_cents, 2400);
  // The same SKU again updates the product instead of adding one.
  auto second = service_->Create(Spec());
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->product_id, c->product_id);
  EXPECT_EQ(*db().QueryInt("SELECT COUNT(*) FROM products"), 1);
}

TEST_P(CampaignTest, TransitionsAreAuditedAndImpossibleOnesRefused) {
  auto c = service_->Create(Spec());
  ASSERT_TRUE(c.ok());
  const int64_t creator = AddCreator("ana", 0.9);
  auto a = service_->store().Invite(c->id, creator, account_of_[creator], 0.8, kNow, "planner",
                                    "fit 0.8");
  ASSERT_TRUE(a.ok());
  auto ship_early = service_->Ship(a->id, "brand");
  ASSERT_FALSE(ship_early.ok());
  EXPECT_EQ(ship_early.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(ship_early.status().reason(), "transition_not_allowed");
  EXPECT_NE(ship_early.status().message().find("cannot move an assignment from invited to shipped"),
            std::string::npos);
  ASSERT_TRUE(service_->Apply(a->id, "creator:ana").ok());
  clock_.AdvanceMs(1000);
  ASSERT_TRUE(service_->Approve(a->id, "brand:glow").ok());
  auto events = service_->store().Events(a->id);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 3U);
  EXPECT_EQ((*events)[0].to_state, "invited");
  EXPECT_EQ((*events)[1].from_state, "invited");
  EXPECT_EQ((*events)[1].to_state, "applied");
  EXPECT_EQ((*events)[1].actor, "creator:ana");
  EXPECT_EQ((*events)[2].to_state, "approved");
  EXPECT_EQ((*events)[2].actor, "brand:glow");
  EXPECT_EQ((*events)[2].at_ms, kNow + 1000);
  // Approving again is a retry: nothing changes, nothing is logged.
  auto again = service_->Approve(a->id, "brand:glow");
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->changed);
  EXPECT_EQ(service_->store().Events(a->id)->size(), 3U);
}

TEST_P(CampaignTest, TheQualityGateAndABanKeepProductBack) {
  auto c = service_->Create(Spec());
  ASSERT_TRUE(c.ok());
  const int64_t weak = AddCreator("weak", 0.3);
  auto a = service_->store().Invite(c->id, weak, account_of_[weak], 0.8, kNow, "t", "");
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(service_->Apply(a->id, "creator").ok());
  auto refused = service_->Approve(a->id, "brand");
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("fails the quality gate"), std::string::npos);

  const int64_t unscored = AddCreator("unscored", std::nullopt);
  auto b = service_->store().Invite(c->id, unscored, account_of_[unscored], 0.8, kNow, "t", "");
  ASSERT_TRUE(service_->Apply(b->id, "creator").ok());
  EXPECT_NE(service_->Approve(b->id, "brand").status().message().find("no audience quality"),
            std::string::npos);

  const int64_t returner = AddCreator("returner", 0.9);
  const int64_t first = Approved(c->id, returner);
  ASSERT_TRUE(service_->Ship(first, "brand").ok());
  auto returned = service_->Return(first, "warehouse");
  ASSERT_TRUE(returned.ok());
  auto c2 = service_->Create(Spec());
  auto second =
      service_->store().Invite(c2->id, returner, account_of_[returner], 0.8, kNow, "t", "");
  ASSERT_TRUE(service_->Apply(second->id, "creator").ok());
  auto banned = service_->Approve(second->id, "brand");
  ASSERT_FALSE(banned.ok());
  EXPECT_NE(banned.status().message().find("banned"), std::string::npos);
}

TEST_P(CampaignTest, AUnitLeavesOnceAndNotBeyondStock) {
  auto c = service_->Create(Spec(R"(, "product": {"name": "Glow serum", "sku": "GLOW-30",
    "price_cents": 2400, "units_available": 1})"));
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  const int64_t x = Approved(c->id, AddCreator("x", 0.9));
  const int64_t y = Approved(c->id, AddCreator("y", 0.9));
  ASSERT_TRUE(service_->Ship(x, "brand").ok());
  auto retry = service_->Ship(x, "brand");
  ASSERT_TRUE(retry.ok());
  EXPECT_FALSE(retry->changed);
  EXPECT_EQ(service_->store().GetProduct(c->product_id)->units_available, 0);
  auto none_left = service_->Ship(y, "brand");
  ASSERT_FALSE(none_left.ok());
  EXPECT_NE(none_left.status().message().find("no units left"), std::string::npos);
  EXPECT_EQ(service_->store().GetAssignment(y)->state, State::kApproved);
  // A unit that went out stays counted whatever happens to the assignment after.
  ASSERT_TRUE(service_->Fail(x, "brand", "never posted").ok());
  EXPECT_EQ(service_->Report(c->id)->units_used, 1);
}

TEST_P(CampaignTest, InvoicesOnlyCompletedPostsUpToTheTarget) {
  auto c = service_->Create(Spec());
  ASSERT_TRUE(c.ok());
  std::vector<int64_t> ids;
  for (const char* h : {"a1", "a2", "a3"}) ids.push_back(Approved(c->id, AddCreator(h, 0.9)));
  // A post without the disclosure or the mention fails and stays posted.
  ASSERT_TRUE(service_->Ship(ids[0], "brand").ok());
  ASSERT_TRUE(service_->Deliver(ids[0], "carrier").ok());
  ASSERT_OK(service_->SubmitPost(ids[0], R"({"caption": "love this serum"})", "creator"));
  auto failed = service_->Verify(ids[0], "checker");
  ASSERT_TRUE(failed.ok());
  EXPECT_FALSE(failed->verdict.compliant);
  EXPECT_EQ(service_->store().GetAssignment(ids[0])->state, State::kPosted);
  EXPECT_EQ(*service_->ledger().CountKind(c->id, "invoice_line"), 0);
  // Fixed and resubmitted.
  ASSERT_TRUE(
      service_->SubmitPost(ids[0], R"({"caption": "#ad love this serum @glowco"})", "creator")
          .ok());
  ASSERT_TRUE(service_->Verify(ids[0], "checker").ok());
  PostAndVerify(ids[1], "#ad my routine with @glowco");
  PostAndVerify(ids[2], "#ad third post @glowco");
  auto report = service_->Report(c->id);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->completed, 3);
  EXPECT_TRUE(report->guarantee_held);
  EXPECT_EQ(report->invoiced_cents, 2 * 10'000);  // the third post is beyond the target
  EXPECT_EQ(report->creator_pay_cents, 3 * 6'000);
  EXPECT_EQ(report->ledger_imbalance_cents, 0);
  EXPECT_EQ(*service_->ledger().TrialBalance(), 0);
  EXPECT_EQ(report->cost_per_completed_post_cents, 2 * 10'000 / 3);
}

TEST_P(CampaignTest, ARemovalInsideTheWindowDropsTheInvoiceLine) {
  auto c = service_->Create(Spec(R"(, "removal_window_days": 30)"));
  ASSERT_TRUE(c.ok());
  const int64_t early = Approved(c->id, AddCreator("early", 0.9));
  const int64_t late = Approved(c->id, AddCreator("late", 0.9));
  PostAndVerify(early, "#ad @glowco");
  PostAndVerify(late, "#ad @glowco");
  auto removed = service_->ReportRemoved(early, kNow + 5 * 86'400'000LL, "monitor");
  ASSERT_TRUE(removed.ok()) << removed.status().ToString();
  EXPECT_EQ(removed->assignment.state, State::kPostRemoved);
  auto kept = service_->ReportRemoved(late, kNow + 45 * 86'400'000LL, "monitor");
  ASSERT_TRUE(kept.ok());
  auto report = service_->Report(c->id);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->invoiced_cents, 10'000);
  EXPECT_EQ(*service_->ledger().Balance("brand:" + std::to_string(c->brand_id) + ":receivable"),
            10'000);
}

TEST_P(CampaignTest, BuyThenReimbursePaysAfterVerificationUpToTheCap) {
  auto c = service_->Create(Spec(R"(, "fulfilment": "buy_then_reimburse",
    "reimbursement_cap": 0.0, "target_posts": 1)"));
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  const int64_t one = Approved(c->id, AddCreator("one", 0.9));
  const int64_t two = Approved(c->id, AddCreator("two", 0.9));
  ASSERT_TRUE(service_->Ship(one, "creator").ok());
  EXPECT_EQ(service_->store().GetAssignment(one)->state, State::kPurchased);
  EXPECT_EQ(*service_->ledger().CountKind(c->id, "reimbursement"), 0);
  ASSERT_OK(service_->SubmitPost(one, R"({"caption": "#ad @glowco"})", "creator"));
  ASSERT_TRUE(service_->Verify(one, "checker").ok());
  ASSERT_TRUE(service_->Ship(two, "creator").ok());
  ASSERT_OK(service_->SubmitPost(two, R"({"caption": "#ad @glowco"})", "creator"));
  ASSERT_TRUE(service_->Verify(two, "checker").ok());
  auto report = service_->Report(c->id);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->reimbursed_cents, 2 * 2400);
  EXPECT_EQ(report->reimbursement_billed_cents, 2400);  // cap 0: target x 1.0 units
}

TEST_P(CampaignTest, LedgerKeysMoveMoneyOnce) {
  Ledger& ledger = service_->ledger();
  LedgerTransaction t{"pay:1", "creator_pay", 0, 0, "", {{"a", 500}, {"b", -500}}};
  auto first = ledger.Post(t);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_FALSE(first->replayed);
  auto retry = ledger.Post(t);
  ASSERT_TRUE(retry.ok());
  EXPECT_TRUE(retry->replayed);
  EXPECT_EQ(retry->transaction_id, first->transaction_id);
  EXPECT_EQ(*ledger.Balance("a"), 500);
  LedgerTransaction other = t;
  other.entries = {{"a", 900}, {"b", -900}};
  auto misuse = ledger.Post(other);
  ASSERT_FALSE(misuse.ok());
  EXPECT_NE(misuse.status().message().find("already used"), std::string::npos);
  LedgerTransaction unbalanced{"x", "creator_pay", 0, 0, "", {{"a", 5}, {"b", -4}}};
  EXPECT_NE(ledger.Post(unbalanced).status().message().find("does not balance"), std::string::npos);
}

TEST_P(CampaignTest, ConcurrentCommandsMoveMoneyOnce) {
  auto c = service_->Create(Spec());
  ASSERT_TRUE(c.ok());
  const int64_t id = Approved(c->id, AddCreator("racer", 0.9));
  ASSERT_TRUE(service_->Ship(id, "brand").ok());
  ASSERT_TRUE(service_->Deliver(id, "carrier").ok());
  ASSERT_OK(service_->SubmitPost(id, R"({"caption": "#ad @glowco"})", "creator"));
  // Four connections verify the same post at once, each twice (a retry).
  constexpr int kThreads = 4;
  std::atomic<int> changed{0};
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      auto db = storage::OpenDatabase(test_db_->url());
      if (!db.ok()) {
        ++errors;
        return;
      }
      CampaignService service(**db, clock_, *rules_, storage::Scope::Everything());
      for (int k = 0; k < 2; ++k) {
        auto out = service.Verify(id, "checker");
        if (!out.ok()) {
          ADD_FAILURE() << out.status().ToString() << " reason " << out.status().reason();
          ++errors;
        } else if (out->command.changed) {
          ++changed;
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(changed.load(), 1);
  EXPECT_EQ(*service_->ledger().CountKind(c->id, "invoice_line"), 1);
  EXPECT_EQ(*service_->ledger().CountKind(c->id, "creator_pay"), 1);
  EXPECT_EQ(*service_->ledger().Balance("campaign:" + std::to_string(c->id) + ":fees"), -10'000);
  EXPECT_EQ(*service_->ledger().TrialBalance(), 0);

  // The same ledger key posted from several connections at once lands once.
  std::vector<std::thread> posters;
  posters.reserve(kThreads);
  std::atomic<int> replays{0};
  for (int t = 0; t < kThreads; ++t) {
    posters.emplace_back([&] {
      auto db = storage::OpenDatabase(test_db_->url());
      if (!db.ok()) return;
      Ledger ledger(**db, clock_);
      bool replayed = false;
      Status s = storage::InTransaction(**db, [&]() -> Status {
        SEEDCAST_ASSIGN_OR_RETURN(
            PostOutcome out,
            ledger.Post({"refund:7", "creator_pay", 0, 0, "", {{"x", 100}, {"y", -100}}}));
        replayed = out.replayed;
        return Status::Ok();
      });
      if (s.ok() && replayed) ++replays;
    });
  }
  for (std::thread& t : posters) t.join();
  EXPECT_EQ(replays.load(), kThreads - 1);
  EXPECT_EQ(*service_->ledger().Balance("x"), 100);
}

}  // namespace
}  // namespace seedcast::campaign

namespace seedcast::campaign {
namespace {

TEST_P(CampaignTest, ImportsAShopifyExportAndReportsTheBadRows) {
  auto brand = service_->store().EnsureBrand("Glow Co");
  ASSERT_TRUE(brand.ok());
  const char* root = std::getenv("SEEDCAST_SOURCE_DIR");  // NOLINT(concurrency-mt-unsafe)
  ASSERT_NE(root, nullptr) << "SEEDCAST_SOURCE_DIR is not set (ctest sets it)";
  const std::string path = std::string(root) + "/src/campaign/testdata/shopify_products.csv";
  auto report = ImportShopifyProducts(path, *brand, db(), clock_);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->rows, 7);
  EXPECT_EQ(report->stored, 3);
  EXPECT_EQ(report->image_rows, 1);
  ASSERT_EQ(report->rejects.size(), 3U);
  EXPECT_EQ(report->rejects[0].line, 6);
  EXPECT_NE(report->rejects[0].reason.find("Variant Price"), std::string::npos);
  EXPECT_EQ(report->rejects[1].line, 7);
  EXPECT_EQ(report->rejects[1].reason, "no Variant Price");
  EXPECT_EQ(report->rejects[2].line, 8);
  EXPECT_EQ(report->rejects[2].reason, "no Handle");

  struct Row {
    std::string name, sku, niche, images;
    int64_t price = 0, units = 0;
  };
  std::vector<Row> rows;
  ASSERT_TRUE(db().Query("SELECT name, sku, niche, image_urls, price_cents, units_available FROM "
                         "products ORDER BY sku",
                         {},
                         [&rows](const storage::Row& r) {
                           rows.push_back({std::string(r.Text(0)), std::string(r.Text(1)),
                                           std::string(r.Text(2)), std::string(r.Text(3)), r.Int(4),
                                           r.Int(5)});
                           return Status::Ok();
                         })
                  .ok());
  ASSERT_EQ(rows.size(), 3U);
  EXPECT_EQ(rows[0].sku, "GLOW-30");
  EXPECT_EQ(rows[0].name, "Glow Serum - 30 ml");
  EXPECT_EQ(rows[0].price, 2400);
  EXPECT_EQ(rows[0].units, 140);
  EXPECT_EQ(rows[0].niche, "beauty");
  EXPECT_EQ(rows[0].images,
            R"(["https://cdn.example.com/glow-1.jpg","https://cdn.example.com/glow-2.jpg",)"
            R"("https://cdn.example.com/glow-3.jpg"])");
  EXPECT_EQ(rows[1].sku, "GLOW-50");
  EXPECT_EQ(rows[1].price, 3600);
  EXPECT_EQ(rows[2].sku, "TRAIL-1");
  EXPECT_EQ(rows[2].name, "Trail Bottle");  // Shopify's "Default Title" is not a variant name
  EXPECT_EQ(rows[2].price, 1850);
  EXPECT_EQ(rows[2].units, 0);  // oversold stock (-3) is no stock

  // Importing again updates the same products.
  auto again = ImportShopifyProducts(path, *brand, db(), clock_);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*db().QueryInt("SELECT COUNT(*) FROM products"), 3);
}

INSTANTIATE_TEST_SUITE_P(Backends, CampaignTest, ::testing::Values("sqlite", "postgres"),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

}  // namespace
}  // namespace seedcast::campaign

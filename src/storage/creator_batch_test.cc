// The set-wise upsert must store what one upsert after another stores: the same creators, with the
// same accounts and fields, and the same outcome for every row. Both backends.
#include <gtest/gtest.h>

#include <random>
#include <set>

#include "model/creator_json.h"
#include "model/tiers.h"
#include "storage/creator_store.h"
#include "storage/testing/test_database.h"

namespace seedcast::storage {
namespace {

// Rows over a small pool of handles and refs, with fields present or absent at random, and some
// new accounts without followers (refused): enough collisions to exercise every path.
std::vector<BatchRow> RandomRows(std::mt19937& rng, int count, int round) {
  std::vector<BatchRow> rows;
  std::set<std::pair<std::string, std::string>> keys;
  std::uniform_int_distribution<int> handle(0, 400);
  std::uniform_int_distribution<int> pick(0, 9);
  const std::array<std::string, 3> platforms = {"instagram", "tiktok", "youtube"};
  while (static_cast<int>(rows.size()) < count) {
    BatchRow r;
    r.account.platform = platforms[static_cast<size_t>(pick(rng) % 3)];
    r.account.handle = "h" + std::to_string(handle(rng));
    if (!keys.emplace(r.account.platform, r.account.handle).second) continue;
    if (pick(rng) < 8) r.account.followers = 1000 + handle(rng) * 10 + round;
    if (pick(rng) < 5) r.account.posts = pick(rng) * 7;
    if (pick(rng) < 5) r.account.engagement_rate = pick(rng) / 100.0;
    // Tabs, newlines and backslashes: COPY's text format must escape them.
    if (pick(rng) < 4) r.account.bio = "bio " + std::to_string(round) + " ✨\tcol\nline \\N \\";
    if (pick(rng) < 3) r.account.niches = {"food", pick(rng) < 5 ? "travel" : "beauty"};
    if (pick(rng) < 3) r.account.extra = {{"round", std::to_string(round)}};
    if (pick(rng) < 6) r.creator.ref = "ref-" + std::to_string(handle(rng) % 60);
    if (pick(rng) < 5)
      r.creator.name = "Name " + std::to_string(pick(rng)) + " " + std::to_string(round);
    if (pick(rng) < 3) r.creator.country = pick(rng) < 5 ? "DE" : "BR";
    rows.push_back(std::move(r));
  }
  return rows;
}

// Everything stored, without ids and times: creators by ref and name with their accounts' JSON.
std::multiset<std::string> Contents(CreatorStore& store) {
  std::multiset<std::string> out;
  EXPECT_TRUE(store
                  .ForEachCreator([&out](const model::Creator& c) {
                    std::set<std::string> accounts;
                    for (model::Account a : c.accounts) {
                      a.id = a.creator_id = a.updated_at_ms = 0;
                      accounts.insert(model::AccountToJson(a, model::TierScheme::Default()).dump());
                    }
                    std::string line = c.ref + "|" + c.name + "|" + c.country + "|" + c.language;
                    for (const std::string& a : accounts) line += "|" + a;
                    out.insert(line);
                    return Status::Ok();
                  })
                  .ok());
  return out;
}

class CreatorBatchTest : public ::testing::TestWithParam<std::string> {
 protected:
  FakeClock clock_{1'700'000'000'000};
};

TEST_P(CreatorBatchTest, StoresWhatOneUpsertAfterAnotherStores) {
  auto one_by_one = testing::TestDatabase::Create(GetParam(), clock_);
  auto set_wise = testing::TestDatabase::Create(GetParam(), clock_);
  ASSERT_TRUE(one_by_one.ok() && set_wise.ok());
  CreatorStore a((*one_by_one)->db(), clock_);
  CreatorStore b((*set_wise)->db(), clock_);
  std::mt19937 rng(7);
  int created = 0;
  int updated = 0;
  int refused = 0;
  for (int round = 0; round < 4; ++round) {
    std::vector<BatchRow> rows = RandomRows(rng, 150, round);
    std::vector<BatchOutcome::Kind> expected;
    ASSERT_TRUE((*one_by_one)->db().Begin().ok());
    for (const BatchRow& r : rows) {
      auto outcome = a.UpsertAccount(r.creator, r.account);
      ASSERT_TRUE(outcome.ok() || outcome.status().code() == StatusCode::kInvalidArgument)
          << outcome.status().ToString();
      expected.push_back(!outcome.ok()      ? BatchOutcome::kRejected
                         : outcome->created ? BatchOutcome::kCreated
                                            : BatchOutcome::kUpdated);
    }
    ASSERT_TRUE((*one_by_one)->db().Commit().ok());
    ASSERT_TRUE((*set_wise)->db().Begin().ok());
    auto outcomes = b.UpsertAccounts(rows);
    ASSERT_TRUE(outcomes.ok()) << outcomes.status().ToString();
    ASSERT_TRUE((*set_wise)->db().Commit().ok());
    ASSERT_EQ(outcomes->size(), rows.size());
    for (size_t i = 0; i < rows.size(); ++i) {
      EXPECT_EQ((*outcomes)[i].kind, expected[i]) << "round " << round << " row " << i;
      created += expected[i] == BatchOutcome::kCreated ? 1 : 0;
      updated += expected[i] == BatchOutcome::kUpdated ? 1 : 0;
      refused += expected[i] == BatchOutcome::kRejected ? 1 : 0;
      if (expected[i] == BatchOutcome::kRejected) {
        EXPECT_NE((*outcomes)[i].reason.find("followers is missing"), std::string::npos);
      }
    }
    EXPECT_EQ(Contents(a), Contents(b)) << "after round " << round;
  }
  // Every path ran.
  EXPECT_GT(created, 100);
  EXPECT_GT(updated, 50);
  EXPECT_GT(refused, 10);
  EXPECT_EQ(*a.CountCreators(), *b.CountCreators());
  // The change feed saw every written account on both sides.
  auto changes = [](Database& db) {
    int64_t n = 0;
    EXPECT_TRUE(db.Query("SELECT COUNT(DISTINCT ref_id) FROM index_changes WHERE kind = 'account'",
                         {},
                         [&n](const Row& r) {
                           n = r.Int(0);
                           return Status::Ok();
                         })
                    .ok());
    return n;
  };
  EXPECT_EQ(changes((*one_by_one)->db()), changes((*set_wise)->db()));
}

INSTANTIATE_TEST_SUITE_P(Backends, CreatorBatchTest, ::testing::Values("sqlite", "postgres"),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

}  // namespace
}  // namespace seedcast::storage

// The index under concurrent use: searches run on several threads while a writer changes accounts
// in the store and the follower applies those changes to the index, and while direct upserts land.
// Bounded in time; CI runs it under ThreadSanitizer as well (scripts/test.sh, build-tsan).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "search/index.h"
#include "search/loader.h"
#include "search/query.h"
#include "storage/creator_store.h"
#include "storage/testing/test_database.h"

namespace seedcast::search {
namespace {

model::Creator MakeCreator(int i) {
  model::Creator c;
  c.name = "creator " + std::to_string(i);
  model::Account a;
  a.platform = i % 2 == 0 ? "instagram" : "tiktok";
  a.handle = "load_" + std::to_string(i);
  a.followers = 1000 + i * 37 % 90'000;
  a.engagement_rate = 0.01 + (i % 50) / 1000.0;
  a.niches = {i % 3 == 0 ? "beauty" : "fitness"};
  a.country = i % 4 == 0 ? "US" : "GB";
  a.bio = i % 5 == 0 ? "skincare and glow" : "daily workouts";
  a.quality_score = 0.5 + (i % 40) / 100.0;
  c.accounts.push_back(a);
  return c;
}

TEST(IndexConcurrencyTest, SearchesRunWhileTheFollowerAndUpsertsWrite) {
  SystemClock clock;
  auto db = storage::testing::TestDatabase::Create("sqlite", clock);
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  storage::CreatorStore store((*db)->db(), clock);
  ASSERT_TRUE(storage::InTransaction((*db)->db(), [&]() -> Status {
                for (int i = 0; i < 2000; ++i) {
                  model::Creator c = MakeCreator(i);
                  SEEDCAST_RETURN_IF_ERROR(store.InsertCreator(c));
                }
                return Status::Ok();
              }).ok());
  CreatorIndex index({.parallel_scan_min = 500});
  auto loaded = LoadIndex((*db)->url(), &(*db)->db(), 1, {}, &index);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  auto follower_db = storage::OpenDatabase((*db)->url());
  ASSERT_TRUE(follower_db.ok());
  IndexFollower follower(**follower_db, index, loaded->cursor, {});
  std::atomic<int> follower_errors{0};
  follower.Start(std::chrono::milliseconds(5), [&](const Status&) { ++follower_errors; });

  std::atomic<bool> stop{false};
  std::atomic<int64_t> searches{0};
  std::atomic<int> search_errors{0};
  const std::vector<std::string> queries = {
      R"({"platforms": ["instagram"], "facets": ["country", "tier"], "limit": 20})",
      R"({"niches": ["beauty"], "followers": {"min": 10000}, "sort": "followers"})",
      R"({"text": "glow", "limit": 10})",
      R"({"countries": ["US"], "engagement_rate": {"min": 0.03}, "facets": ["platform"]})",
  };
  auto searcher = [&](int seed) {
    for (int k = seed; !stop; ++k) {
      auto q = ParseQueryText(queries[static_cast<size_t>(k) % queries.size()], index.tiers());
      if (!q.ok()) {
        ++search_errors;
        continue;
      }
      auto r = index.Search(*q);
      if (!r.ok() || r->total < 0 || r->hits.size() > 20) ++search_errors;
      ++searches;
    }
  };
  std::thread s1(searcher, 0);
  std::thread s2(searcher, 1);
  // The writer: store updates (the follower's input) and direct upserts of new accounts.
  auto writer_db = storage::OpenDatabase((*db)->url());
  ASSERT_TRUE(writer_db.ok());
  storage::CreatorStore writer(**writer_db, clock);
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(1500);
  int round = 0;
  while (std::chrono::steady_clock::now() < until) {
    model::Creator c = MakeCreator(round % 2000);
    c.accounts[0].followers = 500'000 + round;
    ASSERT_TRUE(writer.UpsertAccount({.name = c.name}, c.accounts[0]).ok());
    AccountDoc doc{.account_id = 1'000'000 + round,
                   .creator_id = 1'000'000 + round,
                   .platform = "youtube",
                   .handle = "direct_" + std::to_string(round),
                   .followers = 42,
                   .niches = {"gaming"}};
    index.Upsert(doc);
    ++round;
  }
  // The last store write becomes searchable through the follower.
  const std::string last_handle = "load_" + std::to_string((round - 1) % 2000);
  bool seen = false;
  for (int i = 0; i < 200 && !seen; ++i) {
    auto q = ParseQueryText(R"({"followers": {"min": 500000}, "sort": "followers", "limit": 1})",
                            index.tiers());
    auto r = index.Search(*q);
    seen = r.ok() && !r->hits.empty() && r->hits[0].followers == 500'000 + round - 1 &&
           r->hits[0].handle == last_handle;
    if (!seen) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  stop = true;
  s1.join();
  s2.join();
  follower.Stop();
  EXPECT_TRUE(seen) << "the follower did not apply the last write";
  EXPECT_EQ(search_errors.load(), 0);
  EXPECT_EQ(follower_errors.load(), 0);
  EXPECT_GT(searches.load(), 10);
  EXPECT_GT(round, 10);
  EXPECT_EQ(index.size(), 2000 + round);
}

// The lookalike graph is built while searches (lookalike ones too) and upserts go on; accounts
// upserted during the build are in the graph once it is in place, and removed ones are not.
TEST(IndexConcurrencyTest, TheLookalikeGraphIsBuiltWhileTheIndexServes) {
  CreatorIndex index({.parallel_scan_min = 500});
  // The first 3,000 accounts are beauty or gaming; those written during the build are travel, a
  // vector only they have.
  auto doc_of = [](int i, const std::string& niche) {
    return AccountDoc{.account_id = i + 1,
                      .creator_id = i + 1,
                      .platform = "instagram",
                      .handle = "acct_" + std::to_string(i + 1),
                      .followers = 1000 + i,
                      .niches = {niche},
                      .audience = {.countries = {{"US", 0.6}}}};
  };
  for (int i = 0; i < 3000; ++i) index.Upsert(doc_of(i, i % 2 == 0 ? "beauty" : "gaming"));
  std::atomic<bool> stop{false};
  std::atomic<int> errors{0};
  std::atomic<int64_t> searches{0};
  std::thread searcher([&] {
    auto q = ParseQueryText(R"({"lookalike": {"handle": "acct_1"}, "limit": 10})", index.tiers());
    while (!stop) {
      auto r = index.Search(*q);
      if (!r.ok() || r->hits.size() != 10) ++errors;
      ++searches;
    }
  });
  std::atomic<int> upserted{0};
  std::thread writer([&] {
    for (int i = 3000; !stop && i < 6000; ++i) {
      index.Upsert(doc_of(i, "travel"));
      ++upserted;
    }
  });
  while (upserted < 10) std::this_thread::yield();
  std::atomic<bool> cancel{false};
  const bool built = index.BuildLookalikeGraph(2, &cancel);
  stop = true;
  searcher.join();
  writer.join();
  ASSERT_TRUE(built);
  EXPECT_EQ(errors.load(), 0);
  EXPECT_GT(searches.load(), 0);
  // The graph's nearest neighbours of a travel account are travel accounts.
  const int64_t first = 3001;
  const int64_t last = 3000 + upserted;
  const std::vector<int64_t> near = index.ApproximateLookalikes(first, 5);
  ASSERT_EQ(near.size(), 5u);
  for (int64_t id : near) EXPECT_GT(id, 3000) << "accounts upserted during the build are missing";
  ASSERT_TRUE(index.Remove(last).has_value());
  const std::vector<int64_t> all = index.ApproximateLookalikes(first, 25'000);
  EXPECT_EQ(std::find(all.begin(), all.end(), last), all.end()) << "a removed account is found";
  // A cancelled build leaves no graph and lets a later one run.
  CreatorIndex other;
  for (int i = 0; i < 100; ++i) other.Upsert(doc_of(i, "beauty"));
  cancel = true;
  EXPECT_FALSE(other.BuildLookalikeGraph(2, &cancel));
  EXPECT_TRUE(other.BuildLookalikeGraph(2));
}

}  // namespace
}  // namespace seedcast::search

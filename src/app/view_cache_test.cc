#include "app/view_cache.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "app/context.h"
#include "app/creators.h"
#include "storage/creator_store.h"
#include "storage/testing/test_database.h"

namespace seedcast::app {
namespace {

std::shared_ptr<const View> ViewOf(const std::string& body) {
  return std::make_shared<const View>(View{body, ETagOf(body)});
}

TEST(ViewCacheTest, KeepsWhatIsPutAndDropsWhatIsInvalidated) {
  ViewCache cache(100);
  EXPECT_EQ(cache.Find(7), nullptr);
  cache.Put(7, cache.Generation(7), ViewOf("seven"));
  ASSERT_NE(cache.Find(7), nullptr);
  EXPECT_EQ(cache.Find(7)->body, "seven");
  EXPECT_EQ(cache.hits(), 2);
  EXPECT_EQ(cache.misses(), 1);
  const std::vector<int64_t> ids = {7};
  cache.Invalidate(ids);
  EXPECT_EQ(cache.Find(7), nullptr);
}

TEST(ViewCacheTest, AFillThatRacedAnInvalidationIsDropped) {
  ViewCache cache(100);
  const uint64_t before = cache.Generation(3);  // a reader starts
  const std::vector<int64_t> ids = {3};
  cache.Invalidate(ids);                  // a write lands meanwhile
  cache.Put(3, before, ViewOf("stale"));  // the reader's answer predates it
  EXPECT_EQ(cache.Find(3), nullptr);
  cache.Put(3, cache.Generation(3), ViewOf("fresh"));
  EXPECT_EQ(cache.Find(3)->body, "fresh");
  const uint64_t again = cache.Generation(3);
  cache.Clear();
  cache.Put(3, again, ViewOf("stale"));
  EXPECT_EQ(cache.Find(3), nullptr);
}

TEST(ViewCacheTest, StaysWithinItsCapacity) {
  ViewCache cache(32);  // two per shard
  for (int64_t id = 1; id <= 1000; ++id) cache.Put(id, cache.Generation(id), ViewOf("x"));
  int kept = 0;
  for (int64_t id = 1; id <= 1000; ++id) kept += cache.Find(id) != nullptr ? 1 : 0;
  EXPECT_EQ(kept, 32);
  ViewCache none(0);
  none.Put(1, none.Generation(1), ViewOf("x"));
  EXPECT_EQ(none.Find(1), nullptr);
}

TEST(ViewCacheTest, TheETagIsAStrongValidatorOfTheBody) {
  EXPECT_EQ(ETagOf("a"), ETagOf("a"));
  EXPECT_NE(ETagOf("a"), ETagOf("b"));
  EXPECT_EQ(ETagOf("a").size(), 34u);
  EXPECT_EQ(ETagOf("a").front(), '"');
}

// A creator's answer follows writes made through another connection (another process): its own
// row, an account, a score and a delete, each seen once the change feed is applied.
class CreatorViewTest : public ::testing::TestWithParam<const char*> {};

std::string NameIn(const View& v) { return nlohmann::json::parse(v.body)["name"]; }

TEST_P(CreatorViewTest, FollowsWritesFromElsewhere) {
  SystemClock clock;
  auto db = storage::testing::TestDatabase::Create(GetParam(), clock);
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  storage::CreatorStore other((*db)->db(), clock);
  model::Account account;
  account.platform = "instagram";
  account.handle = "mira.bakes";
  account.followers = 4'200;
  auto stored = other.UpsertAccount({.ref = "r1", .name = "Mira"}, account);
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  const int64_t id = stored->creator_id;

  config::Config config;
  config.db_url = (*db)->url();
  auto ctx = AppContext::Open(config, clock, {.pool_size = 2, .follow_interval_ms = 20});
  ASSERT_TRUE(ctx.ok()) << ctx.status().ToString();
  AppContext& app = **ctx;
  ASSERT_TRUE(app.LoadIndex().ok());
  ASSERT_TRUE(app.creator_views_current());

  auto first = GetCreatorView(app, id);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(NameIn(**first), "Mira");
  auto again = GetCreatorView(app, id);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->get(), first->get()) << "the second read is answered from the cache";

  auto expect_after_catch_up = [&](const std::string& what, auto check) {
    ASSERT_TRUE(app.CatchUp().ok()) << what;
    auto now = GetCreatorView(app, id);
    ASSERT_TRUE(now.ok()) << what << ": " << now.status().ToString();
    EXPECT_NE(now->get(), first->get()) << what << " left the old answer in the cache";
    check(**now);
  };
  // The creator's own row, alone.
  ASSERT_TRUE((*db)->db().Execute("UPDATE creators SET name = 'Mira K.' WHERE id = ?", {id}).ok());
  expect_after_catch_up("a renamed creator",
                        [](const View& v) { EXPECT_EQ(NameIn(v), "Mira K."); });
  first = GetCreatorView(app, id);
  // An account's figures.
  account.followers = 9'999;
  ASSERT_TRUE(other.UpsertAccount({.ref = "r1"}, account).ok());
  expect_after_catch_up("a changed account", [](const View& v) {
    EXPECT_EQ(nlohmann::json::parse(v.body)["accounts"][0]["followers"], 9'999);
  });
  first = GetCreatorView(app, id);
  // A quality score.
  ASSERT_TRUE(other.SetQualityScore(stored->account_id, 0.25).ok());
  expect_after_catch_up("a new score", [](const View& v) {
    EXPECT_DOUBLE_EQ(nlohmann::json::parse(v.body)["accounts"][0]["quality_score"], 0.25);
  });
  // A delete.
  ASSERT_TRUE(other.DeleteCreatorsByRefPrefix("r1").ok());
  ASSERT_TRUE(app.CatchUp().ok());
  auto gone = GetCreatorView(app, id);
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.status().code(), StatusCode::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Backends, CreatorViewTest, ::testing::Values("sqlite", "postgres"));

}  // namespace
}  // namespace seedcast::app

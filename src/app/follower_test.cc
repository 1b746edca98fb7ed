// The server's change-feed follower survives its connection being cut: PostgreSQL ends every
// other backend of the database (as a restart or a failover would), the follower's next poll fails,
// is counted and reported, and the follower goes on through a new connection.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "app/context.h"
#include "storage/creator_store.h"
#include "storage/testing/test_database.h"

namespace seedcast::app {
namespace {

model::Account AccountNamed(const std::string& handle) {
  model::Account a;
  a.platform = "instagram";
  a.handle = handle;
  a.followers = 5'000;
  return a;
}

TEST(FollowerTest, GoesOnThroughANewConnectionAfterItsOwnIsCut) {
  SystemClock clock;
  auto db = storage::testing::TestDatabase::Create("postgres", clock);
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  storage::CreatorStore writer((*db)->db(), clock);
  ASSERT_TRUE(writer.UpsertAccount({.ref = "a"}, AccountNamed("first")).ok());
  config::Config config;
  config.db_url = (*db)->url();
  auto ctx = AppContext::Open(config, clock, {.pool_size = 2, .follow_interval_ms = 20});
  ASSERT_TRUE(ctx.ok()) << ctx.status().ToString();
  AppContext& app = **ctx;
  ASSERT_TRUE(app.LoadIndex().ok());
  ASSERT_EQ(app.index_info().accounts, 1);

  ASSERT_TRUE((*db)
                  ->db()
                  .Execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> "
                           "pg_backend_pid() AND datname = current_database()")
                  .ok());
  ASSERT_TRUE(writer.UpsertAccount({.ref = "b"}, AccountNamed("second")).ok());

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (app.index_info().accounts < 2 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const IndexInfo info = app.index_info();
  EXPECT_EQ(info.accounts, 2) << "the write after the cut never reached the index";
  EXPECT_TRUE(info.follower_running);
  EXPECT_GE(info.follower_failures, 1) << "the failed poll was not counted";
  EXPECT_FALSE(info.follower_error.empty()) << "the failure's reason was not kept";
  EXPECT_GE(info.follower_ok_age_ms, 0);
  EXPECT_LT(info.follower_ok_age_ms, 5'000);
  EXPECT_TRUE(info.follower_healthy);
  EXPECT_TRUE(app.creator_views_current()) << "the cache is trusted again once a poll succeeds";
}

// Without a way to reconnect, a follower whose connection was cut stays unhealthy, which is what
// keeps the cache from being used and makes /readyz fail.
TEST(FollowerTest, ACutConnectionLeavesAFollowerUnhealthy) {
  SystemClock clock;
  auto db = storage::testing::TestDatabase::Create("postgres", clock);
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  auto own = storage::OpenDatabase((*db)->url());
  ASSERT_TRUE(own.ok());
  search::CreatorIndex index;
  search::IndexFollower follower(**own, index, 0, {});
  follower.Start(std::chrono::milliseconds(20), {});
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (follower.last_ok_ms() == 0 && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(follower.healthy());
  ASSERT_TRUE((*db)
                  ->db()
                  .Execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> "
                           "pg_backend_pid() AND datname = current_database()")
                  .ok());
  while (follower.failures() == 0 && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  follower.Stop();
  EXPECT_GE(follower.failures(), 1);
  EXPECT_FALSE(follower.healthy()) << "a failed poll must leave the follower unhealthy";
  EXPECT_GE(follower.last_error_ms(), follower.last_ok_ms());
}

}  // namespace
}  // namespace seedcast::app

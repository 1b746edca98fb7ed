#include "server/idempotency.h"

#include <gtest/gtest.h>

#include "storage/testing/test_database.h"

namespace seedcast::server {
namespace {

class IdempotencyTest : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    auto db = storage::testing::TestDatabase::Create(GetParam(), clock_);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    config::Config config;
    config.db_url = db_->url();
    auto ctx = app::AppContext::Open(config, clock_, {.pool_size = 2});
    ASSERT_TRUE(ctx.ok()) << ctx.status().ToString();
    ctx_ = std::move(ctx).value();
    store_ = std::make_unique<IdempotencyStore>(*ctx_);
  }

  static std::string HeaderOf(const Response& r, const std::string& name) {
    for (const auto& [n, v] : r.headers) {
      if (n == name) return v;
    }
    return "";
  }

  FakeClock clock_{1'700'000'000'000};
  std::unique_ptr<storage::testing::TestDatabase> db_;
  std::unique_ptr<app::AppContext> ctx_;
  std::unique_ptr<IdempotencyStore> store_;
};

TEST_P(IdempotencyTest, AReplayGetsTheFirstAnswerWithItsHeaders) {
  auto first = store_->Claim("key:1", "k1", "hash-a");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_FALSE(first->replay.has_value()) << "a new key runs its request";
  Response answer{.status = 201, .body = R"({"id":7})"};
  answer.headers.emplace_back("Location", "/v1/campaigns/7");
  ASSERT_TRUE(store_->Finish("key:1", "k1", first->at_ms, answer).ok());

  auto replay = store_->Claim("key:1", "k1", "hash-a");
  ASSERT_TRUE(replay.ok() && replay->replay.has_value());
  const Response& again = *replay->replay;
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.body, R"({"id":7})");
  EXPECT_EQ(HeaderOf(again, "Location"), "/v1/campaigns/7");
  EXPECT_EQ(HeaderOf(again, "Idempotent-Replayed"), "true");

  auto other = store_->Claim("key:1", "k1", "hash-b");
  EXPECT_EQ(other.status().reason(), "idempotency_key_reused");
  auto elsewhere = store_->Claim("key:2", "k1", "hash-b");
  ASSERT_TRUE(elsewhere.ok());
  EXPECT_FALSE(elsewhere->replay.has_value()) << "keys are per principal";
}

TEST_P(IdempotencyTest, KeysExpireAfterADay) {
  auto claim = store_->Claim("key:1", "k1", "hash-a");
  ASSERT_TRUE(claim.ok());
  ASSERT_TRUE(
      store_->Finish("key:1", "k1", claim->at_ms, Response{.status = 200, .body = "{}"}).ok());
  clock_.AdvanceMs(IdempotencyStore::kKeepMs - 1000);
  auto kept = store_->Claim("key:1", "k1", "hash-b");
  EXPECT_EQ(kept.status().reason(), "idempotency_key_reused") << "still remembered";
  clock_.AdvanceMs(2000);
  auto again = store_->Claim("key:1", "k1", "hash-b");
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_FALSE(again->replay.has_value()) << "an expired key is new again";
}

TEST_P(IdempotencyTest, AnAbandonedClaimIsGivenUp) {
  auto stuck = store_->Claim("key:1", "k1", "hash-a");  // its answer does not come back
  ASSERT_TRUE(stuck.ok());
  clock_.AdvanceMs(60'000);
  auto running = store_->Claim("key:1", "k1", "hash-a");
  EXPECT_EQ(running.status().reason(), "idempotency_in_progress");
  clock_.AdvanceMs(IdempotencyStore::kAbandonedMs);
  auto retried = store_->Claim("key:1", "k1", "hash-a");
  ASSERT_TRUE(retried.ok()) << retried.status().ToString();
  EXPECT_FALSE(retried->replay.has_value()) << "the retry runs the request";
  // The first request, finishing late, does not overwrite the retry's claim.
  ASSERT_TRUE(
      store_->Finish("key:1", "k1", stuck->at_ms, Response{.status = 201, .body = "old"}).ok());
  ASSERT_TRUE(
      store_->Finish("key:1", "k1", retried->at_ms, Response{.status = 200, .body = "new"}).ok());
  auto replay = store_->Claim("key:1", "k1", "hash-a");
  ASSERT_TRUE(replay.ok() && replay->replay.has_value());
  EXPECT_EQ(replay->replay->body, "new");
}

INSTANTIATE_TEST_SUITE_P(Backends, IdempotencyTest, ::testing::Values("sqlite", "postgres"));

}  // namespace
}  // namespace seedcast::server

#include "quality/score.h"

#include <gtest/gtest.h>

namespace seedcast::quality {
namespace {

constexpr int64_t kDay = 86'400'000;

class ScoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<AccountClassifier> c = AccountClassifier::BuiltIn();
    ASSERT_TRUE(c.ok());
    classifier_ = std::make_unique<AccountClassifier>(std::move(*c));
  }
  QualityScore Score(const CreatorSignals& s, double gate = 60) {
    QualityScorer scorer(classifier_.get(), {.gate = gate});
    Result<QualityScore> r = scorer.Score(s);
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : QualityScore{};
  }
  static const Component* Find(const QualityScore& q, std::string_view name) {
    for (const Component& c : q.components) {
      if (c.name == name) return &c;
    }
    return nullptr;
  }
  // 10,000 Instagram followers at the benchmark engagement rate.
  static CreatorSignals Normal() {
    return {.platform = "instagram", .followers = 10'000, .engagement_rate = 0.03};
  }
  std::unique_ptr<AccountClassifier> classifier_;
};

TEST_F(ScoreTest, EngagementAgainstTheBenchmark) {
  QualityScore q = Score(Normal());
  ASSERT_TRUE(q.score);
  EXPECT_EQ(q.components.size(), 1U);
  EXPECT_GE(*q.score, 99.0);
  EXPECT_TRUE(q.passes_gate);
  EXPECT_NE(q.components[0].reasons[0].find("within the normal range"), std::string::npos);

  CreatorSignals low = Normal();
  low.engagement_rate = 0.003;  // a tenth of the median: bought followers
  q = Score(low);
  EXPECT_LT(*q.score, 5.0);
  EXPECT_FALSE(q.passes_gate);
  EXPECT_NE(q.components[0].reasons[0].find("bought followers"), std::string::npos);

  CreatorSignals high = Normal();
  high.engagement_rate = 0.3;  // 10x: pods
  q = Score(high);
  EXPECT_DOUBLE_EQ(*q.score, 40.0);
}

TEST_F(ScoreTest, NothingToScoreSaysSo) {
  QualityScore q = Score(CreatorSignals{});
  EXPECT_FALSE(q.score);
  EXPECT_FALSE(q.passes_gate);
  ASSERT_FALSE(q.not_scored.empty());
  EXPECT_NE(q.not_scored.back().find("no signals"), std::string::npos);
}

TEST_F(ScoreTest, FollowerSampleGivesFakeAndMassFollowerShares) {
  CreatorSignals s = Normal();
  for (int k = 0; k < 12; ++k) {
    s.follower_sample.push_back({.followers = 8,
                                 .following = 3'000,
                                 .posts = 0,
                                 .has_profile_pic = false,
                                 .bio_length = 0,
                                 .username_length = 12,
                                 .username_digits = 5});
  }
  QualityScore q = Score(s);
  const Component* audience = Find(q, "audience");
  ASSERT_NE(audience, nullptr);
  EXPECT_DOUBLE_EQ(audience->score, 0.0);
  EXPECT_NE(audience->reasons[0].find("100% of 12 sampled followers look fake"), std::string::npos);
  // Weighted mean: engagement 100 x 30 + audience 0 x 30.
  EXPECT_NEAR(*q.score, 50.0, 0.6);

  s.follower_sample.resize(5);
  q = Score(s);
  EXPECT_EQ(Find(q, "audience"), nullptr);
  EXPECT_NE(q.not_scored[0].find("10 or more"), std::string::npos);
}

TEST_F(ScoreTest, UnexplainedSpikesAndDropsCostGrowth) {
  CreatorSignals s = Normal();
  int64_t followers = 10'000;
  for (int day = 0; day < 10; ++day) {
    if (day == 5) followers = followers * 13 / 10;  // +30% in a day
    s.follower_history.push_back({day * kDay, followers});
    followers += 20;
  }
  QualityScore q = Score(s);
  const Component* growth = Find(q, "growth");
  ASSERT_NE(growth, nullptr);
  EXPECT_DOUBLE_EQ(growth->score, 70.0);
  EXPECT_NE(growth->reasons[0].find("no post"), std::string::npos);
  EXPECT_NEAR(*q.score, (100 * 30 + 70 * 15) / 45.0, 0.1);

  s.post_times_ms = {4 * kDay};  // a post the day before explains the jump
  EXPECT_DOUBLE_EQ(Find(Score(s), "growth")->score, 100.0);

  s.post_times_ms.clear();
  s.follower_history.push_back({10 * kDay, 9'000});  // a purge
  EXPECT_DOUBLE_EQ(Find(Score(s), "growth")->score, 50.0);

  s.follower_history.resize(4);
  q = Score(s);
  EXPECT_EQ(Find(q, "growth"), nullptr);
  EXPECT_NE(q.not_scored[0].find("7 or more"), std::string::npos);
}

TEST_F(ScoreTest, LowEffortCommentsAndPods) {
  EXPECT_TRUE(IsLowEffortComment("Nice pic!!"));
  EXPECT_TRUE(IsLowEffortComment("🔥🔥🔥"));
  EXPECT_TRUE(IsLowEffortComment("@anna @bob"));
  EXPECT_TRUE(IsLowEffortComment("  LOVE IT 😍 "));
  EXPECT_FALSE(IsLowEffortComment("Where did you buy the jacket?"));
  EXPECT_FALSE(IsLowEffortComment("nice pic, which lens?"));

  CreatorSignals s = Normal();
  for (int k = 0; k < 20; ++k) {
    s.comments.push_back({"fan" + std::to_string(k), k % 2 == 0 ? "wow" : "How long is the hike?"});
  }
  const QualityScore half = Score(s);
  const Component* comments = Find(half, "comments");
  ASSERT_NE(comments, nullptr);
  EXPECT_NEAR(comments->score, 100 * (1 - 0.25 / 0.75), 0.01);  // half low-effort
  for (auto& c : s.comments) c.author = "pod" + std::to_string(c.text.size() % 3);
  const QualityScore pods = Score(s);
  const Component* pod = Find(pods, "comments");
  EXPECT_NEAR(pod->score, 100 * (1 - 0.25 / 0.75) - 30, 0.01);
  EXPECT_NE(pod->reasons.back().find("engagement pod"), std::string::npos);
}

TEST_F(ScoreTest, LikesPerCommentBand) {
  CreatorSignals s = Normal();
  s.avg_likes = 400;
  s.avg_comments = 10;
  EXPECT_DOUBLE_EQ(Find(Score(s), "likes_comments")->score, 100.0);
  s.avg_likes = 20;  // 2 likes per comment: comment pods
  EXPECT_DOUBLE_EQ(Find(Score(s), "likes_comments")->score, 30.0);
  s.avg_likes = 20'000;  // 2,000 per comment: bought likes
  EXPECT_DOUBLE_EQ(Find(Score(s), "likes_comments")->score, 30.0);
  s.avg_likes = 40;  // 4 per comment: halfway down the band in log terms
  EXPECT_NEAR(Find(Score(s), "likes_comments")->score, 65.0, 0.5);
}

TEST_F(ScoreTest, TheGateIsConfigurable) {
  CreatorSignals s = Normal();
  s.engagement_rate = 0.012;  // 0.4x the median
  const QualityScore q = Score(s, 60);
  ASSERT_TRUE(q.score);
  EXPECT_EQ(q.passes_gate, *q.score >= 60);
  EXPECT_TRUE(Score(s, *q.score).passes_gate);
  EXPECT_FALSE(Score(s, *q.score + 0.1).passes_gate);
}

}  // namespace
}  // namespace seedcast::quality

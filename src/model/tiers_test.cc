#include "model/tiers.h"

#include <gtest/gtest.h>

namespace seedcast::model {
namespace {

TEST(TierSchemeTest, DefaultFollowsIndustryTable) {
  TierScheme s = TierScheme::Default();
  EXPECT_EQ(s.TierFor(0), "emerging");
  EXPECT_EQ(s.TierFor(999), "emerging");
  EXPECT_EQ(s.TierFor(1'000), "nano");
  EXPECT_EQ(s.TierFor(9'999), "nano");
  EXPECT_EQ(s.TierFor(10'000), "micro");
  EXPECT_EQ(s.TierFor(99'999), "micro");
  EXPECT_EQ(s.TierFor(100'000), "macro");
  EXPECT_EQ(s.TierFor(1'000'000), "mega");
  EXPECT_EQ(s.TierFor(60'300'000), "mega");
}

TEST(TierSchemeTest, CustomSchemeIsSortedAndValidated) {
  auto s = TierScheme::Create({{"big", 50'000}, {"small", 0}, {"mid", 5'000}});
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->TierFor(4'999), "small");
  EXPECT_EQ(s->TierFor(5'000), "mid");
  EXPECT_EQ(s->TierFor(70'000), "big");

  EXPECT_FALSE(TierScheme::Create({}).ok());
  EXPECT_FALSE(TierScheme::Create({{"a", 10}}).ok());
  EXPECT_FALSE(TierScheme::Create({{"a", 0}, {"a", 10}}).ok());
  EXPECT_FALSE(TierScheme::Create({{"a", 0}, {"b", 0}}).ok());
}

}  // namespace
}  // namespace seedcast::model

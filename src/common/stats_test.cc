#include "common/stats.h"

#include <gtest/gtest.h>

namespace seedcast {
namespace {

TEST(PercentileTest, NearestRank) {
  const std::vector<double> v = {5, 1, 4, 2, 3, 10, 9, 8, 7, 6};
  EXPECT_EQ(Percentile(v, 0.5), 5);
  EXPECT_EQ(Percentile(v, 0.9), 9);
  EXPECT_EQ(Percentile(v, 0.99), 10);
  EXPECT_EQ(Percentile(v, 1.0), 10);
  EXPECT_EQ(Percentile(v, 0.01), 1);
  EXPECT_EQ(Percentile({}, 0.5), 0);
}

}  // namespace
}  // namespace seedcast

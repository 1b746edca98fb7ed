#include "demo/population.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>

#include "model/benchmarks.h"
#include "model/creator_json.h"
#include "model/platform.h"

namespace seedcast::demo {
namespace {

std::vector<model::Creator> Generate(int64_t n, uint64_t seed) {
  PopulationGenerator g({.creators = n, .seed = seed});
  std::vector<model::Creator> out;
  model::Creator c;
  while (g.Next(&c)) out.push_back(c);
  return out;
}

TEST(PopulationTest, SameSeedSamePopulation) {
  auto a = Generate(300, 7);
  auto b = Generate(300, 7);
  auto other = Generate(300, 8);
  ASSERT_EQ(a.size(), 300U);
  auto tiers = model::TierScheme::Default();
  int differing = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(model::CreatorToJson(a[i], tiers), model::CreatorToJson(b[i], tiers));
    if (model::CreatorToJson(a[i], tiers) != model::CreatorToJson(other[i], tiers)) ++differing;
  }
  EXPECT_GT(differing, 290);
}

class CalibrationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    population_ = new std::vector<model::Creator>(Generate(30'000, 1));
  }
  static void TearDownTestSuite() { delete population_; }
  static std::vector<model::Creator>* population_;
};
std::vector<model::Creator>* CalibrationTest::population_ = nullptr;

TEST_F(CalibrationTest, EveryAccountIsValidAndHandlesAreUnique) {
  std::set<std::string> keys;
  for (const model::Creator& c : *population_) {
    ASSERT_FALSE(c.accounts.empty());
    for (const model::Account& a : c.accounts) {
      EXPECT_TRUE(model::ValidateAccount(a).ok()) << model::ValidateAccount(a).ToString();
      EXPECT_TRUE(keys.insert(a.platform + "/" + a.handle).second) << a.handle;
    }
  }
}

TEST_F(CalibrationTest, InstagramFollowersMatchTheReferenceSample) {
  std::vector<double> logs;
  std::map<std::string, int> tiers;
  auto scheme = model::TierScheme::Default();
  for (const model::Creator& c : *population_) {
    for (const model::Account& a : c.accounts) {
      if (a.platform != model::kInstagram || *a.followers < 1'000) continue;
      logs.push_back(std::log10(static_cast<double>(*a.followers)));
      ++tiers[scheme.TierFor(*a.followers)];
    }
  }
  std::sort(logs.begin(), logs.end());
  const double n = static_cast<double>(logs.size());
  // Reference: log10(followers) median 4.21; tiers nano 37.4%, micro 46.5%, macro 13.9%, mega 2.2%.
  EXPECT_NEAR(logs[logs.size() / 2], 4.21, 0.08);
  EXPECT_NEAR(tiers["nano"] / n, 0.374, 0.03);
  EXPECT_NEAR(tiers["micro"] / n, 0.465, 0.03);
  EXPECT_NEAR(tiers["macro"] / n, 0.139, 0.02);
  EXPECT_NEAR(tiers["mega"] / n, 0.022, 0.008);
}

TEST_F(CalibrationTest, NicheSharesAndEngagementByTier) {
  std::map<std::string, int> niches;
  std::vector<double> nano_er;
  std::vector<double> tiktok_micro_er;
  int multi = 0;
  for (const model::Creator& c : *population_) {
    ++niches[c.accounts.front().niches.front()];
    if (c.accounts.size() > 1) ++multi;
    for (const model::Account& a : c.accounts) {
      if (a.extra.at("synthetic_quality") != kAuthentic) continue;
      if (a.platform == model::kInstagram && *a.followers >= 1'000 && *a.followers < 10'000) {
        nano_er.push_back(*a.engagement_rate);
      }
      if (a.platform == model::kTikTok && *a.followers >= 10'000 && *a.followers < 100'000) {
        tiktok_micro_er.push_back(*a.engagement_rate);
      }
    }
  }
  const double n = static_cast<double>(population_->size());
  EXPECT_NEAR(niches["fashion"] / n, 0.351, 0.015);
  EXPECT_NEAR(niches["travel"] / n, 0.124, 0.01);
  EXPECT_NEAR(niches["pet"] / n, 0.017, 0.005);
  EXPECT_GT(multi / n, 0.3) << "creators on several platforms";
  std::sort(nano_er.begin(), nano_er.end());
  std::sort(tiktok_micro_er.begin(), tiktok_micro_er.end());
  EXPECT_NEAR(nano_er[nano_er.size() / 2], 0.040, 0.004);                  // reference median 4.0%
  EXPECT_NEAR(tiktok_micro_er[tiktok_micro_er.size() / 2], 0.087, 0.008);  // IMH: 8.7%
}

TEST_F(CalibrationTest, LowQualityAccountsCarryTheirSignals) {
  std::map<std::string, std::vector<double>> er_ratio;
  std::map<std::string, int> mass_following;
  std::map<std::string, int> count;
  int creators_low = 0;
  for (const model::Creator& c : *population_) {
    if (c.accounts.front().extra.at("synthetic_quality") != kAuthentic) ++creators_low;
    for (const model::Account& a : c.accounts) {
      const std::string& kind = a.extra.at("synthetic_quality");
      ++count[kind];
      er_ratio[kind].push_back(*a.engagement_rate /
                               model::EngagementBenchmark(a.platform, *a.followers));
      if (a.following.value_or(0) > 1'500) ++mass_following[kind];
    }
  }
  auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  };
  EXPECT_NEAR(creators_low / static_cast<double>(population_->size()), 0.15, 0.015);
  EXPECT_NEAR(median(er_ratio[kAuthentic]), 1.0, 0.1);
  EXPECT_LT(median(er_ratio[kBoughtFollowers]), 0.4);
  EXPECT_GT(median(er_ratio[kEngagementPod]), 2.0);
  EXPECT_GT(mass_following[kBotLike] / static_cast<double>(count[kBotLike]), 0.6);
  EXPECT_LT(mass_following[kAuthentic] / static_cast<double>(count[kAuthentic]), 0.3);
}

// The quality score, computed from each kind's synthetic signals, ranks authentic accounts above
// the planted low-quality ones.
TEST_F(CalibrationTest, QualityScoreSeparatesThePlantedKinds) {
  std::map<std::string, std::vector<double>> scores;
  for (const model::Creator& c : *population_) {
    for (const model::Account& a : c.accounts) {
      ASSERT_TRUE(a.quality_score.has_value());
      EXPECT_GE(*a.quality_score, 0.0);
      EXPECT_LE(*a.quality_score, 1.0);
      scores[a.extra.at("synthetic_quality")].push_back(*a.quality_score);
    }
  }
  auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  };
  EXPECT_GT(median(scores[kAuthentic]), 0.85);
  EXPECT_LT(median(scores[kBoughtFollowers]), 0.6);
  EXPECT_LT(median(scores[kBotLike]), 0.6);
  EXPECT_LT(median(scores[kEngagementPod]), median(scores[kAuthentic]) - 0.1);
  // Share of authentic accounts under the default gate of 60: few.
  const auto& authentic = scores[kAuthentic];
  const auto failing =
      std::count_if(authentic.begin(), authentic.end(), [](double q) { return q < 0.6; });
  EXPECT_LT(static_cast<double>(failing) / static_cast<double>(authentic.size()), 0.03);
}

}  // namespace
}  // namespace seedcast::demo

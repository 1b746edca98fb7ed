#include "search/lookalike.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <random>

namespace seedcast::search {
namespace {

float Dot(const LookalikeVector& a, const LookalikeVector& b) {
  double s = 0;
  for (size_t i = 0; i < a.size(); ++i) s += static_cast<double>(a[i]) * b[i];
  return static_cast<float>(s);
}

model::Audience RandomAudience(std::mt19937& rng) {
  std::uniform_real_distribution<double> share(0, 1);
  model::Audience a;
  for (const char* c : {"US", "BR", "DE", "NG"}) {
    if (share(rng) < 0.5) a.countries[c] = share(rng);
  }
  if (share(rng) < 0.7) a.genders["female"] = share(rng);
  for (const std::string& band : model::AgeBands()) {
    if (share(rng) < 0.4) a.ages[band] = share(rng);
  }
  return a;
}

TEST(LookalikeTest, ProfilesStandForUnitVectorsAndTheirDotProducts) {
  std::mt19937 rng(7);
  std::vector<LookalikeProfile> profiles;
  for (int i = 0; i < 200; ++i) {
    // Some profiles leave whole blocks empty: no niches, no audience or no hashtags.
    const uint32_t niches = i % 5 == 0 ? 0 : static_cast<uint32_t>(rng()) & 0x3FFFFF;
    const uint32_t tags = i % 7 == 0 ? 0 : static_cast<uint32_t>(rng());
    profiles.push_back(
        MakeLookalikeProfile(niches, i % 3 == 0 ? model::Audience{} : RandomAudience(rng), tags));
  }
  for (const LookalikeProfile& p : profiles) {
    const LookalikeVector v = Expand(p);
    // With every block empty (profiles 0 and 105) the vector is zero.
    const bool empty = p.niches == 0 && p.hashtags == 0 && p.audience_scale == 0;
    EXPECT_NEAR(Dot(v, v), empty ? 0.0F : 1.0F, 1e-5F);
    EXPECT_NEAR(Similarity(p, p), empty ? 0.0F : 1.0F, 1e-5F);
    for (const LookalikeProfile& q : profiles) {
      EXPECT_NEAR(Similarity(p, q), Dot(v, Expand(q)), 1e-5F);
    }
  }
}

TEST(LookalikeTest, BlocksAreWeightedAndSharesKeptInBasisPoints) {
  model::Audience us;
  us.countries = {{"US", 0.6}, {"NG", 0.4}};  // NG has no dimension of its own
  us.genders = {{"female", 0.55}};
  const LookalikeProfile p = MakeLookalikeProfile(0b11, us, 0);
  EXPECT_EQ(p.audience[0], 6000);   // US
  EXPECT_EQ(p.audience[12], 5500);  // female
  EXPECT_EQ(p.hashtag_scale, 0.0F);
  // Niches weigh 1 and the audience 0.8: after scaling to length 1, the niche block holds
  // 1 / (1 + 0.64) of the squared length.
  const LookalikeVector v = Expand(p);
  EXPECT_NEAR(v[0] * v[0] + v[1] * v[1], 1.0 / 1.64, 1e-5);
  EXPECT_NEAR(v[0], v[1], 1e-7);

  // Sharing niches counts more than sharing an audience.
  const LookalikeProfile same_niches = MakeLookalikeProfile(0b11, {}, 0);
  const LookalikeProfile same_audience = MakeLookalikeProfile(0b1100, us, 0);
  EXPECT_GT(Similarity(p, same_niches), Similarity(p, same_audience));
  EXPECT_EQ(Similarity(p, MakeLookalikeProfile(0, {}, 0)), 0.0F);
}

TEST(LookalikeTest, ExactSearchRanksBySimilarityAndHonoursTheFilter) {
  LookalikeIndex index;
  const LookalikeProfile query = MakeLookalikeProfile(0b111, {}, 0b1);
  index.Set(0, MakeLookalikeProfile(0b100000, {}, 0b10));  // shares nothing
  index.Set(1, MakeLookalikeProfile(0b111, {}, 0b1));      // identical
  index.Set(2, MakeLookalikeProfile(0b011, {}, 0b1));
  index.Set(3, MakeLookalikeProfile(0b111, {}, 0b1));  // identical, filtered out below
  index.Set(5, MakeLookalikeProfile(0b001, {}, 0));
  index.Remove(2);
  auto near = index.Exact(query, 3, [](uint32_t s) { return s != 3; });
  ASSERT_EQ(near.size(), 3U);
  EXPECT_EQ(near[0].first, 1U);
  EXPECT_NEAR(near[0].second, 1.0F, 1e-5F);
  EXPECT_EQ(near[1].first, 5U);
  EXPECT_EQ(near[2].first, 0U);
  EXPECT_EQ(near[2].second, 0.0F);
  EXPECT_EQ(index.Get(2), nullptr);
  EXPECT_EQ(index.Get(4), nullptr);
  ASSERT_NE(index.Get(5), nullptr);
  EXPECT_EQ(index.Get(5)->niches, 0b001U);
}

// A graph built from a snapshot gets what changed after the snapshot when it is installed.
TEST(LookalikeTest, AGraphBuiltFromASnapshotCatchesUpWhenInstalled) {
  LookalikeIndex index;
  std::mt19937 rng(11);
  for (uint32_t slot = 0; slot < 200; ++slot) {
    index.Set(slot, MakeLookalikeProfile(static_cast<uint32_t>(rng()) & 0xFF, RandomAudience(rng),
                                         static_cast<uint32_t>(rng())));
  }
  const model::Audience us{.countries = {{"US", 0.6}}};
  LookalikeIndex::Snapshot snapshot = index.StartSnapshot();
  EXPECT_TRUE(index.building_graph());
  // After the copy: a new slot with a vector nobody else has, one removed, one changed.
  const LookalikeProfile unique = MakeLookalikeProfile(1U << 9, us, 0);
  index.Set(500, unique);
  index.Remove(4);
  index.Set(6, unique);
  index.InstallGraph(LookalikeIndex::BuildGraphOf(snapshot, 2));
  EXPECT_FALSE(index.building_graph());
  ASSERT_TRUE(index.has_graph());
  std::vector<uint32_t> near;
  for (const auto& [slot, sim] : index.Approximate(unique, 2)) near.push_back(slot);
  std::sort(near.begin(), near.end());
  EXPECT_EQ(near, (std::vector<uint32_t>{6, 500}));
  for (const auto& [slot, sim] : index.Approximate(*index.Get(2), 300)) EXPECT_NE(slot, 4u);
  // An abandoned build installs nothing.
  LookalikeIndex other;
  other.Set(0, unique);
  LookalikeIndex::Snapshot again = other.StartSnapshot();
  const std::atomic<bool> cancel{true};
  other.InstallGraph(LookalikeIndex::BuildGraphOf(again, 1, &cancel));
  EXPECT_FALSE(other.has_graph());
  EXPECT_FALSE(other.building_graph());
}

}  // namespace
}  // namespace seedcast::search

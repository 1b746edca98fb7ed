#include "model/niches.h"

#include <gtest/gtest.h>

namespace seedcast::model {
namespace {

const NicheTaxonomy& T() { return NicheTaxonomy::Default(); }

TEST(NicheTaxonomyTest, ExactAndAliases) {
  EXPECT_EQ(T().Resolve("Fashion").niche, "fashion");
  EXPECT_EQ(T().Resolve("Fashion").kind, NicheMatchKind::kExact);
  EXPECT_EQ(T().Resolve("Skin-care").niche, "beauty");
  EXPECT_EQ(T().Resolve("Mommy Blogger").niche, "family");
  EXPECT_EQ(T().Resolve("Home Decor").kind, NicheMatchKind::kAlias);
}

TEST(NicheTaxonomyTest, MisspellingsFromRealFilesAreCorrected) {
  NicheMatch m = T().Resolve("fasion");
  EXPECT_EQ(m.niche, "fashion");
  EXPECT_EQ(m.kind, NicheMatchKind::kCorrected);
  EXPECT_EQ(T().Resolve("fashion 0.5").niche, "fashion");
  EXPECT_EQ(T().Resolve("Travell").niche, "travel");
  EXPECT_EQ(T().Resolve("interiour").niche, "interior");
}

TEST(NicheTaxonomyTest, GarbageStaysUnknown) {
  EXPECT_EQ(T().Resolve("by").kind, NicheMatchKind::kUnknown);
  EXPECT_EQ(T().Resolve("0.5").kind, NicheMatchKind::kUnknown);
  EXPECT_EQ(T().Resolve("qwertyuiop").kind, NicheMatchKind::kUnknown);
}

TEST(NicheTaxonomyTest, ListsSplitOnCommonSeparators) {
  auto list = T().ResolveList("Fashion, beauty | TRAVEL/ pets");
  ASSERT_EQ(list.size(), 4U);
  EXPECT_EQ(list[0].niche, "fashion");
  EXPECT_EQ(list[1].niche, "beauty");
  EXPECT_EQ(list[2].niche, "travel");
  EXPECT_EQ(list[3].niche, "pet");
}

}  // namespace
// The default taxonomy is the one niche layout the index's bits and lookalike vectors use.
TEST(NichesTest, DefaultTaxonomyIsTheNicheLayout) {
  const auto& niches = NicheTaxonomy::Default().niches();
  ASSERT_EQ(niches.size(), kNicheCount);
  for (size_t i = 0; i < kNicheCount; ++i) EXPECT_EQ(niches[i], kDefaultNiches[i]);
}

}  // namespace seedcast::model

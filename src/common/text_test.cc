#include "common/text.h"

#include <gtest/gtest.h>

namespace seedcast::text {
namespace {

TEST(TextTest, NormalizeLabelFoldsWidthCaseAndPunctuation) {
  EXPECT_EQ(NormalizeLabel("#Followers"), "followers");
  EXPECT_EQ(NormalizeLabel("Followers\ncount (#)"), "followers count");
  EXPECT_EQ(NormalizeLabel("\xEF\xBC\x83\xEF\xBC\xA6ollowers"), "followers");  // fullwidth ＃Ｆ
  EXPECT_EQ(NormalizeLabel("Подписчики"), "подписчики");
}

TEST(TextTest, InvalidUtf8IsDetected) {
  EXPECT_TRUE(IsValidUtf8("caf\xC3\xA9 \xF0\x9F\x98\x80"));
  EXPECT_FALSE(IsValidUtf8("caf\xC3"));
  EXPECT_FALSE(Nfc("\xFF\xFE").has_value());
}

TEST(TextTest, NfcComposesDecomposedAccents) { EXPECT_EQ(*Nfc("e\xCC\x81"), "\xC3\xA9"); }

TEST(TextTest, TrimRemovesBomAndNbsp) {
  EXPECT_EQ(Trim("\xEF\xBB\xBF  handle\xC2\xA0\r\n"), "handle");
  EXPECT_EQ(Trim("   "), "");
}

TEST(TextTest, SplitDropsEmptyParts) {
  auto parts = Split(" fashion; beauty ,,travel ", ",;");
  ASSERT_EQ(parts.size(), 3U);
  EXPECT_EQ(parts[0], "fashion");
  EXPECT_EQ(parts[2], "travel");
}

TEST(TextTest, EditDistanceCountsTranspositionsAsOne) {
  EXPECT_EQ(EditDistance("fasion", "fashion", 2), 1);
  EXPECT_EQ(EditDistance("fahsion", "fashion", 2), 1);
  EXPECT_EQ(EditDistance("by", "beauty", 2), 3);
  EXPECT_EQ(CodePointCount("h\xC3\xA9llo \xF0\x9F\x98\x80"), 7U);
}

}  // namespace
}  // namespace seedcast::text

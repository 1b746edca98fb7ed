#include "ingest/numbers.h"

#include <gtest/gtest.h>

namespace seedcast::ingest {
namespace {

int64_t Count(std::string_view s) {
  auto r = ParseCount(s);
  EXPECT_TRUE(r.ok()) << s << ": " << r.status().ToString();
  return r.ok() ? *r : -1;
}

TEST(NumbersTest, AbbreviatedAndGroupedCounts) {
  EXPECT_EQ(Count("60.3M"), 60'300'000);
  EXPECT_EQ(Count("30.8K"), 30'800);
  EXPECT_EQ(Count("30.8k"), 30'800);
  EXPECT_EQ(Count("1.2B"), 1'200'000'000);
  EXPECT_EQ(Count("1,234"), 1'234);
  EXPECT_EQ(Count("1,234,567"), 1'234'567);
  EXPECT_EQ(Count("1 234"), 1'234);
  EXPECT_EQ(Count("1\xC2\xA0"
                  "234"),
            1'234);
  EXPECT_EQ(Count("1.234"), 1'234);  // a follower count is whole: the dot groups thousands
  EXPECT_EQ(Count("1.234.567"), 1'234'567);
  EXPECT_EQ(Count(" 16125 "), 16'125);
  EXPECT_EQ(Count("2,5K"), 2'500);
}

TEST(NumbersTest, BadCountsAreNamed) {
  for (std::string_view bad : {"", "abc", "12x", "-5", "3.2%", "1,23,4", "12.5", "K", "."}) {
    auto r = ParseCount(bad);
    EXPECT_FALSE(r.ok()) << "'" << bad << "' parsed as " << (r.ok() ? *r : 0);
  }
  EXPECT_NE(ParseCount("12x").status().message().find("'12x'"), std::string::npos);
}

TEST(NumbersTest, ExportSpellings) {
  EXPECT_EQ(*ParseCount("475.8m"), 475'800'000);
  EXPECT_EQ(*ParseCount("0.89k"), 890);
  EXPECT_EQ(*ParseCount("29.0b"), 29'000'000'000);
  EXPECT_EQ(*ParseCount("2.28E+11"), 228'000'000'000);
  EXPECT_EQ(*ParseCount("1e6"), 1'000'000);
  EXPECT_DOUBLE_EQ(*ParseFraction("3.5E-2", false), 0.035);
  EXPECT_FALSE(ParseCount("1e").ok());
  EXPECT_FALSE(ParseCount("e5").ok());
  EXPECT_FALSE(ParseCount("1.2.3e4").ok());
  EXPECT_TRUE(IsMissingValue("NaN%"));
  EXPECT_TRUE(IsMissingValue(" N/A "));
  EXPECT_TRUE(IsMissingValue("\xE2\x80\x94"));
  EXPECT_FALSE(IsMissingValue("0"));
  EXPECT_FALSE(IsMissingValue("nano"));
}

TEST(NumbersTest, FractionsAndPercentages) {
  EXPECT_DOUBLE_EQ(*ParseFraction("3.2%", false), 0.032);
  EXPECT_DOUBLE_EQ(*ParseFraction("3,2 %", false), 0.032);
  EXPECT_DOUBLE_EQ(*ParseFraction("0.032", false), 0.032);
  EXPECT_DOUBLE_EQ(*ParseFraction("3.2", true), 0.032);
  EXPECT_DOUBLE_EQ(*ParseFraction("0.8", true), 0.008);
  EXPECT_FALSE(ParseFraction("150%", false).ok());
  EXPECT_FALSE(ParseFraction("3.2", false).ok()) << "3.2 as a fraction is over 100%";
}

TEST(NumbersTest, MoneyInCents) {
  EXPECT_EQ(*ParseMoneyCents("$250"), 25'000);
  EXPECT_EQ(*ParseMoneyCents("USD 1,200"), 120'000);
  EXPECT_EQ(*ParseMoneyCents("1.2k"), 120'000);
  EXPECT_EQ(*ParseMoneyCents("\xE2\x82\xAC 99,50"), 9'950);
  EXPECT_EQ(*ParseMoneyCents("19.99"), 1'999);
  EXPECT_FALSE(ParseMoneyCents("free").ok());
}

TEST(NumbersTest, Booleans) {
  EXPECT_TRUE(*ParseBool("Yes"));
  EXPECT_TRUE(*ParseBool("TRUE"));
  EXPECT_FALSE(*ParseBool("0"));
  EXPECT_FALSE(ParseBool("maybe").ok());
}

}  // namespace
}  // namespace seedcast::ingest

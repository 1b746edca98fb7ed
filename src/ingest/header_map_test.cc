#include "ingest/header_map.h"

#include <gtest/gtest.h>

namespace seedcast::ingest {
namespace {

std::string Guess(std::string_view header) {
  ColumnSpec s = GuessColumn(header);
  std::string out = FieldName(s);
  if (!s.platform.empty()) out += "@" + s.platform;
  return out;
}

TEST(HeaderMapTest, HeadersFromRealExports) {
  EXPECT_EQ(Guess("#Followers"), "followers");
  EXPECT_EQ(Guess("followers"), "followers");
  EXPECT_EQ(Guess("Followers count"), "followers");
  EXPECT_EQ(Guess("Followers\ncount"), "followers");
  EXPECT_EQ(Guess("instagram name"), "handle@instagram");
  EXPECT_EQ(Guess("TikTok Followers"), "followers@tiktok");
  EXPECT_EQ(Guess("YouTube"), "handle@youtube");
  EXPECT_EQ(Guess("Engagement Rate (%)"), "engagement_rate");
  EXPECT_EQ(Guess("ER"), "engagement_rate");
  EXPECT_EQ(Guess("Avg. Views"), "avg_views");
  EXPECT_EQ(Guess("#Posts"), "posts");
  EXPECT_EQ(Guess("Category"), "niches");
  EXPECT_EQ(Guess("Price per post (USD)"), "rate_post");
  EXPECT_EQ(Guess("E-mail"), "email");
  EXPECT_EQ(Guess("Shipping Address"), "address");
  EXPECT_EQ(Guess("Phone number"), "phone");
  EXPECT_EQ(Guess("Tier"), "ignore");
  EXPECT_EQ(Guess("Favourite colour"), "extra");
}

TEST(HeaderMapTest, WindowsPeopleAndSubscribers) {
  EXPECT_EQ(Guess("ER (30 days)"), "engagement_rate");
  EXPECT_EQ(GuessColumn("ER (30 days)").window, "30 days");
  EXPECT_EQ(Guess("Engagement rate, last 30 posts"), "engagement_rate");
  EXPECT_EQ(GuessColumn("Engagement rate, last 30 posts").window, "last 30 posts");
  EXPECT_EQ(Guess("Avg views 90d"), "avg_views");
  EXPECT_EQ(Guess("Subscribers"), "followers");
  EXPECT_EQ(Guess("YT subscribers"), "followers@youtube");
  EXPECT_EQ(Guess("Tiktoker name"), "name@tiktok");
  EXPECT_EQ(Guess("Youtuber"), "name@youtube");
  EXPECT_EQ(Guess("Engagements per post"), "avg_engagements");
  EXPECT_EQ(Guess("Audience country"), "country");
  EXPECT_EQ(Guess("Audience 18-24"), "audience_age_18-24");
  EXPECT_EQ(GuessColumn("Followers").window, "");
  EXPECT_EQ(Guess("Category_2"), "niches");
}

TEST(HeaderMapTest, AudienceColumns) {
  EXPECT_EQ(Guess("Audience Female %"), "audience_female");
  EXPECT_EQ(Guess("audience_age_18-24"), "audience_age_18-24");
  EXPECT_EQ(Guess("Age 25-34 (%)"), "audience_age_25-34");
  EXPECT_EQ(Guess("Audience 55+"), "audience_age_55+");
  EXPECT_EQ(Guess("Audience United States"), "audience_country_US");
  EXPECT_EQ(Guess("audience_country_GB"), "audience_country_GB");
}

TEST(HeaderMapTest, MapTargets) {
  EXPECT_EQ(FieldName(*ParseFieldName("followers")), "followers");
  EXPECT_EQ(FieldName(*ParseFieldName("audience_age_18-24")), "audience_age_18-24");
  EXPECT_EQ(FieldName(*ParseFieldName("rate_story")), "rate_story");
  EXPECT_EQ(FieldName(*ParseFieldName("audience_country_de")), "audience_country_DE");
  auto bad = ParseFieldName("folowers");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("folowers"), std::string::npos);
  EXPECT_FALSE(ParseFieldName("audience_age_20-30").ok());
}

}  // namespace
}  // namespace seedcast::ingest

#include "model/creator_json.h"

#include <gtest/gtest.h>

namespace seedcast::model {
namespace {

TEST(CreatorJsonTest, AudienceRoundTrips) {
  Audience a;
  a.countries = {{"US", 0.45}, {"GB", 0.1}};
  a.genders = {{"female", 0.7}, {"male", 0.3}};
  a.ages = {{"18-24", 0.4}};
  auto back = AudienceFromJson(AudienceToJson(a));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, a);
}

TEST(CreatorJsonTest, AudienceRejectsUnknownGroupsAndNonNumbers) {
  auto bad_group = AudienceFromJson(nlohmann::json::parse(R"({"cities": {"Paris": 0.2}})"));
  ASSERT_FALSE(bad_group.ok());
  EXPECT_NE(bad_group.status().message().find("cities"), std::string::npos);
  EXPECT_FALSE(AudienceFromJson(nlohmann::json::parse(R"({"ages": {"18-24": "lots"}})")).ok());
}

TEST(CreatorJsonTest, CreatorCarriesTierOfLargestAccount) {
  Creator c;
  c.name = "Ana";
  Account small;
  small.platform = "tiktok";
  small.handle = "ana";
  small.followers = 5'000;
  Account big = small;
  big.platform = "instagram";
  big.followers = 250'000;
  c.accounts = {small, big};
  nlohmann::json j = CreatorToJson(c, TierScheme::Default());
  EXPECT_EQ(j["tier"], "macro");
  EXPECT_EQ(j["accounts"][0]["tier"], "nano");
  EXPECT_TRUE(j["accounts"][0]["engagement_rate"].is_null());
}

TEST(CreatorJsonTest, ValidateNamesTheBadField) {
  Account a;
  a.platform = "instagram";
  a.handle = "x";
  a.engagement_rate = 1.5;
  Status s = ValidateAccount(a);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("engagement_rate"), std::string::npos);
  a.engagement_rate = 0.03;
  a.audience.genders = {{"female", 0.8}, {"male", 0.5}};
  EXPECT_NE(ValidateAccount(a).message().find("gender"), std::string::npos);
}

}  // namespace
}  // namespace seedcast::model

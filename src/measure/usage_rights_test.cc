// Runs the declarative usage-rights cases in testdata/rights_cases.jsonl: each line is a grant,
// a time, and the state expected then (or the field a refused grant is refused for).
#include "measure/usage_rights.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/iso_time.h"
#include "measure/case_files.h"

namespace seedcast::measure {
namespace {

using nlohmann::json;

std::optional<int64_t> TimeOf(const json& rights, const char* name) {
  if (!rights.contains(name) || rights[name].is_null()) return std::nullopt;
  Result<int64_t> ms = ParseIsoTimeMs(rights[name].get<std::string>());
  EXPECT_TRUE(ms.ok()) << ms.status().ToString();
  return ms.ok() ? std::optional<int64_t>(*ms) : std::nullopt;
}

// The grant as an API caller writes it, read and checked as the application layer does.
Result<UsageRights> ReadRights(const json& j) {
  UsageRights r{.scope = j.value("scope", ""),
                .starts_at_ms = TimeOf(j, "starts_at"),
                .expires_at_ms = TimeOf(j, "expires_at"),
                .authorization_code = j.value("authorization_code", "")};
  SEEDCAST_ASSIGN_OR_RETURN(r.channels,
                            ParseChannels(j.value("channels", std::vector<std::string>{})));
  SEEDCAST_RETURN_IF_ERROR(CheckRights(r));
  return r;
}

TEST(UsageRightsCases, EveryGrantHasItsStateAtItsTime) {
  const std::vector<json> cases = testing::ReadCaseLines("rights_cases.jsonl");
  ASSERT_GE(cases.size(), 20U);
  int refused = 0;
  for (const json& c : cases) {
    const std::string name = c.at("name");
    Result<UsageRights> rights = ReadRights(c.at("rights"));
    if (c.contains("error_field")) {
      ASSERT_FALSE(rights.ok()) << name;
      EXPECT_EQ(rights.status().field(), c["error_field"])
          << name << ": " << rights.status().ToString();
      ++refused;
      continue;
    }
    ASSERT_TRUE(rights.ok()) << name << ": " << rights.status().ToString();
    Result<int64_t> now = ParseIsoTimeMs(c.at("now").get<std::string>());
    ASSERT_TRUE(now.ok()) << name;
    const json got = json::parse(RightsToJson(*rights, EvaluateRights(*rights, *now)).dump());
    for (const auto& [key, want] : c.at("expect").items()) {
      EXPECT_EQ(got.value(key, json("absent")), want)
          << name << ": " << key << " in " << got.dump();
    }
  }
  EXPECT_GE(refused, 7);
}

TEST(UsageRights, TheWarningWindowIsConfigurable) {
  const UsageRights paid{.scope = "paid", .expires_at_ms = 30 * kRightsDayMs};
  EXPECT_FALSE(EvaluateRights(paid, 0).expiring);
  const RightsStatus wide = EvaluateRights(paid, 0, {.expiring_within_ms = 30 * kRightsDayMs});
  EXPECT_TRUE(wide.expiring);
  EXPECT_EQ(wide.state, RightsState::kExpiring);
  EXPECT_EQ(wide.days_left, 30);
}

TEST(UsageRights, StoredChannelsRoundTripAndAMalformedColumnReadsAsNone) {
  EXPECT_EQ(ChannelsFromJsonText(ChannelsToJsonText({"meta", "tiktok"})),
            (std::vector<std::string>{"meta", "tiktok"}));
  EXPECT_TRUE(ChannelsFromJsonText("not json").empty());
  EXPECT_TRUE(ChannelsFromJsonText(R"({"a": 1})").empty());
}

}  // namespace
}  // namespace seedcast::measure

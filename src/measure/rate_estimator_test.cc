// The rate estimator: the declarative cases in testdata/rate_cases.jsonl (a fixture of accepted
// rates in, percentiles, sample sizes and sources out, worked out by hand), and the accepted
// rates read from the ledger on SQLite and on a real PostgreSQL.
#include "measure/rate_estimator.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/clock.h"
#include "measure/case_files.h"
#include "storage/testing/test_database.h"

namespace seedcast::measure {
namespace {

using nlohmann::json;

std::vector<RateSample> SamplesOf(const json& list) {
  std::vector<RateSample> out;
  for (const json& s : list) {
    RateSample r{.platform = s.at("platform"),
                 .followers = s.at("followers"),
                 .niches = s.value("niches", std::vector<std::string>{}),
                 .cents = s.at("cents")};
    if (s.contains("engagement_rate")) r.engagement_rate = s["engagement_rate"].get<double>();
    out.push_back(std::move(r));
  }
  return out;
}

void ExpectFields(const json& got, const json& want, const std::string& where) {
  if (want.is_null()) {
    EXPECT_TRUE(got.is_null()) << where << ": " << got.dump();
    return;
  }
  ASSERT_TRUE(got.is_object()) << where << ": " << got.dump();
  for (const auto& [key, value] : want.items()) {
    EXPECT_EQ(got.value(key, json("absent")), value) << where << "." << key << " in " << got.dump();
  }
}

TEST(RateCases, EveryQueryGetsTheFiguresWorkedOutByHand) {
  std::map<std::string, std::vector<RateSample>> fixtures;
  int cases = 0;
  int from_reference = 0;
  for (const json& line : testing::ReadCaseLines("rate_cases.jsonl")) {
    if (line.contains("fixture") && line.contains("samples")) {
      fixtures[line["fixture"]] = SamplesOf(line["samples"]);
      continue;
    }
    const std::string name = line.at("name");
    const std::vector<RateSample> samples =
        line.contains("fixture") ? fixtures.at(line["fixture"]) : SamplesOf(line.at("samples"));
    const json& q = line.at("query");
    RateQuery query{.platform = q.at("platform"),
                    .followers = q.at("followers"),
                    .niche = q.value("niche", "")};
    if (q.contains("engagement_rate")) query.engagement_rate = q["engagement_rate"].get<double>();
    RateOptions options;
    if (line.contains("options")) options.min_sample = line["options"].value("min_sample", 5);
    const RateEstimates got = EstimateRates(samples, query, model::TierScheme::Default(), options);
    const json out = json::parse(RateEstimatesToJson(got).dump());
    for (const auto& [key, want] : line.at("expect").items()) {
      if (want.is_object() || want.is_null()) {
        ExpectFields(out.value(key, json()), want, fmt::format("{}: {}", name, key));
      } else {
        EXPECT_EQ(out.value(key, json("absent")), want) << name << ": " << key;
      }
    }
    if (line.contains("basis_has")) {
      EXPECT_NE(got.by_segment.basis.find(line["basis_has"].get<std::string>()), std::string::npos)
          << name << ": " << got.by_segment.basis;
    }
    if (line.contains("engagement_basis_has")) {
      ASSERT_TRUE(got.by_engagement.has_value()) << name;
      EXPECT_NE(got.by_engagement->basis.find(line["engagement_basis_has"].get<std::string>()),
                std::string::npos)
          << name << ": " << got.by_engagement->basis;
    }
    if (got.by_segment.source == "reference") ++from_reference;
    ++cases;
  }
  EXPECT_GE(cases, 15);
  EXPECT_GE(from_reference, 5);
}

TEST(RateEstimator, EngagementBandsFollowTheEdges) {
  const std::vector<double> edges = {0.01, 0.03, 0.06};
  EXPECT_EQ(EngagementBand(0.0, edges), "under 1%");
  EXPECT_EQ(EngagementBand(0.0299, edges), "1%-3%");
  EXPECT_EQ(EngagementBand(0.03, edges), "3%-6%");
  EXPECT_EQ(EngagementBand(0.9, edges), "6% and over");
  EXPECT_EQ(EngagementBand(0.025, {0.025}), "2.5% and over");
  EXPECT_EQ(EngagementBand(0.5, {}), "any");
}

class AcceptedRatesTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto created = storage::testing::TestDatabase::Create(GetParam(), clock_);
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    test_db_ = std::move(created).value();
  }
  storage::Database& db() { return test_db_->db(); }

  int64_t Insert(const std::string& sql, const std::vector<storage::Value>& values) {
    auto id = db().Insert(sql, values);
    EXPECT_TRUE(id.ok()) << sql << ": " << id.status().ToString();
    return id.ok() ? *id : 0;
  }

  // A completed assignment of `platform` account `handle`, paid `cents` through the ledger as the
  // campaign service pays (debit the campaign's creator_pay, credit the creator's payable).
  void Paid(const std::string& platform, const std::string& handle, int64_t followers,
            const std::string& niches, int64_t cents) {
    const int64_t now = clock_.NowMs();
    const int64_t creator =
        Insert("INSERT INTO creators (name, created_at_ms, updated_at_ms) VALUES (?, ?, ?)",
               {std::string_view(handle), now, now});
    const int64_t account = Insert(
        "INSERT INTO accounts (creator_id, platform, handle, followers, engagement_rate, niches, "
        "created_at_ms, updated_at_ms) VALUES (?, ?, ?, ?, 0.04, ?, ?, ?)",
        {creator, std::string_view(platform), std::string_view(handle), followers,
         std::string_view(niches), now, now});
    const int64_t assignment = Insert(
        "INSERT INTO assignments (campaign_id, creator_id, account_id, state, created_at_ms, "
        "updated_at_ms) VALUES (?, ?, ?, 'completed', ?, ?)",
        {campaign_, creator, account, now, now});
    const std::string key = "pay:" + std::to_string(assignment);
    const int64_t txn = Insert(
        "INSERT INTO ledger_transactions (idempotency_key, kind, campaign_id, assignment_id, "
        "created_at_ms) VALUES (?, 'creator_pay', ?, ?, ?)",
        {std::string_view(key), campaign_, assignment, now});
    const std::string debit = "campaign:" + std::to_string(campaign_) + ":creator_pay";
    const std::string credit = "creator:" + std::to_string(creator) + ":payable";
    Insert(
        "INSERT INTO ledger_entries (transaction_id, ledger_account, amount_cents) VALUES (?, ?, "
        "?)",
        {txn, std::string_view(debit), cents});
    Insert(
        "INSERT INTO ledger_entries (transaction_id, ledger_account, amount_cents) VALUES (?, ?, "
        "?)",
        {txn, std::string_view(credit), -cents});
  }

  void MakeCampaign() {
    const int64_t now = clock_.NowMs();
    const int64_t brand =
        Insert("INSERT INTO brands (name, created_at_ms) VALUES ('Glow', ?)", {now});
    campaign_ = Insert(
        "INSERT INTO campaigns (brand_id, name, goal, compensation, target_completions, "
        "created_at_ms) VALUES (?, 'Launch', 'ugc_assets', 'paid', 3, ?)",
        {brand, now});
  }

  FakeClock clock_{1'790'000'000'000};
  std::unique_ptr<storage::testing::TestDatabase> test_db_;
  int64_t campaign_ = 0;
};

TEST_P(AcceptedRatesTest, EachPaymentForACompletedPostIsOneSampleWithItsAccount) {
  MakeCampaign();
  Paid("instagram", "ana", 25'000, "beauty,wellness", 15'000);
  Paid("instagram", "bo", 40'000, "fitness", 22'000);
  Paid("tiktok", "cy", 30'000, "", 9'000);
  // An invoice line is not a rate a creator accepted.
  const int64_t now = clock_.NowMs();
  const int64_t invoice = Insert(
      "INSERT INTO ledger_transactions (idempotency_key, kind, campaign_id, created_at_ms) VALUES "
      "('invoice:1', 'invoice_line', ?, ?)",
      {campaign_, now});
  Insert(
      "INSERT INTO ledger_entries (transaction_id, ledger_account, amount_cents) VALUES (?, "
      "'brand:1:receivable', 10000)",
      {invoice});

  auto all = LoadAcceptedRates(db(), "");
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->size(), 3U);
  EXPECT_EQ((*all)[0].platform, "instagram");
  EXPECT_EQ((*all)[0].followers, 25'000);
  EXPECT_EQ((*all)[0].cents, 15'000);
  EXPECT_EQ((*all)[0].niches, (std::vector<std::string>{"beauty", "wellness"}));
  ASSERT_TRUE((*all)[0].engagement_rate.has_value());
  EXPECT_DOUBLE_EQ(*(*all)[0].engagement_rate, 0.04);
  EXPECT_TRUE((*all)[2].niches.empty());

  auto instagram = LoadAcceptedRates(db(), "instagram");
  ASSERT_TRUE(instagram.ok());
  ASSERT_EQ(instagram->size(), 2U);
  EXPECT_EQ((*instagram)[1].cents, 22'000);
  const RateEstimates e = EstimateRates(*instagram, {.platform = "instagram", .followers = 30'000},
                                        model::TierScheme::Default(), {.min_sample = 2});
  EXPECT_EQ(e.by_segment.source, "instance");
  EXPECT_EQ(e.by_segment.sample_size, 2);
  EXPECT_EQ(e.by_segment.p50_cents, 15'000);  // the lower of two: rank ceil(0.5 x 2) = 1
}

INSTANTIATE_TEST_SUITE_P(Backends, AcceptedRatesTest, ::testing::Values("sqlite", "postgres"));

}  // namespace
}  // namespace seedcast::measure

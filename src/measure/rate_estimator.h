// The rate estimator: what a creator's post usually costs, as the 25th, 50th and 75th
// percentiles of rates with the sample size behind them, for a platform x tier x niche and for a
// platform x tier x engagement band.
//
// Sources, in order: the instance's own accepted rates (every payment for a completed post, the
// ledger's creator_pay transactions, read with the paid account's platform, followers, niches and
// engagement rate), then the industry reference table (shared/reference/industry.md, "Rates")
// where the instance has fewer than `min_sample` of them. Each estimate says which source and
// which group it used, and why. docs/library.md gives the method and its limits.
//
// EstimateRates and ReferenceRate are pure and thread-safe; LoadAcceptedRates borrows a
// Database (one per thread).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "model/tiers.h"
#include "storage/database.h"

namespace seedcast::measure {

// One accepted rate: a payment for a completed post, with the account it was for.
struct RateSample {
  std::string platform;
  int64_t followers = 0;
  std::optional<double> engagement_rate;  // 0-1
  std::vector<std::string> niches;
  int64_t cents = 0;
};

struct RateQuery {
  std::string platform;  // normalised: instagram, tiktok, youtube, ...
  int64_t followers = 0;
  std::string niche;                      // a canonical niche; "" for any
  std::optional<double> engagement_rate;  // 0-1; none: no estimate by engagement
};

struct RateOptions {
  // Fewer instance samples than this in a group, and the next group (or the reference) answers.
  int min_sample = 5;
  // The upper bounds of the engagement bands, ascending: below 1%, 1-3%, 3-6%, 6% and over.
  std::vector<double> engagement_edges = {0.01, 0.03, 0.06};
};

struct RateEstimate {
  std::string source;    // "instance" or "reference"
  std::string platform;  // the group the figures describe
  std::string tier;
  std::string niche;            // "" for every niche
  std::string engagement_band;  // "" unless by engagement: "1%-3%"
  int64_t p25_cents = 0;
  int64_t p50_cents = 0;
  std::optional<int64_t> p75_cents;  // none: the reference band is open-ended ("$10k+")
  int64_t sample_size = 0;           // instance payments in the group; 0 for the reference
  std::string basis;                 // one or two sentences: source, group, fallbacks
};

struct RateEstimates {
  std::string tier;  // the query's tier in the instance's tier scheme
  int min_sample = 0;
  RateEstimate by_segment;  // platform x tier x niche, else platform x tier, else the reference
  std::optional<RateEstimate> by_engagement;  // platform x tier x band, else the reference
};

RateEstimates EstimateRates(const std::vector<RateSample>& samples, const RateQuery& query,
                            const model::TierScheme& tiers, const RateOptions& options = {});

// The reference table's band for one post: low as p25, the band's geometric mean as p50, high as
// p75 (industry.md gives ranges, not percentiles). Instagram posts by followers: under 10k
// $10-100, under 100k $100-500, under 1M $500-10k (the reference's mid and macro bands), $10k+
// from 1M; YouTube videos 2x and TikTok videos 0.25x (their ratios at the micro tier); other
// platforms are read as Instagram.
RateEstimate ReferenceRate(const std::string& platform, int64_t followers);

// The engagement band `engagement_rate` falls in: "under 1%", "1%-3%", "6% and over".
std::string EngagementBand(double engagement_rate, const std::vector<double>& edges);

// Every accepted rate on one platform ("" for all).
Result<std::vector<RateSample>> LoadAcceptedRates(storage::Database& db,
                                                  const std::string& platform);

nlohmann::ordered_json RateEstimateToJson(const RateEstimate& e);
// {"tier", "min_sample", "by_segment": {...}, "by_engagement": {...} or null}
nlohmann::ordered_json RateEstimatesToJson(const RateEstimates& e);

}  // namespace seedcast::measure

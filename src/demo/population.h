// PopulationGenerator: a realistic synthetic creator population, calibrated to the reference sample
// of 33,932 Instagram influencers (follower, following and post quantiles, niche shares, median
// followers by niche) and to the industry tables (engagement rate by tier and platform, rates by
// tier).
//
// Deterministic: the same options give the same creators, in the same order, on every platform.
// Not thread-safe; one generator per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "demo/random.h"
#include "model/creator.h"
#include "quality/classifier.h"
#include "quality/score.h"

namespace seedcast::demo {

// The ground truth the demo plants, kept in each account's extra["synthetic_quality"]. Each
// account's quality_score is the audience quality score (quality/score.h, divided by 100) of
// synthetic signals shaped by its kind (demo/quality_signals.h).
inline constexpr const char* kAuthentic = "authentic";
inline constexpr const char* kBoughtFollowers = "bought_followers";
inline constexpr const char* kEngagementPod = "engagement_pod";
inline constexpr const char* kBotLike = "bot_like";

struct PopulationOptions {
  int64_t creators = 100'000;
  uint64_t seed = 1;
  // Creators under 1,000 followers: the reference sample starts at 1,000, the platform at 100.
  double emerging_share = 0.06;
  // Low-quality creators and the kinds they come in (shares of all creators).
  double bought_followers_share = 0.08;
  double engagement_pod_share = 0.03;
  double bot_like_share = 0.04;
};

class PopulationGenerator {
 public:
  explicit PopulationGenerator(PopulationOptions options);
  ~PopulationGenerator();
  PopulationGenerator(const PopulationGenerator&) = delete;
  PopulationGenerator& operator=(const PopulationGenerator&) = delete;

  // The next creator (with 1-3 accounts), or nothing after options.creators.
  bool Next(model::Creator* creator);
  int64_t generated() const { return generated_; }

 private:
  static constexpr size_t kBatch = 512;
  // Makes the next creator into `out` and appends each account's quality signals to `signals`;
  // false after options.creators.
  bool Generate(model::Creator* out, std::vector<quality::CreatorSignals>* signals);

  PopulationOptions options_;
  Random random_;
  // The quality signals draw from their own stream, so the rest of the population does not
  // depend on them.
  Random quality_random_;
  std::unique_ptr<quality::AccountClassifier> classifier_;
  std::unique_ptr<quality::QualityScorer> scorer_;
  int64_t index_ = 0;                  // creators made
  int64_t generated_ = 0;              // creators handed out by Next
  std::vector<model::Creator> ready_;  // made and scored, not yet handed out
  size_t served_ = 0;
};

}  // namespace seedcast::demo

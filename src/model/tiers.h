// TierScheme: the configurable mapping from follower count to tier name.
//
// The default is the industry table (nano 1k, micro 10k, macro 100k, mega 1M) with "emerging" below
// 1,000 followers. Immutable after construction; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

namespace seedcast::model {

struct Tier {
  std::string name;
  int64_t min_followers = 0;  // inclusive lower bound
};

class TierScheme {
 public:
  static TierScheme Default();
  // Tiers in any order; they are sorted by bound. Needs at least one tier, a tier starting at 0,
  // and distinct names and bounds.
  static Result<TierScheme> Create(std::vector<Tier> tiers);

  const std::string& TierFor(int64_t followers) const;
  // Tiers ordered by their lower bound.
  const std::vector<Tier>& tiers() const { return tiers_; }

 private:
  explicit TierScheme(std::vector<Tier> tiers) : tiers_(std::move(tiers)) {}
  std::vector<Tier> tiers_;
};

}  // namespace seedcast::model

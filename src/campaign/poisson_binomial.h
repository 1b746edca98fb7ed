// PoissonBinomial: the distribution of the number of successes among independent trials with
// different probabilities (here: how many recruited creators complete), built one trial at a
// time by the standard recurrence. Counts at or above `cap` share one bucket, so adding a trial
// costs O(cap) and P(X >= cap) is exact.
//
// A value type; not thread-safe to mutate.
#pragma once

#include <vector>

namespace seedcast::campaign {

class PoissonBinomial {
 public:
  // `cap` >= 0: the largest count told apart (the target); P(X >= cap) is kept exactly.
  explicit PoissonBinomial(int cap);

  void Add(double p);
  // P(X >= k) for 0 <= k <= cap.
  double AtLeast(int k) const;
  double Mean() const { return mean_; }
  int trials() const { return trials_; }

 private:
  std::vector<double> pmf_;  // pmf_[j] = P(X = j) for j < cap; pmf_[cap] = P(X >= cap)
  double mean_ = 0;
  int trials_ = 0;
};

}  // namespace seedcast::campaign

#include "campaign/poisson_binomial.h"

#include <algorithm>
#include <cassert>

namespace seedcast::campaign {

PoissonBinomial::PoissonBinomial(int cap) : pmf_(static_cast<size_t>(std::max(cap, 0)) + 1, 0.0) {
  pmf_[0] = 1.0;
}

void PoissonBinomial::Add(double p) {
  p = std::clamp(p, 0.0, 1.0);
  const size_t cap = pmf_.size() - 1;
  // The top bucket keeps what reaches it: once at or above the cap, a success stays there.
  if (cap > 0) pmf_[cap] += pmf_[cap - 1] * p;
  for (size_t j = cap == 0 ? 0 : cap - 1; j > 0; --j) pmf_[j] = pmf_[j] * (1 - p) + pmf_[j - 1] * p;
  if (cap > 0) pmf_[0] *= (1 - p);
  mean_ += p;
  ++trials_;
}

double PoissonBinomial::AtLeast(int k) const {
  assert(k >= 0 && static_cast<size_t>(k) < pmf_.size());
  double below = 0;
  for (int j = 0; j < k; ++j) below += pmf_[static_cast<size_t>(j)];
  return std::clamp(1.0 - below, 0.0, 1.0);
}

}  // namespace seedcast::campaign

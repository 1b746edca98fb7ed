#include "common/stats.h"

#include <algorithm>
#include <cmath>

namespace seedcast {

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  const double rank = std::ceil(p * static_cast<double>(values.size()));
  const size_t i = std::min(values.size(), static_cast<size_t>(std::max(rank, 1.0))) - 1;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(i), values.end());
  return values[i];
}

}  // namespace seedcast

// Small statistics for reporting latencies.
#pragma once

#include <vector>

namespace seedcast {

// The nearest-rank percentile of a sample, p in (0, 1] (0.5 is the lower median, 1 the maximum);
// 0 for an empty sample.
double Percentile(std::vector<double> values, double p);

}  // namespace seedcast

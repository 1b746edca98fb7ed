// Industry benchmarks Seedcast compares creators against.
#pragma once

#include <cstdint>
#include <string>

namespace seedcast::model {

// The engagement-rate benchmark (median) for an account, by tier and platform, as a fraction.
// Instagram by followers, TikTok and YouTube by views.
double EngagementBenchmark(const std::string& platform, int64_t followers);

}  // namespace seedcast::model

#include "model/benchmarks.h"

#include "model/platform.h"

namespace seedcast::model {

double EngagementBenchmark(const std::string& platform, int64_t followers) {
  if (platform == model::kTikTok) {
    // Influencer Marketing Hub: TikTok nano 10.3%, micro 8.7% (by views); larger tiers assumed
    // lower.
    if (followers < 10'000) return 0.103;
    if (followers < 100'000) return 0.087;
    if (followers < 1'000'000) return 0.075;
    return 0.065;
  }
  if (platform == model::kYouTube) return 0.04;  // an assumption: the references give no figure
  // Instagram, (likes + comments) / followers, median by band from the reference sample.
  if (followers < 1'000) return 0.05;  // extrapolated below the sample's range
  if (followers < 10'000) return 0.040;
  if (followers < 50'000) return 0.030;
  if (followers < 1'000'000) return 0.025;
  return 0.023;
}

}  // namespace seedcast::model

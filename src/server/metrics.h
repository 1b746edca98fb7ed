// Request metrics in the Prometheus text format: requests by route and status, a latency
// histogram per route, and gauges the server reads at scrape time (index size, follower lag, pool
// use). Thread-safe.
#pragma once

#include <absl/base/thread_annotations.h>

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <utility>

#include "common/mutex.h"

namespace seedcast::server {

class Metrics {
 public:
  void Record(const std::string& method, const std::string& route, int status, double seconds);
  // The counters and histograms, then the gauges given.
  std::string Render(const std::map<std::string, std::pair<std::string, double>>& gauges) const;

  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.002, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,  0.5,   1,    5};

 private:
  struct Histogram {
    std::array<int64_t, kBuckets.size()> counts{};
    int64_t count = 0;
    double sum = 0;
  };
  mutable Mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, int64_t> requests_ ABSL_GUARDED_BY(mu_);
  std::map<std::pair<std::string, std::string>, Histogram> latency_ ABSL_GUARDED_BY(mu_);
};

}  // namespace seedcast::server

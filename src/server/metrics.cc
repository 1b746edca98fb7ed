#include "server/metrics.h"

#include <fmt/format.h>

#include <tuple>

namespace seedcast::server {

void Metrics::Record(const std::string& method, const std::string& route, int status,
                     double seconds) {
  MutexLock lock(&mu_);
  ++requests_[{method, route, status}];
  Histogram& h = latency_[{method, route}];
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++h.counts[i];
  }
  ++h.count;
  h.sum += seconds;
}

std::string Metrics::Render(
    const std::map<std::string, std::pair<std::string, double>>& gauges) const {
  std::string out;
  out += "# HELP seedcast_http_requests_total HTTP requests by route and status.\n";
  out += "# TYPE seedcast_http_requests_total counter\n";
  MutexLock lock(&mu_);
  for (const auto& [key, n] : requests_) {
    const auto& [method, route, status] = key;
    out +=
        fmt::format("seedcast_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{}\"}} {}\n",
                    method, route, status, n);
  }
  out += "# HELP seedcast_http_request_duration_seconds Time from request read to response.\n";
  out += "# TYPE seedcast_http_request_duration_seconds histogram\n";
  for (const auto& [key, h] : latency_) {
    const auto& [method, route] = key;
    const std::string labels = fmt::format("method=\"{}\",route=\"{}\"", method, route);
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      out += fmt::format("seedcast_http_request_duration_seconds_bucket{{{},le=\"{}\"}} {}\n",
                         labels, kBuckets[i], h.counts[i]);
    }
    out += fmt::format("seedcast_http_request_duration_seconds_bucket{{{},le=\"+Inf\"}} {}\n",
                       labels, h.count);
    out += fmt::format("seedcast_http_request_duration_seconds_sum{{{}}} {}\n", labels, h.sum);
    out += fmt::format("seedcast_http_request_duration_seconds_count{{{}}} {}\n", labels, h.count);
  }
  for (const auto& [name, help_value] : gauges) {
    out += fmt::format("# HELP {} {}\n# TYPE {} gauge\n{} {}\n", name, help_value.first, name, name,
                       help_value.second);
  }
  return out;
}

}  // namespace seedcast::server

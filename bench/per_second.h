// Throughput of one timed run, for the benchmarks.
#pragma once

#include <chrono>
#include <cstddef>

namespace seedcast::bench {

// Items per second that `fn` took for `items` items.
template <typename Fn>
double PerSecond(size_t items, Fn fn) {
  const auto start = std::chrono::steady_clock::now();
  fn();
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  return static_cast<double>(items) / took.count();
}

}  // namespace seedcast::bench

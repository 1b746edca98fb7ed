// Random: a seeded, portable random source for the demo population (SplitMix64), so that the same
// seed gives the same population on every platform and standard library. Not thread-safe.
#pragma once

#include <cmath>
#include <cstdint>
#include <numbers>
#include <span>

namespace seedcast::demo {

class Random {
 public:
  // The seed is mixed first: SplitMix64 streams of nearby raw states are shifted copies of each
  // other.
  explicit Random(uint64_t seed) : state_(Mix(Mix(seed) ^ 0x632BE59BD9B4E019ULL)) {}

  uint64_t NextU64() { return Mix(state_ += 0x9E3779B97F4A7C15ULL); }
  // Uniform in [0, 1).
  double Uniform() { return static_cast<double>(NextU64() >> 11) * 0x1.0p-53; }
  double Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform(); }
  bool Chance(double p) { return Uniform() < p; }
  uint64_t Below(uint64_t n) { return NextU64() % n; }
  // Standard normal (Box-Muller).
  double Normal() {
    double u1 = Uniform();
    double u2 = Uniform();
    if (u1 < 1e-300) u1 = 1e-300;
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
  }
  double Normal(double mean, double sd) { return mean + sd * Normal(); }
  // Index drawn with the given weights (which need not sum to 1).
  size_t Weighted(std::span<const double> weights) {
    double total = 0;
    for (double w : weights) total += w;
    double x = Uniform() * total;
    for (size_t i = 0; i < weights.size(); ++i) {
      if (x < weights[i]) return i;
      x -= weights[i];
    }
    return weights.size() - 1;
  }

 private:
  static uint64_t Mix(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  uint64_t state_;
};

}  // namespace seedcast::demo

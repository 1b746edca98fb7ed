// How measurement figures are written in JSON: rounded to a fixed number of decimals, and a whole
// number as an integer (10000, not 10000.0), so that reports and their CSV read the same. Pure;
// thread-safe.
#pragma once

#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>

namespace seedcast::measure {

// `value` rounded to 1/scale (scale 100: two decimals).
inline nlohmann::ordered_json RoundedJson(double value, double scale) {
  const double r = std::round(value * scale) / scale;
  if (std::abs(r) < 1e15 && r == std::floor(r)) return static_cast<int64_t>(r);
  return r;
}

}  // namespace seedcast::measure

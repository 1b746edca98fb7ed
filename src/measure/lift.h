// Conversion-rate lift of a product listing: the conversion rate (orders ÷ sessions) in the
// campaign window against a baseline window, with a confidence interval and a plain verdict.
//
// Method (docs/outcomes.md):
//   p_c = orders_c ÷ sessions_c (campaign), p_b = orders_b ÷ sessions_b (baseline)
//   difference d = p_c − p_b, interval by Newcombe's hybrid score method (his method 10, from
//     the two Wilson score intervals [l, u] of each rate, without continuity correction):
//       lower = d − √((p_c − l_c)² + (u_b − p_b)²),  upper = d + √((u_c − p_c)² + (p_b − l_b)²)
//   relative lift r = p_c ÷ p_b − 1, interval by the log method (Katz):
//       exp(ln(p_c ÷ p_b) ± z·√(1/orders_c − 1/sessions_c + 1/orders_b − 1/sessions_b)) − 1,
//     undefined (null) when either window has no orders.
//   verdict: "too little data" when a window has fewer than `min_sessions` sessions or the two
//     windows fewer than `min_orders` orders together; else "significant lift" when the
//     difference's interval lies above 0, "significant drop" when below, "no significant lift".
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "common/status.h"

namespace seedcast::measure {

struct Proportion {
  int64_t successes = 0;  // orders
  int64_t trials = 0;     // sessions
};

struct Interval {
  double lower = 0;
  double upper = 0;
};

// The Wilson score interval of a proportion at normal quantile `z`; trials must be > 0.
Interval WilsonInterval(const Proportion& p, double z);

// The two-sided normal quantile of a confidence level: 1.959964 for 0.95.
double NormalQuantile(double confidence);

struct LiftOptions {
  double confidence = 0.95;
  int64_t min_sessions = 100;  // per window
  int64_t min_orders = 10;     // both windows together
};

struct LiftResult {
  Proportion campaign;
  Proportion baseline;
  double confidence = 0.95;
  std::optional<double> campaign_rate, baseline_rate;  // null without sessions
  std::optional<double> difference;
  std::optional<Interval> difference_interval;
  std::optional<double> relative_lift;
  std::optional<Interval> relative_interval;
  std::string verdict;
};

inline constexpr const char* kVerdictLift = "significant lift";
inline constexpr const char* kVerdictNone = "no significant lift";
inline constexpr const char* kVerdictDrop = "significant drop";
inline constexpr const char* kVerdictTooLittle = "too little data";

// Fails when orders exceed sessions, a count is negative, or the confidence is not in (0, 1).
Result<LiftResult> ComputeLift(const Proportion& campaign, const Proportion& baseline,
                               const LiftOptions& options = {});

// {"method", "confidence", "campaign": {sessions, orders, rate}, "baseline": {...},
//  "difference": {value, lower, upper}, "relative_lift": {value, lower, upper}, "verdict"}.
nlohmann::ordered_json LiftToJson(const LiftResult& r);

}  // namespace seedcast::measure

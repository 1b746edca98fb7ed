#include "measure/lift.h"

#include <boost/math/distributions/normal.hpp>
#include <cmath>

#include "measure/json_number.h"

namespace seedcast::measure {
namespace {

using nlohmann::ordered_json;

double Rate(const Proportion& p) {
  return static_cast<double>(p.successes) / static_cast<double>(p.trials);
}

Status CheckProportion(const Proportion& p, const char* window) {
  if (p.trials < 0 || p.successes < 0) {
    return InvalidArgument(std::string(window) + ": sessions and orders cannot be negative")
        .WithField(window);
  }
  if (p.successes > p.trials) {
    return InvalidArgument(std::string(window) + ": more orders than sessions").WithField(window);
  }
  return Status::Ok();
}

ordered_json Rounded(const std::optional<double>& v) {
  if (!v) return nullptr;
  return RoundedJson(*v, 1e6);
}

ordered_json WindowJson(const Proportion& p, const std::optional<double>& rate) {
  return {{"sessions", p.trials}, {"orders", p.successes}, {"conversion_rate", Rounded(rate)}};
}

ordered_json EstimateJson(const std::optional<double>& v, const std::optional<Interval>& i) {
  return {{"value", Rounded(v)},
          {"lower", i ? Rounded(i->lower) : nullptr},
          {"upper", i ? Rounded(i->upper) : nullptr}};
}

}  // namespace

double NormalQuantile(double confidence) {
  const boost::math::normal standard;
  return boost::math::quantile(standard, 0.5 + confidence / 2);
}

Interval WilsonInterval(const Proportion& p, double z) {
  const auto n = static_cast<double>(p.trials);
  const auto x = static_cast<double>(p.successes);
  const double z2 = z * z;
  const double centre = (x + z2 / 2) / (n + z2);
  const double half = z * std::sqrt(x * (n - x) / n + z2 / 4) / (n + z2);
  return {centre - half, centre + half};
}

Result<LiftResult> ComputeLift(const Proportion& campaign, const Proportion& baseline,
                               const LiftOptions& options) {
  SEEDCAST_RETURN_IF_ERROR(CheckProportion(campaign, "campaign"));
  SEEDCAST_RETURN_IF_ERROR(CheckProportion(baseline, "baseline"));
  if (!(options.confidence > 0 && options.confidence < 1)) {
    return InvalidArgument("the confidence is a level between 0 and 1, such as 0.95")
        .WithField("confidence");
  }
  LiftResult r{.campaign = campaign, .baseline = baseline, .confidence = options.confidence};
  if (campaign.trials > 0) r.campaign_rate = Rate(campaign);
  if (baseline.trials > 0) r.baseline_rate = Rate(baseline);
  if (r.campaign_rate && r.baseline_rate) {
    const double z = NormalQuantile(options.confidence);
    const double pc = *r.campaign_rate;
    const double pb = *r.baseline_rate;
    const Interval c = WilsonInterval(campaign, z);
    const Interval b = WilsonInterval(baseline, z);
    r.difference = pc - pb;
    r.difference_interval = Interval{*r.difference - std::hypot(pc - c.lower, b.upper - pb),
                                     *r.difference + std::hypot(c.upper - pc, pb - b.lower)};
    if (campaign.successes > 0 && baseline.successes > 0) {
      const double log_ratio = std::log(pc / pb);
      const double se = std::sqrt(1.0 / static_cast<double>(campaign.successes) -
                                  1.0 / static_cast<double>(campaign.trials) +
                                  1.0 / static_cast<double>(baseline.successes) -
                                  1.0 / static_cast<double>(baseline.trials));
      r.relative_lift = pc / pb - 1;
      r.relative_interval =
          Interval{std::exp(log_ratio - z * se) - 1, std::exp(log_ratio + z * se) - 1};
    }
  }
  if (campaign.trials < options.min_sessions || baseline.trials < options.min_sessions ||
      campaign.successes + baseline.successes < options.min_orders || !r.difference_interval) {
    r.verdict = kVerdictTooLittle;
  } else if (r.difference_interval->lower > 0) {
    r.verdict = kVerdictLift;
  } else if (r.difference_interval->upper < 0) {
    r.verdict = kVerdictDrop;
  } else {
    r.verdict = kVerdictNone;
  }
  return r;
}

ordered_json LiftToJson(const LiftResult& r) {
  return {{"method", "newcombe_hybrid_score; relative: log (Katz)"},
          {"formula", "lift.newcombe"},
          {"confidence", r.confidence},
          {"campaign", WindowJson(r.campaign, r.campaign_rate)},
          {"baseline", WindowJson(r.baseline, r.baseline_rate)},
          {"difference", EstimateJson(r.difference, r.difference_interval)},
          {"relative_lift", EstimateJson(r.relative_lift, r.relative_interval)},
          {"verdict", r.verdict}};
}

}  // namespace seedcast::measure

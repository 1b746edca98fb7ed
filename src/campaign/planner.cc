#include "campaign/planner.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "campaign/poisson_binomial.h"

namespace seedcast::campaign {
namespace {

// How much of the pick order each part decides.
constexpr double kWeightDiscovery = 0.4;
constexpr double kWeightCompletion = 0.45;
constexpr double kWeightCost = 0.15;

// 1 when the creator's listed rate fits in the payout, falling to 0 at three times the payout;
// 0.5 when unknown or when the campaign pays no cash.
double CostFit(const Candidate& c, const PlanRequest& r) {
  if (!c.rate_cents || r.payout_cents_per_post <= 0) return 0.5;
  const double ratio =
      static_cast<double>(*c.rate_cents) / static_cast<double>(r.payout_cents_per_post);
  return std::clamp(1.0 - (ratio - 1.0) / 2.0, 0.0, 1.0);
}

int64_t WorstCaseCost(const PlanRequest& r, int64_t units) {
  int64_t product_units = units;
  if (r.fulfilment == Fulfilment::kBuyThenReimburse) {
    const auto cap = static_cast<int64_t>(std::ceil(r.target * (1.0 + r.reimbursement_cap)));
    product_units = std::min(units, cap);
  }
  return static_cast<int64_t>(r.target) * r.fee_cents_per_post + product_units * r.price_cents;
}

}  // namespace

PlanRequest RequestFor(const CampaignSpec& spec, int64_t price_cents, int64_t units_available) {
  PlanRequest r;
  r.target = spec.target_posts;
  r.confidence = spec.confidence;
  r.compensation = spec.compensation;
  r.fulfilment = spec.fulfilment;
  r.units_available = units_available;
  r.budget_cents = spec.budget_cents;
  r.price_cents = price_cents;
  r.fee_cents_per_post = spec.fee_cents_per_post;
  r.payout_cents_per_post = spec.payout_cents_per_post;
  r.reimbursement_cap = spec.reimbursement_cap;
  return r;
}

Result<Plan> MakePlan(const PlanRequest& r, std::span<const Candidate> candidates,
                      const CompletionModel& model) {
  if (r.target <= 0) return InvalidArgument("the target must be at least one post");
  Plan plan;
  const int still_needed = std::max(0, r.target - r.completed);
  PoissonBinomial dist(still_needed);
  for (double p : r.active_p) dist.Add(p);
  plan.expected_completions = r.completed + dist.Mean();
  plan.p_meet_target = dist.AtLeast(still_needed);
  if (plan.p_meet_target >= r.confidence) {
    plan.guarantee_met = true;
    plan.notes.push_back(still_needed == 0
                             ? "the target is already reached"
                             : "the open assignments already meet the guarantee: nobody to add");
    return plan;
  }

  std::vector<CompletionInput> inputs;
  inputs.reserve(candidates.size());
  for (const Candidate& c : candidates) {
    inputs.push_back({.followers = c.hit.followers,
                      .compensation = r.compensation,
                      .history = c.history,
                      .engagement_rate = c.hit.engagement_rate});
  }
  SEEDCAST_ASSIGN_OR_RETURN(std::vector<CompletionEstimate> estimates, model.PredictAll(inputs));

  std::vector<Pick> ranked;
  ranked.reserve(candidates.size());
  for (size_t i = 0; i < candidates.size(); ++i) {
    const Candidate& c = candidates[i];
    const CompletionEstimate& e = estimates[i];
    // A creator who returned product is banned from receiving more.
    if (c.history.returned > 0) continue;
    Pick p;
    p.candidate = i;
    p.p_complete = e.p;
    p.expected_engagements =
        static_cast<double>(c.hit.followers) * c.hit.engagement_rate.value_or(0.0) * e.p;
    const double cost = CostFit(c, r);
    const double discovery = std::clamp(c.hit.score, 0.0, 1.0);
    p.fit = kWeightDiscovery * discovery + kWeightCompletion * e.p + kWeightCost * cost;
    p.reasons.push_back(fmt::format(
        "fit {:.3f} = discovery {:.2f}x{:.2f} + completion {:.2f}x{:.2f} + cost {:.2f}x{:.2f}",
        p.fit, kWeightDiscovery, discovery, kWeightCompletion, e.p, kWeightCost, cost));
    p.reasons.insert(p.reasons.end(), c.hit.reasons.begin(), c.hit.reasons.end());
    p.reasons.insert(p.reasons.end(), e.reasons.begin(), e.reasons.end());
    ranked.push_back(std::move(p));
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const Pick& a, const Pick& b) { return a.fit > b.fit; });

  const int64_t units_left = r.units_available;
  bool out_of_units = false;
  bool out_of_budget = false;
  for (Pick& p : ranked) {
    if (plan.units_reserved + 1 > units_left) {
      out_of_units = true;
      break;
    }
    const int64_t cost = WorstCaseCost(r, r.units_committed + plan.units_reserved + 1);
    if (r.budget_cents && cost > *r.budget_cents) {
      out_of_budget = true;
      break;
    }
    dist.Add(p.p_complete);
    plan.units_reserved += 1;
    plan.worst_case_cost_cents = cost;
    plan.selected.push_back(std::move(p));
    if (dist.AtLeast(still_needed) >= r.confidence) break;
  }
  plan.expected_completions = r.completed + dist.Mean();
  plan.p_meet_target = dist.AtLeast(still_needed);
  plan.guarantee_met = plan.p_meet_target >= r.confidence;
  if (!plan.guarantee_met) {
    std::string why = out_of_units    ? "the product's units ran out"
                      : out_of_budget ? "the budget ran out"
                                      : "there are no more eligible candidates";
    plan.notes.push_back(fmt::format(
        "the guarantee is not met: {} at P = {:.3f} (asked {:.2f}); widen the targeting, add "
        "units or budget, or lower the target",
        why, plan.p_meet_target, r.confidence));
  }
  return plan;
}

}  // namespace seedcast::campaign

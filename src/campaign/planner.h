// The guarantee planner: which creators to recruit, and how many, so that
//   P(completed posts >= target) >= confidence,
// where completed posts are the sum of independent per-creator completion chances (a
// Poisson-binomial distribution, poisson_binomial.h), within the units of product available and
// the budget.
//
// Candidates arrive ranked by discovery's fit (niche, audience, engagement, quality). The planner
// adds completion probability and cost to that fit, takes candidates best first, and stops as soon
// as the guarantee holds. Posts already completed and assignments still running count toward the
// target (re-planning after creators fall late or drop out invites only what is missing).
//
// Budget is checked against the worst case the brand can owe: fees for the target, plus the
// product value of every unit sent (ship) or reimbursed up to the cap (buy-then-reimburse).
//
// Pure computation; thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "campaign/completion.h"
#include "campaign/spec.h"
#include "search/index.h"

namespace seedcast::campaign {

// A discovery hit (its score is the search engine's fit, 0-1, and its reasons say why), with what
// planning adds.
struct Candidate {
  search::Hit hit;
  std::optional<int64_t> rate_cents;  // the creator's lowest listed rate
  History history;
};

struct PlanRequest {
  int target = 0;
  double confidence = 0.95;
  Compensation compensation = Compensation::kGifted;
  Fulfilment fulfilment = Fulfilment::kShip;
  int64_t units_available = 0;  // units not yet reserved or sent
  std::optional<int64_t> budget_cents;
  int64_t price_cents = 0;
  int64_t fee_cents_per_post = 0;
  int64_t payout_cents_per_post = 0;
  double reimbursement_cap = 0.15;
  // Re-planning: posts already completed, and the completion chances of assignments still open.
  int completed = 0;
  std::vector<double> active_p;
  int64_t units_committed = 0;  // units already sent or reserved for the open assignments
};

struct Pick {
  size_t candidate = 0;  // index into the candidates
  double p_complete = 0;
  double expected_engagements = 0;
  double fit = 0;
  std::vector<std::string> reasons;
};

struct Plan {
  std::vector<Pick> selected;
  double expected_completions = 0;  // completed + open + selected
  double p_meet_target = 0;
  int64_t units_reserved = 0;  // by the selected creators
  int64_t worst_case_cost_cents = 0;
  bool guarantee_met = false;
  std::vector<std::string> notes;  // why the guarantee could not be met, and other caveats
};

// Completion chances are predicted for every candidate with `model`.
Result<Plan> MakePlan(const PlanRequest& request, std::span<const Candidate> candidates,
                      const CompletionModel& model);

// The request for a campaign spec (no re-planning state).
PlanRequest RequestFor(const CampaignSpec& spec, int64_t price_cents, int64_t units_available);

}  // namespace seedcast::campaign

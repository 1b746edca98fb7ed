#include "campaign/campaign_json.h"

#include <cmath>

#include "common/iso_time.h"

namespace seedcast::campaign {

using nlohmann::ordered_json;

namespace {
double Round(double v, double scale) { return std::round(v * scale) / scale; }
}  // namespace

ordered_json PlanToJson(const Plan& plan, std::span<const Candidate> candidates) {
  ordered_json selected = ordered_json::array();
  for (const Pick& p : plan.selected) {
    const Candidate& c = candidates[p.candidate];
    selected.push_back({{"creator_id", c.hit.creator_id},
                        {"account_id", c.hit.account_id},
                        {"handle", c.hit.handle},
                        {"platform", c.hit.platform},
                        {"followers", c.hit.followers},
                        {"p_complete", Round(p.p_complete, 1e4)},
                        {"expected_engagements", std::llround(p.expected_engagements)},
                        {"fit", Round(p.fit, 1e4)},
                        {"reasons", p.reasons}});
  }
  return {{"selected", selected},
          {"expected_completions", Round(plan.expected_completions, 1e3)},
          {"p_meet_target", Round(plan.p_meet_target, 1e4)},
          {"units_reserved", plan.units_reserved},
          {"worst_case_cost_cents", plan.worst_case_cost_cents},
          {"guarantee_met", plan.guarantee_met},
          {"notes", plan.notes}};
}

ordered_json AssignmentToJson(const Assignment& a) {
  ordered_json j = {{"id", a.id},
                    {"campaign_id", a.campaign_id},
                    {"creator_id", a.creator_id},
                    {"account_id", a.account_id},
                    {"state", StateName(a.state)},
                    {"p_complete", Round(a.p_complete, 1e4)}};
  j["due_at"] = a.due_at_ms ? ordered_json(FormatIsoTime(*a.due_at_ms)) : ordered_json(nullptr);
  return j;
}

ordered_json OutcomeToJson(const CommandOutcome& outcome) {
  return {{"assignment", AssignmentToJson(outcome.assignment)},
          {"changed", outcome.changed},
          {"notes", outcome.notes}};
}

ordered_json ReportToJson(const CampaignReport& r) {
  return {{"campaign_id", r.campaign.id},
          {"name", r.campaign.spec.name},
          {"target_posts", r.campaign.spec.target_posts},
          {"confidence", r.campaign.spec.confidence},
          {"completed", r.completed},
          {"guarantee_held", r.guarantee_held},
          {"states", r.states},
          {"units_used", r.units_used},
          {"units_left", r.product.units_available},
          {"invoiced_cents", r.invoiced_cents},
          {"reimbursement_billed_cents", r.reimbursement_billed_cents},
          {"reimbursed_to_creators_cents", r.reimbursed_cents},
          {"creator_pay_cents", r.creator_pay_cents},
          {"cost_per_completed_post_cents", r.cost_per_completed_post_cents},
          {"ledger_imbalance_cents", r.ledger_imbalance_cents}};
}

ordered_json CalibrationToJson(const CalibrationReport& r) {
  ordered_json buckets = ordered_json::array();
  for (const CalibrationBucket& b : r.buckets) {
    if (b.count == 0) continue;
    buckets.push_back({{"predicted", ordered_json::array({b.from, b.to})},
                       {"count", b.count},
                       {"mean_predicted", Round(b.mean_predicted, 1e3)},
                       {"observed", Round(b.observed, 1e3)}});
  }
  return {{"train_examples", r.train_examples},
          {"holdout_examples", r.holdout_examples},
          {"model", r.uses_trees ? "empirical Bayes + boosted trees" : "empirical Bayes priors"},
          {"brier", Round(r.brier, 1e4)},
          {"brier_prior_only", Round(r.brier_prior, 1e4)},
          {"log_loss", Round(r.log_loss, 1e4)},
          {"buckets", buckets}};
}

ordered_json CampaignToJson(const Campaign& c) {
  return {{"id", c.id},
          {"brand_id", c.brand_id},
          {"product_id", c.product_id},
          {"name", c.spec.name},
          {"status", c.status},
          {"goal", c.spec.goal},
          {"compensation", CompensationName(c.spec.compensation)},
          {"fulfilment", FulfilmentName(c.spec.fulfilment)},
          {"target_posts", c.spec.target_posts},
          {"confidence", c.spec.confidence},
          {"fee_cents_per_post", c.spec.fee_cents_per_post},
          {"payout_cents_per_post", c.spec.payout_cents_per_post},
          {"budget_cents", c.spec.budget_cents ? ordered_json(*c.spec.budget_cents) : nullptr},
          {"spec", c.spec.raw}};
}

}  // namespace seedcast::campaign

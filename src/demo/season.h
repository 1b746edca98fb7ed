// The demo's campaign season: brands, products and campaigns run over simulated time against the
// generated population, through the same CampaignService a brand uses, with creators whose
// behaviour comes from hidden traits the planner never sees.
//
// Each creator has a latent reliability drawn from their id and the seed. It decides whether they
// accept an invitation, post, post late, return the product, and how their first caption fares
// with the compliance checker. The planner sees only what the platform records: tier,
// engagement, quality, and the outcomes of past assignments.
//
// Season 1 starts with no history, so completion chances are the tier x compensation priors.
// Season 2 learns from season 1's outcomes. For each campaign the report gives target against
// completed, units used, cost per completed post and whether the guarantee held; across campaigns,
// how often it held against the confidence promised.
//
// Runs single-threaded on one Database.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "campaign/completion.h"
#include "model/tiers.h"
#include "storage/database.h"

namespace seedcast::demo {

struct SeasonOptions {
  int seasons = 2;
  int campaigns_per_season = 12;
  uint64_t seed = 1;
  double quality_gate = 0.6;  // 0-1
  int threads = 2;            // for loading the discovery index
};

struct CampaignOutcome {
  std::string name;
  std::string compensation;
  int target = 0;
  double confidence = 0;
  double promised = 0;  // P(meet target) when first planned
  int invited = 0;
  int replacements = 0;
  int completed = 0;
  int units_used = 0;
  int64_t cost_per_post_cents = 0;
  int64_t invoiced_cents = 0;
  bool held = false;
};

struct SeasonOutcome {
  int season = 0;
  int64_t past_assignments = 0;  // the history the planner learnt from
  campaign::CalibrationReport calibration;
  // What the season's creators did, against what the planner assumed: invitations and completed
  // posts per compensation, and creators who went late and still completed.
  std::map<std::string, std::pair<int64_t, int64_t>> completion_by_compensation;
  int64_t went_late = 0;
  int64_t late_then_completed = 0;
  std::vector<CampaignOutcome> campaigns;
  int64_t ledger_imbalance_cents = 0;
};

// The name of the seasons' first brand ("demo: Glow Co"): the one the demo's organisation owns
// (sign_ins.h).
std::string_view FirstBrandName();

// Removes the previous demo season (brands named "demo: ...", their campaigns and everything
// hanging off them), so the population can be replaced.
Status DeleteDemoSeasons(storage::Database& db);

Result<std::vector<SeasonOutcome>> RunSeasons(const std::string& url, storage::Database& db,
                                              const model::TierScheme& tiers,
                                              const SeasonOptions& options);

std::string FormatSeasons(const std::vector<SeasonOutcome>& seasons);

}  // namespace seedcast::demo

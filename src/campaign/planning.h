// PlanningContext: what planning needs beside the discovery index, loaded once: every creator's
// platform history and the completion model learnt from it. It borrows the index (the one the
// searches use, kept current by its follower); the candidate source borrows all of them.
// Thread-safe for planning reads as the index is; the model is not (xgboost), so one context per
// planning thread, or a lock around it.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "campaign/candidates.h"
#include "campaign/completion.h"
#include "search/index.h"
#include "search/loader.h"
#include "storage/creator_store.h"
#include "storage/database.h"

namespace seedcast::campaign {

struct PlanningContext {
  std::map<int64_t, History> histories;
  std::unique_ptr<CompletionModel> model;
  std::unique_ptr<IndexCandidates> candidates;
  int64_t past_assignments = 0;
};

// The booking rule of the campaign state machine, for loading and following a search index.
search::BookingRule CampaignBookings();

// Reads the histories, trains the model and makes a candidate source over `index`.
Result<std::unique_ptr<PlanningContext>> LoadPlanning(storage::Database& db, const Clock& clock,
                                                      const search::CreatorIndex& index,
                                                      const model::TierScheme& tiers,
                                                      double quality_gate);

// Reads the "history" objects of a pool file (creator export lines with {"history": {"campaigns",
// "completed", "late", "failed", "returned", "avg_days_to_post"}}) and files them under the
// creator ids that `creators` gave the pool's accounts (found by platform and handle).
Status ReadPoolHistories(const std::string& path, storage::CreatorStore& creators,
                         std::map<int64_t, History>* out);

// Re-reads the histories and retrains the model (after a season of campaigns).
Status RefreshHistory(storage::Database& db, const Clock& clock, const model::TierScheme& tiers,
                      PlanningContext* context);

}  // namespace seedcast::campaign

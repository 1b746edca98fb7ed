// PlanningContext: what planning needs from a store, loaded once: the discovery index (without
// lookalike vectors), every creator's platform history, and the completion model learnt from it.
// Owns all three; the candidate source borrows them. Thread-safe for planning reads as the index
// is; the model is not (xgboost), so one context per planning thread.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "campaign/candidates.h"
#include "campaign/completion.h"
#include "search/index.h"
#include "storage/creator_store.h"
#include "storage/database.h"

namespace seedcast::campaign {

struct PlanningContext {
  std::unique_ptr<search::CreatorIndex> index;
  std::map<int64_t, History> histories;
  std::unique_ptr<CompletionModel> model;
  std::unique_ptr<IndexCandidates> candidates;
  int64_t accounts = 0;
  int64_t cursor = 0;  // the change feed position the index includes (for an IndexFollower)
  int64_t past_assignments = 0;
};

// `url` and `db` name the same database; `threads` load the index (1 for an in-memory database).
Result<std::unique_ptr<PlanningContext>> LoadPlanning(const std::string& url, storage::Database& db,
                                                      const Clock& clock, int threads,
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

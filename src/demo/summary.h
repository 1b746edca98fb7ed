// PopulationSummary: the demo's report over the creators in a store, by tier, niche, platform,
// country and planted quality kind, next to the reference figures the population is calibrated to.
// Reads through CreatorStore in one streaming pass. Single-threaded.
#pragma once

#include <string>

#include "model/tiers.h"
#include "storage/creator_store.h"

namespace seedcast::demo {

// Renders the tables as text; `gate` is the quality gate (0-100) the separation table counts.
Result<std::string> SummarizeStore(storage::CreatorStore& store, const model::TierScheme& tiers,
                                   double gate);

}  // namespace seedcast::demo

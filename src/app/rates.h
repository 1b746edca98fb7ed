// Rate estimates for creators' posts (measure/rate_estimator.h) as a use case: the request is
// checked (each failure naming its field), the instance's accepted rates are read, and the
// estimate says which source answered. Rates are the instance's aggregate, not one
// organisation's: any signed-in caller may ask, and no single payment is named.
//
// Thread-safe: each call takes its own connection.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "app/context.h"
#include "measure/rate_estimator.h"
#include "storage/database.h"

namespace seedcast::app {

struct RatesRequest {
  std::string platform;  // instagram, tiktok, youtube, ... (any spelling NormalizePlatform takes)
  int64_t followers = 0;
  std::string niche;                      // a niche or one of its aliases; "" for any
  std::optional<double> engagement_rate;  // 0-1
  int min_sample = 5;                     // 1 to 1000
};

Result<measure::RateEstimates> EstimateCreatorRates(AppContext& ctx, const RatesRequest& request);

// The estimate for a checked query on an open connection (the media kit's too).
Result<measure::RateEstimates> EstimateOn(storage::Database& db, const model::TierScheme& tiers,
                                          const measure::RateQuery& query,
                                          const measure::RateOptions& options = {});

}  // namespace seedcast::app

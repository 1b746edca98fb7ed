#include "app/rates.h"

#include <fmt/format.h>

#include "model/niches.h"
#include "model/platform.h"

namespace seedcast::app {

Result<measure::RateEstimates> EstimateOn(storage::Database& db, const model::TierScheme& tiers,
                                          const measure::RateQuery& query,
                                          const measure::RateOptions& options) {
  SEEDCAST_ASSIGN_OR_RETURN(std::vector<measure::RateSample> samples,
                            measure::LoadAcceptedRates(db, query.platform));
  return measure::EstimateRates(samples, query, tiers, options);
}

Result<measure::RateEstimates> EstimateCreatorRates(AppContext& ctx, const RatesRequest& r) {
  measure::RateQuery q{.followers = r.followers, .engagement_rate = r.engagement_rate};
  Result<std::string> platform = model::NormalizePlatform(r.platform);
  if (!platform.ok()) {
    return InvalidArgument(fmt::format("platform '{}' is not one Seedcast knows", r.platform))
        .WithField("platform");
  }
  q.platform = std::move(*platform);
  if (r.followers < 0 || r.followers > 10'000'000'000) {
    return InvalidArgument("followers: 0 to 10,000,000,000").WithField("followers");
  }
  if (!r.niche.empty()) {
    const model::NicheMatch niche = model::NicheTaxonomy::Default().Resolve(r.niche);
    if (niche.kind == model::NicheMatchKind::kUnknown) {
      return InvalidArgument(fmt::format("niche '{}' is not one Seedcast knows", r.niche))
          .WithField("niche");
    }
    q.niche = niche.niche;
  }
  if (r.engagement_rate && !(*r.engagement_rate >= 0 && *r.engagement_rate <= 1)) {
    return InvalidArgument("engagement_rate: a share from 0 to 1 (0.04 for 4%)")
        .WithField("engagement_rate");
  }
  if (r.min_sample < 1 || r.min_sample > 1000) {
    return InvalidArgument("min_sample: 1 to 1000").WithField("min_sample");
  }
  SEEDCAST_ASSIGN_OR_RETURN(storage::ConnectionPool::Lease db, ctx.pool().Acquire());
  return EstimateOn(*db, ctx.config().tiers, q, {.min_sample = r.min_sample});
}

}  // namespace seedcast::app

// Filters: one query's filters over the columns, the first phase of a search. They turn the
// query's bounds into column units, pick the candidate slots with bitmap operations (categorical
// values, range bitmaps), check the slots a bitmap cannot decide, narrow a top-k pool, and score
// the fit of a slot.
//
// Lives only for the query, under the index's shared lock; reads the columns, never writes them.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#include "search/columns.h"
#include "search/query.h"

namespace seedcast::search::internal {

class Filters {
 public:
  Filters(const Columns& columns, const model::TierScheme& tier_scheme, const BookingMap& booked,
          const Query& query);

  // The categorical filters as one bitmap; null means every live slot. A follower range also
  // narrows by the tiers it overlaps (tiers are follower bands), so a range query scans only
  // those bands. The result points into the index or to `storage`.
  const Roaring* Candidates(Roaring* storage);
  // The range, audience and availability filters of one slot.
  bool Passes(uint32_t s) const;
  // The slots of `pool` that can be among its first `keep` in the query's order (see filters.cc).
  // Points to `pool` or `storage`.
  const Roaring* TopCandidates(const Roaring& pool, size_t keep, Roaring* storage) const;

  struct AudienceBound {
    const AudienceMin* spec;
    int64_t min_basis;
    uint16_t country_code;  // for country bounds; kNoValue16 when the country is unknown here
  };
  // A slot's share of an audience bound's key, in basis points.
  int64_t ShareOf(uint32_t s, const AudienceBound& a) const;

  // The fit score of a slot (SortBy::kFit) and its parts.
  struct FitParts {
    double engagement = 0, quality = 0, audience = 0, niche = 0, total = 0;
  };
  FitParts Fit(uint32_t s) const;

  const std::vector<AudienceBound>& audience() const { return audience_; }
  uint32_t niche_mask() const { return niche_mask_; }
  // Set by Candidates: every slot of the candidates passes the filters (no Passes() needed).
  bool exact() const { return exact_; }

 private:
  BitmapPlan RangePlan() const;

  const Columns& c;
  const model::TierScheme& scheme_;
  const BookingMap& bookings;
  const Query& q;
  // Bounds, in the columns' units.
  int64_t followers_min = 0, followers_max = std::numeric_limits<int64_t>::max();
  int64_t er_min = -1, er_max = std::numeric_limits<int64_t>::max();
  int64_t quality_min = -1;
  int64_t rate_min = -1, rate_max = std::numeric_limits<int64_t>::max();
  std::vector<AudienceBound> audience_;
  uint32_t niche_mask_ = 0;  // the requested niches
  bool exact_ = false;
};

}  // namespace seedcast::search::internal

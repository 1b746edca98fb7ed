#include "search/filters.h"

#include <algorithm>
#include <memory>

#include "model/benchmarks.h"
#include "model/niches.h"

namespace seedcast::search::internal {

Filters::Filters(const Columns& columns, const model::TierScheme& tier_scheme,
                 const BookingMap& booked, const Query& query)
    : c(columns), scheme_(tier_scheme), bookings(booked), q(query) {
  if (q.followers.min) followers_min = MinBound(*q.followers.min, 1);
  if (q.followers.max) followers_max = MaxBound(*q.followers.max, 1);
  if (q.engagement_rate.min) er_min = MinBound(*q.engagement_rate.min, 1e6);
  if (q.engagement_rate.max) er_max = MaxBound(*q.engagement_rate.max, 1e6);
  if (q.quality_min) quality_min = MinBound(*q.quality_min, 1e4);
  if (q.rate_cents.min) rate_min = MinBound(*q.rate_cents.min, 1);
  if (q.rate_cents.max) rate_max = MaxBound(*q.rate_cents.max, 1);
  niche_mask_ = NicheBits(q.niches);
  for (const AudienceMin& a : q.audience) {
    uint16_t code = kNoValue16;
    if (a.kind == AudienceKind::kCountry) code = c.countries.Find(a.key).value_or(kNoValue16);
    audience_.push_back({&a, MinBound(a.min, 1e4), code});
  }
}

// The categorical filters as one bitmap; nullopt when there are none (every live slot). A
// follower range also narrows by the tiers it overlaps (tiers are follower bands), so a range
// query scans only those bands.
// The result points into the index or to `storage`; null means every live slot.
const Roaring* Filters::Candidates(Roaring* storage) {
  // Each group is one bitmap of the index, or the union of several (owned).
  std::vector<const Roaring*> groups;
  std::vector<std::unique_ptr<Roaring>> owned;
  static const Roaring kEmpty;
  auto any_of_codes = [&](const std::vector<Roaring>& maps, const std::vector<uint16_t>& codes) {
    std::vector<const Roaring*> parts;
    for (uint16_t code : codes) {
      if (code < maps.size()) parts.push_back(&maps[code]);
    }
    std::sort(parts.begin(), parts.end());
    parts.erase(std::unique(parts.begin(), parts.end()), parts.end());  // a value named twice
    if (parts.empty()) {
      groups.push_back(&kEmpty);  // a value the index has never seen matches nothing
    } else if (parts.size() == 1) {
      groups.push_back(parts[0]);
    } else {
      owned.push_back(std::make_unique<Roaring>(Roaring::fastunion(parts.size(), parts.data())));
      groups.push_back(owned.back().get());
    }
  };
  auto any_of = [&](const std::vector<Roaring>& maps, const std::vector<std::string>& values,
                    const auto& code_of) {
    if (values.empty()) return;
    std::vector<uint16_t> codes;
    for (const std::string& v : values) {
      if (std::optional<uint16_t> code = code_of(v)) codes.push_back(*code);
    }
    any_of_codes(maps, codes);
  };
  auto in = [](const Dictionary& d) { return [&d](const std::string& v) { return d.Find(v); }; };
  any_of(c.by_platform, q.platforms, in(c.platforms));
  any_of(c.by_country, q.countries, in(c.countries));
  any_of(c.by_language, q.languages, in(c.languages));
  const model::TierScheme& scheme = scheme_;
  any_of(c.by_tier, q.tiers, [&scheme](const std::string& t) -> std::optional<uint16_t> {
    return TierCode(scheme, t);
  });
  // (The range bitmaps, when built, answer follower ranges themselves.)
  if (!c.ranges.ready &&
      (followers_min > 0 || followers_max != std::numeric_limits<int64_t>::max())) {
    const auto& tiers = scheme.tiers();  // sorted by lower bound
    std::vector<uint16_t> codes;
    for (size_t i = 0; i < tiers.size(); ++i) {
      const int64_t low = tiers[i].min_followers;
      const int64_t high = i + 1 < tiers.size() ? tiers[i + 1].min_followers - 1
                                                : std::numeric_limits<int64_t>::max();
      if (low <= followers_max && followers_min <= high) codes.push_back(static_cast<uint16_t>(i));
    }
    if (codes.size() < tiers.size()) any_of_codes(c.by_tier, codes);
  }
  auto niche_code = [](const std::string& n) -> std::optional<uint16_t> {
    return static_cast<uint16_t>(std::countr_zero(NicheBits({n})));
  };
  if (q.all_niches) {
    for (const std::string& n : q.niches) any_of(c.by_niche, {n}, niche_code);
  } else {
    any_of(c.by_niche, q.niches, niche_code);
  }
  BitmapPlan plan = RangePlan();
  exact_ = plan.exact;
  if (!plan.empty()) {
    // The categorical groups join the range bitmaps in one intersection, smallest first.
    plan.include.insert(plan.include.end(), groups.begin(), groups.end());
    *storage = plan.Apply(c.live);
    return storage;
  }
  if (groups.empty()) return nullptr;
  std::sort(groups.begin(), groups.end(),
            [](const Roaring* a, const Roaring* b) { return a->cardinality() < b->cardinality(); });
  if (groups.size() == 1) {
    if (owned.empty()) return groups[0];
    *storage = std::move(*owned.front());
    return storage;
  }
  *storage = *groups[0] & *groups[1];
  for (size_t i = 2; i < groups.size() && !storage->isEmpty(); ++i) *storage &= *groups[i];
  return storage;
}

// The range and audience filters as range bitmaps. Not exact when a bound falls between grid
// values, when availability matters, or when the bitmaps are not built: the slots left must
// then still pass Passes().
BitmapPlan Filters::RangePlan() const {
  BitmapPlan plan;
  const RangeIndex& r = c.ranges;
  if (!r.ready) {
    plan.exact = false;
    return plan;
  }
  if (q.available && !bookings.empty()) plan.exact = false;
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  // Column-unit bounds. On a column that can be unknown, the filter also requires a known value.
  auto bounds = [&plan](const RangeBitmaps& ranges, int64_t lo, int64_t hi) {
    constexpr int64_t kTop = kNoValue32 - 1;  // the largest stored value
    const bool nullable = ranges.tracks_known();
    std::optional<uint32_t> low, high;
    if (lo > 0 || (nullable && lo == 0)) {
      low = static_cast<uint32_t>(std::min(lo, kTop));
      if (lo > kTop) plan.exact = false;
    } else if (nullable) {
      low = 0;
    }
    if (hi < kTop) {
      high = static_cast<uint32_t>(std::max<int64_t>(hi, 0));
      if (hi < 0) plan.exact = false;
    }
    plan.AddRange(ranges, low, high);
  };
  if (followers_min > 0 || followers_max != kMax) bounds(r.followers, followers_min, followers_max);
  if (er_min >= 0 || er_max != kMax) bounds(r.engagement, std::max<int64_t>(er_min, 0), er_max);
  if (quality_min >= 0) bounds(r.quality, quality_min, kMax);
  if (rate_min >= 0 || rate_max != kMax) bounds(r.rate, std::max<int64_t>(rate_min, 0), rate_max);
  static const Roaring kNone;
  const auto& bands = model::AgeBands();
  for (const AudienceBound& a : audience_) {
    if (a.min_basis <= 0) continue;
    const RangeBitmaps* shares = nullptr;
    switch (a.spec->kind) {
      case AudienceKind::kCountry:
        if (a.country_code != kNoValue16 && a.country_code < r.countries.size())
          shares = &r.countries[a.country_code];
        break;
      case AudienceKind::kGender:
        shares = &r.genders[a.spec->key == "female" ? 0 : a.spec->key == "male" ? 1 : 2];
        break;
      case AudienceKind::kAge: {
        auto it = std::find(bands.begin(), bands.end(), a.spec->key);
        if (it != bands.end()) shares = &r.ages[static_cast<size_t>(it - bands.begin())];
        break;
      }
    }
    if (shares == nullptr) {
      plan.include.push_back(&kNone);  // no account has a share of it
    } else {
      bounds(*shares, a.min_basis, kMax);
    }
  }
  return plan;
}

// The range, audience and availability filters of one slot.
bool Filters::Passes(uint32_t s) const {
  if (c.rows[s].followers < followers_min || c.rows[s].followers > followers_max) return false;
  if (er_min >= 0 || er_max != std::numeric_limits<int64_t>::max()) {
    if (c.rows[s].er_micro == kNoValue32 || c.rows[s].er_micro < er_min ||
        c.rows[s].er_micro > er_max)
      return false;
  }
  if (quality_min >= 0 && (c.quality[s] == kNoValue16 || c.quality[s] < quality_min)) return false;
  if (rate_min >= 0 || rate_max != std::numeric_limits<int64_t>::max()) {
    if (c.rate_cents[s] == kNoValue32 || c.rate_cents[s] < rate_min || c.rate_cents[s] > rate_max)
      return false;
  }
  for (const AudienceBound& a : audience_) {
    if (ShareOf(s, a) < a.min_basis) return false;
  }
  if (q.available && !bookings.empty()) {
    auto it = bookings.find(c.creator_id[s]);
    if (it != bookings.end()) {
      for (const Booking& b : it->second) {
        if (b.from_ms <= q.available->second && q.available->first <= b.to_ms) return false;
      }
    }
  }
  return true;
}

int64_t Filters::ShareOf(uint32_t s, const AudienceBound& a) const {
  switch (a.spec->kind) {
    case AudienceKind::kCountry:
      return a.country_code == kNoValue16 ? 0 : c.AudienceShareOf(s, a.country_code);
    case AudienceKind::kGender:
      return c.GenderShare(s, a.spec->key);
    case AudienceKind::kAge:
      return c.AgeShare(s, a.spec->key);
  }
  return 0;
}

// The slots of `pool` that can be among its first `keep` in the query's order: for followers
// and engagement, those beyond the tightest grid value that still leaves `keep` of them (ties
// are on the same side of a grid value, so nothing the full order would rank higher is left
// out). Other orders need every slot. Points to `pool` or `storage`.
const Roaring* Filters::TopCandidates(const Roaring& pool, size_t keep, Roaring* storage) const {
  const RangeBitmaps* ranges = q.sort == SortBy::kFollowers        ? &c.ranges.followers
                               : q.sort == SortBy::kEngagementRate ? &c.ranges.engagement
                                                                   : nullptr;
  if (ranges == nullptr || !c.ranges.ready) return &pool;
  const size_t n = ranges->grid().size();
  // Engagement can be unknown: such slots rank last either way, so only known ones can be
  // narrowed to.
  const bool nullable = ranges->tracks_known();
  // Counts fall as the grid value rises: binary search for the highest (descending order) or
  // lowest (ascending) grid value that leaves at least `keep` slots.
  if (!q.ascending) {
    size_t lo = 0, hi = n;  // AtLeast(i) leaves >= keep for every i < lo, < keep from hi on
    while (lo < hi) {
      const size_t mid = (lo + hi) / 2;
      if (pool.and_cardinality(ranges->AtLeast(mid)) >= keep) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    if (lo == 0) return &pool;
    *storage = pool & ranges->AtLeast(lo - 1);
    return storage;
  }
  Roaring known_storage;
  const Roaring* known = &pool;
  if (nullable) {
    known_storage = pool & ranges->AtLeast(0);
    known = &known_storage;
  }
  const uint64_t known_count = known->cardinality();
  // Below AtLeast(i) there are known_count - |known ∩ AtLeast(i)| slots, rising with i.
  size_t lo = nullable ? 1 : 0, hi = n;  // first i leaving >= keep below it, or n
  while (lo < hi) {
    const size_t mid = (lo + hi) / 2;
    if (known_count - known->and_cardinality(ranges->AtLeast(mid)) >= keep) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  if (lo == n) return &pool;
  *storage = *known - ranges->AtLeast(lo);
  return storage;
}

Filters::FitParts Filters::Fit(uint32_t s) const {
  FitParts f;
  const std::string& platform = c.platforms.Name(c.rows[s].platform);
  if (c.rows[s].er_micro != kNoValue32) {
    const double ratio =
        c.rows[s].er_micro / 1e6 / model::EngagementBenchmark(platform, c.rows[s].followers);
    f.engagement = std::min(ratio, 2.0) / 2.0;
  }
  f.quality = c.quality[s] == kNoValue16 ? 0.5 : c.quality[s] / 1e4;
  if (audience_.empty()) {
    f.audience = 0.5;
  } else {
    double sum = 0;
    for (const AudienceBound& a : audience_) {
      const double want = static_cast<double>(std::max<int64_t>(a.min_basis, 1));
      sum += std::min(1.0, static_cast<double>(ShareOf(s, a)) / (2 * want));
    }
    f.audience = sum / static_cast<double>(audience_.size());
  }
  if (q.niches.empty()) {
    f.niche = std::popcount(c.rows[s].niches) > 0 ? 1.0 / std::popcount(c.rows[s].niches) : 0.0;
  } else {
    f.niche = static_cast<double>(std::popcount(c.rows[s].niches & niche_mask_)) /
              static_cast<double>(q.niches.size());
  }
  const FitWeights& w = q.weights;
  f.total = w.engagement * f.engagement + w.quality * f.quality + w.audience * f.audience +
            w.niche * f.niche;
  return f;
}

}  // namespace seedcast::search::internal

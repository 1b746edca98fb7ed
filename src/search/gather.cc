#include "search/gather.h"

#include <algorithm>
#include <array>
#include <limits>

namespace seedcast::search::internal {
namespace {

// Rows are read in slot order but far apart in a sparse pool: scans fetch the row this many
// slots ahead.
constexpr size_t kPrefetchAhead = 16;

}  // namespace

Gatherer::Gatherer(const Columns& columns, const Filters& filters, const Query& query,
                   const IndexOptions& options, QueryPool& pool)
    : c(columns),
      filters_(filters),
      q(query),
      options_(options),
      pool_(pool),
      keep_(static_cast<size_t>(query.offset) + static_cast<size_t>(query.limit)),
      want_facets_(!query.facets.empty()) {}

Partial Gatherer::NewPartial() const {
  Partial p;
  p.tier_counts.assign(options_.tiers.tiers().size(), 0);
  p.niche_counts.assign(32, 0);
  p.country_counts.assign(c.countries.size(), 0);
  p.platform_counts.assign(c.platforms.size(), 0);
  return p;
}

bool Gatherer::Better(const Ranked& a, const Ranked& b) const {
  if (a.key != b.key) return q.ascending ? a.key < b.key : a.key > b.key;
  return c.account_id[a.slot] < c.account_id[b.slot];
}

double Gatherer::SortKey(uint32_t s, float relevance) const {
  switch (q.sort) {
    case SortBy::kRelevance:
      return relevance;
    case SortBy::kFollowers:
      return c.rows[s].followers;
    case SortBy::kEngagementRate:
      // Unknown rates rank last in either order.
      return c.rows[s].er_micro == kNoValue32 ? (q.ascending ? 1e18 : -1.0)
                                              : static_cast<double>(c.rows[s].er_micro);
    case SortBy::kFit:
      return filters_.Fit(s).total;
  }
  return 0;
}

void Gatherer::KeepBest(std::vector<Ranked>& heap, const Ranked& r) const {
  auto better = [this](const Ranked& a, const Ranked& b) { return Better(a, b); };
  if (heap.size() < keep_) {
    heap.push_back(r);
    std::push_heap(heap.begin(), heap.end(), better);
  } else if (better(r, heap.front())) {
    std::pop_heap(heap.begin(), heap.end(), better);
    heap.back() = r;
    std::push_heap(heap.begin(), heap.end(), better);
  }
}

void Gatherer::Rank(Partial& p, uint32_t s, float relevance, uint32_t words) const {
  if (keep_ > 0) KeepBest(p.heap, Ranked{SortKey(s, relevance), s, relevance, words});
}

void Gatherer::Consider(Partial& p, uint32_t s, float relevance, uint32_t words) const {
  ++p.total;
  if (want_facets_) {
    ++p.tier_counts[c.rows[s].tier];
    ++p.country_counts[c.rows[s].country];
    ++p.platform_counts[c.rows[s].platform];
    for (uint32_t bits = c.rows[s].niches; bits != 0; bits &= bits - 1)
      ++p.niche_counts[static_cast<size_t>(__builtin_ctz(bits))];
  }
  Rank(p, s, relevance, words);
}

void Gatherer::Scan(const Roaring& pool, uint32_t from, uint32_t to, Mode mode, Partial& p) const {
  roaring_uint32_iterator_t* it = roaring_create_iterator(&pool.roaring);
  std::array<uint32_t, 256> block{};
  if (roaring_move_uint32_iterator_equalorlarger(it, from)) {
    for (;;) {
      const uint32_t n = roaring_read_uint32_iterator(it, block.data(), block.size());
      if (n == 0) break;
      bool done = false;
      for (uint32_t k = 0; k < n; ++k) {
        const uint32_t s = block[k];
        if (s >= to) {
          done = true;
          break;
        }
        if (k + kPrefetchAhead < n) __builtin_prefetch(&c.rows[block[k + kPrefetchAhead]]);
        if (mode == Mode::kRank) {
          Rank(p, s, 0, 0);
        } else if (mode == Mode::kCount || filters_.Passes(s)) {
          Consider(p, s, 0, 0);
        }
      }
      if (done) break;
    }
  }
  roaring_free_uint32_iterator(it);
}

void Gatherer::ScanAll(const Roaring& pool, Mode mode, Partial& all) const {
  const uint64_t count = pool.cardinality();
  // Splitting pays for the second thread only when there is much to scan.
  constexpr uint32_t kEnd = std::numeric_limits<uint32_t>::max();
  if (pool_.threads() == 0 || count < options_.parallel_scan_min) {
    Scan(pool, 0, kEnd, mode, all);
    return;
  }
  uint32_t middle = 0;
  pool.select(static_cast<uint32_t>(count / 2), &middle);
  Partial second = NewPartial();
  pool_.RunBoth([&] { Scan(pool, 0, middle, mode, all); },
                [&] { Scan(pool, middle, kEnd, mode, second); });
  all.total += second.total;
  for (auto [mine, theirs] : {std::pair{&all.tier_counts, &second.tier_counts},
                              std::pair{&all.niche_counts, &second.niche_counts},
                              std::pair{&all.country_counts, &second.country_counts},
                              std::pair{&all.platform_counts, &second.platform_counts}}) {
    for (size_t i = 0; i < mine->size(); ++i) (*mine)[i] += (*theirs)[i];
  }
  for (const Ranked& r : second.heap) KeepBest(all.heap, r);
}

void Gatherer::CountFacets(const Roaring& pool, Partial& p) const {
  std::vector<std::pair<const Roaring*, int64_t*>> values;
  auto add = [&](Facet f, const std::vector<Roaring>& maps, std::vector<int64_t>& counts) {
    if (std::find(q.facets.begin(), q.facets.end(), f) == q.facets.end()) return;
    for (size_t i = 0; i < maps.size() && i < counts.size(); ++i) {
      values.emplace_back(&maps[i], &counts[i]);
    }
  };
  add(Facet::kTier, c.by_tier, p.tier_counts);
  add(Facet::kNiche, c.by_niche, p.niche_counts);
  add(Facet::kCountry, c.by_country, p.country_counts);
  add(Facet::kPlatform, c.by_platform, p.platform_counts);
  auto count_from = [&pool, &values](size_t first, size_t stride) {
    for (size_t i = first; i < values.size(); i += stride) {
      *values[i].second = static_cast<int64_t>(pool.and_cardinality(*values[i].first));
    }
  };
  if (pool_.threads() > 0 && values.size() > 1) {
    pool_.RunBoth([&] { count_from(0, 2); }, [&] { count_from(1, 2); });
  } else {
    count_from(0, 1);
  }
}

Partial Gatherer::Collect(const Roaring* candidates, const std::vector<Match>* matches,
                          bool lookalike) const {
  // A result above this many slots takes its facets from bitmaps (sparse bitmaps intersect by
  // merging, which costs more than reading the slots).
  const uint64_t bitmap_facets_min = c.live.cardinality() / options_.bitmap_facets_divisor;
  Partial all = NewPartial();
  if (matches != nullptr && (lookalike || !want_facets_ || matches->size() < bitmap_facets_min)) {
    for (size_t i = 0; i < matches->size(); ++i) {
      if (i + kPrefetchAhead < matches->size()) {
        __builtin_prefetch(&c.rows[(*matches)[i + kPrefetchAhead].slot]);
      }
      const Match& m = (*matches)[i];
      Consider(all, m.slot, m.relevance, m.words);
    }
  } else if (matches != nullptr) {
    // Many matches: facets from the bitmap of the matching slots; ranked without the per-slot
    // facet counting.
    Roaring matched;
    std::vector<uint32_t> slots(matches->size());
    for (size_t i = 0; i < matches->size(); ++i) slots[i] = (*matches)[i].slot;
    matched.addMany(slots.size(), slots.data());
    all.total = static_cast<int64_t>(matches->size());
    CountFacets(matched, all);
    for (const Match& m : *matches) Rank(all, m.slot, m.relevance, m.words);
  } else if (!filters_.exact()) {
    ScanAll(candidates ? *candidates : c.live, Mode::kFilter, all);
  } else {
    // Every candidate passes. A small result is counted and ranked slot by slot. A large one
    // (bitmap containers, where intersections are word operations) takes its total and facets
    // from bitmap counts, and only the slots that can reach the page are ranked.
    const Roaring& pool = candidates ? *candidates : c.live;
    const uint64_t count = pool.cardinality();
    if (count < bitmap_facets_min) {
      ScanAll(pool, Mode::kCount, all);
    } else {
      all.total = static_cast<int64_t>(count);
      if (want_facets_) CountFacets(pool, all);
      if (keep_ > 0) {
        Roaring narrowed;
        ScanAll(*filters_.TopCandidates(pool, keep_, &narrowed), Mode::kRank, all);
      }
    }
  }
  return all;
}

std::vector<Ranked> Gatherer::Sorted(std::vector<Ranked> heap) const {
  std::sort_heap(heap.begin(), heap.end(),
                 [this](const Ranked& a, const Ranked& b) { return Better(a, b); });
  return heap;
}

}  // namespace seedcast::search::internal

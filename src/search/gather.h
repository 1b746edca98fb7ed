// Gatherer: the second phase of a search. Over the slots the filters leave (or the text and
// lookalike matches), it counts the total, counts the facets, and keeps the best `offset + limit`
// slots in the query's order. How depends on the result's shape: slot by slot for a small one,
// from bitmap counts for a large one, ranking only the slots that can reach the page. A large
// scan is split in two halves, one of them on the index's QueryPool.
//
// Lives only for the query, under the index's shared lock.
#pragma once

#include <cstdint>
#include <vector>

#include "search/columns.h"
#include "search/filters.h"
#include "search/query.h"
#include "search/query_pool.h"

namespace seedcast::search::internal {

// A slot matched by text or by lookalike similarity, with its relevance.
struct Match {
  uint32_t slot;
  float relevance;
  uint32_t words;  // bit i: query word i matched
};

// A kept result: its sort key and what explains it.
struct Ranked {
  double key;
  uint32_t slot;
  float relevance;
  uint32_t words;
};

// The counts and the kept results of a result, or of one part of it.
struct Partial {
  int64_t total = 0;
  std::vector<int64_t> tier_counts, niche_counts, country_counts, platform_counts;
  std::vector<Ranked> heap;  // the worst kept result at the front
};

class Gatherer {
 public:
  Gatherer(const Columns& columns, const Filters& filters, const Query& query,
           const IndexOptions& options, QueryPool& pool);

  // Gathers the result. `matches` (null for a query without text or lookalike) are the slots
  // with a relevance, already filtered; otherwise the slots are `candidates` (null: every live
  // slot), checked by the filters unless they are exact.
  Partial Collect(const Roaring* candidates, const std::vector<Match>* matches,
                  bool lookalike) const;
  // The kept results, best first.
  std::vector<Ranked> Sorted(std::vector<Ranked> heap) const;

 private:
  // What a scan does with each slot of its pool.
  enum class Mode {
    kFilter,  // check the filters; count, facet and rank the slots that pass
    kCount,   // every slot passes: count, facet and rank it
    kRank,    // rank only (the count and facets come from bitmaps)
  };
  Partial NewPartial() const;
  // The ordering: key descending (ascending with order=asc), then account id ascending.
  bool Better(const Ranked& a, const Ranked& b) const;
  double SortKey(uint32_t s, float relevance) const;
  void KeepBest(std::vector<Ranked>& heap, const Ranked& r) const;
  // Keeps `s` if it belongs among the first `keep` in the query's order.
  void Rank(Partial& p, uint32_t s, float relevance, uint32_t words) const;
  // Counts `s`, with its facets, and ranks it.
  void Consider(Partial& p, uint32_t s, float relevance, uint32_t words) const;
  // The slots of `pool` in [from, to), read in blocks.
  void Scan(const Roaring& pool, uint32_t from, uint32_t to, Mode mode, Partial& p) const;
  // The same over the whole pool, split in two halves when it is large.
  void ScanAll(const Roaring& pool, Mode mode, Partial& all) const;
  // Facet counts of a large result from its bitmap: each facet value's count is |pool ∩ its
  // bitmap|, and the values are shared between two threads.
  void CountFacets(const Roaring& pool, Partial& p) const;

  const Columns& c;
  const Filters& filters_;
  const Query& q;
  const IndexOptions& options_;
  QueryPool& pool_;
  const size_t keep_;
  const bool want_facets_;
};

}  // namespace seedcast::search::internal

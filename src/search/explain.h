// Explainer: the last phase of a search. Each kept result becomes a Hit with the reasons it
// matched (one per filter the query set) and the reason for its rank (its sort key: BM25,
// similarity, followers, engagement or the parts of its fit); the facet counts become named
// lists, by count descending then name.
//
// Lives only for the query, under the index's shared lock.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "search/analyzer.h"
#include "search/columns.h"
#include "search/filters.h"
#include "search/gather.h"
#include "search/index.h"

namespace seedcast::search::internal {

class Explainer {
 public:
  // `target` is the lookalike target's slot (nullopt without one), named `target_name`.
  Explainer(const Columns& columns, const Filters& filters, const Query& query,
            const model::TierScheme& tiers, const std::vector<QueryWord>& words,
            std::optional<uint32_t> target, std::string target_name);

  Hit Explain(const Ranked& r) const;
  // The query's facets, in the order it asked for them.
  std::vector<std::pair<std::string, std::vector<std::pair<std::string, int64_t>>>> Facets(
      const Partial& p) const;

 private:
  // The reasons a slot passed the query's filters and text.
  void MatchReasons(uint32_t s, const Hit& h, uint32_t word_bits,
                    std::vector<std::string>* why) const;
  // The score a slot ranked by, with its reasons.
  void RankReasons(uint32_t s, const Ranked& r, Hit* h) const;

  const Columns& c;
  const Filters& filters_;
  const Query& q;
  const model::TierScheme& tiers_;
  const std::vector<QueryWord>& words_;
  const std::optional<uint32_t> target_;
  const std::string target_name_;
};

}  // namespace seedcast::search::internal

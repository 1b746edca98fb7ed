// Candidate retrieval for planning: the campaign's targeting run through the discovery engine
// (search::CreatorIndex), ranked by its fit score, one account per creator, with each creator's
// platform history attached.
//
// The campaign file's targeting keys are discovery query keys; the planner adds the quality gate
// (a minimum audience quality score) and availability (not booked in an overlapping campaign).
//
// Borrows the index; thread-safe as the index is.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <vector>

#include "campaign/planner.h"
#include "campaign/spec.h"
#include "search/index.h"

namespace seedcast::campaign {

class CandidateSource {
 public:
  virtual ~CandidateSource() = default;
  // Up to `limit` candidates, best discovery fit first, leaving out the creators in `exclude`.
  virtual Result<std::vector<Candidate>> Find(const CampaignSpec& spec,
                                              const std::set<int64_t>& exclude, int limit) = 0;
};

class IndexCandidates final : public CandidateSource {
 public:
  // `quality_gate`: the minimum audience quality score (0-1) a creator needs to receive product.
  IndexCandidates(const search::CreatorIndex& index, const std::map<int64_t, History>& histories,
                  double quality_gate)
      : index_(index), histories_(histories), quality_gate_(quality_gate) {}

  Result<std::vector<Candidate>> Find(const CampaignSpec& spec, const std::set<int64_t>& exclude,
                                      int limit) override;

 private:
  const search::CreatorIndex& index_;
  const std::map<int64_t, History>& histories_;
  double quality_gate_;
};

// Plans `request` for `spec`: asks `source` for candidates (as many as a target of that size
// needs, leaving out `exclude`) only when the open assignments do not already meet the guarantee.
// `candidates` receives them, for reading the plan's picks.
Result<Plan> PlanFromSource(const PlanRequest& request, const CampaignSpec& spec,
                            const std::set<int64_t>& exclude, CandidateSource& source,
                            const CompletionModel& model, std::vector<Candidate>* candidates);

}  // namespace seedcast::campaign

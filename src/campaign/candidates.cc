#include "campaign/candidates.h"

#include <algorithm>

namespace seedcast::campaign {

Result<std::vector<Candidate>> IndexCandidates::Find(const CampaignSpec& spec,
                                                     const std::set<int64_t>& exclude, int limit) {
  nlohmann::json j = spec.targeting;
  double quality_min = quality_gate_;
  if (j.contains("quality") && j["quality"].is_object() && j["quality"].contains("min") &&
      j["quality"]["min"].is_number()) {
    quality_min = std::max(quality_min, j["quality"]["min"].get<double>());
  }
  if (quality_min > 0) j["quality"] = {{"min", quality_min}};
  if (spec.starts_at_ms || spec.ends_at_ms) {
    // Milliseconds: the query takes them too, and they keep the campaign's exact times.
    j["available"] = {{"from", spec.starts_at_ms.value_or(0)},
                      {"to", spec.ends_at_ms.value_or(spec.starts_at_ms.value_or(0))}};
  }
  j["sort"] = "fit";
  j["facets"] = nlohmann::json::array();
  auto parsed = search::ParseQuery(j, index_.tiers());
  if (!parsed.ok()) return parsed.status().WithContext("campaign targeting");
  search::Query q = std::move(parsed.value());
  q.limit = search::kMaxLimit;

  std::vector<Candidate> out;
  std::set<int64_t> seen;
  for (q.offset = 0; static_cast<int>(out.size()) < limit && q.offset <= search::kMaxOffset;
       q.offset += q.limit) {
    SEEDCAST_ASSIGN_OR_RETURN(search::SearchResult page, index_.Search(q));
    for (search::Hit& h : page.hits) {
      if (exclude.contains(h.creator_id) || !seen.insert(h.creator_id).second) continue;
      Candidate c;
      auto it = histories_.find(h.creator_id);
      if (it != histories_.end()) c.history = it->second;
      c.hit = std::move(h);
      out.push_back(std::move(c));
      if (static_cast<int>(out.size()) >= limit) break;
    }
    if (static_cast<int64_t>(q.offset) + q.limit >= page.total) break;
  }
  return out;
}

Result<Plan> PlanFromSource(const PlanRequest& request, const CampaignSpec& spec,
                            const std::set<int64_t>& exclude, CandidateSource& source,
                            const CompletionModel& model, std::vector<Candidate>* candidates) {
  candidates->clear();
  SEEDCAST_ASSIGN_OR_RETURN(Plan without_new, MakePlan(request, {}, model));
  if (without_new.guarantee_met) return without_new;
  // Enough candidates for completion chances well below the typical ones.
  const int wanted = std::clamp(spec.target_posts * 6 + 100, 200, 50'000);
  SEEDCAST_ASSIGN_OR_RETURN(*candidates, source.Find(spec, exclude, wanted));
  return MakePlan(request, *candidates, model);
}

}  // namespace seedcast::campaign

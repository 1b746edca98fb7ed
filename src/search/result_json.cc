#include "search/result_json.h"

#include <cmath>

namespace seedcast::search {

nlohmann::ordered_json ResultToJson(const SearchResult& result) {
  nlohmann::ordered_json j;
  j["total"] = result.total;
  j["results"] = nlohmann::ordered_json::array();
  for (const Hit& h : result.hits) {
    nlohmann::ordered_json r;
    r["creator_id"] = h.creator_id;
    r["account_id"] = h.account_id;
    r["handle"] = h.handle;
    r["platform"] = h.platform;
    r["followers"] = h.followers;
    r["engagement_rate"] = h.engagement_rate ? nlohmann::ordered_json(*h.engagement_rate) : nullptr;
    r["tier"] = h.tier;
    r["score"] = std::round(h.score * 1e6) / 1e6;
    r["reasons"] = h.reasons;
    j["results"].push_back(std::move(r));
  }
  j["facets"] = nlohmann::ordered_json::object();
  for (const auto& [name, counts] : result.facets) {
    auto& list = j["facets"][name] = nlohmann::ordered_json::array();
    for (const auto& [value, count] : counts) {
      list.push_back({{"value", value.empty() ? "unknown" : value}, {"count", count}});
    }
  }
  j["took_ms"] = std::round(result.took_ms * 1000) / 1000;
  if (!result.notes.empty()) j["notes"] = result.notes;
  return j;
}

}  // namespace seedcast::search

#include "campaign/planning.h"

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "campaign/campaign_store.h"
#include "campaign/states.h"

namespace seedcast::campaign {

Status RefreshHistory(storage::Database& db, const Clock& clock, const model::TierScheme& tiers,
                      PlanningContext* context) {
  // Completion is learnt from the whole platform's history; only the model leaves this function.
  CampaignStore store(db, clock, storage::Scope::Everything());
  SEEDCAST_ASSIGN_OR_RETURN(std::vector<PastAssignment> past, store.PastAssignments());
  context->histories = HistoriesOf(past);
  context->past_assignments = static_cast<int64_t>(past.size());
  SEEDCAST_ASSIGN_OR_RETURN(CompletionModel model, CompletionModel::Train(past, tiers));
  context->model = std::make_unique<CompletionModel>(std::move(model));
  return Status::Ok();
}

Status ReadPoolHistories(const std::string& path, storage::CreatorStore& creators,
                         std::map<int64_t, History>* out) {
  std::ifstream in(path);
  if (!in) return IoError("cannot read " + path);
  std::string line;
  int line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    const nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("history")) continue;
    const nlohmann::json& h = j["history"];
    auto where = [&](const std::string& field) {
      return fmt::format("{} line {}: history.{}", path, line_number, field);
    };
    if (!h.is_object()) return InvalidArgument(where("") + " must be an object");
    History history;
    for (auto [field, target] :
         {std::pair{"campaigns", &history.campaigns}, std::pair{"completed", &history.completed},
          std::pair{"late", &history.late}, std::pair{"failed", &history.failed},
          std::pair{"returned", &history.returned}}) {
      if (!h.contains(field)) continue;
      if (!h[field].is_number_integer() || h[field].get<int64_t>() < 0 ||
          h[field].get<int64_t>() > 100'000) {
        return InvalidArgument(where(field) + " must be a whole number, 0 or more");
      }
      *target = h[field].get<int>();
    }
    if (history.completed + history.failed + history.returned > history.campaigns) {
      return InvalidArgument(where("campaigns") + " is smaller than completed + failed + returned");
    }
    if (h.contains("avg_days_to_post")) {
      if (!h["avg_days_to_post"].is_number() || h["avg_days_to_post"].get<double>() < 0) {
        return InvalidArgument(where("avg_days_to_post") + " must be a number of days");
      }
      history.avg_days_to_post = h["avg_days_to_post"].get<double>();
      history.posts_timed = history.completed;
    }
    if (!j.contains("accounts") || !j["accounts"].is_array()) continue;
    for (const nlohmann::json& a : j["accounts"]) {
      if (!a.is_object() || !a.contains("handle") || !a["handle"].is_string()) continue;
      const std::string platform = a.contains("platform") && a["platform"].is_string()
                                       ? a["platform"].get<std::string>()
                                       : "";
      SEEDCAST_ASSIGN_OR_RETURN(std::vector<model::Creator> found,
                                creators.FindByHandle(a["handle"].get<std::string>(), platform));
      if (found.empty()) continue;
      (*out)[found.front().id] = history;
      break;
    }
  }
  return Status::Ok();
}

search::BookingRule CampaignBookings() { return {.released_states = ReleasedBookingStates()}; }

Result<std::unique_ptr<PlanningContext>> LoadPlanning(storage::Database& db, const Clock& clock,
                                                      const search::CreatorIndex& index,
                                                      const model::TierScheme& tiers,
                                                      double quality_gate) {
  auto context = std::make_unique<PlanningContext>();
  SEEDCAST_RETURN_IF_ERROR(RefreshHistory(db, clock, tiers, context.get()));
  context->candidates = std::make_unique<IndexCandidates>(index, context->histories, quality_gate);
  return context;
}

}  // namespace seedcast::campaign

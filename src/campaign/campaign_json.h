// The JSON the campaign commands print: plans, assignments, verdict summaries and reports.
// Money stays in integer cents.
#pragma once

#include <nlohmann/json.hpp>
#include <span>

#include "campaign/planner.h"
#include "campaign/service.h"

namespace seedcast::campaign {

nlohmann::ordered_json PlanToJson(const Plan& plan, std::span<const Candidate> candidates);
nlohmann::ordered_json AssignmentToJson(const Assignment& a);
nlohmann::ordered_json OutcomeToJson(const CommandOutcome& outcome);
nlohmann::ordered_json ReportToJson(const CampaignReport& report);
nlohmann::ordered_json CalibrationToJson(const CalibrationReport& report);
nlohmann::ordered_json CampaignToJson(const Campaign& c);

}  // namespace seedcast::campaign

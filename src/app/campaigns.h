// Campaign use cases: create, list, show, plan, invite, tick, report, the assignment workflow and
// the ledger, over an AppContext. Each returns a struct; the *ToJson functions give the one JSON
// form that the CLI prints and the API answers with.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "app/context.h"
#include "campaign/assignment_records.h"
#include "campaign/service.h"
#include "campaign/shopify_import.h"
#include "campaign/spec.h"

namespace seedcast::app {

struct CampaignSummary {
  campaign::Campaign campaign;
  int completed = 0;
  int units_used = 0;
};

struct AssignmentDetail {
  campaign::Assignment assignment;
  std::vector<campaign::AssignmentEvent> audit;
  campaign::AssignmentPerson person;  // handle, platform, the creator's name
};

struct CampaignDetail {
  campaign::Campaign campaign;
  std::vector<AssignmentDetail> assignments;
};

struct PlanView {
  campaign::Plan plan;
  std::vector<campaign::Candidate> candidates;
  campaign::CalibrationReport calibration;
};

struct InviteView {
  campaign::Plan plan;
  std::vector<campaign::Assignment> invited;
};

// One step of the assignment workflow: apply, approve, decline, ship, deliver, submit-post,
// verify, remove, return, fail.
struct ActionRequest {
  std::string action;
  std::string actor = "operator";
  std::string reason;      // decline, fail
  std::string post_json;   // submit-post
  int64_t product_id = 0;  // apply: one of the campaign's products (0: the campaign's own)
  campaign::ShipmentDetails shipment;  // ship
};

struct ActionResult {
  int64_t assignment_id = 0;
  campaign::CommandOutcome outcome;
  std::optional<compliance::Verdict> verdict;  // verify
};

Result<campaign::Campaign> CreateCampaign(AppContext& ctx, const storage::Scope& scope,
                                          const campaign::CampaignSpec& spec);
Result<std::vector<CampaignSummary>> ListCampaigns(AppContext& ctx, const storage::Scope& scope);
Result<CampaignDetail> ShowCampaign(AppContext& ctx, const storage::Scope& scope,
                                    int64_t campaign_id);
// Writes nothing.
Result<PlanView> PlanCampaign(AppContext& ctx, const storage::Scope& scope, int64_t campaign_id);
Result<InviteView> InviteCampaign(AppContext& ctx, const storage::Scope& scope,
                                  int64_t campaign_id);
Result<campaign::TickOutcome> TickCampaign(AppContext& ctx, const storage::Scope& scope,
                                           int64_t campaign_id);
Result<campaign::CampaignReport> ReportCampaign(AppContext& ctx, const storage::Scope& scope,
                                                int64_t campaign_id);
Result<std::vector<campaign::StoredTransaction>> CampaignLedger(AppContext& ctx,
                                                                const storage::Scope& scope,
                                                                int64_t campaign_id);

// A creator's own assignments (offers are the invited ones), newest first.
Result<std::vector<campaign::Assignment>> CreatorAssignments(AppContext& ctx,
                                                             const storage::Scope& scope,
                                                             int64_t creator_id);

// What a creator has earned: the entries of their ledger account (creator:<id>:payable), each
// positive when earned, and what is owed now.
struct EarningLine {
  int64_t campaign_id = 0;
  int64_t assignment_id = 0;
  std::string kind;  // creator_pay, reimbursement, ...
  int64_t amount_cents = 0;
  int64_t at_ms = 0;
};
struct Earnings {
  int64_t owed_cents = 0;
  std::vector<EarningLine> lines;
};
// A creator scope's own (kNotFound for anyone else's; operators any creator's).
Result<Earnings> CreatorEarnings(AppContext& ctx, const storage::Scope& scope, int64_t creator_id);
nlohmann::ordered_json EarningsToJson(const Earnings& e);

// The actions ActOnAssignment knows, in workflow order. Creators apply, decline, deliver (confirm
// receipt) and submit posts; brands approve, decline, ship, deliver, verify, remove, return and
// fail; operators do all.
const std::vector<std::string>& AssignmentActions();
Result<ActionResult> ActOnAssignment(AppContext& ctx, const storage::Scope& scope,
                                     int64_t assignment_id, const ActionRequest& request);

// A spec that names a stored product ({"id": N}, read within `scope`: 404 outside it) takes that
// product's price and units, so that a plan of it is the plan the campaign would get.
Status ResolveProduct(AppContext& ctx, const storage::Scope& scope, campaign::CampaignSpec& spec);

// Plans a campaign file against the context's store (writes nothing). `scored_accounts`: the
// accounts whose quality was scored for this plan (see ScoreUnscored); their picks say so.
Result<PlanView> PlanSpec(AppContext& ctx, const campaign::CampaignSpec& spec,
                          const std::map<int64_t, campaign::History>& extra_histories,
                          const std::set<int64_t>& scored_accounts);

Result<campaign::ProductImportReport> ImportProducts(AppContext& ctx, const storage::Scope& scope,
                                                     const std::string& path,
                                                     const std::string& brand, int64_t* brand_id);

Result<std::vector<campaign::Product>> ListProducts(AppContext& ctx, const storage::Scope& scope,
                                                    int64_t brand_id);
Result<campaign::Product> GetProduct(AppContext& ctx, const storage::Scope& scope,
                                     int64_t product_id);

nlohmann::ordered_json ProductToJson(const campaign::Product& p);
nlohmann::ordered_json SummaryToJson(const CampaignSummary& s);
nlohmann::ordered_json DetailToJson(const CampaignDetail& d);
// An assignment with its audit log and who it is with, as the campaign board shows it.
nlohmann::ordered_json AssignmentDetailToJson(const AssignmentDetail& d);
nlohmann::ordered_json PlanViewToJson(const PlanView& v);
nlohmann::ordered_json InviteToJson(const InviteView& v);
nlohmann::ordered_json TickToJson(const campaign::TickOutcome& t, int64_t now_ms);
nlohmann::ordered_json ActionToJson(const ActionResult& r);
nlohmann::ordered_json LedgerToJson(const std::vector<campaign::StoredTransaction>& lines);
nlohmann::ordered_json ProductImportToJson(const campaign::ProductImportReport& r,
                                           int64_t brand_id);

}  // namespace seedcast::app

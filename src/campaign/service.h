// CampaignService: the campaign workflow, from plan to paid-for post, on top of CampaignStore,
// the Ledger, the compliance checker and the planner.
//
// Every command runs in one database transaction: its state change, its audit entry and its
// money movements land together or not at all. Money moves only through the Ledger with keys
// derived from the assignment ("invoice:<assignment>", ...), so a retried or concurrent command
// moves money once. A command repeated on an assignment already in the state it asks for (a
// retry after a timeout) changes nothing and says so (`changed` false).
//
// Rules it enforces:
//  - product goes only to creators who pass the quality gate and never returned product;
//  - a unit leaves inventory exactly once per assignment (ship or purchase);
//  - buy-then-reimburse pays the creator only after verification;
//  - the brand is invoiced only for completed posts, up to the target (no fee beyond it), and is
//    billed product reimbursements up to target x (1 + reimbursement_cap);
//  - a post removed within the removal window drops its invoice line;
//  - a return bans the creator.
//
// Borrows everything it is given; one service per thread (one Database per thread).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "campaign/assignment_records.h"
#include "campaign/campaign_store.h"
#include "campaign/candidates.h"
#include "campaign/completion.h"
#include "campaign/ledger.h"
#include "campaign/planner.h"
#include "compliance/rules.h"

namespace seedcast::campaign {

struct ServiceOptions {
  double quality_gate = 0.6;  // minimum audience quality score (0-1) to receive product
  int late_grace_days = 7;    // a late creator has this long before the slot is replaced
  int reminder_days = 2;      // reminders go out this long before a deadline
};

struct CommandOutcome {
  Assignment assignment;
  bool changed = true;
  std::vector<std::string> notes;  // what happened, money included
};

struct VerifyOutcome {
  CommandOutcome command;
  compliance::Verdict verdict;
};

struct TickOutcome {
  std::vector<std::string> events;     // "assignment 12: delivered -> late (...)"
  std::vector<std::string> reminders;  // deadlines coming up
  std::vector<Assignment> invited;     // replacements
  Plan replan;
};

// What a brand says of a parcel it ships: each at most 100 characters of printable text.
struct ShipmentDetails {
  std::optional<std::string> carrier;
  std::optional<std::string> tracking;
};

struct CampaignReport {
  Campaign campaign;
  Product product;
  std::map<std::string, int> states;
  int completed = 0;
  int units_used = 0;
  int64_t invoiced_cents = 0;    // fees still billed (after removals)
  int64_t reimbursed_cents = 0;  // paid to creators for product
  int64_t reimbursement_billed_cents = 0;
  int64_t creator_pay_cents = 0;
  int64_t cost_per_completed_post_cents = 0;  // what the brand owes / completed posts
  bool guarantee_held = false;
  int64_t ledger_imbalance_cents = 0;  // must be 0
};

class CampaignService {
 public:
  // Every read and command is within `scope` (campaign_store.h).
  CampaignService(storage::Database& db, const Clock& clock, const compliance::RuleBook& rules,
                  storage::Scope scope, ServiceOptions options = {});

  Result<Campaign> Create(const CampaignSpec& spec);

  // Plans without writing: candidates from `source`, completion from `model`.
  Result<Plan> PlanFor(int64_t campaign_id, CandidateSource& source, const CompletionModel& model,
                       std::vector<Candidate>* candidates);
  // Plans and invites the selected creators.
  Result<std::vector<Assignment>> Invite(int64_t campaign_id, CandidateSource& source,
                                         const CompletionModel& model, Plan* plan);

  Result<CommandOutcome> Apply(int64_t assignment_id, const std::string& actor);
  // Applies for one of the campaign's products (kInvalidArgument, field product_id, otherwise).
  Result<CommandOutcome> Apply(int64_t assignment_id, const std::string& actor, int64_t product_id);
  Result<CommandOutcome> Decline(int64_t assignment_id, const std::string& actor,
                                 const std::string& reason);
  Result<CommandOutcome> Approve(int64_t assignment_id, const std::string& actor);
  // Ships a unit (ship) or records the creator's purchase (buy-then-reimburse). A shipped parcel
  // is recorded with the carrier and tracking given, if any.
  Result<CommandOutcome> Ship(int64_t assignment_id, const std::string& actor,
                              const ShipmentDetails& details = {});
  Result<CommandOutcome> Deliver(int64_t assignment_id, const std::string& actor);
  // The post as the compliance checker reads it (one JSON object).
  Result<CommandOutcome> SubmitPost(int64_t assignment_id, const std::string& post_json,
                                    const std::string& actor);
  // Checks the latest post; compliant: verified, completed, invoiced and paid. Otherwise the
  // assignment stays posted and the verdict says what to fix.
  Result<VerifyOutcome> Verify(int64_t assignment_id, const std::string& actor);
  Result<CommandOutcome> ReportRemoved(int64_t assignment_id, int64_t removed_at_ms,
                                       const std::string& actor);
  Result<CommandOutcome> Return(int64_t assignment_id, const std::string& actor);
  Result<CommandOutcome> Fail(int64_t assignment_id, const std::string& actor,
                              const std::string& reason);

  // Advances the campaign's deadlines to now: lapsed invitations, late creators, replaced slots,
  // reminders; then re-plans and invites replacements when the guarantee no longer holds.
  Result<TickOutcome> Tick(int64_t campaign_id, CandidateSource& source,
                           const CompletionModel& model);

  Result<CampaignReport> Report(int64_t campaign_id);

  CampaignStore& store() { return store_; }
  AssignmentRecords& records() { return records_; }
  Ledger& ledger() { return ledger_; }

 private:
  // Runs `body` in a transaction, again (up to 3 times) when it lost a race.
  template <typename T>
  Result<T> Run(const std::function<Result<T>()>& body);
  Result<CommandOutcome> Move(int64_t assignment_id, State to, const std::string& actor,
                              const std::string& reason, std::optional<int64_t> due_at_ms = {});
  Status CheckGate(const Assignment& a);
  // The open state of a campaign, and the creators planning must leave out (in it already, or
  // banned).
  Result<PlanRequest> OpenState(const Campaign& c, std::set<int64_t>* exclude);
  Status Settle(const Campaign& c, const Assignment& a, std::vector<std::string>* notes);

  storage::Database& db_;
  const Clock& clock_;
  const compliance::RuleBook& rules_;
  ServiceOptions options_;
  CampaignStore store_;
  AssignmentRecords records_;
  Ledger ledger_;
};

// The completion chance of an open assignment, given how far it got.
double OpenChance(const Assignment& a);

}  // namespace seedcast::campaign

#include "app/campaigns.h"

#include <fmt/format.h>

#include <algorithm>

#include "campaign/campaign_json.h"
#include "common/iso_time.h"
#include "compliance/post_json.h"

namespace seedcast::app {
namespace {

using campaign::CampaignService;
using nlohmann::ordered_json;
using storage::ConnectionPool;
using storage::Intent;

// Runs `body` with a campaign service over a pooled connection.
template <typename T>
Result<T> WithService(AppContext& ctx, const storage::Scope& scope, Intent intent,
                      const std::function<Result<T>(CampaignService&)>& body) {
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire(intent));
  CampaignService service(*db, ctx.clock(), ctx.rules(), scope,
                          {.quality_gate = ctx.quality_gate()});
  return body(service);
}

// Runs a planning command: the planning state first (it holds no connection), then a service.
template <typename T>
Result<T> WithPlanningService(
    AppContext& ctx, const storage::Scope& scope, Intent intent,
    const std::function<Result<T>(CampaignService&, campaign::PlanningContext&)>& body) {
  std::optional<Result<T>> out;
  Status s = ctx.WithPlanning([&](campaign::PlanningContext& planning) -> Status {
    out = WithService<T>(ctx, scope, intent,
                         [&](CampaignService& service) { return body(service, planning); });
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return std::move(*out);
}

}  // namespace

Result<campaign::Campaign> CreateCampaign(AppContext& ctx, const storage::Scope& scope,
                                          const campaign::CampaignSpec& spec) {
  return WithService<campaign::Campaign>(
      ctx, scope, Intent::kWrite, [&](CampaignService& service) { return service.Create(spec); });
}

Result<std::vector<CampaignSummary>> ListCampaigns(AppContext& ctx, const storage::Scope& scope) {
  using Out = std::vector<CampaignSummary>;
  return WithService<Out>(ctx, scope, Intent::kRead, [&](CampaignService& service) -> Result<Out> {
    SEEDCAST_ASSIGN_OR_RETURN(std::vector<campaign::Campaign> all, service.store().ListCampaigns());
    Out out;
    for (campaign::Campaign& c : all) {
      SEEDCAST_ASSIGN_OR_RETURN(campaign::CampaignReport report, service.Report(c.id));
      out.push_back({std::move(c), report.completed, report.units_used});
    }
    return out;
  });
}

Result<CampaignDetail> ShowCampaign(AppContext& ctx, const storage::Scope& scope,
                                    int64_t campaign_id) {
  return WithService<CampaignDetail>(
      ctx, scope, Intent::kRead, [&](CampaignService& service) -> Result<CampaignDetail> {
        CampaignDetail out;
        SEEDCAST_ASSIGN_OR_RETURN(out.campaign, service.store().GetCampaign(campaign_id));
        SEEDCAST_ASSIGN_OR_RETURN(std::vector<campaign::Assignment> assignments,
                                  service.store().Assignments(campaign_id));
        SEEDCAST_ASSIGN_OR_RETURN(auto people, service.records().PeopleOfCampaign(campaign_id));
        for (const campaign::Assignment& a : assignments) {
          AssignmentDetail& d = out.assignments.emplace_back();
          SEEDCAST_ASSIGN_OR_RETURN(d.audit, service.store().Events(a.id));
          d.assignment = a;
          d.person = people[a.id];
        }
        return out;
      });
}

Result<PlanView> PlanCampaign(AppContext& ctx, const storage::Scope& scope, int64_t campaign_id) {
  return WithPlanningService<PlanView>(
      ctx, scope, Intent::kRead,
      [&](CampaignService& service, campaign::PlanningContext& p) -> Result<PlanView> {
        PlanView v;
        SEEDCAST_ASSIGN_OR_RETURN(
            v.plan, service.PlanFor(campaign_id, *p.candidates, *p.model, &v.candidates));
        v.calibration = p.model->calibration();
        return v;
      });
}

Result<InviteView> InviteCampaign(AppContext& ctx, const storage::Scope& scope,
                                  int64_t campaign_id) {
  return WithPlanningService<InviteView>(
      ctx, scope, Intent::kWrite,
      [&](CampaignService& service, campaign::PlanningContext& p) -> Result<InviteView> {
        InviteView v;
        SEEDCAST_ASSIGN_OR_RETURN(v.invited,
                                  service.Invite(campaign_id, *p.candidates, *p.model, &v.plan));
        return v;
      });
}

Result<campaign::TickOutcome> TickCampaign(AppContext& ctx, const storage::Scope& scope,
                                           int64_t campaign_id) {
  return WithPlanningService<campaign::TickOutcome>(
      ctx, scope, Intent::kWrite, [&](CampaignService& service, campaign::PlanningContext& p) {
        return service.Tick(campaign_id, *p.candidates, *p.model);
      });
}

Result<campaign::CampaignReport> ReportCampaign(AppContext& ctx, const storage::Scope& scope,
                                                int64_t campaign_id) {
  return WithService<campaign::CampaignReport>(
      ctx, scope, Intent::kRead,
      [&](CampaignService& service) { return service.Report(campaign_id); });
}

Result<std::vector<campaign::StoredTransaction>> CampaignLedger(AppContext& ctx,
                                                                const storage::Scope& scope,
                                                                int64_t campaign_id) {
  using Out = std::vector<campaign::StoredTransaction>;
  return WithService<Out>(ctx, scope, Intent::kRead, [&](CampaignService& service) -> Result<Out> {
    SEEDCAST_RETURN_IF_ERROR(service.store().GetCampaign(campaign_id).status());
    return service.ledger().CampaignTransactions(campaign_id);
  });
}

const std::vector<std::string>& AssignmentActions() {
  static const std::vector<std::string> kActions = {"apply",   "approve",     "decline", "ship",
                                                    "deliver", "submit-post", "verify",  "remove",
                                                    "return",  "fail"};
  return kActions;
}

Result<std::vector<campaign::Assignment>> CreatorAssignments(AppContext& ctx,
                                                             const storage::Scope& scope,
                                                             int64_t creator_id) {
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire());
  return campaign::CampaignStore(*db, ctx.clock(), scope).AssignmentsOfCreator(creator_id);
}

Result<Earnings> CreatorEarnings(AppContext& ctx, const storage::Scope& scope, int64_t creator_id) {
  if (!scope.HasCreator(creator_id)) return NotFound(fmt::format("no creator {}", creator_id));
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire());
  Earnings out;
  const std::string account = fmt::format("creator:{}:payable", creator_id);
  SEEDCAST_RETURN_IF_ERROR(db->Query(
      "SELECT COALESCE(t.campaign_id, 0), COALESCE(t.assignment_id, 0), t.kind, e.amount_cents, "
      "t.created_at_ms FROM ledger_entries e JOIN ledger_transactions t ON t.id = "
      "e.transaction_id WHERE e.ledger_account = ? ORDER BY t.id",
      {std::string_view(account)}, [&out](const storage::Row& r) {
        // The payable account is credited (negative) with what the creator earns.
        const int64_t earned = -r.Int(3);
        out.lines.push_back({r.Int(0), r.Int(1), std::string(r.Text(2)), earned, r.Int(4)});
        out.owed_cents += earned;
        return Status::Ok();
      }));
  return out;
}

ordered_json EarningsToJson(const Earnings& e) {
  ordered_json lines = ordered_json::array();
  for (const EarningLine& l : e.lines) {
    lines.push_back({{"campaign_id", l.campaign_id},
                     {"assignment_id", l.assignment_id},
                     {"kind", l.kind},
                     {"amount_cents", l.amount_cents},
                     {"at", FormatIsoTime(l.at_ms)}});
  }
  return {{"owed_cents", e.owed_cents}, {"lines", lines}};
}

namespace {

Status CheckActionAllowed(const storage::Scope& scope, const std::string& action) {
  const auto& all = AssignmentActions();
  if (std::find(all.begin(), all.end(), action) == all.end()) {
    return InvalidArgument(
               fmt::format("unknown action '{}'; one of: {}", action, fmt::join(all, ", ")))
        .WithField("action");
  }
  static const std::set<std::string> kCreator = {"apply", "decline", "deliver", "submit-post"};
  static const std::set<std::string> kBrand = {"approve", "decline", "ship",   "deliver",
                                               "verify",  "remove",  "return", "fail"};
  using Kind = storage::Scope::Kind;
  if (scope.everything()) return Status::Ok();
  if (scope.kind() == Kind::kCreator && kCreator.contains(action)) return Status::Ok();
  if (scope.kind() == Kind::kOrg && kBrand.contains(action)) return Status::Ok();
  return PermissionDenied(fmt::format("a {} may not {} an assignment",
                                      scope.kind() == Kind::kCreator ? "creator" : "brand", action))
      .WithReason("action_not_allowed");
}

}  // namespace

Result<ActionResult> ActOnAssignment(AppContext& ctx, const storage::Scope& scope,
                                     int64_t assignment_id, const ActionRequest& r) {
  SEEDCAST_RETURN_IF_ERROR(CheckActionAllowed(scope, r.action));
  if (r.action == "submit-post" && r.post_json.empty()) {
    return InvalidArgument("submit-post needs the post: {\"post\": {...}}").WithField("post");
  }
  if (r.product_id != 0 && r.action != "apply") {
    return InvalidArgument("'product_id' is for apply").WithField("product_id");
  }
  if ((r.shipment.carrier || r.shipment.tracking) && r.action != "ship") {
    return InvalidArgument("'carrier' and 'tracking' are for ship")
        .WithField(r.shipment.carrier ? "carrier" : "tracking");
  }
  return WithService<ActionResult>(
      ctx, scope, Intent::kWrite, [&](CampaignService& service) -> Result<ActionResult> {
        ActionResult out;
        out.assignment_id = assignment_id;
        const std::string& a = r.action;
        if (a == "verify") {
          SEEDCAST_ASSIGN_OR_RETURN(campaign::VerifyOutcome v,
                                    service.Verify(assignment_id, r.actor));
          out.outcome = std::move(v.command);
          out.verdict = std::move(v.verdict);
          return out;
        }
        Result<campaign::CommandOutcome> done =
            InvalidArgument(fmt::format("unknown action '{}'; one of: {}", a,
                                        fmt::join(AssignmentActions(), ", ")))
                .WithField("action");
        if (a == "apply") {
          done = r.product_id == 0 ? service.Apply(assignment_id, r.actor)
                                   : service.Apply(assignment_id, r.actor, r.product_id);
        }
        if (a == "approve") done = service.Approve(assignment_id, r.actor);
        if (a == "decline") {
          done = service.Decline(assignment_id, r.actor, r.reason.empty() ? "declined" : r.reason);
        }
        if (a == "ship") done = service.Ship(assignment_id, r.actor, r.shipment);
        if (a == "deliver") done = service.Deliver(assignment_id, r.actor);
        if (a == "return") done = service.Return(assignment_id, r.actor);
        if (a == "fail") {
          done = service.Fail(assignment_id, r.actor, r.reason.empty() ? "failed" : r.reason);
        }
        if (a == "remove")
          done = service.ReportRemoved(assignment_id, ctx.clock().NowMs(), r.actor);
        if (a == "submit-post") done = service.SubmitPost(assignment_id, r.post_json, r.actor);
        if (!done.ok()) return done.status();
        out.outcome = std::move(done).value();
        return out;
      });
}

Status ResolveProduct(AppContext& ctx, const storage::Scope& scope, campaign::CampaignSpec& spec) {
  if (spec.product.product_id <= 0) return Status::Ok();
  SEEDCAST_ASSIGN_OR_RETURN(campaign::Product p, GetProduct(ctx, scope, spec.product.product_id));
  spec.product.price_cents = p.price_cents;
  spec.product.units_available = p.units_available;
  if (spec.product.niche.empty()) spec.product.niche = p.niche;
  return Status::Ok();
}

Result<PlanView> PlanSpec(AppContext& ctx, const campaign::CampaignSpec& spec,
                          const std::map<int64_t, campaign::History>& extra_histories,
                          const std::set<int64_t>& scored_accounts) {
  PlanView v;
  Status s = ctx.WithPlanning([&](campaign::PlanningContext& p) -> Status {
    for (const auto& [creator, history] : extra_histories) p.histories[creator] = history;
    SEEDCAST_ASSIGN_OR_RETURN(
        v.plan, campaign::PlanFromSource(campaign::RequestFor(spec, spec.product.price_cents,
                                                              spec.product.units_available),
                                         spec, {}, *p.candidates, *p.model, &v.candidates));
    v.calibration = p.model->calibration();
    return Status::Ok();
  });
  if (!s.ok()) return s;
  for (campaign::Pick& pick : v.plan.selected) {
    if (scored_accounts.contains(v.candidates[pick.candidate].hit.account_id)) {
      pick.reasons.emplace_back(
          "audience quality scored for this plan from the profile's signals (the pool had no "
          "quality_score)");
    }
  }
  if (!scored_accounts.empty()) {
    v.plan.notes.push_back(fmt::format(
        "{} account(s) had no quality_score; they were scored from their followers, following, "
        "posts and engagement before planning",
        scored_accounts.size()));
  }
  return v;
}

Result<campaign::ProductImportReport> ImportProducts(AppContext& ctx, const storage::Scope& scope,
                                                     const std::string& path,
                                                     const std::string& brand, int64_t* brand_id) {
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire(Intent::kWrite));
  campaign::CampaignStore store(*db, ctx.clock(), scope);
  SEEDCAST_ASSIGN_OR_RETURN(*brand_id, store.EnsureBrand(brand));
  return campaign::ImportShopifyProducts(path, *brand_id, *db, ctx.clock());
}

Result<std::vector<campaign::Product>> ListProducts(AppContext& ctx, const storage::Scope& scope,
                                                    int64_t brand_id) {
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire());
  return campaign::CampaignStore(*db, ctx.clock(), scope).ListProducts(brand_id);
}

Result<campaign::Product> GetProduct(AppContext& ctx, const storage::Scope& scope,
                                     int64_t product_id) {
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire());
  return campaign::CampaignStore(*db, ctx.clock(), scope).GetProduct(product_id);
}

ordered_json ProductToJson(const campaign::Product& p) {
  return {{"id", p.product_id},
          {"brand_id", p.brand_id},
          {"name", p.name},
          {"sku", p.sku},
          {"asin", p.asin},
          {"niche", p.niche},
          {"price_cents", p.price_cents},
          {"units_available", p.units_available}};
}

ordered_json SummaryToJson(const CampaignSummary& s) {
  return {{"id", s.campaign.id},         {"name", s.campaign.spec.name},
          {"status", s.campaign.status}, {"target_posts", s.campaign.spec.target_posts},
          {"completed", s.completed},    {"units_used", s.units_used}};
}

ordered_json AssignmentDetailToJson(const AssignmentDetail& d) {
  ordered_json j = campaign::AssignmentToJson(d.assignment);
  j["product_id"] = d.assignment.product_id;
  j["handle"] = d.person.handle;
  j["platform"] = d.person.platform;
  j["creator_name"] = d.person.creator_name;
  j["audit"] = ordered_json::array();
  for (const campaign::AssignmentEvent& e : d.audit) {
    j["audit"].push_back({{"from", e.from_state},
                          {"to", e.to_state},
                          {"kind", e.kind},
                          {"actor", e.actor},
                          {"reason", e.reason},
                          {"at", FormatIsoTime(e.at_ms)}});
  }
  return j;
}

ordered_json DetailToJson(const CampaignDetail& d) {
  ordered_json j = campaign::CampaignToJson(d.campaign);
  j["assignments"] = ordered_json::array();
  for (const AssignmentDetail& a : d.assignments) {
    j["assignments"].push_back(AssignmentDetailToJson(a));
  }
  return j;
}

ordered_json PlanViewToJson(const PlanView& v) {
  ordered_json j = campaign::PlanToJson(v.plan, v.candidates);
  j["candidates_considered"] = v.candidates.size();
  j["completion_model"] = campaign::CalibrationToJson(v.calibration);
  return j;
}

ordered_json InviteToJson(const InviteView& v) {
  ordered_json j = {{"invited", ordered_json::array()},
                    {"expected_completions", v.plan.expected_completions},
                    {"p_meet_target", v.plan.p_meet_target},
                    {"guarantee_met", v.plan.guarantee_met},
                    {"notes", v.plan.notes}};
  for (const campaign::Assignment& a : v.invited) {
    j["invited"].push_back(campaign::AssignmentToJson(a));
  }
  return j;
}

ordered_json TickToJson(const campaign::TickOutcome& t, int64_t now_ms) {
  ordered_json j = {{"now", FormatIsoTime(now_ms)},
                    {"events", t.events},
                    {"reminders", t.reminders},
                    {"replacements", ordered_json::array()},
                    {"p_meet_target", t.replan.p_meet_target},
                    {"notes", t.replan.notes}};
  for (const campaign::Assignment& a : t.invited) {
    j["replacements"].push_back(campaign::AssignmentToJson(a));
  }
  return j;
}

ordered_json ActionToJson(const ActionResult& r) {
  ordered_json j = campaign::OutcomeToJson(r.outcome);
  if (r.verdict) {
    std::string line;
    compliance::AppendVerdictJson(fmt::format("\"assignment-{}\"", r.assignment_id), *r.verdict,
                                  &line);
    j["verdict"] = ordered_json::parse(line);
  }
  return j;
}

ordered_json LedgerToJson(const std::vector<campaign::StoredTransaction>& lines) {
  ordered_json out = ordered_json::array();
  for (const campaign::StoredTransaction& t : lines) {
    ordered_json entries = ordered_json::array();
    for (const campaign::LedgerEntry& e : t.txn.entries) {
      entries.push_back({{"account", e.account}, {"amount_cents", e.amount_cents}});
    }
    out.push_back({{"id", t.id},
                   {"idempotency_key", t.txn.idempotency_key},
                   {"kind", t.txn.kind},
                   {"campaign_id", t.txn.campaign_id},
                   {"assignment_id", t.txn.assignment_id},
                   {"memo", t.txn.memo},
                   {"at", FormatIsoTime(t.created_at_ms)},
                   {"entries", std::move(entries)}});
  }
  return out;
}

ordered_json ProductImportToJson(const campaign::ProductImportReport& r, int64_t brand_id) {
  ordered_json rejects = ordered_json::array();
  for (const campaign::ImportReject& x : r.rejects) {
    rejects.push_back({{"line", x.line}, {"reason", x.reason}});
  }
  return {{"brand_id", brand_id},         {"rows", r.rows},
          {"products_stored", r.stored},  {"image_rows", r.image_rows},
          {"rejected", r.rejects.size()}, {"rejects", std::move(rejects)}};
}

}  // namespace seedcast::app

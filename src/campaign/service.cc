#include "campaign/service.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "common/iso_time.h"
#include "compliance/checker.h"
#include "compliance/post_json.h"
#include "storage/event_outbox.h"

namespace seedcast::campaign {
namespace {

// A post's address is stored and shown to brands: http(s) only, printable, at most 2048 bytes.
Status CheckPostUrl(std::string_view url) {
  if (url.empty()) return Status::Ok();
  const bool web = url.starts_with("https://") || url.starts_with("http://");
  const bool printable = std::all_of(url.begin(), url.end(), [](char ch) {
    return static_cast<unsigned char>(ch) > 0x20 && ch != 0x7f;
  });
  if (!web || !printable || url.size() > 2048) {
    return InvalidArgument(
               "post: 'url' must be an http(s) address of at most 2048 bytes, without spaces")
        .WithField("url");
  }
  return Status::Ok();
}

constexpr int64_t kDayMs = 86'400'000;

std::string BrandAccount(int64_t brand_id) { return fmt::format("brand:{}:receivable", brand_id); }
std::string CampaignAccount(int64_t campaign_id, std::string_view what) {
  return fmt::format("campaign:{}:{}", campaign_id, what);
}
std::string CreatorAccount(int64_t creator_id) {
  return fmt::format("creator:{}:payable", creator_id);
}

compliance::Relationship RelationshipFor(Compensation c) {
  switch (c) {
    case Compensation::kGifted:
      return compliance::Relationship::kGiftedRequired;
    case Compensation::kAffiliate:
      return compliance::Relationship::kAffiliate;
    case Compensation::kPaid:
    case Compensation::kHybrid:
      return compliance::Relationship::kPaid;
  }
  return compliance::Relationship::kPaid;
}

}  // namespace

double OpenChance(const Assignment& a) {
  switch (a.state) {
    case State::kVerified:
      return 1.0;
    case State::kPosted:
      return std::max(a.p_complete, 0.9);
    case State::kLate:
      return a.p_complete * 0.5;
    default:
      return IsActive(a.state) ? a.p_complete : 0.0;
  }
}

CampaignService::CampaignService(storage::Database& db, const Clock& clock,
                                 const compliance::RuleBook& rules, storage::Scope scope,
                                 ServiceOptions options)
    : db_(db),
      clock_(clock),
      rules_(rules),
      options_(options),
      store_(db, clock, scope),
      records_(db, clock),
      ledger_(db, clock) {}

template <typename T>
Result<T> CampaignService::Run(const std::function<Result<T>()>& body) {
  Status last;
  for (int attempt = 0; attempt < 3; ++attempt) {
    std::optional<T> out;
    last = storage::InTransaction(db_, [&]() -> Status {
      Result<T> r = body();
      if (!r.ok()) return r.status();
      out = std::move(r.value());
      return Status::Ok();
    });
    if (last.ok()) return std::move(*out);
    // A lost race (or a concurrent writer's key) is worth another look at the new state.
    // A unique key a concurrent writer took first is a lost race too, inside a command.
    if (!last.retryable() && last.reason() != "constraint_violation") break;
  }
  return last;
}

Result<Campaign> CampaignService::Create(const CampaignSpec& spec) {
  if (!rules_.Find(spec.jurisdiction).ok()) {
    return InvalidArgument("jurisdiction: no rules for '" + spec.jurisdiction + "'");
  }
  return Run<Campaign>([&] { return store_.CreateCampaign(spec); });
}

Result<CommandOutcome> CampaignService::Move(int64_t assignment_id, State to,
                                             const std::string& actor, const std::string& reason,
                                             std::optional<int64_t> due_at_ms) {
  SEEDCAST_ASSIGN_OR_RETURN(Assignment a, store_.LockAssignment(assignment_id));
  CommandOutcome out;
  if (a.state == to && to != State::kPosted) {
    out.assignment = a;
    out.changed = false;
    out.notes.push_back(
        fmt::format("assignment {} is already {}: nothing to do", assignment_id, StateName(to)));
    return out;
  }
  const TransitionRequest request{
      .to = to, .actor = actor, .reason = reason, .due_at_ms = due_at_ms};
  SEEDCAST_ASSIGN_OR_RETURN(out.assignment, store_.Transition(assignment_id, request));
  out.notes.push_back(
      fmt::format("assignment {}: {} -> {}", assignment_id, StateName(a.state), StateName(to)));
  return out;
}

Status CampaignService::CheckGate(const Assignment& a) {
  SEEDCAST_ASSIGN_OR_RETURN(bool returned, store_.HasReturned(a.creator_id, a.org_id));
  if (returned) {
    return FailedPrecondition("creator_banned",
                              fmt::format("creator {} returned product before and is banned "
                                          "from receiving more",
                                          a.creator_id));
  }
  std::optional<double> quality;
  std::string review;
  bool found = false;
  SEEDCAST_RETURN_IF_ERROR(
      db_.Query("SELECT quality_score, review_status FROM accounts WHERE id = ?", {a.account_id},
                [&](const storage::Row& r) {
                  found = true;
                  if (!r.IsNull(0)) quality = r.Real(0);
                  review = r.Text(1);
                  return Status::Ok();
                }));
  if (!found) return NotFound(fmt::format("assignment {} has no account", a.id));
  // An account edited since (pending review again) or suspended gets no product.
  if (review != "approved") {
    return FailedPrecondition(
        "account_not_approved",
        fmt::format("account {} is {}: product goes only to approved accounts", a.account_id,
                    review));
  }
  if (!quality) {
    return FailedPrecondition(
        "quality_unscored",
        fmt::format("account {} has no audience quality score yet (run `seedcast quality "
                    "score --save`); product goes only to creators who pass the gate",
                    a.account_id));
  }
  if (*quality < options_.quality_gate) {
    return FailedPrecondition(
        "quality_gate", fmt::format("account {} fails the quality gate: score {:.0f}, gate {:.0f}",
                                    a.account_id, *quality * 100, options_.quality_gate * 100));
  }
  return Status::Ok();
}

Result<PlanRequest> CampaignService::OpenState(const Campaign& c, std::set<int64_t>* exclude) {
  SEEDCAST_ASSIGN_OR_RETURN(Product product, store_.GetProduct(c.product_id));
  SEEDCAST_ASSIGN_OR_RETURN(std::vector<Assignment> all, store_.Assignments(c.id));
  int64_t reserved = 0;
  PlanRequest r = RequestFor(c.spec, product.price_cents, 0);
  SEEDCAST_ASSIGN_OR_RETURN(r.units_committed, store_.UnitsSent(c.id));
  // Creators who returned product are banned: planning never picks them.
  SEEDCAST_ASSIGN_OR_RETURN(*exclude, store_.ReturnedCreators(c.org_id));
  for (const Assignment& a : all) {
    exclude->insert(a.creator_id);
    if (a.state == State::kCompleted) r.completed += 1;
    if (!IsActive(a.state)) continue;
    r.active_p.push_back(OpenChance(a));
    if (!HoldsProduct(a.state)) reserved += 1;
  }
  r.units_committed += reserved;
  r.units_available = std::max<int64_t>(0, product.units_available - reserved);
  return r;
}

Result<Plan> CampaignService::PlanFor(int64_t campaign_id, CandidateSource& source,
                                      const CompletionModel& model,
                                      std::vector<Candidate>* candidates) {
  SEEDCAST_ASSIGN_OR_RETURN(Campaign c, store_.GetCampaign(campaign_id));
  std::set<int64_t> exclude;
  SEEDCAST_ASSIGN_OR_RETURN(PlanRequest request, OpenState(c, &exclude));
  return PlanFromSource(request, c.spec, exclude, source, model, candidates);
}

Result<std::vector<Assignment>> CampaignService::Invite(int64_t campaign_id,
                                                        CandidateSource& source,
                                                        const CompletionModel& model, Plan* plan) {
  return Run<std::vector<Assignment>>([&]() -> Result<std::vector<Assignment>> {
    std::vector<Candidate> candidates;
    SEEDCAST_ASSIGN_OR_RETURN(*plan, PlanFor(campaign_id, source, model, &candidates));
    SEEDCAST_ASSIGN_OR_RETURN(Campaign c, store_.GetCampaign(campaign_id));
    std::vector<Assignment> out;
    const int64_t due = clock_.NowMs() + c.spec.invite_response_days * kDayMs;
    for (const Pick& p : plan->selected) {
      const Candidate& cand = candidates[p.candidate];
      SEEDCAST_ASSIGN_OR_RETURN(
          Assignment a,
          store_.Invite(campaign_id, cand.hit.creator_id, cand.hit.account_id, p.p_complete, due,
                        "planner",
                        fmt::format("fit {:.3f}, completion {:.2f}", p.fit, p.p_complete)));
      out.push_back(a);
    }
    return out;
  });
}

Result<CommandOutcome> CampaignService::Apply(int64_t id, const std::string& actor) {
  return Run<CommandOutcome>([&] { return Move(id, State::kApplied, actor, "creator applied"); });
}

Result<CommandOutcome> CampaignService::Apply(int64_t id, const std::string& actor,
                                              int64_t product_id) {
  return Run<CommandOutcome>([&]() -> Result<CommandOutcome> {
    SEEDCAST_ASSIGN_OR_RETURN(Assignment a, store_.LockAssignment(id));
    SEEDCAST_ASSIGN_OR_RETURN(Campaign c, store_.CampaignOf(a));
    SEEDCAST_ASSIGN_OR_RETURN(std::vector<Product> products, store_.CampaignProducts(c));
    std::vector<int64_t> ids;
    ids.reserve(products.size());
    for (const Product& p : products) ids.push_back(p.product_id);
    if (std::find(ids.begin(), ids.end(), product_id) == ids.end()) {
      return InvalidArgument(fmt::format("product {} is not one of campaign {}'s products ({})",
                                         product_id, c.id, fmt::join(ids, ", ")))
          .WithField("product_id");
    }
    SEEDCAST_RETURN_IF_ERROR(store_.SetAssignmentProduct(id, product_id));
    return Move(id, State::kApplied, actor,
                fmt::format("creator applied for product {}", product_id));
  });
}

Result<CommandOutcome> CampaignService::Decline(int64_t id, const std::string& actor,
                                                const std::string& reason) {
  return Run<CommandOutcome>([&] { return Move(id, State::kDeclined, actor, reason); });
}

Result<CommandOutcome> CampaignService::Approve(int64_t id, const std::string& actor) {
  return Run<CommandOutcome>([&]() -> Result<CommandOutcome> {
    SEEDCAST_ASSIGN_OR_RETURN(Assignment a, store_.LockAssignment(id));
    if (a.state == State::kApplied || a.state == State::kInvited) {
      SEEDCAST_RETURN_IF_ERROR(CheckGate(a));
    }
    return Move(id, State::kApproved, actor, "brand approved");
  });
}

Result<CommandOutcome> CampaignService::Ship(int64_t id, const std::string& actor,
                                             const ShipmentDetails& details) {
  SEEDCAST_RETURN_IF_ERROR(CheckShipmentLabel(details.carrier, "carrier"));
  SEEDCAST_RETURN_IF_ERROR(CheckShipmentLabel(details.tracking, "tracking"));
  return Run<CommandOutcome>([&]() -> Result<CommandOutcome> {
    SEEDCAST_ASSIGN_OR_RETURN(Assignment a, store_.LockAssignment(id));
    SEEDCAST_ASSIGN_OR_RETURN(Campaign c, store_.CampaignOf(a));
    const bool buy = c.spec.fulfilment == Fulfilment::kBuyThenReimburse;
    const State to = buy ? State::kPurchased : State::kShipped;
    if (a.state == to) return Move(id, to, actor, "");
    SEEDCAST_RETURN_IF_ERROR(
        CheckTransition(a.state, to).WithContext(fmt::format("assignment {}", id)));
    // The gate is checked again at the door: a score can drop after approval.
    SEEDCAST_RETURN_IF_ERROR(CheckGate(a));
    SEEDCAST_ASSIGN_OR_RETURN(int64_t left, store_.TakeUnit(a.product_id));
    const int64_t due = clock_.NowMs() + (c.spec.days_to_post + (buy ? 0 : 7)) * kDayMs;
    SEEDCAST_ASSIGN_OR_RETURN(
        CommandOutcome out,
        Move(id, to, actor,
             buy ? "creator bought the product" : ShippedReason(details.carrier, details.tracking),
             due));
    if (!buy) {
      SEEDCAST_RETURN_IF_ERROR(records_.SaveShipment(
          id, {.carrier = details.carrier, .tracking = details.tracking, .at_ms = clock_.NowMs()}));
    }
    out.notes.push_back(fmt::format("{} unit(s) of product {} left", left, a.product_id));
    return out;
  });
}

Result<CommandOutcome> CampaignService::Deliver(int64_t id, const std::string& actor) {
  return Run<CommandOutcome>([&]() -> Result<CommandOutcome> {
    SEEDCAST_ASSIGN_OR_RETURN(Assignment a, store_.LockAssignment(id));
    SEEDCAST_ASSIGN_OR_RETURN(Campaign c, store_.CampaignOf(a));
    return Move(id, State::kDelivered, actor, "delivery confirmed",
                clock_.NowMs() + c.spec.days_to_post * kDayMs);
  });
}

Result<CommandOutcome> CampaignService::SubmitPost(int64_t id, const std::string& post_json,
                                                   const std::string& actor) {
  nlohmann::json j = nlohmann::json::parse(post_json, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return InvalidArgument("post: not a JSON object");
  return Run<CommandOutcome>([&]() -> Result<CommandOutcome> {
    SEEDCAST_ASSIGN_OR_RETURN(Assignment a, store_.LockAssignment(id));
    SEEDCAST_RETURN_IF_ERROR(
        CheckTransition(a.state, State::kPosted).WithContext(fmt::format("assignment {}", id)));
    SEEDCAST_ASSIGN_OR_RETURN(Campaign c, store_.CampaignOf(a));
    // The relationship is the campaign's; a post need not repeat it.
    nlohmann::json with = j;
    if (!with.contains("relationship")) {
      with["relationship"] = compliance::RelationshipName(RelationshipFor(c.spec.compensation));
    }
    if (!with.contains("id")) with["id"] = fmt::format("assignment-{}", id);
    // A post submitted without its time of posting went up when it was submitted.
    if (!with.contains("posted_at")) with["posted_at"] = FormatIsoTime(clock_.NowMs());
    const std::string payload = with.dump();
    compliance::PostReader reader;
    compliance::Post post;
    std::string id_json;
    Status read = reader.Read(payload, &post, &id_json);
    if (!read.ok()) return read.WithContext("post");
    const bool again = a.state == State::kPosted;
    const std::string url = with.contains("url") && with["url"].is_string() ? with["url"] : "";
    SEEDCAST_RETURN_IF_ERROR(CheckPostUrl(url));
    SEEDCAST_ASSIGN_OR_RETURN(int64_t post_id, store_.SavePost({.assignment_id = id,
                                                                .account_id = a.account_id,
                                                                .url = url,
                                                                .caption = post.caption,
                                                                .format = PostFormat(post),
                                                                .posted_at_ms = post.posted_at_ms,
                                                                .payload = payload}));
    SEEDCAST_RETURN_IF_ERROR(records_.ReplaceAssets(
        id, post_id, AssetsOf(post, url, c.id, a.creator_id, c.spec.usage_rights)));
    SEEDCAST_ASSIGN_OR_RETURN(
        CommandOutcome out,
        Move(id, State::kPosted, actor, again ? "post resubmitted" : "post submitted"));
    out.notes.push_back(fmt::format("post {} stored; run verify", post_id));
    return out;
  });
}

Result<VerifyOutcome> CampaignService::Verify(int64_t id, const std::string& actor) {
  return Run<VerifyOutcome>([&]() -> Result<VerifyOutcome> {
    VerifyOutcome out;
    SEEDCAST_ASSIGN_OR_RETURN(Assignment a, store_.LockAssignment(id));
    if (a.state == State::kVerified || a.state == State::kCompleted) {
      out.command.assignment = a;
      out.command.changed = false;
      out.command.notes.push_back(fmt::format("assignment {} is already verified", id));
      return out;
    }
    SEEDCAST_RETURN_IF_ERROR(
        CheckTransition(a.state, State::kVerified).WithContext(fmt::format("assignment {}", id)));
    SEEDCAST_ASSIGN_OR_RETURN(Campaign c, store_.CampaignOf(a));
    SEEDCAST_ASSIGN_OR_RETURN(std::optional<StoredPost> latest, store_.LatestPost(id));
    if (!latest) return NotFound(fmt::format("assignment {} has no post to verify", id));
    compliance::PostReader reader;
    compliance::Post post;
    std::string id_json;
    SEEDCAST_RETURN_IF_ERROR(reader.Read(latest->payload, &post, &id_json));
    post.relationship = RelationshipFor(c.spec.compensation);
    SEEDCAST_ASSIGN_OR_RETURN(const compliance::Jurisdiction* jurisdiction,
                              rules_.Find(c.spec.jurisdiction));
    compliance::Checker checker(rules_, *jurisdiction, &c.spec.requirements);
    out.verdict = checker.Check(post);
    if (!out.verdict.compliant) {
      std::string codes;
      for (const compliance::Finding& f : out.verdict.findings) {
        if (f.severity != compliance::Severity::kError) continue;
        codes += codes.empty() ? f.code : ", " + f.code;
      }
      SEEDCAST_ASSIGN_OR_RETURN(out.command,
                                Move(id, State::kPosted, actor, "verification failed: " + codes));
      out.command.notes.push_back("the post does not pass: " + codes + "; resubmit a fixed post");
      return out;
    }
    nlohmann::json verdict = {{"compliant", true}, {"findings", nlohmann::json::array()}};
    for (const compliance::Finding& f : out.verdict.findings) verdict["findings"].push_back(f.code);
    SEEDCAST_RETURN_IF_ERROR(store_.MarkPostVerified(latest->id, verdict.dump()));
    const nlohmann::json event = {{"assignment_id", id},
                                  {"campaign_id", c.id},
                                  {"creator_id", a.creator_id},
                                  {"post_id", latest->id},
                                  {"url", latest->url}};
    SEEDCAST_RETURN_IF_ERROR(storage::RecordEvent(db_, a.org_id, storage::kEventPostVerified,
                                                  event.dump(), clock_.NowMs())
                                 .status());
    SEEDCAST_RETURN_IF_ERROR(Move(id, State::kVerified, actor, "post verified").status());
    SEEDCAST_ASSIGN_OR_RETURN(out.command, Move(id, State::kCompleted, actor, "post completed"));
    SEEDCAST_RETURN_IF_ERROR(Settle(c, out.command.assignment, &out.command.notes));
    return out;
  });
}

Status CampaignService::Settle(const Campaign& c, const Assignment& a,
                               std::vector<std::string>* notes) {
  if (db_.backend() == storage::Backend::kPostgres) {
    // Settlements of one campaign take turns, so two at once cannot both bill the last slot.
    SEEDCAST_RETURN_IF_ERROR(db_.Query("SELECT pg_advisory_xact_lock(?)", {c.id},
                                       [](const storage::Row&) { return Status::Ok(); }));
  }
  const CampaignSpec& s = c.spec;
  SEEDCAST_ASSIGN_OR_RETURN(int64_t lines, ledger_.CountKind(c.id, "invoice_line"));
  SEEDCAST_ASSIGN_OR_RETURN(int64_t voids, ledger_.CountKind(c.id, "invoice_void"));
  const std::string brand = BrandAccount(c.brand_id);
  auto transfer = [&](std::string_view key, std::string kind, std::string memo, std::string debit,
                      std::string credit, int64_t cents) {
    return ledger_
        .Post(Transfer{.idempotency_key = fmt::format("{}:{}", key, a.id),
                       .kind = std::move(kind),
                       .campaign_id = c.id,
                       .assignment_id = a.id,
                       .memo = std::move(memo),
                       .debit = std::move(debit),
                       .credit = std::move(credit),
                       .cents = cents})
        .status();
  };
  if (s.fee_cents_per_post > 0) {
    if (lines - voids < s.target_posts) {
      SEEDCAST_RETURN_IF_ERROR(transfer("invoice", "invoice_line", "fee for a completed post",
                                        brand, CampaignAccount(c.id, "fees"),
                                        s.fee_cents_per_post));
      notes->push_back("invoiced " + FormatCents(s.fee_cents_per_post));
    } else {
      notes->push_back("beyond the target: no fee");
    }
  }
  if (s.payout_cents_per_post > 0) {
    SEEDCAST_RETURN_IF_ERROR(transfer("pay", "creator_pay", "payment for a completed post",
                                      CampaignAccount(c.id, "creator_pay"),
                                      CreatorAccount(a.creator_id), s.payout_cents_per_post));
    notes->push_back("creator paid " + FormatCents(s.payout_cents_per_post));
  }
  if (s.fulfilment == Fulfilment::kBuyThenReimburse) {
    SEEDCAST_ASSIGN_OR_RETURN(Product product, store_.GetProduct(c.product_id));
    SEEDCAST_RETURN_IF_ERROR(transfer("reimburse", "reimbursement", "product bought by the creator",
                                      CampaignAccount(c.id, "reimbursements"),
                                      CreatorAccount(a.creator_id), product.price_cents));
    notes->push_back("creator reimbursed " + FormatCents(product.price_cents));
    SEEDCAST_ASSIGN_OR_RETURN(int64_t billed, ledger_.CountKind(c.id, "reimbursement_bill"));
    const auto cap = static_cast<int64_t>(std::ceil(s.target_posts * (1 + s.reimbursement_cap)));
    if (billed < cap) {
      SEEDCAST_RETURN_IF_ERROR(transfer(
          "reimburse-bill", "reimbursement_bill", "product reimbursement billed to the brand",
          brand, CampaignAccount(c.id, "reimbursements"), product.price_cents));
    } else {
      notes->push_back("reimbursement beyond the cap: not billed to the brand");
    }
  }
  return Status::Ok();
}

Result<CommandOutcome> CampaignService::ReportRemoved(int64_t id, int64_t removed_at_ms,
                                                      const std::string& actor) {
  return Run<CommandOutcome>([&]() -> Result<CommandOutcome> {
    SEEDCAST_ASSIGN_OR_RETURN(Assignment a, store_.LockAssignment(id));
    SEEDCAST_ASSIGN_OR_RETURN(Campaign c, store_.CampaignOf(a));
    const bool was_completed = a.state == State::kCompleted;
    SEEDCAST_ASSIGN_OR_RETURN(CommandOutcome out,
                              Move(id, State::kPostRemoved, actor, "post taken down"));
    if (!out.changed) return out;
    SEEDCAST_ASSIGN_OR_RETURN(std::optional<StoredPost> latest, store_.LatestPost(id));
    std::optional<int64_t> verified_at;
    if (latest) {
      SEEDCAST_RETURN_IF_ERROR(store_.MarkPostRemoved(latest->id, removed_at_ms));
      verified_at = latest->verified_at_ms;
    }
    const nlohmann::json event = {{"assignment_id", id},
                                  {"campaign_id", c.id},
                                  {"creator_id", a.creator_id},
                                  {"post_id", latest ? nlohmann::json(latest->id) : nullptr},
                                  {"removed_at", FormatIsoTime(removed_at_ms)}};
    SEEDCAST_RETURN_IF_ERROR(storage::RecordEvent(db_, a.org_id, storage::kEventPostRemoved,
                                                  event.dump(), clock_.NowMs())
                                 .status());
    const std::string key = fmt::format("invoice:{}", id);
    SEEDCAST_ASSIGN_OR_RETURN(bool invoiced, ledger_.Has(key));
    const int window_days = c.spec.requirements.removal_window_days;
    const bool within =
        verified_at && removed_at_ms - *verified_at <= static_cast<int64_t>(window_days) * kDayMs;
    if (was_completed && invoiced && within) {
      SEEDCAST_RETURN_IF_ERROR(
          ledger_
              .Post(Transfer{.idempotency_key = fmt::format("invoice-void:{}", id),
                             .kind = "invoice_void",
                             .campaign_id = c.id,
                             .assignment_id = id,
                             .memo = "post removed within the window",
                             .debit = CampaignAccount(c.id, "fees"),
                             .credit = BrandAccount(c.brand_id),
                             .cents = c.spec.fee_cents_per_post})
              .status());
      out.notes.push_back(fmt::format("removed within {} days: invoice line of {} dropped",
                                      window_days, FormatCents(c.spec.fee_cents_per_post)));
    } else if (was_completed && invoiced) {
      out.notes.push_back(
          fmt::format("removed after the {}-day window: the invoice line stands", window_days));
    }
    return out;
  });
}

Result<CommandOutcome> CampaignService::Return(int64_t id, const std::string& actor) {
  return Run<CommandOutcome>([&]() -> Result<CommandOutcome> {
    SEEDCAST_ASSIGN_OR_RETURN(CommandOutcome out,
                              Move(id, State::kReturned, actor, "product returned"));
    if (out.changed) {
      out.notes.push_back(
          fmt::format("creator {} is banned from receiving product", out.assignment.creator_id));
    }
    return out;
  });
}

Result<CommandOutcome> CampaignService::Fail(int64_t id, const std::string& actor,
                                             const std::string& reason) {
  return Run<CommandOutcome>([&] { return Move(id, State::kFailed, actor, reason); });
}

Result<TickOutcome> CampaignService::Tick(int64_t campaign_id, CandidateSource& source,
                                          const CompletionModel& model) {
  TickOutcome out;
  const int64_t now = clock_.NowMs();
  SEEDCAST_RETURN_IF_ERROR(
      Run<bool>([&]() -> Result<bool> {
        out.events.clear();
        out.reminders.clear();
        SEEDCAST_ASSIGN_OR_RETURN(std::vector<Assignment> all, store_.Assignments(campaign_id));
        for (const Assignment& a : all) {
          if (!a.due_at_ms) continue;
          const int64_t due = *a.due_at_ms;
          std::optional<State> to;
          std::string reason;
          std::optional<int64_t> next_due;
          if (due < now && a.state == State::kInvited) {
            to = State::kDeclined;
            reason = "invitation lapsed without an answer";
          } else if (due < now && (a.state == State::kShipped || a.state == State::kPurchased ||
                                   a.state == State::kDelivered)) {
            to = State::kLate;
            reason = "no post by the deadline";
            next_due = now + options_.late_grace_days * kDayMs;
          } else if (due < now && a.state == State::kLate) {
            to = State::kReplaced;
            reason = "still no post after the grace period";
          } else if (due >= now && due - now <= options_.reminder_days * kDayMs &&
                     (a.state == State::kShipped || a.state == State::kPurchased ||
                      a.state == State::kDelivered || a.state == State::kLate)) {
            out.reminders.push_back(fmt::format("assignment {} (creator {}): post due {}", a.id,
                                                a.creator_id, FormatIsoTime(due)));
          }
          if (!to) continue;
          SEEDCAST_ASSIGN_OR_RETURN(CommandOutcome moved,
                                    Move(a.id, *to, "tick", reason, next_due));
          out.events.push_back(moved.notes.front() + " (" + reason + ")");
        }
        return true;
      }).status());
  SEEDCAST_ASSIGN_OR_RETURN(out.invited, Invite(campaign_id, source, model, &out.replan));
  return out;
}

Result<CampaignReport> CampaignService::Report(int64_t campaign_id) {
  CampaignReport r;
  SEEDCAST_ASSIGN_OR_RETURN(r.campaign, store_.GetCampaign(campaign_id));
  SEEDCAST_ASSIGN_OR_RETURN(r.product, store_.GetProduct(r.campaign.product_id));
  SEEDCAST_ASSIGN_OR_RETURN(std::vector<Assignment> all, store_.Assignments(campaign_id));
  for (const Assignment& a : all) {
    r.states[std::string(StateName(a.state))] += 1;
    if (a.state == State::kCompleted) r.completed += 1;
  }
  SEEDCAST_ASSIGN_OR_RETURN(int64_t units, store_.UnitsSent(campaign_id));
  r.units_used = static_cast<int>(units);
  SEEDCAST_ASSIGN_OR_RETURN(int64_t lines,
                            ledger_.CampaignSum(campaign_id, "invoice_line", "brand:"));
  SEEDCAST_ASSIGN_OR_RETURN(int64_t voids,
                            ledger_.CampaignSum(campaign_id, "invoice_void", "brand:"));
  r.invoiced_cents = lines + voids;
  SEEDCAST_ASSIGN_OR_RETURN(r.reimbursed_cents,
                            ledger_.CampaignSum(campaign_id, "reimbursement", "campaign:"));
  SEEDCAST_ASSIGN_OR_RETURN(r.reimbursement_billed_cents,
                            ledger_.CampaignSum(campaign_id, "reimbursement_bill", "brand:"));
  SEEDCAST_ASSIGN_OR_RETURN(r.creator_pay_cents,
                            ledger_.CampaignSum(campaign_id, "creator_pay", "campaign:"));
  const int64_t brand_owes = r.invoiced_cents + r.reimbursement_billed_cents;
  r.cost_per_completed_post_cents = r.completed > 0 ? brand_owes / r.completed : 0;
  r.guarantee_held = r.completed >= r.campaign.spec.target_posts;
  SEEDCAST_ASSIGN_OR_RETURN(r.ledger_imbalance_cents, ledger_.CampaignSum(campaign_id, "", ""));
  return r;
}

}  // namespace seedcast::campaign

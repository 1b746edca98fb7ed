#include "app/onboarding.h"

#include <fmt/format.h>

#include "app/accounts_internal.h"
#include "app/audit.h"
#include "model/platform.h"
#include "quality/signals_json.h"
#include "storage/creator_store.h"

namespace seedcast::app {

using storage::ConnectionPool;
using storage::Row;

namespace {

constexpr std::string_view kReviewColumns =
    "id, creator_id, platform, handle, COALESCE(followers, 0), quality_score, review_status, "
    "review_reasons";

ReviewedAccount ReviewedOf(const Row& r) {
  ReviewedAccount out;
  out.account_id = r.Int(0);
  out.creator_id = r.Int(1);
  out.platform = r.Text(2);
  out.handle = r.Text(3);
  out.followers = r.Int(4);
  if (!r.IsNull(5)) out.quality_score = r.Real(5) * 100.0;
  out.status = r.Text(6);
  const nlohmann::json j = nlohmann::json::parse(r.Text(7), nullptr, false);
  if (j.is_object()) {
    out.gate_passed = j.value("gate_passed", false);
    for (const auto& reason : j.value("reasons", nlohmann::json::array())) {
      if (reason.is_string()) out.reasons.push_back(reason.get<std::string>());
    }
  }
  return out;
}

Result<std::vector<ReviewedAccount>> Query(AppContext& ctx, const std::string& where,
                                           std::initializer_list<storage::Value> params) {
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire());
  std::vector<ReviewedAccount> out;
  SEEDCAST_RETURN_IF_ERROR(
      db->Query(fmt::format("SELECT {} FROM accounts WHERE {}", kReviewColumns, where), params,
                [&out](const Row& r) {
                  out.push_back(ReviewedOf(r));
                  return Status::Ok();
                }));
  return out;
}

}  // namespace

GateVerdict ApplyGate(AppContext& ctx, const model::Account& account) {
  GateVerdict v;
  const int64_t min = ctx.config().onboarding.min_followers;
  const int64_t followers = account.followers.value_or(0);
  const bool enough = followers >= min;
  v.reasons.push_back(fmt::format("{} followers: {} the minimum of {}", followers,
                                  enough ? "at or above" : "below", min));
  const quality::CreatorSignals signals = quality::SignalsOf(account);
  auto scores = ctx.quality().ScoreAll(std::span<const quality::CreatorSignals>(&signals, 1));
  const double gate = ctx.quality_gate() * 100.0;
  bool quality_ok = false;
  if (scores.ok() && !scores->empty() && (*scores)[0].score) {
    v.score = *(*scores)[0].score;
    quality_ok = *v.score >= gate;
    v.reasons.push_back(fmt::format("audience quality {:.0f}: {} the gate of {:.0f}", *v.score,
                                    quality_ok ? "at or above" : "below", gate));
    for (const quality::Component& c : (*scores)[0].components) {
      for (const std::string& r : c.reasons) v.reasons.push_back(c.name + ": " + r);
    }
  } else {
    v.reasons.push_back("audience quality could not be scored from the stats given");
  }
  v.passed = enough && quality_ok;
  return v;
}

Result<ReviewedAccount> AddMyAccount(AppContext& ctx, const Principal& p, model::Account account,
                                     const ClientInfo& client) {
  if (!p.is_creator()) return PermissionDenied("only a creator adds accounts");
  SEEDCAST_ASSIGN_OR_RETURN(account.platform, model::NormalizePlatform(account.platform));
  SEEDCAST_ASSIGN_OR_RETURN(account.handle, model::NormalizeHandle(account.handle));
  SEEDCAST_RETURN_IF_ERROR(model::ValidateAccount(account));
  const GateVerdict verdict = ApplyGate(ctx, account);
  if (verdict.score) account.quality_score = *verdict.score / 100.0;
  const bool decided = ctx.config().onboarding.gate_decides;
  const std::string status = !decided ? "pending" : verdict.passed ? "approved" : "rejected";
  const std::string reasons =
      nlohmann::json{{"gate_passed", verdict.passed}, {"reasons", verdict.reasons}}.dump();
  int64_t account_id = 0;
  Status done = internal::InWriteTransaction(ctx, [&](storage::Database& db) -> Status {
    SEEDCAST_ASSIGN_OR_RETURN(
        int64_t taken,
        db.QueryInt("SELECT COUNT(*) FROM accounts WHERE platform = ? AND handle = ?",
                    {std::string_view(account.platform), std::string_view(account.handle)}));
    if (taken > 0) {
      return AlreadyExists(fmt::format("{} account '{}' is listed already; an operator can move "
                                       "it to you once you show it is yours",
                                       account.platform, account.handle))
          .WithField("handle");
    }
    storage::CreatorStore store(db, ctx.clock());
    SEEDCAST_ASSIGN_OR_RETURN(storage::UpsertOutcome outcome,
                              store.UpsertAccount({.creator_id = p.creator_id}, account));
    account_id = outcome.account_id;
    SEEDCAST_RETURN_IF_ERROR(
        db.Execute("UPDATE accounts SET review_status = ?, review_reasons = ?, reviewed_at_ms = ?, "
                   "reviewed_by = ? WHERE id = ?",
                   {std::string_view(status), std::string_view(reasons),
                    decided ? storage::Value(ctx.clock().NowMs()) : storage::Value(nullptr),
                    std::string_view(decided ? "gate" : ""), account_id}));
    SecurityEvent e{.at_ms = ctx.clock().NowMs(),
                    .kind = "account_added",
                    .actor = p.Name(),
                    .user_id = p.user_id,
                    .client = client.address};
    e.detail = {{"account_id", account_id}, {"status", status}, {"gate_passed", verdict.passed}};
    return RecordEvent(db, e);
  });
  if (!done.ok()) return done;
  SEEDCAST_ASSIGN_OR_RETURN(std::vector<ReviewedAccount> out, Query(ctx, "id = ?", {account_id}));
  if (out.empty()) return Internal("the account could not be read back");
  return out.front();
}

Result<std::vector<ReviewedAccount>> MyAccounts(AppContext& ctx, const Principal& p) {
  if (!p.is_creator()) return PermissionDenied("only a creator has accounts here");
  return Query(ctx, "creator_id = ? ORDER BY id", {p.creator_id});
}

Result<std::vector<ReviewedAccount>> PendingReviews(AppContext& ctx, const Principal& p,
                                                    int limit) {
  if (!p.is_operator()) return PermissionDenied("operators review accounts");
  return Query(ctx, "review_status = 'pending' ORDER BY id LIMIT ?", {int64_t{limit}});
}

Result<ReviewedAccount> ReviewAccount(AppContext& ctx, const Principal& by, int64_t account_id,
                                      const std::string& decision, const std::string& reason,
                                      const ClientInfo& client) {
  if (!by.is_operator()) return PermissionDenied("operators review accounts");
  if (decision != "approve" && decision != "reject") {
    return InvalidArgument("decision is approve or reject").WithField("decision");
  }
  const std::string status = decision == "approve" ? "approved" : "rejected";
  Status done = internal::InWriteTransaction(ctx, [&](storage::Database& db) -> Status {
    bool found = false;
    SEEDCAST_RETURN_IF_ERROR(db.Query(
        "UPDATE accounts SET review_status = ?, reviewed_at_ms = ?, reviewed_by = ? "
        "WHERE id = ? AND review_status = 'pending' RETURNING id",
        {std::string_view(status), ctx.clock().NowMs(), std::string_view(by.Name()), account_id},
        [&found](const Row&) {
          found = true;
          return Status::Ok();
        }));
    if (!found) {
      SEEDCAST_ASSIGN_OR_RETURN(
          int64_t exists, db.QueryInt("SELECT COUNT(*) FROM accounts WHERE id = ?", {account_id}));
      if (exists == 0) return NotFound(fmt::format("no account {}", account_id));
      return FailedPrecondition("not_pending",
                                fmt::format("account {} is not waiting for a review", account_id));
    }
    SecurityEvent e{.at_ms = ctx.clock().NowMs(),
                    .kind = "account_reviewed",
                    .actor = by.Name(),
                    .user_id = by.user_id,
                    .client = client.address};
    e.detail = {{"account_id", account_id}, {"decision", status}, {"reason", reason}};
    return RecordEvent(db, e);
  });
  if (!done.ok()) return done;
  SEEDCAST_ASSIGN_OR_RETURN(std::vector<ReviewedAccount> out, Query(ctx, "id = ?", {account_id}));
  if (out.empty()) return NotFound(fmt::format("no account {}", account_id));
  return out.front();
}

nlohmann::ordered_json ReviewedToJson(const ReviewedAccount& r) {
  using nlohmann::ordered_json;
  return {{"account_id", r.account_id},
          {"creator_id", r.creator_id},
          {"platform", r.platform},
          {"handle", r.handle},
          {"followers", r.followers},
          {"quality_score", r.quality_score ? ordered_json(*r.quality_score) : ordered_json()},
          {"status", r.status},
          {"gate_passed", r.gate_passed},
          {"reasons", r.reasons}};
}

}  // namespace seedcast::app

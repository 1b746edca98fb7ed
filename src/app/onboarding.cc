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

namespace {

// The review of an account's stats: the gate's verdict, then pending for an operator or the
// gate's own decision.
struct Review {
  GateVerdict verdict;
  std::string status;
  std::string reasons;  // JSON
  bool decided = false;
};

Review ReviewOf(AppContext& ctx, const model::Account& account) {
  Review r;
  r.verdict = ApplyGate(ctx, account);
  r.decided = ctx.config().onboarding.gate_decides;
  r.status = !r.decided ? "pending" : r.verdict.passed ? "approved" : "rejected";
  r.reasons =
      nlohmann::json{{"gate_passed", r.verdict.passed}, {"reasons", r.verdict.reasons}}.dump();
  return r;
}

// Writes the review (and the score it rests on, or none) on the account, with its event.
Status WriteReview(AppContext& ctx, storage::Database& db, const Principal& p, int64_t account_id,
                   const Review& review, const std::string& event_kind, const ClientInfo& client) {
  const storage::Value score = review.verdict.score ? storage::Value(*review.verdict.score / 100.0)
                                                    : storage::Value(nullptr);
  SEEDCAST_RETURN_IF_ERROR(
      db.Execute("UPDATE accounts SET review_status = ?, review_reasons = ?, reviewed_at_ms = ?, "
                 "reviewed_by = ?, quality_score = ?, flag_cleared_at_ms = NULL WHERE id = ?",
                 {std::string_view(review.status), std::string_view(review.reasons),
                  review.decided ? storage::Value(ctx.clock().NowMs()) : storage::Value(nullptr),
                  std::string_view(review.decided ? "gate" : ""), score, account_id}));
  SecurityEvent e{.at_ms = ctx.clock().NowMs(),
                  .kind = event_kind,
                  .actor = p.Name(),
                  .user_id = p.user_id,
                  .client = client.address};
  e.detail = {{"account_id", account_id},
              {"status", review.status},
              {"gate_passed", review.verdict.passed}};
  return RecordEvent(db, e);
}

// `changes`' given fields over `a`.
void Merge(const model::Account& changes, model::Account* a) {
  if (changes.followers) a->followers = changes.followers;
  if (changes.following) a->following = changes.following;
  if (changes.posts) a->posts = changes.posts;
  if (changes.engagement_rate) a->engagement_rate = changes.engagement_rate;
  if (changes.avg_views) a->avg_views = changes.avg_views;
  if (!changes.bio.empty()) a->bio = changes.bio;
  if (!changes.niches.empty()) a->niches = changes.niches;
  if (!changes.country.empty()) a->country = changes.country;
  if (!changes.language.empty()) a->language = changes.language;
  if (changes.has_profile_pic) a->has_profile_pic = changes.has_profile_pic;
  if (!changes.external_url.empty()) a->external_url = changes.external_url;
}

}  // namespace

Result<ReviewedAccount> AddMyAccount(AppContext& ctx, const Principal& p, model::Account account,
                                     const ClientInfo& client) {
  if (!p.is_creator()) return PermissionDenied("only a creator adds accounts");
  SEEDCAST_ASSIGN_OR_RETURN(account.platform, model::NormalizePlatform(account.platform));
  SEEDCAST_ASSIGN_OR_RETURN(account.handle, model::NormalizeHandle(account.handle));
  SEEDCAST_RETURN_IF_ERROR(model::ValidateAccount(account));
  const Review review = ReviewOf(ctx, account);
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
    return WriteReview(ctx, db, p, account_id, review, "account_added", client);
  });
  if (!done.ok()) return done;
  SEEDCAST_ASSIGN_OR_RETURN(std::vector<ReviewedAccount> out, Query(ctx, "id = ?", {account_id}));
  if (out.empty()) return Internal("the account could not be read back");
  return out.front();
}

Result<ReviewedAccount> EditMyAccount(AppContext& ctx, const Principal& p, int64_t account_id,
                                      const model::Account& changes, const ClientInfo& client) {
  if (!p.is_creator()) return NotFound(fmt::format("no account {}", account_id));
  Status done = internal::InWriteTransaction(ctx, [&](storage::Database& db) -> Status {
    storage::CreatorStore store(db, ctx.clock());
    SEEDCAST_ASSIGN_OR_RETURN(std::optional<model::Account> edited, store.GetAccount(account_id));
    if (!edited || edited->creator_id != p.creator_id) {
      return NotFound(fmt::format("no account {}", account_id));
    }
    // A suspension is an operator's to lift: an edit would send the account back to review.
    std::string status;
    SEEDCAST_RETURN_IF_ERROR(db.Query("SELECT review_status FROM accounts WHERE id = ?",
                                      {account_id}, [&status](const Row& r) {
                                        status = std::string(r.Text(0));
                                        return Status::Ok();
                                      }));
    if (status == "suspended") {
      return Status(StatusCode::kFailedPrecondition,
                    fmt::format("account {} is suspended; an operator reviews it", account_id))
          .WithReason("account_suspended");
    }
    Merge(changes, &*edited);
    edited->quality_score.reset();
    SEEDCAST_RETURN_IF_ERROR(model::ValidateAccount(*edited));
    const Review review = ReviewOf(ctx, *edited);
    SEEDCAST_RETURN_IF_ERROR(store.UpsertAccount({.creator_id = p.creator_id}, *edited).status());
    return WriteReview(ctx, db, p, account_id, review, "account_edited", client);
  });
  if (!done.ok()) return done;
  SEEDCAST_ASSIGN_OR_RETURN(std::vector<ReviewedAccount> out, Query(ctx, "id = ?", {account_id}));
  if (out.empty()) return NotFound(fmt::format("no account {}", account_id));
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

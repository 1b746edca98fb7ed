#include "app/library.h"

#include <fmt/format.h>

#include <cmath>

#include "app/accounts_internal.h"
#include "app/audit.h"
#include "common/iso_time.h"

namespace seedcast::app {

using nlohmann::ordered_json;
using storage::ConnectionPool;
using storage::Row;

namespace {

double Round3(double v) { return std::round(v * 1000) / 1000; }

}  // namespace

Result<std::vector<Flag>> ListFlags(AppContext& ctx, const Principal& p, int limit) {
  if (!p.is_operator()) return PermissionDenied("operators review flagged accounts");
  const double gate = ctx.quality_gate();
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire());
  std::vector<Flag> out;
  SEEDCAST_RETURN_IF_ERROR(
      db->Query("SELECT id, creator_id, platform, handle, COALESCE(followers, 0), quality_score, "
                "review_status, review_reasons FROM accounts WHERE review_status = 'approved' AND "
                "quality_score IS NOT NULL AND quality_score < ? AND flag_cleared_at_ms IS NULL "
                "ORDER BY quality_score, id LIMIT ?",
                {gate, int64_t{limit}}, [&](const Row& r) {
                  Flag f{.account_id = r.Int(0),
                         .creator_id = r.Int(1),
                         .platform = std::string(r.Text(2)),
                         .handle = std::string(r.Text(3)),
                         .followers = r.Int(4)};
                  const double q = r.Real(5);
                  f.fake_probability = Round3(1 - q);
                  f.quality_score = std::round(q * 1000) / 10;
                  f.status = r.Text(6);
                  f.reasons.push_back(fmt::format(
                      "audience quality {:.0f} is below the gate of {:.0f}", q * 100, gate * 100));
                  const nlohmann::json j = nlohmann::json::parse(r.Text(7), nullptr, false);
                  if (j.is_object()) {
                    for (const auto& reason : j.value("reasons", nlohmann::json::array())) {
                      if (reason.is_string()) f.reasons.push_back(reason.get<std::string>());
                    }
                  }
                  out.push_back(std::move(f));
                  return Status::Ok();
                }));
  return out;
}

Result<FlagDecision> DecideFlag(AppContext& ctx, const Principal& p, int64_t account_id,
                                const std::string& decision, const std::string& reason,
                                const ClientInfo& client) {
  if (!p.is_operator()) return PermissionDenied("operators decide on flagged accounts");
  if (decision != "clear" && decision != "suspend") {
    return InvalidArgument("decision is clear or suspend").WithField("decision");
  }
  FlagDecision out{.account_id = account_id, .decision = decision};
  Status done = internal::InWriteTransaction(ctx, [&](storage::Database& db) -> Status {
    const int64_t now = ctx.clock().NowMs();
    bool found = false;
    const std::string sql =
        decision == "clear"
            ? "UPDATE accounts SET flag_cleared_at_ms = ? WHERE id = ? RETURNING review_status"
            : "UPDATE accounts SET review_status = 'suspended', reviewed_at_ms = ?, "
              "reviewed_by = ? WHERE id = ? RETURNING review_status";
    auto on_row = [&](const Row& r) {
      found = true;
      out.status = r.Text(0);
      return Status::Ok();
    };
    const std::string by = p.Name();
    Status updated = decision == "clear"
                         ? db.Query(sql, {now, account_id}, on_row)
                         : db.Query(sql, {now, std::string_view(by), account_id}, on_row);
    if (!updated.ok()) return updated;
    if (!found) return NotFound(fmt::format("no account {}", account_id));
    SecurityEvent e{.at_ms = now,
                    .kind = decision == "clear" ? "account_flag_cleared" : "account_suspended",
                    .actor = p.Name(),
                    .user_id = p.user_id,
                    .client = client.address};
    e.detail = {{"account_id", account_id}, {"reason", reason}};
    return RecordEvent(db, e);
  });
  if (!done.ok()) return done;
  return out;
}

Result<std::vector<campaign::StoredTransaction>> ListLedger(AppContext& ctx,
                                                            const storage::Scope& scope,
                                                            const std::string& kind,
                                                            int64_t before_id, int limit) {
  if (!scope.everything()) return PermissionDenied("operators read the whole ledger");
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire());
  return campaign::Ledger(*db, ctx.clock()).AllTransactions(kind, before_id, limit);
}

Result<std::vector<Asset>> ListAssets(AppContext& ctx, const storage::Scope& scope,
                                      const AssetQuery& q) {
  if (!scope.everything() && scope.org_id() == 0) {
    return PermissionDenied("the content library is a brand's");
  }
  // A creator is named by id, or by an account's handle.
  int64_t creator_id = 0;
  std::string handle = q.creator;
  if (!q.creator.empty() && q.creator.find_first_not_of("0123456789") == std::string::npos &&
      q.creator.size() < 19) {
    creator_id = std::stoll(q.creator);
    handle.clear();
  }
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire());
  std::vector<Asset> out;
  SEEDCAST_RETURN_IF_ERROR(db->Query(
      "SELECT s.id, s.campaign_id, c.name, s.creator_id, COALESCE(ac.handle, ''), s.kind, s.uri, "
      "s.usage_rights, COALESCE(p.caption, ''), s.created_at_ms FROM assets s JOIN campaigns c "
      "ON c.id = s.campaign_id JOIN posts p ON p.id = s.post_id LEFT JOIN accounts ac ON "
      "ac.id = p.account_id WHERE p.verified_at_ms IS NOT NULL AND p.removed_at_ms IS NULL AND "
      "(? = 1 OR c.org_id = ?) AND (? = '' OR s.kind = ?) AND "
      "(? = '' OR s.usage_rights = ?) AND (? = 0 OR s.campaign_id = ?) AND (? = 0 OR "
      "s.creator_id = ?) AND (? = '' OR ac.handle = ?) ORDER BY s.id DESC LIMIT ?",
      {scope.sql_all(), scope.sql_org(), std::string_view(q.kind), std::string_view(q.kind),
       std::string_view(q.usage_rights), std::string_view(q.usage_rights), q.campaign_id,
       q.campaign_id, creator_id, creator_id, std::string_view(handle), std::string_view(handle),
       int64_t{q.limit}},
      [&out](const Row& r) {
        out.push_back({r.Int(0), r.Int(1), std::string(r.Text(2)), r.Int(3), std::string(r.Text(4)),
                       std::string(r.Text(5)), std::string(r.Text(6)), std::string(r.Text(7)),
                       std::string(r.Text(8)), r.Int(9)});
        return Status::Ok();
      }));
  return out;
}

ordered_json FlagToJson(const Flag& f) {
  return {{"account_id", f.account_id},
          {"creator_id", f.creator_id},
          {"platform", f.platform},
          {"handle", f.handle},
          {"followers", f.followers},
          {"fake_probability", f.fake_probability},
          {"quality_score", f.quality_score},
          {"status", f.status},
          {"reasons", f.reasons}};
}

ordered_json FlagDecisionToJson(const FlagDecision& d) {
  return {{"account_id", d.account_id}, {"decision", d.decision}, {"status", d.status}};
}

ordered_json AssetToJson(const Asset& a) {
  return {{"id", a.id},
          {"campaign_id", a.campaign_id},
          {"campaign", a.campaign},
          {"creator_id", a.creator_id},
          {"handle", a.handle},
          {"kind", a.kind},
          {"uri", a.uri},
          {"usage_rights", a.usage_rights},
          {"caption", a.caption},
          {"created_at", FormatIsoTime(a.created_at_ms)}};
}

}  // namespace seedcast::app

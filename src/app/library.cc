#include "app/library.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>

#include "app/accounts_internal.h"
#include "app/audit.h"
#include "common/iso_time.h"
#include "ingest/creator_export.h"

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

namespace {

std::optional<int64_t> OptionalInt(const Row& r, int column) {
  return r.IsNull(column) ? std::nullopt : std::optional<int64_t>(r.Int(column));
}

// The library's rows within the scope matching the query's stored fields (one asset when `id` is
// set), newest first, at most `limit` (0: no limit), with their rights evaluated at `now_ms`.
Result<std::vector<Asset>> ReadAssets(storage::Database& db, const storage::Scope& scope,
                                      const AssetQuery& q, int64_t id, int64_t limit,
                                      int64_t now_ms) {
  // A creator is named by id, or by an account's handle.
  int64_t creator_id = 0;
  std::string handle = q.creator;
  if (!q.creator.empty() && q.creator.find_first_not_of("0123456789") == std::string::npos &&
      q.creator.size() < 19) {
    creator_id = std::stoll(q.creator);
    handle.clear();
  }
  const std::string rights_scope = q.rights_scope == "none" ? "" : q.rights_scope;
  const int64_t any_scope = q.rights_scope.empty() ? 1 : 0;
  std::vector<Asset> out;
  SEEDCAST_RETURN_IF_ERROR(db.Query(
      "SELECT s.id, COALESCE(s.code, ''), s.campaign_id, c.name, s.creator_id, "
      "COALESCE(ac.handle, ''), s.kind, s.format, s.duration_s, s.hook, s.uri, s.usage_rights, "
      "COALESCE(p.caption, ''), s.created_at_ms, s.rights_scope, s.rights_channels, "
      "s.rights_starts_at_ms, s.rights_expires_at_ms, s.authorization_code FROM assets s JOIN "
      "campaigns c ON c.id = s.campaign_id JOIN posts p ON p.id = s.post_id LEFT JOIN accounts ac "
      "ON ac.id = p.account_id WHERE p.verified_at_ms IS NOT NULL AND p.removed_at_ms IS NULL AND "
      "(? = 1 OR s.org_id = ?) AND (? = 0 OR s.id = ?) AND (? = '' OR s.kind = ?) AND "
      "(? = '' OR s.format = ?) AND (? = '' OR s.usage_rights = ?) AND "
      "(? = 1 OR s.rights_scope = ?) AND (? = 0 OR s.campaign_id = ?) AND (? = 0 OR "
      "s.creator_id = ?) AND (? = '' OR ac.handle = ?) ORDER BY s.id DESC LIMIT ?",
      {scope.sql_all(), scope.sql_org(), id, id, std::string_view(q.kind), std::string_view(q.kind),
       std::string_view(q.format), std::string_view(q.format), std::string_view(q.usage_rights),
       std::string_view(q.usage_rights), any_scope, std::string_view(rights_scope), q.campaign_id,
       q.campaign_id, creator_id, creator_id, std::string_view(handle), std::string_view(handle),
       limit > 0 ? limit : INT64_MAX},
      [&](const Row& r) {
        Asset a{.id = r.Int(0),
                .code = std::string(r.Text(1)),
                .campaign_id = r.Int(2),
                .campaign = std::string(r.Text(3)),
                .creator_id = r.Int(4),
                .handle = std::string(r.Text(5)),
                .kind = std::string(r.Text(6)),
                .format = std::string(r.Text(7)),
                .hook = std::string(r.Text(9)),
                .uri = std::string(r.Text(10)),
                .usage_rights = std::string(r.Text(11)),
                .caption = std::string(r.Text(12)),
                .created_at_ms = r.Int(13)};
        if (!r.IsNull(8)) a.duration_s = r.Real(8);
        a.rights = {.scope = std::string(r.Text(14)),
                    .channels = measure::ChannelsFromJsonText(r.Text(15)),
                    .starts_at_ms = OptionalInt(r, 16),
                    .expires_at_ms = OptionalInt(r, 17),
                    .authorization_code = std::string(r.Text(18))};
        a.rights_status = measure::EvaluateRights(a.rights, now_ms);
        out.push_back(std::move(a));
        return Status::Ok();
      }));
  return out;
}

Status CheckLibraryScope(const storage::Scope& scope) {
  if (!scope.everything() && scope.org_id() == 0) {
    return PermissionDenied("the content library is a brand's");
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<Asset>> ListAssets(AppContext& ctx, const storage::Scope& scope,
                                      const AssetQuery& q) {
  SEEDCAST_RETURN_IF_ERROR(CheckLibraryScope(scope));
  if (!q.rights_scope.empty() && q.rights_scope != "organic" && q.rights_scope != "paid" &&
      q.rights_scope != "none") {
    return InvalidArgument("rights is organic, paid or none").WithField("rights");
  }
  // Filters on the rights' state at this moment are applied after reading (one definition of the
  // states: measure/usage_rights.h), so the limit is applied after them.
  const bool by_state = q.expiring_only || q.usable_for_paid_only;
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire());
  SEEDCAST_ASSIGN_OR_RETURN(
      std::vector<Asset> all,
      ReadAssets(*db, scope, q, 0, by_state ? 0 : q.limit, ctx.clock().NowMs()));
  if (!by_state) return all;
  std::vector<Asset> out;
  for (Asset& a : all) {
    if (q.expiring_only && !a.rights_status.expiring) continue;
    if (q.usable_for_paid_only && !a.rights_status.usable_for_paid) continue;
    if (std::ssize(out) >= q.limit) break;
    out.push_back(std::move(a));
  }
  return out;
}

Result<Asset> SetAssetRights(AppContext& ctx, const storage::Scope& scope, int64_t asset_id,
                             const RightsEdit& edit) {
  SEEDCAST_RETURN_IF_ERROR(CheckLibraryScope(scope));
  std::optional<Asset> out;
  Status done = internal::InWriteTransaction(ctx, [&](storage::Database& db) -> Status {
    const int64_t now = ctx.clock().NowMs();
    SEEDCAST_ASSIGN_OR_RETURN(std::vector<Asset> found,
                              ReadAssets(db, scope, {}, asset_id, 1, now));
    if (found.empty()) return NotFound(fmt::format("no asset {}", asset_id));
    measure::UsageRights r = found[0].rights;
    if (edit.scope) r.scope = *edit.scope;
    if (edit.channels) {
      SEEDCAST_ASSIGN_OR_RETURN(r.channels, measure::ParseChannels(*edit.channels));
    }
    if (edit.starts_at_ms) r.starts_at_ms = *edit.starts_at_ms;
    if (edit.expires_at_ms) r.expires_at_ms = *edit.expires_at_ms;
    if (edit.authorization_code) r.authorization_code = *edit.authorization_code;
    if (r.scope.empty()) r = {};
    SEEDCAST_RETURN_IF_ERROR(measure::CheckRights(r));
    // The campaign-level column follows the scope; a perpetual grant stays one while it is
    // paid without an end date.
    const bool perpetual =
        found[0].usage_rights == "perpetual" && r.scope == "paid" && !r.expires_at_ms;
    const std::string grant = perpetual ? "perpetual" : r.scope;
    const std::string channels = measure::ChannelsToJsonText(r.channels);
    auto optional_ms = [](const std::optional<int64_t>& ms) {
      return ms ? storage::Value(*ms) : storage::Value(nullptr);
    };
    SEEDCAST_RETURN_IF_ERROR(db.Execute(
        "UPDATE assets SET rights_scope = ?, rights_channels = ?, rights_starts_at_ms = ?, "
        "rights_expires_at_ms = ?, authorization_code = ?, usage_rights = ? WHERE id = ?",
        {std::string_view(r.scope), std::string_view(channels), optional_ms(r.starts_at_ms),
         optional_ms(r.expires_at_ms), std::string_view(r.authorization_code),
         std::string_view(grant), asset_id}));
    SEEDCAST_ASSIGN_OR_RETURN(found, ReadAssets(db, scope, {}, asset_id, 1, now));
    out = std::move(found.at(0));
    return Status::Ok();
  });
  if (!done.ok()) return done;
  return std::move(*out);
}

std::string AssetsToCsv(const std::vector<Asset>& assets) {
  std::string out =
      "id,code,campaign_id,campaign,creator_id,handle,kind,format,duration_s,hook,uri,"
      "usage_rights,rights_scope,rights_channels,rights_starts_at,rights_expires_at,"
      "authorization_code,rights_state,expiring,days_left,usable_for_organic,usable_for_paid,"
      "caption,created_at\n";
  auto time = [](const std::optional<int64_t>& ms) { return ms ? FormatIsoTime(*ms) : ""; };
  for (const Asset& a : assets) {
    const measure::RightsStatus& st = a.rights_status;
    const std::vector<std::string> fields = {std::to_string(a.id),
                                             a.code,
                                             std::to_string(a.campaign_id),
                                             a.campaign,
                                             std::to_string(a.creator_id),
                                             a.handle,
                                             a.kind,
                                             a.format,
                                             a.duration_s ? fmt::format("{}", *a.duration_s) : "",
                                             a.hook,
                                             a.uri,
                                             a.usage_rights,
                                             a.rights.scope,
                                             fmt::format("{}", fmt::join(a.rights.channels, ",")),
                                             time(a.rights.starts_at_ms),
                                             time(a.rights.expires_at_ms),
                                             a.rights.authorization_code,
                                             std::string(measure::RightsStateName(st.state)),
                                             st.expiring ? "true" : "false",
                                             st.days_left ? std::to_string(*st.days_left) : "",
                                             st.usable_for_organic ? "true" : "false",
                                             st.usable_for_paid ? "true" : "false",
                                             a.caption,
                                             FormatIsoTime(a.created_at_ms)};
    for (size_t i = 0; i < fields.size(); ++i) {
      if (i > 0) out += ',';
      out += ingest::CsvField(fields[i]);
    }
    out += '\n';
  }
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
          {"code", a.code},
          {"campaign_id", a.campaign_id},
          {"campaign", a.campaign},
          {"creator_id", a.creator_id},
          {"handle", a.handle},
          {"kind", a.kind},
          {"format", a.format},
          {"duration_s", a.duration_s ? ordered_json(*a.duration_s) : ordered_json(nullptr)},
          {"hook", a.hook},
          {"uri", a.uri},
          {"usage_rights", a.usage_rights},
          {"rights", measure::RightsToJson(a.rights, a.rights_status)},
          {"caption", a.caption},
          {"created_at", FormatIsoTime(a.created_at_ms)}};
}

}  // namespace seedcast::app

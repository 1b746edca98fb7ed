#include "app/audit.h"

#include "common/iso_time.h"

namespace seedcast::app {

using storage::Row;
using storage::Value;

namespace {
Value IdOrNull(int64_t id) { return id == 0 ? Value(nullptr) : Value(id); }
}  // namespace

Status RecordEvent(storage::Database& db, const SecurityEvent& e) {
  const std::string detail = e.detail.dump();
  return db.Execute(
      "INSERT INTO security_events (at_ms, kind, actor, user_id, org_id, client, detail) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)",
      {e.at_ms, std::string_view(e.kind), std::string_view(e.actor), IdOrNull(e.user_id),
       IdOrNull(e.org_id), std::string_view(e.client), std::string_view(detail)});
}

Status RecordEvent(AppContext& ctx, const SecurityEvent& event) {
  SEEDCAST_ASSIGN_OR_RETURN(storage::ConnectionPool::Lease db,
                            ctx.pool().Acquire(storage::Intent::kWrite));
  return RecordEvent(*db, event);
}

Result<std::vector<SecurityEvent>> ListEvents(AppContext& ctx, const storage::Scope& scope,
                                              const EventQuery& q) {
  if (!scope.everything()) {
    return PermissionDenied("only operators read the security log").WithReason("operators_only");
  }
  SEEDCAST_ASSIGN_OR_RETURN(storage::ConnectionPool::Lease db, ctx.pool().Acquire());
  std::vector<SecurityEvent> out;
  SEEDCAST_RETURN_IF_ERROR(db->Query(
      "SELECT id, at_ms, kind, actor, COALESCE(user_id, 0), COALESCE(org_id, 0), client, detail "
      "FROM security_events WHERE (? = '' OR kind = ?) AND (? = 0 OR user_id = ?) AND "
      "(? = 0 OR id < ?) ORDER BY id DESC LIMIT ?",
      {std::string_view(q.kind), std::string_view(q.kind), q.user_id, q.user_id, q.before_id,
       q.before_id, static_cast<int64_t>(q.limit)},
      [&out](const Row& r) {
        SecurityEvent& e = out.emplace_back();
        e.id = r.Int(0);
        e.at_ms = r.Int(1);
        e.kind = r.Text(2);
        e.actor = r.Text(3);
        e.user_id = r.Int(4);
        e.org_id = r.Int(5);
        e.client = r.Text(6);
        e.detail = nlohmann::ordered_json::parse(r.Text(7), nullptr, false);
        if (e.detail.is_discarded()) e.detail = nlohmann::ordered_json::object();
        return Status::Ok();
      }));
  return out;
}

nlohmann::ordered_json EventToJson(const SecurityEvent& e) {
  nlohmann::ordered_json j = {
      {"id", e.id},
      {"at", FormatIsoTime(e.at_ms)},
      {"kind", e.kind},
      {"actor", e.actor},
      {"user_id", e.user_id == 0 ? nullptr : nlohmann::ordered_json(e.user_id)},
      {"org_id", e.org_id == 0 ? nullptr : nlohmann::ordered_json(e.org_id)},
      {"client", e.client},
      {"detail", e.detail}};
  return j;
}

}  // namespace seedcast::app

#include "storage/event_outbox.h"

#include <fmt/format.h>

#include <array>
#include <string>
#include <vector>

namespace seedcast::storage {

bool IsEventType(std::string_view type) {
  static constexpr std::array kTypes = {
      kEventAssignmentStateChanged, kEventPostVerified, kEventPostRemoved,
      kEventInvoiceLineWritten,     kEventPayoutOwed,   kEventOrderAttributed};
  for (std::string_view t : kTypes) {
    if (t == type) return true;
  }
  return false;
}

Result<RecordedEvent> RecordEvent(Database& db, int64_t org_id, std::string_view type,
                                  std::string_view data_json, int64_t now_ms) {
  if (!IsEventType(type)) {
    return InvalidArgument("no event type is named \"" + std::string(type) + "\"")
        .WithReason("unknown_event_type");
  }
  const Value org = org_id == 0 ? Value(nullptr) : Value(org_id);
  RecordedEvent out;
  SEEDCAST_ASSIGN_OR_RETURN(
      out.event_id, db.Insert("INSERT INTO webhook_events (org_id, type, payload, created_at_ms) "
                              "VALUES (?, ?, ?, ?)",
                              {org, type, data_json, now_ms}));
  SEEDCAST_ASSIGN_OR_RETURN(std::vector<int64_t> subscriptions, SubscriptionsFor(db, org_id, type));
  for (int64_t sub : subscriptions) {
    SEEDCAST_RETURN_IF_ERROR(QueueDelivery(db, org_id, out.event_id, sub, now_ms).status());
    ++out.deliveries;
  }
  return out;
}

Result<std::vector<int64_t>> SubscriptionsFor(Database& db, int64_t org_id, std::string_view type) {
  const std::string framed = fmt::format("%,{},%", type);
  std::vector<int64_t> subscriptions;
  SEEDCAST_RETURN_IF_ERROR(
      db.Query("SELECT id FROM webhook_subscriptions WHERE COALESCE(org_id, 0) = ? AND active = 1 "
               "AND (events = '' OR events LIKE ?) ORDER BY id",
               {org_id, std::string_view(framed)}, [&](const Row& r) {
                 subscriptions.push_back(r.Int(0));
                 return Status::Ok();
               }));
  return subscriptions;
}

Result<int64_t> QueueDelivery(Database& db, int64_t org_id, int64_t event_id,
                              int64_t subscription_id, int64_t now_ms) {
  const Value org = org_id == 0 ? Value(nullptr) : Value(org_id);
  const std::string message_id = fmt::format("msg_{}_{}_{}", event_id, subscription_id, now_ms);
  return db.Insert(
      "INSERT INTO webhook_deliveries (event_id, subscription_id, org_id, message_id, "
      "next_attempt_at_ms, created_at_ms) VALUES (?, ?, ?, ?, ?, ?)",
      {event_id, subscription_id, org, std::string_view(message_id), now_ms, now_ms});
}

}  // namespace seedcast::storage

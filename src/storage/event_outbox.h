// The webhook event outbox. A change that organisations may subscribe to (an assignment's state,
// a verified or removed post, an invoice line, a payout owed, an attributed order) records its
// event here, on the connection and inside the transaction that makes the change: the event
// exists exactly when the change committed. Recording also queues one delivery for each active
// subscription of the organisation that wants the type; a delivery worker sends them later
// (at least once, retried with backoff) and keeps their log.
//
// Free functions over a caller's connection; thread-compatible like the connection.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "storage/database.h"

namespace seedcast::storage {

// The event types, as named in subscriptions and in the payload's "type".
inline constexpr std::string_view kEventAssignmentStateChanged = "assignment.state_changed";
inline constexpr std::string_view kEventPostVerified = "post.verified";
inline constexpr std::string_view kEventPostRemoved = "post.removed";
inline constexpr std::string_view kEventInvoiceLineWritten = "invoice.line_written";
inline constexpr std::string_view kEventPayoutOwed = "payout.owed";
inline constexpr std::string_view kEventOrderAttributed = "order.attributed";

// Whether `type` is one of the types above.
bool IsEventType(std::string_view type);

struct RecordedEvent {
  int64_t event_id = 0;
  int64_t deliveries = 0;  // subscriptions it was queued for
};

// Records an event of `org_id` (0: the instance's own) with its JSON object `data_json`, and
// queues its deliveries, due at `now_ms`. Run it in the transaction of the change it reports.
Result<RecordedEvent> RecordEvent(Database& db, int64_t org_id, std::string_view type,
                                  std::string_view data_json, int64_t now_ms);

// The active subscriptions of `org_id` (0: the instance's own) that want `type`, by id.
Result<std::vector<int64_t>> SubscriptionsFor(Database& db, int64_t org_id, std::string_view type);

// Queues the delivery of an event to a subscription, due at `now_ms`; returns its id. Its message
// id, "msg_<event>_<subscription>_<now_ms>", stays the same on every retry and replay; the time
// keeps it unique to a receiver that outlives a store (a new store numbers events from 1 again).
Result<int64_t> QueueDelivery(Database& db, int64_t org_id, int64_t event_id,
                              int64_t subscription_id, int64_t now_ms);

}  // namespace seedcast::storage

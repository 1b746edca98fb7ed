// The webhook delivery log and replays (app/webhooks.h).
#include <fmt/format.h>

#include "app/accounts_internal.h"
#include "app/webhooks.h"
#include "app/webhooks_internal.h"
#include "common/iso_time.h"
#include "storage/event_outbox.h"

namespace seedcast::app {

using storage::ConnectionPool;
using storage::Row;

namespace {

constexpr std::string_view kDeliverySelect =
    "SELECT d.id, d.event_id, e.type, d.subscription_id, COALESCE(d.org_id, 0), s.url, "
    "d.message_id, d.state, d.attempts, d.replays, d.next_attempt_at_ms, "
    "COALESCE(d.last_status, 0), d.last_error, COALESCE(d.delivered_at_ms, 0), d.created_at_ms, "
    "s.active FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id JOIN "
    "webhook_subscriptions s ON s.id = d.subscription_id WHERE (? = 1 OR d.org_id = ?)";

Delivery ReadDelivery(const Row& r) {
  return {.id = r.Int(0),
          .event_id = r.Int(1),
          .event_type = std::string(r.Text(2)),
          .subscription_id = r.Int(3),
          .org_id = r.Int(4),
          .url = std::string(r.Text(5)),
          .message_id = std::string(r.Text(6)),
          .state = std::string(r.Text(7)),
          .attempts = static_cast<int>(r.Int(8)),
          .replays = static_cast<int>(r.Int(9)),
          .next_attempt_at_ms = r.Int(10),
          .last_status = static_cast<int>(r.Int(11)),
          .last_error = std::string(r.Text(12)),
          .delivered_at_ms = r.Int(13),
          .created_at_ms = r.Int(14)};
}

// The delivery within the scope, and whether its subscription is active; kNotFound outside it.
Result<std::pair<Delivery, bool>> FindDelivery(storage::Database& db, const storage::Scope& scope,
                                               int64_t delivery_id) {
  std::optional<std::pair<Delivery, bool>> out;
  SEEDCAST_RETURN_IF_ERROR(db.Query(std::string(kDeliverySelect) + " AND d.id = ?",
                                    {scope.sql_all(), scope.sql_org(), delivery_id},
                                    [&out](const Row& r) {
                                      out.emplace(ReadDelivery(r), r.Int(15) != 0);
                                      return Status::Ok();
                                    }));
  if (!out) return NotFound(fmt::format("no webhook delivery {}", delivery_id));
  return *out;
}

// Queues a delivery again, due now, unless a worker is sending it at this moment; true when it
// was queued.
Result<bool> Requeue(storage::Database& db, int64_t delivery_id, int64_t now_ms) {
  bool queued = false;
  SEEDCAST_RETURN_IF_ERROR(db.Query(
      "UPDATE webhook_deliveries SET state = 'pending', attempts = 0, replays = replays + 1, "
      "next_attempt_at_ms = ?, last_error = '' WHERE id = ? AND (claimed_until_ms IS NULL OR "
      "claimed_until_ms < ?) RETURNING id",
      {now_ms, delivery_id, now_ms}, [&queued](const Row&) {
        queued = true;
        return Status::Ok();
      }));
  return queued;
}

}  // namespace

Result<std::vector<Delivery>> ListDeliveries(AppContext& ctx, const storage::Scope& scope,
                                             const DeliveryQuery& q) {
  SEEDCAST_RETURN_IF_ERROR(internal::NeedsOrgScope(scope));
  if (!q.state.empty() && q.state != "pending" && q.state != "delivered" && q.state != "failed") {
    return InvalidArgument("state is pending, delivered or failed").WithField("state");
  }
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire());
  std::vector<Delivery> out;
  SEEDCAST_RETURN_IF_ERROR(db->Query(
      std::string(kDeliverySelect) +
          " AND (? = 0 OR d.subscription_id = ?) AND (? = 0 OR d.event_id = ?) AND (? = '' OR "
          "d.state = ?) AND (? = 0 OR d.id < ?) ORDER BY d.id DESC LIMIT ?",
      {scope.sql_all(), scope.sql_org(), q.subscription_id, q.subscription_id, q.event_id,
       q.event_id, std::string_view(q.state), std::string_view(q.state), q.before_id, q.before_id,
       int64_t{q.limit}},
      [&out](const Row& r) {
        out.push_back(ReadDelivery(r));
        return Status::Ok();
      }));
  return out;
}

Result<Delivery> GetDelivery(AppContext& ctx, const storage::Scope& scope, int64_t delivery_id) {
  SEEDCAST_RETURN_IF_ERROR(internal::NeedsOrgScope(scope));
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire());
  SEEDCAST_ASSIGN_OR_RETURN(auto found, FindDelivery(*db, scope, delivery_id));
  Delivery out = std::move(found.first);
  SEEDCAST_RETURN_IF_ERROR(db->Query(
      "SELECT at_ms, COALESCE(status, 0), error, duration_ms FROM webhook_attempts "
      "WHERE delivery_id = ? ORDER BY id",
      {delivery_id}, [&out](const Row& r) {
        out.log.push_back({r.Int(0), static_cast<int>(r.Int(1)), std::string(r.Text(2)), r.Int(3)});
        return Status::Ok();
      }));
  return out;
}

Result<Delivery> ReplayDelivery(AppContext& ctx, const storage::Scope& scope, int64_t delivery_id) {
  SEEDCAST_RETURN_IF_ERROR(internal::NeedsOrgScope(scope));
  const Status replayed = internal::InWriteTransaction(ctx, [&](storage::Database& db) -> Status {
    SEEDCAST_ASSIGN_OR_RETURN(auto found, FindDelivery(db, scope, delivery_id));
    if (!found.second) {
      return FailedPrecondition(
          "subscription_disabled",
          fmt::format("webhook subscription {} is disabled", found.first.subscription_id));
    }
    SEEDCAST_ASSIGN_OR_RETURN(bool queued, Requeue(db, delivery_id, ctx.clock().NowMs()));
    if (!queued) {
      return FailedPrecondition(
          "delivery_in_flight",
          fmt::format("webhook delivery {} is being sent now; replay it once that attempt ends",
                      delivery_id));
    }
    return Status::Ok();
  });
  if (!replayed.ok()) return replayed;
  return GetDelivery(ctx, scope, delivery_id);
}

Result<EventReplay> ReplayEvent(AppContext& ctx, const storage::Scope& scope, int64_t event_id) {
  SEEDCAST_RETURN_IF_ERROR(internal::NeedsOrgScope(scope));
  EventReplay out{.event_id = event_id};
  const Status replayed = internal::InWriteTransaction(ctx, [&](storage::Database& db) -> Status {
    std::optional<std::pair<int64_t, std::string>> event;
    SEEDCAST_RETURN_IF_ERROR(db.Query(
        "SELECT COALESCE(org_id, 0), type FROM webhook_events WHERE id = ? AND (? = 1 OR org_id "
        "= ?)",
        {event_id, scope.sql_all(), scope.sql_org()}, [&event](const Row& r) {
          event.emplace(r.Int(0), std::string(r.Text(1)));
          return Status::Ok();
        }));
    if (!event) return NotFound(fmt::format("no webhook event {}", event_id));
    const int64_t now = ctx.clock().NowMs();
    SEEDCAST_ASSIGN_OR_RETURN(std::vector<int64_t> subscriptions,
                              storage::SubscriptionsFor(db, event->first, event->second));
    for (const int64_t sub : subscriptions) {
      std::optional<int64_t> delivery;
      SEEDCAST_RETURN_IF_ERROR(
          db.Query("SELECT id FROM webhook_deliveries WHERE event_id = ? AND subscription_id = ?",
                   {event_id, sub}, [&delivery](const Row& r) {
                     delivery = r.Int(0);
                     return Status::Ok();
                   }));
      // One being sent right now counts as sent again: its attempt is under way.
      if (delivery) {
        SEEDCAST_RETURN_IF_ERROR(Requeue(db, *delivery, now).status());
      } else {
        SEEDCAST_RETURN_IF_ERROR(
            storage::QueueDelivery(db, event->first, event_id, sub, now).status());
      }
      ++out.deliveries;
    }
    return Status::Ok();
  });
  if (!replayed.ok()) return replayed;
  return out;
}

nlohmann::ordered_json DeliveryToJson(const Delivery& d) {
  auto time_or_null = [](int64_t ms) {
    return ms == 0 ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(FormatIsoTime(ms));
  };
  auto status_or_null = [](int status) {
    return status == 0 ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(status);
  };
  nlohmann::ordered_json j = {
      {"id", d.id},
      {"event_id", d.event_id},
      {"event_type", d.event_type},
      {"subscription_id", d.subscription_id},
      {"org_id", d.org_id},
      {"url", d.url},
      {"message_id", d.message_id},
      {"state", d.state},
      {"attempts", d.attempts},
      {"replays", d.replays},
      {"next_attempt_at", d.state == "pending" ? time_or_null(d.next_attempt_at_ms) : nullptr},
      {"last_status", status_or_null(d.last_status)},
      {"last_error", d.last_error},
      {"delivered_at", time_or_null(d.delivered_at_ms)},
      {"created_at", FormatIsoTime(d.created_at_ms)}};
  return j;
}

nlohmann::ordered_json DeliveryDetailToJson(const Delivery& d) {
  nlohmann::ordered_json j = DeliveryToJson(d);
  nlohmann::ordered_json log = nlohmann::ordered_json::array();
  for (const DeliveryAttempt& a : d.log) {
    log.push_back({{"at", FormatIsoTime(a.at_ms)},
                   {"status", a.status == 0 ? nlohmann::ordered_json(nullptr)
                                            : nlohmann::ordered_json(a.status)},
                   {"error", a.error},
                   {"duration_ms", a.duration_ms}});
  }
  j["log"] = log;
  return j;
}

nlohmann::ordered_json EventReplayToJson(const EventReplay& r) {
  return {{"event_id", r.event_id}, {"deliveries", r.deliveries}};
}

}  // namespace seedcast::app

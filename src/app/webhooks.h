// Webhooks: organisations' subscriptions to events, the delivery log, replays, and the delivery
// worker that sends the outbox (storage/event_outbox.h) to the subscribed URLs.
//
// A subscription is an organisation's (an operator may make one for any organisation, or for the
// instance's own events with org 0). Its secret ("whsec_...", measure/webhook_signature.h) is
// generated here, shown once in the answer to Subscribe, and kept sealed with the key ring.
// Reads outside the caller's scope answer "not found"; creators have none.
//
// Delivery is at least once. DeliverWebhooks claims due deliveries for a while (claimed_until_ms)
// so two workers (servers, or a server and the command line) never send one delivery at once,
// then POSTs each: the body {"type", "timestamp", "data"} is the same on every attempt, and the
// headers webhook-id (the delivery's message id, the same on every retry and replay),
// webhook-timestamp and webhook-signature follow Standard Webhooks. A 2xx answer delivers it;
// anything else, or no answer within the timeout, is retried on measure/webhook_backoff.h's
// schedule, and fails for good after its last attempt. Every attempt is logged.
//
// Thread-safe: each call takes its own connections. The sender is called from the calling thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "app/context.h"
#include "storage/scope.h"

namespace seedcast::app {

struct SubscriptionSpec {
  std::string url;                  // http or https, without credentials
  std::vector<std::string> events;  // event types (storage/event_outbox.h); empty: every type
  int64_t org_id = 0;  // operators: whose events (0: the instance's own); others: their own
};

struct Subscription {
  int64_t id = 0;
  int64_t org_id = 0;
  std::string url;
  std::vector<std::string> events;  // empty: every type
  bool active = true;
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
};

struct CreatedSubscription {
  Subscription subscription;
  std::string secret;  // shown once, never again
};

// At most this many active subscriptions per organisation.
inline constexpr int kMaxSubscriptionsPerOrg = 20;

// kInvalidArgument naming the field (url, events); kResourceExhausted past the limit.
Result<CreatedSubscription> Subscribe(AppContext& ctx, const storage::Scope& scope,
                                      const SubscriptionSpec& spec);
// The subscriptions within the scope, by id.
Result<std::vector<Subscription>> ListSubscriptions(AppContext& ctx, const storage::Scope& scope);
// Stops sending to it: its pending deliveries fail ("subscription disabled"). It cannot be
// enabled again: subscribe anew, and replay the events it missed.
Result<Subscription> DisableSubscription(AppContext& ctx, const storage::Scope& scope,
                                         int64_t subscription_id);

struct DeliveryQuery {
  int64_t subscription_id = 0;  // 0: all
  int64_t event_id = 0;         // 0: all
  std::string state;            // pending, delivered, failed; "": all
  int64_t before_id = 0;        // the last id seen, for the next page; 0: the newest
  int limit = 100;
};

struct DeliveryAttempt {
  int64_t at_ms = 0;
  int status = 0;  // the HTTP status; 0 when there was no answer
  std::string error;
  int64_t duration_ms = 0;
};

struct Delivery {
  int64_t id = 0;
  int64_t event_id = 0;
  std::string event_type;
  int64_t subscription_id = 0;
  int64_t org_id = 0;
  std::string url;
  std::string message_id;
  std::string state;  // pending, delivered, failed
  int attempts = 0;   // since it was queued or last replayed
  int replays = 0;
  int64_t next_attempt_at_ms = 0;
  int last_status = 0;
  std::string last_error;
  int64_t delivered_at_ms = 0;
  int64_t created_at_ms = 0;
  std::vector<DeliveryAttempt> log;  // every attempt, oldest first (GetDelivery only)
};

// The deliveries within the scope, newest first.
Result<std::vector<Delivery>> ListDeliveries(AppContext& ctx, const storage::Scope& scope,
                                             const DeliveryQuery& query);
// One delivery with its attempts.
Result<Delivery> GetDelivery(AppContext& ctx, const storage::Scope& scope, int64_t delivery_id);
// Queues the delivery again, due now, with its message id and the schedule started afresh (a
// delivered one is sent again: receivers dedupe by webhook-id). kFailedPrecondition
// (subscription_disabled) when its subscription is disabled.
Result<Delivery> ReplayDelivery(AppContext& ctx, const storage::Scope& scope, int64_t delivery_id);

struct EventReplay {
  int64_t event_id = 0;
  int deliveries = 0;  // queued: one per active subscription that wants the event's type
};
// Sends the event again to every active subscription of its organisation that wants its type:
// its deliveries are queued again (their message ids kept), and subscriptions made since get
// one of their own.
Result<EventReplay> ReplayEvent(AppContext& ctx, const storage::Scope& scope, int64_t event_id);

// One POST, as the worker makes it; the sender is an interface so tests drive the schedule.
struct WebhookRequest {
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  int64_t timeout_ms = 10'000;
};
struct WebhookResponse {
  int status = 0;     // 0: no answer (error says why)
  std::string error;  // a transport error, or the start of a non-2xx answer's body
};
using WebhookSender = std::function<WebhookResponse(const WebhookRequest&)>;

struct CurlSenderOptions {
  // Whether receivers may be on loopback, private, link-local or other non-public addresses
  // ([server] webhook_private_addresses). Off by default: an organisation must not be able to
  // make the server call into its own network. The address checked is the one libcurl connected
  // to, after name resolution, so a name that resolves to a private address is refused too.
  bool allow_private_addresses = false;
};

// The sender of `seedcast serve` and `seedcast webhooks deliver`: libcurl, http and https only,
// no redirects followed, the whole exchange bounded by the request's timeout.
WebhookSender CurlSender(CurlSenderOptions options = {});

// Whether `ip` (a numeric IPv4 or IPv6 address) is a public unicast address: not loopback,
// private (RFC 1918, RFC 4193), shared (RFC 6598), link-local, unspecified, multicast or
// reserved; IPv4-mapped IPv6 addresses are judged by their IPv4 address. False when `ip` is not
// an address.
bool IsPublicAddress(std::string_view ip);

struct DeliveryOptions {
  int batch = 20;               // deliveries claimed at once
  int64_t timeout_ms = 10'000;  // per request
  // Checked between deliveries: a worker asked to stop gives back what it has not sent.
  const std::atomic<bool>* stop = nullptr;
};

struct DeliveryRun {
  int attempted = 0;
  int delivered = 0;
  int retrying = 0;  // failed this time, due again later
  int failed = 0;    // failed for good
};

// Sends the deliveries due now (at most one batch).
Result<DeliveryRun> DeliverWebhooks(AppContext& ctx, const WebhookSender& sender,
                                    const DeliveryOptions& options = {});

nlohmann::ordered_json SubscriptionToJson(const Subscription& s);
nlohmann::ordered_json CreatedSubscriptionToJson(const CreatedSubscription& c);
nlohmann::ordered_json DeliveryToJson(const Delivery& d);
// The same with its "log" of attempts (GetDelivery's answer).
nlohmann::ordered_json DeliveryDetailToJson(const Delivery& d);
nlohmann::ordered_json DeliveryRunToJson(const DeliveryRun& r);
nlohmann::ordered_json EventReplayToJson(const EventReplay& r);

}  // namespace seedcast::app

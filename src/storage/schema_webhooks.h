// Schema of the webhooks (migration 14): organisations' subscriptions, the event outbox written in
// the same transaction as the change it reports (storage/event_outbox.h), one delivery per event
// and subscription with its retry state, and the log of every attempt.
#pragma once

#include <string_view>

namespace seedcast::storage {

// `events` is the comma-framed list of event types a subscription wants (",post.verified,"), or ""
// for every type; the secret is sealed with the key ring, never stored in plain text. A delivery
// keeps one message id across its retries and replays, so receivers dedupe by `webhook-id`.
// `attempts` counts the attempts since the delivery was queued or last replayed (its place in the
// retry schedule); every attempt ever made is a row of webhook_attempts.
constexpr std::string_view kWebhookSchema = R"sql(
CREATE TABLE webhook_subscriptions (
  id {{pk}},
  org_id {{int}} REFERENCES orgs(id),
  url TEXT NOT NULL,
  events TEXT NOT NULL DEFAULT '',
  secret_sealed TEXT NOT NULL,
  active {{int}} NOT NULL DEFAULT 1,
  created_at_ms {{int}} NOT NULL,
  updated_at_ms {{int}} NOT NULL
);
CREATE INDEX webhook_subscriptions_by_org ON webhook_subscriptions (org_id);
CREATE TABLE webhook_events (
  id {{pk}},
  org_id {{int}} REFERENCES orgs(id),
  type TEXT NOT NULL,
  payload TEXT NOT NULL,
  created_at_ms {{int}} NOT NULL
);
CREATE INDEX webhook_events_by_org ON webhook_events (org_id, id);
CREATE TABLE webhook_deliveries (
  id {{pk}},
  event_id {{int}} NOT NULL REFERENCES webhook_events(id),
  subscription_id {{int}} NOT NULL REFERENCES webhook_subscriptions(id),
  org_id {{int}} REFERENCES orgs(id),
  message_id TEXT NOT NULL UNIQUE,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
  attempts {{int}} NOT NULL DEFAULT 0,
  replays {{int}} NOT NULL DEFAULT 0,
  next_attempt_at_ms {{int}} NOT NULL,
  claimed_until_ms {{int}},
  last_status {{int}},
  last_error TEXT NOT NULL DEFAULT '',
  delivered_at_ms {{int}},
  created_at_ms {{int}} NOT NULL
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (state, next_attempt_at_ms);
CREATE INDEX webhook_deliveries_by_org ON webhook_deliveries (org_id, id);
CREATE TABLE webhook_attempts (
  id {{pk}},
  delivery_id {{int}} NOT NULL REFERENCES webhook_deliveries(id),
  at_ms {{int}} NOT NULL,
  status {{int}},
  error TEXT NOT NULL DEFAULT '',
  duration_ms {{int}} NOT NULL DEFAULT 0
);
CREATE INDEX webhook_attempts_by_delivery ON webhook_attempts (delivery_id);
)sql";

}  // namespace seedcast::storage

// `seedcast webhooks subscribe|list|disable|deliveries|replay|deliver`: webhook subscriptions, the
// delivery log, replays, and one run of the delivery worker, over app/webhooks.h. The command
// line acts as the machine's operator: it sees every organisation's. Each prints JSON on stdout.
#include <CLI/CLI.hpp>
#include <iostream>

#include "app/accounts.h"
#include "app/webhooks.h"
#include "cli/commands.h"

namespace seedcast::cli {
namespace {

const storage::Scope kCliScope = storage::Scope::Everything();

int Print(const nlohmann::ordered_json& j) {
  std::cout << j.dump() << "\n";
  return kExitOk;
}

int Subscribe(app::AppContext& ctx, const WebhooksOptions& o) {
  app::SubscriptionSpec spec{.url = o.url, .events = o.events};
  if (!o.org.empty()) {
    auto org = app::FindOrg(ctx, o.org);
    if (!org.ok()) return Fail(org.status());
    spec.org_id = *org;
  }
  auto created = app::Subscribe(ctx, kCliScope, spec);
  if (!created.ok()) return Fail(created.status());
  std::cerr << "webhook subscription " << created->subscription.id
            << " made; its secret is shown only once\n";
  return Print(app::CreatedSubscriptionToJson(*created));
}

int Deliveries(app::AppContext& ctx, const WebhooksOptions& o) {
  if (o.id != 0) {
    auto d = app::GetDelivery(ctx, kCliScope, o.id);
    return d.ok() ? Print(app::DeliveryDetailToJson(*d)) : Fail(d.status());
  }
  auto all = app::ListDeliveries(ctx, kCliScope,
                                 {.subscription_id = o.subscription_id,
                                  .event_id = o.event_id,
                                  .state = o.state,
                                  .limit = o.limit});
  if (!all.ok()) return Fail(all.status());
  for (const app::Delivery& d : *all) Print(app::DeliveryToJson(d));
  return kExitOk;
}

// Every delivery due now, a batch at a time.
int Deliver(app::AppContext& ctx, const WebhooksOptions& o) {
  const app::DeliveryOptions options{.timeout_ms = o.timeout_ms};
  const app::WebhookSender sender =
      app::CurlSender({.allow_private_addresses = ctx.config().server.webhook_private_addresses});
  app::DeliveryRun total;
  for (;;) {
    auto run = app::DeliverWebhooks(ctx, sender, options);
    if (!run.ok()) return Fail(run.status());
    total.attempted += run->attempted;
    total.delivered += run->delivered;
    total.retrying += run->retrying;
    total.failed += run->failed;
    if (run->attempted < options.batch) break;
  }
  return Print(app::DeliveryRunToJson(total));
}

}  // namespace

void AddWebhookCommands(CLI::App& app, WebhooksOptions& o) {
  CLI::App* hooks = app.add_subcommand(
      "webhooks", "webhook subscriptions, the delivery log and replays (docs/webhooks.md)");
  hooks->require_subcommand(1);
  auto on = [&o](const char* action) { return [&o, action] { o.action = action; }; };
  CLI::App* subscribe =
      hooks->add_subcommand("subscribe", "subscribe a URL to events; prints its secret once");
  subscribe->add_option("url", o.url, "the http(s) URL to POST events to")->required();
  subscribe->add_option("--event", o.events, "an event type it wants (repeat; default: all)");
  subscribe->add_option("--org", o.org, "the organisation whose events (default: the instance's)");
  subscribe->callback(on("subscribe"));
  hooks->add_subcommand("list", "list subscriptions (never their secrets)")->callback(on("list"));
  CLI::App* disable = hooks->add_subcommand("disable", "stop sending to a subscription");
  disable->add_option("id", o.id, "the subscription's id")->required();
  disable->callback(on("disable"));
  CLI::App* deliveries = hooks->add_subcommand("deliveries",
                                               "the delivery log, newest first; with an id, one "
                                               "delivery and its attempts");
  deliveries->add_option("id", o.id, "a delivery's id");
  deliveries->add_option("--subscription", o.subscription_id, "only this subscription's");
  deliveries->add_option("--event", o.event_id, "only this event's");
  deliveries->add_option("--state", o.state, "pending, delivered or failed")
      ->check(CLI::IsMember({"pending", "delivered", "failed"}));
  deliveries->add_option("--limit", o.limit, "at most this many (default 100)")
      ->check(CLI::Range(1, 10'000));
  deliveries->callback(on("deliveries"));
  CLI::App* replay = hooks->add_subcommand(
      "replay",
      "send a delivery again (same webhook-id), or with --event an event to every "
      "subscription that wants it");
  replay->add_option("id", o.id, "the delivery's id (the event's with --event)")->required();
  replay->add_flag("--event", o.replay_event, "the id is an event's");
  replay->callback(on("replay"));
  CLI::App* deliver = hooks->add_subcommand("deliver", "send every delivery that is due now");
  deliver->add_option("--timeout-ms", o.timeout_ms, "per request (default 10000)")
      ->check(CLI::Range(int64_t{100}, int64_t{60'000}));
  deliver->callback(on("deliver"));
}

int RunWebhooks(const config::Config& config, const WebhooksOptions& o) {
  SystemClock clock;
  auto opened = OpenContext(config, clock);
  if (!opened.ok()) return Fail(opened.status());
  app::AppContext& ctx = **opened;
  if (o.action == "subscribe") return Subscribe(ctx, o);
  if (o.action == "deliveries") return Deliveries(ctx, o);
  if (o.action == "deliver") return Deliver(ctx, o);
  if (o.action == "list") {
    auto all = app::ListSubscriptions(ctx, kCliScope);
    if (!all.ok()) return Fail(all.status());
    for (const app::Subscription& s : *all) Print(app::SubscriptionToJson(s));
    return kExitOk;
  }
  if (o.action == "disable") {
    auto s = app::DisableSubscription(ctx, kCliScope, o.id);
    return s.ok() ? Print(app::SubscriptionToJson(*s)) : Fail(s.status());
  }
  if (o.replay_event) {
    auto r = app::ReplayEvent(ctx, kCliScope, o.id);
    return r.ok() ? Print(app::EventReplayToJson(*r)) : Fail(r.status());
  }
  auto d = app::ReplayDelivery(ctx, kCliScope, o.id);
  return d.ok() ? Print(app::DeliveryDetailToJson(*d)) : Fail(d.status());
}

}  // namespace seedcast::cli

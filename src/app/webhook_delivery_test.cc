// Webhooks on SQLite and on a real PostgreSQL, with a fake clock: subscriptions (the secret shown
// once and sealed, bad input, scopes, the limit), the outbox written in the change's transaction
// (a rollback leaves no delivery), the events the campaign workflow records, the retry schedule
// (a receiver failing N times, one never answering well), claims (two workers never send one
// delivery at once), replays, and a real receiver on 127.0.0.1 that verifies signatures and
// dedupes by webhook-id, shown to act on each event once although deliveries were retried.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <deque>
#include <map>
#include <set>
#include <thread>

#include "app/accounts.h"
#include "app/webhooks.h"
#include "campaign/service.h"
#include "common/mutex.h"
#include "measure/webhook_backoff.h"
#include "measure/webhook_signature.h"
#include "server/test_server.h"
#include "storage/creator_store.h"
#include "storage/event_outbox.h"

namespace seedcast::app {
namespace {

using nlohmann::json;

constexpr int64_t kNow = 1'790'000'000'000;  // 2026-09-21
constexpr int64_t kHourMs = 3'600'000;

std::string HeaderOf(const WebhookRequest& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "";
}

// A receiver on 127.0.0.1 as a subscriber would write one: it verifies the signature (401 when
// it does not hold), acts on a message id once (later copies are acknowledged and dropped), and
// answers as `plan` says, one entry per verified request in arrival order: "500", or "slow" (200
// after 600 ms); 200 once the plan is spent. A thread per connection, so a slow answer does not
// hold up the next request.
class Receiver {
 public:
  explicit Receiver(std::deque<std::string> plan) : plan_(std::move(plan)) {
    acceptor_.open(endpoint_.protocol());
    acceptor_.bind(endpoint_);
    acceptor_.listen();
    bound_ = acceptor_.local_endpoint();
    accepter_ = std::thread([this] { Accept(); });
  }
  ~Receiver() {
    stopping_ = true;
    boost::asio::ip::tcp::socket poke(ioc_);
    boost::system::error_code ec;
    poke.connect(bound_, ec);  // wakes the blocking accept
    accepter_.join();
    for (std::thread& t : handlers_) t.join();
  }
  uint16_t port() const { return bound_.port(); }
  std::string url() const { return fmt::format("http://127.0.0.1:{}/hooks", port()); }
  // The subscription's secret, known once it is subscribed to url().
  void SetSecret(std::string secret) {
    MutexLock lock(&mu_);
    secret_ = std::move(secret);
  }
  // The receiver's own clock, in seconds (the test's fake time, set between runs).
  void SetNow(int64_t now_s) { now_s_ = now_s; }

  int requests() {
    MutexLock lock(&mu_);
    return requests_;
  }
  int bad_signatures() {
    MutexLock lock(&mu_);
    return bad_signatures_;
  }
  std::vector<json> acted_on() {
    MutexLock lock(&mu_);
    return acted_on_;
  }

 private:
  void Accept() {
    for (;;) {
      boost::asio::ip::tcp::socket socket(ioc_);
      boost::system::error_code ec;
      acceptor_.accept(socket, ec);
      if (ec || stopping_) return;
      handlers_.emplace_back([this, s = std::move(socket)]() mutable { Serve(std::move(s)); });
    }
  }

  void Serve(boost::asio::ip::tcp::socket socket) {
    namespace http = boost::beast::http;
    boost::beast::flat_buffer buffer;
    http::request<http::string_body> req;
    boost::system::error_code ec;
    http::read(socket, buffer, req, ec);
    if (ec) return;
    const std::string behaviour = Act(req);
    if (behaviour == "slow") std::this_thread::sleep_for(std::chrono::milliseconds(600));
    http::response<http::string_body> res{behaviour == "500"   ? http::status::internal_server_error
                                          : behaviour == "401" ? http::status::unauthorized
                                                               : http::status::ok,
                                          11};
    res.body() = behaviour == "500" ? "database busy" : "";
    res.prepare_payload();
    http::write(socket, res, ec);
    socket.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
  }

  std::string Act(const boost::beast::http::request<boost::beast::http::string_body>& req) {
    MutexLock lock(&mu_);
    ++requests_;
    const std::string id(req["webhook-id"]);
    const std::string timestamp(req["webhook-timestamp"]);
    const std::string signature(req["webhook-signature"]);
    if (!measure::VerifyWebhook(secret_, {id, timestamp, signature}, req.body(), now_s_.load())
             .ok()) {
      ++bad_signatures_;
      return "401";
    }
    std::string behaviour = "200";
    if (!plan_.empty()) {
      behaviour = plan_.front();
      plan_.pop_front();
    }
    if (seen_.insert(id).second) acted_on_.push_back(json::parse(req.body()));
    return behaviour;
  }

  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::endpoint endpoint_{boost::asio::ip::make_address("127.0.0.1"), 0};
  boost::asio::ip::tcp::acceptor acceptor_{ioc_};
  boost::asio::ip::tcp::endpoint bound_;
  std::thread accepter_;
  std::vector<std::thread> handlers_;  // the accepter's only, joined after it
  std::atomic<bool> stopping_{false};
  std::atomic<int64_t> now_s_{0};
  Mutex mu_;
  std::string secret_ ABSL_GUARDED_BY(mu_);
  std::deque<std::string> plan_ ABSL_GUARDED_BY(mu_);
  int requests_ ABSL_GUARDED_BY(mu_) = 0;
  int bad_signatures_ ABSL_GUARDED_BY(mu_) = 0;
  std::set<std::string> seen_ ABSL_GUARDED_BY(mu_);
  std::vector<json> acted_on_ ABSL_GUARDED_BY(mu_);
};

// The context comes from the server tests' TestServer (a throw-away database, a key file in a
// temporary directory); no request goes through its dispatcher.
class WebhookTest : public ::testing::TestWithParam<const char*>, protected server::TestServer {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(StartServer(GetParam(), clock_, "webhooks"));
    auto a = CreateOrg(*ctx_, "Brand A", "test");
    auto b = CreateOrg(*ctx_, "Brand B", "test");
    ASSERT_TRUE(a.ok() && b.ok());
    org_a_ = *a;
    org_b_ = *b;
  }

  void TearDown() override { StopServer(); }

  CreatedSubscription MustSubscribe(int64_t org, const std::string& url,
                                    std::vector<std::string> events = {}) {
    auto s = Subscribe(*ctx_, storage::Scope::Org(org), {.url = url, .events = std::move(events)});
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? *s : CreatedSubscription{};
  }

  // Records an event of `org` in a transaction of its own; `commit` false rolls it back.
  int64_t Record(int64_t org, std::string_view type, const std::string& data, bool commit = true) {
    auto db = ctx_->pool().Acquire(storage::Intent::kWrite);
    EXPECT_TRUE(db.ok());
    int64_t id = 0;
    const Status s = storage::InTransaction(**db, [&]() -> Status {
      SEEDCAST_ASSIGN_OR_RETURN(storage::RecordedEvent e,
                                storage::RecordEvent(**db, org, type, data, clock_.NowMs()));
      id = e.event_id;
      return commit ? Status::Ok() : Aborted("the change failed");
    });
    EXPECT_EQ(s.ok(), commit) << s.ToString();
    return id;
  }

  int64_t Count(const std::string& sql) {
    auto db = ctx_->pool().Acquire();
    EXPECT_TRUE(db.ok());
    auto n = (*db)->QueryInt(sql);
    EXPECT_TRUE(n.ok()) << n.status().ToString();
    return n.ok() ? *n : -1;
  }

  Delivery OnlyDelivery(int64_t org) {
    auto all = ListDeliveries(*ctx_, storage::Scope::Org(org), {});
    EXPECT_TRUE(all.ok() && all->size() == 1u);
    if (!all.ok() || all->empty()) return {};
    auto d = GetDelivery(*ctx_, storage::Scope::Org(org), all->front().id);
    EXPECT_TRUE(d.ok()) << d.status().ToString();
    return d.ok() ? *d : Delivery{};
  }

  // Runs the worker at each due time until nothing is pending; returns the runs made.
  int DeliverUntilSettled(const WebhookSender& sender) {
    int runs = 0;
    for (; runs < 40; ++runs) {
      auto run = DeliverWebhooks(*ctx_, sender);
      EXPECT_TRUE(run.ok()) << run.status().ToString();
      auto pending = ListDeliveries(*ctx_, storage::Scope::Everything(), {.state = "pending"});
      EXPECT_TRUE(pending.ok());
      if (pending->empty()) break;
      int64_t due = INT64_MAX;
      for (const Delivery& d : *pending) due = std::min(due, d.next_attempt_at_ms);
      clock_.AdvanceMs(std::max<int64_t>(due - clock_.NowMs(), 0));
    }
    return runs;
  }

  FakeClock clock_{kNow};
  int64_t org_a_ = 0, org_b_ = 0;
};

TEST_P(WebhookTest, SubscribesWithASecretShownOnceAndRefusesBadInput) {
  const CreatedSubscription s =
      MustSubscribe(org_a_, "https://a.example/hooks", {"post.verified", "post.verified"});
  EXPECT_TRUE(s.secret.starts_with("whsec_"));
  EXPECT_EQ(s.subscription.events, std::vector<std::string>{"post.verified"});
  EXPECT_EQ(Count("SELECT COUNT(*) FROM webhook_subscriptions WHERE secret_sealed LIKE '%" +
                  s.secret.substr(6, 20) + "%'"),
            0);
  const json listed =
      SubscriptionToJson(ListSubscriptions(*ctx_, storage::Scope::Org(org_a_))->at(0));
  EXPECT_FALSE(listed.contains("secret"));
  EXPECT_EQ(listed["url"], "https://a.example/hooks");

  auto refused = [&](const SubscriptionSpec& spec) {
    return Subscribe(*ctx_, storage::Scope::Org(org_a_), spec).status();
  };
  EXPECT_EQ(refused({.url = "ftp://a.example/x"}).field(), "url");
  EXPECT_EQ(refused({.url = "https://user:pw@a.example/x"}).field(), "url");
  EXPECT_EQ(refused({.url = "a.example/x"}).code(), StatusCode::kInvalidArgument);
  const Status unknown = refused({.url = "https://a.example/x", .events = {"post.liked"}});
  EXPECT_EQ(unknown.field(), "events[0]");
  EXPECT_EQ(unknown.reason(), "unknown_event_type");
  EXPECT_EQ(refused({.url = "https://a.example/x", .org_id = org_b_}).code(),
            StatusCode::kNotFound);
  EXPECT_EQ(
      Subscribe(*ctx_, storage::Scope::Creator(7), {.url = "https://a.example/x"}).status().code(),
      StatusCode::kPermissionDenied);

  // Brand B sees none of it, and cannot disable it.
  EXPECT_TRUE(ListSubscriptions(*ctx_, storage::Scope::Org(org_b_))->empty());
  EXPECT_EQ(
      DisableSubscription(*ctx_, storage::Scope::Org(org_b_), s.subscription.id).status().code(),
      StatusCode::kNotFound);
  // The limit counts active subscriptions.
  for (int i = 1; i < kMaxSubscriptionsPerOrg; ++i) MustSubscribe(org_a_, "https://a.example/n");
  EXPECT_EQ(refused({.url = "https://a.example/x"}).code(), StatusCode::kResourceExhausted);
  ASSERT_TRUE(DisableSubscription(*ctx_, storage::Scope::Org(org_a_), s.subscription.id).ok());
  EXPECT_TRUE(refused({.url = "https://a.example/x"}).ok());
}

TEST_P(WebhookTest, TheOutboxIsWrittenInTheChangesTransaction) {
  MustSubscribe(org_a_, "https://a.example/all");
  MustSubscribe(org_a_, "https://a.example/posts", {"post.verified"});
  Record(org_a_, storage::kEventPayoutOwed, R"({"creator_id": 1})", /*commit=*/false);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM webhook_events"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM webhook_deliveries"), 0);
  Record(org_a_, storage::kEventPayoutOwed, R"({"creator_id": 1})");
  Record(org_a_, storage::kEventPostVerified, R"({"post_id": 2})");
  Record(org_b_, storage::kEventPostVerified, R"({"post_id": 3})");  // nobody of B subscribed
  EXPECT_EQ(Count("SELECT COUNT(*) FROM webhook_events"), 3);
  // payout.owed to the catch-all only; post.verified to both.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM webhook_deliveries"), 3);
  EXPECT_EQ(ListDeliveries(*ctx_, storage::Scope::Org(org_a_), {})->size(), 3u);
  EXPECT_TRUE(ListDeliveries(*ctx_, storage::Scope::Org(org_b_), {})->empty());
  EXPECT_EQ(ListDeliveries(*ctx_, storage::Scope::Org(org_a_), {.state = "sent"}).status().field(),
            "state");
}

TEST_P(WebhookTest, RetriesOnTheScheduleUntilTheReceiverAnswers) {
  const CreatedSubscription s = MustSubscribe(org_a_, "https://a.example/hooks");
  Record(org_a_, storage::kEventInvoiceLineWritten, R"({"amount_cents": 10000})");
  std::vector<WebhookRequest> seen;
  std::vector<int64_t> seen_at;
  int failures_left = 3;
  auto sender = [&](const WebhookRequest& r) -> WebhookResponse {
    seen.push_back(r);
    seen_at.push_back(clock_.NowMs());
    EXPECT_TRUE(measure::VerifyWebhook(s.secret,
                                       {HeaderOf(r, "webhook-id"), HeaderOf(r, "webhook-timestamp"),
                                        HeaderOf(r, "webhook-signature")},
                                       r.body, clock_.NowMs() / 1000)
                    .ok());
    if (failures_left-- > 0) return {.status = 503, .error = "HTTP 503: busy"};
    return {.status = 204};
  };
  DeliverUntilSettled(sender);
  const Delivery d = OnlyDelivery(org_a_);
  EXPECT_EQ(d.state, "delivered");
  EXPECT_EQ(d.attempts, 4);
  ASSERT_EQ(d.log.size(), 4u);
  int64_t want = kNow;
  for (int k = 0; k < 4; ++k) {
    EXPECT_EQ(d.log[k].at_ms, want) << "attempt " << k + 1;
    EXPECT_EQ(seen_at[k], want);
    if (k < 3) {
      EXPECT_EQ(d.log[k].status, 503);
      EXPECT_EQ(d.log[k].error, "HTTP 503: busy");
      want += measure::RetryDelayMs(d.message_id, k + 1);
    }
  }
  EXPECT_EQ(d.log[3].status, 204);
  // One id and one body on every attempt; the body is the event.
  for (const WebhookRequest& r : seen) {
    EXPECT_EQ(HeaderOf(r, "webhook-id"), d.message_id);
    EXPECT_EQ(r.body, seen[0].body);
    EXPECT_EQ(HeaderOf(r, "content-type"), "application/json");
  }
  const json body = json::parse(seen[0].body);
  EXPECT_EQ(body["type"], "invoice.line_written");
  EXPECT_EQ(body["timestamp"], "2026-09-21T14:13:20Z");
  EXPECT_EQ(body["data"]["amount_cents"], 10000);
  // Nothing is sent again once delivered.
  clock_.AdvanceMs(100 * kHourMs);
  EXPECT_EQ(DeliverWebhooks(*ctx_, sender)->attempted, 0);
}

TEST_P(WebhookTest, ADeliveryThatNeverSucceedsFailsAfterThreeDaysAndCanBeReplayed) {
  MustSubscribe(org_a_, "https://a.example/hooks");
  Record(org_a_, storage::kEventPostRemoved, R"({"post_id": 9})");
  auto refusing = [](const WebhookRequest&) {
    return WebhookResponse{.error = "Timeout was reached"};
  };
  DeliverUntilSettled(refusing);
  Delivery d = OnlyDelivery(org_a_);
  EXPECT_EQ(d.state, "failed");
  ASSERT_EQ(d.log.size(), static_cast<size_t>(measure::kWebhookMaxAttempts));
  EXPECT_GE(d.log.back().at_ms - d.log.front().at_ms, 72 * kHourMs);
  EXPECT_EQ(d.log.back().status, 0);
  EXPECT_EQ(DeliverWebhooks(*ctx_, refusing)->attempted, 0);
  // Replayed: the same message id, the schedule from the start, the log kept.
  auto replayed = ReplayDelivery(*ctx_, storage::Scope::Org(org_a_), d.id);
  ASSERT_TRUE(replayed.ok()) << replayed.status().ToString();
  EXPECT_EQ(replayed->state, "pending");
  EXPECT_EQ(replayed->attempts, 0);
  EXPECT_EQ(replayed->replays, 1);
  EXPECT_EQ(replayed->message_id, d.message_id);
  EXPECT_EQ(ReplayDelivery(*ctx_, storage::Scope::Org(org_b_), d.id).status().code(),
            StatusCode::kNotFound);
  std::string id_sent;
  auto run = DeliverWebhooks(*ctx_, [&](const WebhookRequest& r) {
    id_sent = HeaderOf(r, "webhook-id");
    return WebhookResponse{.status = 200};
  });
  EXPECT_EQ(run->delivered, 1);
  EXPECT_EQ(id_sent, d.message_id);
  EXPECT_EQ(OnlyDelivery(org_a_).log.size(), static_cast<size_t>(measure::kWebhookMaxAttempts) + 1);
}

TEST_P(WebhookTest, TwoWorkersNeverSendOneDeliveryAtOnce) {
  MustSubscribe(org_a_, "https://a.example/hooks");
  for (int i = 0; i < 3; ++i) Record(org_a_, storage::kEventPayoutOwed, "{}");
  int nested_attempts = -1;
  int sends = 0;
  auto second = [&](const WebhookRequest&) {
    ++sends;
    return WebhookResponse{.status = 200};
  };
  auto first = [&](const WebhookRequest&) {
    ++sends;
    if (nested_attempts < 0) nested_attempts = DeliverWebhooks(*ctx_, second)->attempted;
    return WebhookResponse{.status = 200};
  };
  auto run = DeliverWebhooks(*ctx_, first);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(nested_attempts, 0);  // everything due was the first worker's
  EXPECT_EQ(run->delivered, 3);
  EXPECT_EQ(sends, 3);
}

TEST_P(WebhookTest, AStoppedWorkerGivesBackWhatItHasNotSent) {
  MustSubscribe(org_a_, "https://a.example/hooks");
  for (int i = 0; i < 3; ++i) Record(org_a_, storage::kEventPayoutOwed, "{}");
  std::atomic<bool> stop{false};
  auto run = DeliverWebhooks(*ctx_,
                             [&](const WebhookRequest&) {
                               stop = true;
                               return WebhookResponse{.status = 200};
                             },
                             {.stop = &stop});
  EXPECT_EQ(run->delivered, 1);
  EXPECT_EQ(
      DeliverWebhooks(*ctx_, [](const WebhookRequest&) { return WebhookResponse{.status = 200}; })
          ->delivered,
      2);
}

TEST_P(WebhookTest, DisablingFailsPendingDeliveriesAndReplayingAnEventReachesNewSubscribers) {
  const CreatedSubscription old = MustSubscribe(org_a_, "https://a.example/old");
  const int64_t event = Record(org_a_, storage::kEventPostVerified, R"({"post_id": 1})");
  ASSERT_TRUE(DisableSubscription(*ctx_, storage::Scope::Org(org_a_), old.subscription.id).ok());
  Delivery d = OnlyDelivery(org_a_);
  EXPECT_EQ(d.state, "failed");
  EXPECT_EQ(d.last_error, "subscription disabled");
  EXPECT_EQ(ReplayDelivery(*ctx_, storage::Scope::Org(org_a_), d.id).status().reason(),
            "subscription_disabled");
  const CreatedSubscription fresh = MustSubscribe(org_a_, "https://a.example/new");
  EXPECT_EQ(ReplayEvent(*ctx_, storage::Scope::Org(org_b_), event).status().code(),
            StatusCode::kNotFound);
  auto replay = ReplayEvent(*ctx_, storage::Scope::Org(org_a_), event);
  ASSERT_TRUE(replay.ok()) << replay.status().ToString();
  EXPECT_EQ(replay->deliveries, 1);
  auto to_fresh = ListDeliveries(*ctx_, storage::Scope::Org(org_a_),
                                 {.subscription_id = fresh.subscription.id});
  ASSERT_EQ(to_fresh->size(), 1u);
  EXPECT_EQ(to_fresh->at(0).state, "pending");
  // Replaying again requeues that delivery, with its message id.
  const std::string id = to_fresh->at(0).message_id;
  ASSERT_TRUE(DeliverWebhooks(*ctx_, [](const WebhookRequest&) {
                return WebhookResponse{.status = 200};
              }).ok());
  EXPECT_EQ(ReplayEvent(*ctx_, storage::Scope::Org(org_a_), event)->deliveries, 1);
  to_fresh = ListDeliveries(*ctx_, storage::Scope::Org(org_a_),
                            {.subscription_id = fresh.subscription.id});
  ASSERT_EQ(to_fresh->size(), 1u);
  EXPECT_EQ(to_fresh->at(0).message_id, id);
  EXPECT_EQ(to_fresh->at(0).replays, 1);
}

TEST_P(WebhookTest, TheCampaignWorkflowRecordsItsEvents) {
  MustSubscribe(org_a_, "https://a.example/hooks");
  int64_t creator_id = 0;
  int64_t assignment_id = 0;
  {
    auto lease = ctx_->pool().Acquire(storage::Intent::kWrite);
    ASSERT_TRUE(lease.ok());
    storage::Database& db = **lease;
    storage::CreatorStore creators(db, clock_);
    model::Account account;
    account.platform = "instagram";
    account.handle = "ana.glow";
    account.followers = 20'000;
    account.engagement_rate = 0.04;
    auto creator = creators.UpsertAccount({}, account);
    ASSERT_TRUE(creator.ok()) << creator.status().ToString();
    ASSERT_TRUE(creators.SetQualityScore(creator->account_id, 0.9).ok());
    auto spec = campaign::ParseCampaignSpec(
        R"({"name": "Glow launch", "brand": "Glow Co", "product": {"name": "Serum", "sku": "G-1",
        "price_cents": 2400, "units_available": 5, "niche": "beauty"}, "compensation": "paid",
        "target_posts": 1, "fee_cents_per_post": 10000, "payout_cents_per_post": 6000,
        "removal_window_days": 30, "platforms": ["instagram"]})",
        false);
    ASSERT_TRUE(spec.ok()) << spec.status().ToString();
    campaign::CampaignService service(db, clock_, ctx_->rules(), storage::Scope::Org(org_a_));
    auto c = service.Create(*spec);
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    auto a = service.store().Invite(c->id, creator->creator_id, creator->account_id, 0.8,
                                    kNow + 86'400'000, "test", "picked");
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    ASSERT_TRUE(service.Apply(a->id, "creator").ok());
    ASSERT_TRUE(service.Approve(a->id, "brand").ok());
    ASSERT_TRUE(service.Ship(a->id, "brand").ok());
    ASSERT_TRUE(service.Deliver(a->id, "carrier").ok());
    ASSERT_TRUE(service.SubmitPost(a->id, R"({"caption": "#ad my routine"})", "creator").ok());
    auto verified = service.Verify(a->id, "checker");
    ASSERT_TRUE(verified.ok() && verified->verdict.compliant) << verified.status().ToString();
    ASSERT_TRUE(service.ReportRemoved(a->id, kNow + 86'400'000, "monitor").ok());
    creator_id = creator->creator_id;
    assignment_id = a->id;
  }
  std::map<std::string, std::vector<json>> by_type;
  auto run = DeliverWebhooks(*ctx_, [&](const WebhookRequest& r) {
    const json body = json::parse(r.body);
    by_type[body["type"].get<std::string>()].push_back(body["data"]);
    return WebhookResponse{.status = 200};
  });
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  // invited, applied, approved, shipped, delivered, posted, verified, completed, post_removed.
  ASSERT_EQ(by_type["assignment.state_changed"].size(), 9u);
  const json& first = by_type["assignment.state_changed"].front();
  EXPECT_EQ(first["from"], "");
  EXPECT_EQ(first["to"], "invited");
  EXPECT_EQ(first["assignment_id"], assignment_id);
  EXPECT_EQ(first["creator_id"], creator_id);
  EXPECT_EQ(by_type["assignment.state_changed"].back()["to"], "post_removed");
  ASSERT_EQ(by_type["post.verified"].size(), 1u);
  ASSERT_EQ(by_type["post.removed"].size(), 1u);
  EXPECT_EQ(by_type["post.removed"][0]["removed_at"], "2026-09-22T14:13:20Z");
  // The fee's line, then its void (the post came down within the window).
  ASSERT_EQ(by_type["invoice.line_written"].size(), 2u);
  EXPECT_EQ(by_type["invoice.line_written"][0]["amount_cents"], 10000);
  EXPECT_EQ(by_type["invoice.line_written"][1]["kind"], "invoice_void");
  EXPECT_EQ(by_type["invoice.line_written"][1]["amount_cents"], -10000);
  ASSERT_EQ(by_type["payout.owed"].size(), 1u);
  EXPECT_EQ(by_type["payout.owed"][0]["amount_cents"], 6000);
  EXPECT_EQ(by_type["payout.owed"][0]["creator_id"], creator_id);
  EXPECT_EQ(run->delivered, 14);
}

TEST_P(WebhookTest, ARealReceiverActsOnEachEventOnceAlthoughDeliveriesAreRetried) {
  // The first copy of event 1 is acted on but answered 500; the first of event 2 is acted on but
  // answered too late for the worker. Both are sent again; the receiver acknowledges the copies
  // and acts on nothing twice.
  Receiver receiver({"500", "slow"});
  const CreatedSubscription s = MustSubscribe(org_a_, receiver.url());
  receiver.SetSecret(s.secret);
  Record(org_a_, storage::kEventOrderAttributed, R"({"order": "#1001"})");
  Record(org_a_, storage::kEventOrderAttributed, R"({"order": "#1002"})");
  const DeliveryOptions options{.timeout_ms = 300};
  receiver.SetNow(clock_.NowMs() / 1000);
  auto first = DeliverWebhooks(*ctx_, CurlSender({.allow_private_addresses = true}), options);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->retrying, 2);
  clock_.AdvanceMs(60'000);  // past both retries' due times (30 s, stretched by at most 25%)
  receiver.SetNow(clock_.NowMs() / 1000);
  auto second = DeliverWebhooks(*ctx_, CurlSender({.allow_private_addresses = true}), options);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->delivered, 2);
  EXPECT_EQ(receiver.requests(), 4);
  EXPECT_EQ(receiver.bad_signatures(), 0);
  const std::vector<json> acted = receiver.acted_on();
  ASSERT_EQ(acted.size(), 2u);
  EXPECT_EQ(acted[0]["data"]["order"], "#1001");
  EXPECT_EQ(acted[1]["data"]["order"], "#1002");
  auto log = ListDeliveries(*ctx_, storage::Scope::Org(org_a_), {});
  ASSERT_EQ(log->size(), 2u);
  auto timed_out = GetDelivery(*ctx_, storage::Scope::Org(org_a_), log->at(0).id);
  ASSERT_EQ(timed_out->log.size(), 2u);
  EXPECT_EQ(timed_out->log[0].status, 0);
  EXPECT_NE(timed_out->log[0].error.find("Timeout"), std::string::npos) << timed_out->log[0].error;
  auto answered_500 = GetDelivery(*ctx_, storage::Scope::Org(org_a_), log->at(1).id);
  EXPECT_EQ(answered_500->log[0].status, 500);
  EXPECT_EQ(answered_500->log[0].error, "HTTP 500: database busy");
}

TEST_P(WebhookTest, AReceiverWithAnotherSecretRefusesEverything) {
  Receiver receiver({});
  MustSubscribe(org_a_, receiver.url());
  auto other = measure::NewWebhookSecret();
  ASSERT_TRUE(other.ok());
  receiver.SetSecret(*other);
  receiver.SetNow(clock_.NowMs() / 1000);
  Record(org_a_, storage::kEventPostVerified, "{}");
  auto run =
      DeliverWebhooks(*ctx_, CurlSender({.allow_private_addresses = true}), {.timeout_ms = 2'000});
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->retrying, 1);
  EXPECT_EQ(receiver.bad_signatures(), 1);
  EXPECT_TRUE(receiver.acted_on().empty());
  EXPECT_EQ(OnlyDelivery(org_a_).last_status, 401);
}

TEST_P(WebhookTest, TheDefaultSenderRefusesPrivateAddresses) {
  // A subscription may name any http(s) URL; the sender checks where it actually connects.
  Receiver receiver({});
  const CreatedSubscription s = MustSubscribe(org_a_, receiver.url());
  receiver.SetSecret(s.secret);
  receiver.SetNow(clock_.NowMs() / 1000);
  Record(org_a_, storage::kEventPostVerified, "{}");
  auto run = DeliverWebhooks(*ctx_, CurlSender(), {.timeout_ms = 2'000});
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(run->retrying, 1);
  EXPECT_EQ(receiver.requests(), 0);
  EXPECT_NE(OnlyDelivery(org_a_).last_error.find("127.0.0.1 is not a public address"),
            std::string::npos)
      << OnlyDelivery(org_a_).last_error;
}

TEST(PublicAddress, KnowsTheNonPublicRanges) {
  for (const char* ip : {"127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
                         "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1", "::1", "::",
                         "fe80::1", "fd00::1", "::ffff:10.0.0.1", "2001:db8::1", "not an ip"}) {
    EXPECT_FALSE(IsPublicAddress(ip)) << ip;
  }
  for (const char* ip : {"8.8.8.8", "172.32.0.1", "100.128.0.1", "93.184.216.34", "2606:4700::1111",
                         "::ffff:8.8.4.4"}) {
    EXPECT_TRUE(IsPublicAddress(ip)) << ip;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, WebhookTest, ::testing::Values("sqlite", "postgres"));

}  // namespace
}  // namespace seedcast::app

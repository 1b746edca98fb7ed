// Webhook subscriptions and the delivery worker (app/webhooks.h); the delivery log and replays
// are in webhook_log.cc.
#include "app/webhooks.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <boost/asio/ip/address.hpp>
#include <boost/url.hpp>
#include <mutex>

#include "app/accounts_internal.h"
#include "app/secrets.h"
#include "app/webhooks_internal.h"
#include "common/iso_time.h"
#include "common/text.h"
#include "measure/utm.h"
#include "measure/webhook_backoff.h"
#include "measure/webhook_signature.h"
#include "storage/event_outbox.h"

namespace seedcast::app {

using storage::ConnectionPool;
using storage::Intent;
using storage::Row;
using storage::Value;

namespace {

constexpr std::string_view kSecretContext = "webhook_subscriptions.secret";
constexpr size_t kMaxUrlBytes = 2048;
constexpr size_t kMaxErrorBytes = 300;
constexpr int64_t kClaimMarginMs = 60'000;

Status CheckUrl(const std::string& url) {
  if (url.size() > kMaxUrlBytes) {
    return InvalidArgument(fmt::format("url: at most {} bytes", kMaxUrlBytes)).WithField("url");
  }
  Status web = measure::CheckLandingUrl(url);
  if (!web.ok()) return web.WithField("url");
  // Credentials in the URL would be stored and listed in plain text; the signature is the
  // receiver's proof of who sent it.
  if (boost::urls::parse_uri(url)->has_userinfo()) {
    return InvalidArgument("url: a webhook URL may not carry a user name or password")
        .WithField("url")
        .WithReason("bad_url");
  }
  return Status::Ok();
}

// The types, each known, without repeats, in the order given.
Result<std::vector<std::string>> CheckEvents(const std::vector<std::string>& events) {
  std::vector<std::string> out;
  for (size_t i = 0; i < events.size(); ++i) {
    if (!storage::IsEventType(events[i])) {
      return InvalidArgument(fmt::format("events[{}]: no event type is named \"{}\"", i, events[i]))
          .WithField(fmt::format("events[{}]", i))
          .WithReason("unknown_event_type");
    }
    if (std::find(out.begin(), out.end(), events[i]) == out.end()) out.push_back(events[i]);
  }
  return out;
}

// ",a,b," (the form event_outbox.cc matches with LIKE), or "" for every type.
std::string Framed(const std::vector<std::string>& events) {
  if (events.empty()) return "";
  std::string out = ",";
  for (const std::string& e : events) out += e + ",";
  return out;
}

std::vector<std::string> Unframed(std::string_view framed) {
  std::vector<std::string> out;
  for (std::string_view e : text::Split(framed, ",")) {
    if (!e.empty()) out.emplace_back(e);
  }
  return out;
}

constexpr std::string_view kSubscriptionColumns =
    "id, COALESCE(org_id, 0), url, events, active, created_at_ms, updated_at_ms";

Subscription ReadSubscription(const Row& r) {
  return {.id = r.Int(0),
          .org_id = r.Int(1),
          .url = std::string(r.Text(2)),
          .events = Unframed(r.Text(3)),
          .active = r.Int(4) != 0,
          .created_at_ms = r.Int(5),
          .updated_at_ms = r.Int(6)};
}

// What a receiver's answer may put in the log: printable ASCII, bounded.
std::string Printable(std::string_view s) {
  std::string out;
  for (const char ch : s.substr(0, kMaxErrorBytes)) {
    out += ch >= 0x20 && ch < 0x7f ? ch : '?';
  }
  return out;
}

// A delivery claimed by this worker, with what it takes to send it.
struct Claimed {
  int64_t id = 0;
  std::string message_id;
  int attempts = 0;
  std::string type;
  std::string payload;
  int64_t event_at_ms = 0;
  std::string url;
  std::string secret_sealed;
};

Result<std::vector<Claimed>> Claim(AppContext& ctx, storage::Database& db, int batch,
                                   int64_t claimed_until_ms) {
  const int64_t now = ctx.clock().NowMs();
  std::vector<int64_t> ids;
  // The outer conditions repeat the inner ones: a PostgreSQL UPDATE that waited for a concurrent
  // claim re-checks them on the row as the other worker left it, and skips it.
  SEEDCAST_RETURN_IF_ERROR(db.Query(
      "UPDATE webhook_deliveries SET claimed_until_ms = ? WHERE id IN (SELECT d.id FROM "
      "webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id WHERE "
      "d.state = 'pending' AND d.next_attempt_at_ms <= ? AND (d.claimed_until_ms IS NULL OR "
      "d.claimed_until_ms < ?) AND s.active = 1 ORDER BY d.next_attempt_at_ms, d.id LIMIT ?) AND "
      "state = 'pending' AND (claimed_until_ms IS NULL OR claimed_until_ms < ?) RETURNING id",
      {claimed_until_ms, now, now, int64_t{batch}, now}, [&ids](const Row& r) {
        ids.push_back(r.Int(0));
        return Status::Ok();
      }));
  std::sort(ids.begin(), ids.end());
  std::vector<Claimed> out;
  for (const int64_t id : ids) {
    SEEDCAST_RETURN_IF_ERROR(db.Query(
        "SELECT d.message_id, d.attempts, e.type, e.payload, e.created_at_ms, s.url, "
        "s.secret_sealed FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id "
        "JOIN webhook_subscriptions s ON s.id = d.subscription_id WHERE d.id = ?",
        {id}, [&](const Row& r) {
          out.push_back({id, std::string(r.Text(0)), static_cast<int>(r.Int(1)),
                         std::string(r.Text(2)), std::string(r.Text(3)), r.Int(4),
                         std::string(r.Text(5)), std::string(r.Text(6))});
          return Status::Ok();
        }));
  }
  return out;
}

// The body every attempt of an event sends.
std::string BodyOf(const Claimed& c) {
  nlohmann::ordered_json data = nlohmann::ordered_json::parse(c.payload, nullptr, false);
  if (data.is_discarded()) data = nullptr;
  const nlohmann::ordered_json body = {
      {"type", c.type}, {"timestamp", FormatIsoTime(c.event_at_ms)}, {"data", data}};
  return body.dump();
}

// The signed request of one attempt at `at_ms`; a failure (the secret cannot be opened) is the
// attempt's error.
Result<WebhookRequest> RequestOf(AppContext& ctx, const KeyRing& keys, const Claimed& c,
                                 int64_t at_ms, int64_t timeout_ms) {
  SEEDCAST_ASSIGN_OR_RETURN(std::string secret,
                            internal::OpenSealed(ctx, keys, c.secret_sealed, kSecretContext));
  const int64_t timestamp_s = at_ms / 1000;
  WebhookRequest request{.url = c.url, .body = BodyOf(c), .timeout_ms = timeout_ms};
  SEEDCAST_ASSIGN_OR_RETURN(std::string signature,
                            measure::SignWebhook(secret, c.message_id, timestamp_s, request.body));
  request.headers = {{"content-type", "application/json"},
                     {"user-agent", "Seedcast-Webhooks/1"},
                     {"webhook-id", c.message_id},
                     {"webhook-timestamp", std::to_string(timestamp_s)},
                     {"webhook-signature", signature}};
  return request;
}

enum class Outcome { kDelivered, kRetrying, kFailed };

// Logs the attempt and moves the delivery on: delivered, due again, or failed for good. A worker
// whose claim lapsed and was taken over logs its attempt and leaves the delivery to the other.
Result<Outcome> Record(AppContext& ctx, const Claimed& c, int64_t claimed_until_ms, int64_t at_ms,
                       const WebhookResponse& response, int64_t duration_ms) {
  const int64_t now = ctx.clock().NowMs();
  const bool ok = response.status >= 200 && response.status < 300;
  const std::string error =
      ok ? ""
         : Printable(response.error.empty() ? fmt::format("HTTP {}", response.status)
                                            : response.error);
  const std::optional<int64_t> next =
      ok ? std::nullopt : measure::NextAttemptAtMs(c.message_id, c.attempts + 1, now);
  const Outcome outcome = ok ? Outcome::kDelivered : next ? Outcome::kRetrying : Outcome::kFailed;
  const Value status = response.status == 0 ? Value(nullptr) : Value(int64_t{response.status});
  const char* state = ok ? "delivered" : next ? "pending" : "failed";
  const Status logged = internal::InWriteTransaction(ctx, [&](storage::Database& db) {
    SEEDCAST_RETURN_IF_ERROR(db.Execute(
        "INSERT INTO webhook_attempts (delivery_id, at_ms, status, error, duration_ms) VALUES "
        "(?, ?, ?, ?, ?)",
        {c.id, at_ms, status, std::string_view(error), duration_ms}));
    return db.Execute(
        "UPDATE webhook_deliveries SET state = ?, attempts = attempts + 1, last_status = ?, "
        "last_error = ?, next_attempt_at_ms = ?, delivered_at_ms = ?, claimed_until_ms = NULL "
        "WHERE id = ? AND claimed_until_ms = ?",
        {std::string_view(state), status, std::string_view(error), next.value_or(now),
         ok ? Value(now) : Value(nullptr), c.id, claimed_until_ms});
  });
  if (!logged.ok()) return logged;
  return outcome;
}

size_t KeepBody(char* data, size_t size, size_t count, void* user) {
  auto* body = static_cast<std::string*>(user);
  const size_t bytes = size * count;
  if (body->size() < kMaxErrorBytes) body->append(data, std::min(bytes, kMaxErrorBytes));
  return bytes;
}

}  // namespace

Result<CreatedSubscription> Subscribe(AppContext& ctx, const storage::Scope& scope,
                                      const SubscriptionSpec& spec) {
  SEEDCAST_RETURN_IF_ERROR(internal::NeedsOrgScope(scope));
  const int64_t org = scope.everything() ? spec.org_id : scope.org_id();
  if (spec.org_id != 0 && spec.org_id != org) {
    return NotFound(fmt::format("no organisation has id {}", spec.org_id)).WithField("org_id");
  }
  SEEDCAST_RETURN_IF_ERROR(CheckUrl(spec.url));
  SEEDCAST_ASSIGN_OR_RETURN(std::vector<std::string> events, CheckEvents(spec.events));
  SEEDCAST_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRing> keys, ctx.keyring());
  CreatedSubscription out;
  SEEDCAST_ASSIGN_OR_RETURN(out.secret, measure::NewWebhookSecret());
  SEEDCAST_ASSIGN_OR_RETURN(std::string sealed, keys->Seal(out.secret, kSecretContext));
  const int64_t now = ctx.clock().NowMs();
  out.subscription = {
      .org_id = org, .url = spec.url, .events = events, .created_at_ms = now, .updated_at_ms = now};
  const Status stored = internal::InWriteTransaction(ctx, [&](storage::Database& db) -> Status {
    if (org != 0) {
      SEEDCAST_ASSIGN_OR_RETURN(int64_t found,
                                db.QueryInt("SELECT COUNT(*) FROM orgs WHERE id = ?", {org}));
      if (found == 0) return NotFound(fmt::format("no organisation has id {}", org));
    }
    SEEDCAST_ASSIGN_OR_RETURN(int64_t active,
                              db.QueryInt("SELECT COUNT(*) FROM webhook_subscriptions WHERE "
                                          "COALESCE(org_id, 0) = ? AND active = 1",
                                          {org}));
    if (active >= kMaxSubscriptionsPerOrg) {
      return Status(StatusCode::kResourceExhausted,
                    fmt::format("an organisation has at most {} active webhook subscriptions; "
                                "disable one first",
                                kMaxSubscriptionsPerOrg))
          .WithReason("too_many_subscriptions");
    }
    const std::string framed = Framed(events);
    SEEDCAST_ASSIGN_OR_RETURN(
        out.subscription.id,
        db.Insert("INSERT INTO webhook_subscriptions (org_id, url, events, secret_sealed, "
                  "created_at_ms, updated_at_ms) VALUES (?, ?, ?, ?, ?, ?)",
                  {org == 0 ? Value(nullptr) : Value(org), std::string_view(spec.url),
                   std::string_view(framed), std::string_view(sealed), now, now}));
    return Status::Ok();
  });
  if (!stored.ok()) return stored;
  return out;
}

Result<std::vector<Subscription>> ListSubscriptions(AppContext& ctx, const storage::Scope& scope) {
  SEEDCAST_RETURN_IF_ERROR(internal::NeedsOrgScope(scope));
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire());
  std::vector<Subscription> out;
  SEEDCAST_RETURN_IF_ERROR(db->Query(
      fmt::format("SELECT {} FROM webhook_subscriptions WHERE (? = 1 OR org_id = ?) ORDER BY id",
                  kSubscriptionColumns),
      {scope.sql_all(), scope.sql_org()}, [&out](const Row& r) {
        out.push_back(ReadSubscription(r));
        return Status::Ok();
      }));
  return out;
}

Result<Subscription> DisableSubscription(AppContext& ctx, const storage::Scope& scope,
                                         int64_t subscription_id) {
  SEEDCAST_RETURN_IF_ERROR(internal::NeedsOrgScope(scope));
  std::optional<Subscription> out;
  const Status disabled = internal::InWriteTransaction(ctx, [&](storage::Database& db) -> Status {
    const int64_t now = ctx.clock().NowMs();
    SEEDCAST_RETURN_IF_ERROR(
        db.Query(fmt::format("UPDATE webhook_subscriptions SET active = 0, updated_at_ms = ? "
                             "WHERE id = ? AND (? = 1 OR org_id = ?) RETURNING {}",
                             kSubscriptionColumns),
                 {now, subscription_id, scope.sql_all(), scope.sql_org()}, [&out](const Row& r) {
                   out = ReadSubscription(r);
                   return Status::Ok();
                 }));
    if (!out) return NotFound(fmt::format("no webhook subscription {}", subscription_id));
    return db.Execute(
        "UPDATE webhook_deliveries SET state = 'failed', last_error = 'subscription disabled', "
        "claimed_until_ms = NULL WHERE subscription_id = ? AND state = 'pending'",
        {subscription_id});
  });
  if (!disabled.ok()) return disabled;
  return *out;
}

bool IsPublicAddress(std::string_view ip) {
  boost::system::error_code ec;
  boost::asio::ip::address a = boost::asio::ip::make_address(std::string(ip), ec);
  if (ec) return false;
  if (a.is_v6()) {
    const boost::asio::ip::address_v6 v6 = a.to_v6();
    if (v6.is_v4_mapped()) {
      a = boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, v6);
    } else {
      const auto b = v6.to_bytes();
      const bool unique_local = (b[0] & 0xfe) == 0xfc;  // fc00::/7
      const bool documentation = b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8;
      return !(v6.is_loopback() || v6.is_unspecified() || v6.is_link_local() ||
               v6.is_site_local() || v6.is_multicast() || unique_local || documentation);
    }
  }
  const uint32_t v4 = a.to_v4().to_uint();
  auto in = [v4](uint32_t net, int bits) { return (v4 >> (32 - bits)) == (net >> (32 - bits)); };
  return !(in(0x00000000, 8) || in(0x0a000000, 8) || in(0x64400000, 10) || in(0x7f000000, 8) ||
           in(0xa9fe0000, 16) || in(0xac100000, 12) || in(0xc0000000, 24) || in(0xc0000200, 24) ||
           in(0xc0a80000, 16) || in(0xc6120000, 15) || in(0xc6336400, 24) || in(0xcb007100, 24) ||
           in(0xe0000000, 4) || in(0xf0000000, 4));
}

namespace {

// libcurl's check once connected, before the request is sent: the connected address must be
// public (see CurlSenderOptions).
int RefusePrivateAddress(void* refused, char* primary_ip, char* /*local_ip*/, int /*primary_port*/,
                         int /*local_port*/) {
  if (IsPublicAddress(primary_ip)) return CURL_PREREQFUNC_OK;
  *static_cast<std::string*>(refused) = primary_ip;
  return CURL_PREREQFUNC_ABORT;
}

WebhookResponse SendWithCurl(const WebhookRequest& request, const CurlSenderOptions& options) {
  static std::once_flag init;
  std::call_once(init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return {.error = "libcurl could not start a transfer"};
  curl_slist* list = nullptr;
  for (const auto& [name, value] : request.headers) {
    const std::string line = fmt::format("{}: {}", name, value);
    list = curl_slist_append(list, line.c_str());
  }
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(list, curl_slist_free_all);
  std::string answer;
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, KeepBody);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &answer);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout_ms));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  std::string refused;  // the address the policy refused, if any
  if (!options.allow_private_addresses) {
    curl_easy_setopt(c, CURLOPT_PREREQFUNCTION, RefusePrivateAddress);
    curl_easy_setopt(c, CURLOPT_PREREQDATA, &refused);
  }
  const CURLcode rc = curl_easy_perform(c);
  if (!refused.empty()) {
    return {.error = fmt::format("the receiver's address {} is not a public address", refused)};
  }
  if (rc != CURLE_OK) return {.error = curl_easy_strerror(rc)};
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  WebhookResponse out{.status = static_cast<int>(status)};
  if (status < 200 || status >= 300) {
    out.error = fmt::format("HTTP {}{}{}", status, answer.empty() ? "" : ": ", answer);
  }
  return out;
}

}  // namespace

WebhookSender CurlSender(CurlSenderOptions options) {
  return [options](const WebhookRequest& request) { return SendWithCurl(request, options); };
}

Result<DeliveryRun> DeliverWebhooks(AppContext& ctx, const WebhookSender& sender,
                                    const DeliveryOptions& options) {
  SEEDCAST_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRing> keys, ctx.keyring());
  // Long enough for the whole batch to time out, so a claim lapses only when its worker died.
  const int64_t claimed_until =
      ctx.clock().NowMs() + options.batch * (options.timeout_ms + 1'000) + kClaimMarginMs;
  std::vector<Claimed> claimed;
  {
    SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire(Intent::kWrite));
    SEEDCAST_ASSIGN_OR_RETURN(claimed, Claim(ctx, *db, options.batch, claimed_until));
  }
  DeliveryRun run;
  for (size_t i = 0; i < claimed.size(); ++i) {
    const Claimed& c = claimed[i];
    if (options.stop != nullptr && options.stop->load()) {
      SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire(Intent::kWrite));
      for (size_t j = i; j < claimed.size(); ++j) {
        SEEDCAST_RETURN_IF_ERROR(
            db->Execute("UPDATE webhook_deliveries SET claimed_until_ms = NULL WHERE id = ? AND "
                        "claimed_until_ms = ?",
                        {claimed[j].id, claimed_until}));
      }
      break;
    }
    const int64_t at = ctx.clock().NowMs();
    Result<WebhookRequest> request = RequestOf(ctx, *keys, c, at, options.timeout_ms);
    const int64_t started = SteadyNowMs();
    const WebhookResponse response =
        request.ok() ? sender(*request) : WebhookResponse{.error = request.status().ToString()};
    SEEDCAST_ASSIGN_OR_RETURN(Outcome outcome,
                              Record(ctx, c, claimed_until, at, response, SteadyNowMs() - started));
    ++run.attempted;
    switch (outcome) {
      case Outcome::kDelivered:
        ++run.delivered;
        break;
      case Outcome::kRetrying:
        ++run.retrying;
        break;
      case Outcome::kFailed:
        ++run.failed;
        break;
    }
  }
  return run;
}

nlohmann::ordered_json SubscriptionToJson(const Subscription& s) {
  return {{"id", s.id},
          {"org_id", s.org_id},
          {"url", s.url},
          {"events", s.events},
          {"active", s.active},
          {"created_at", FormatIsoTime(s.created_at_ms)},
          {"updated_at", FormatIsoTime(s.updated_at_ms)}};
}

nlohmann::ordered_json CreatedSubscriptionToJson(const CreatedSubscription& c) {
  nlohmann::ordered_json j = SubscriptionToJson(c.subscription);
  j["secret"] = c.secret;
  return j;
}

nlohmann::ordered_json DeliveryRunToJson(const DeliveryRun& r) {
  return {{"attempted", r.attempted},
          {"delivered", r.delivered},
          {"retrying", r.retrying},
          {"failed", r.failed}};
}

}  // namespace seedcast::app

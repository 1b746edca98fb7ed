// Webhook signatures (Standard Webhooks) and the retry schedule.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "measure/webhook_backoff.h"
#include "measure/webhook_signature.h"

namespace seedcast::measure {
namespace {

// The example of the Standard Webhooks specification, which its reference libraries also check.
constexpr std::string_view kSpecSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
constexpr std::string_view kSpecId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
constexpr int64_t kSpecTime = 1614265330;
constexpr std::string_view kSpecBody = R"({"test": 2432232314})";
constexpr std::string_view kSpecSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

const std::string kTime = std::to_string(kSpecTime);

TEST(WebhookSignature, MatchesTheSpecificationsExample) {
  auto signed_ = SignWebhook(kSpecSecret, kSpecId, kSpecTime, kSpecBody);
  ASSERT_TRUE(signed_.ok()) << signed_.status().ToString();
  EXPECT_EQ(*signed_, kSpecSignature);
  EXPECT_TRUE(
      VerifyWebhook(kSpecSecret, {kSpecId, kTime, kSpecSignature}, kSpecBody, kSpecTime).ok());
}

TEST(WebhookSignature, RefusesAWrongSecretATamperedBodyAndAnotherId) {
  auto other = NewWebhookSecret();
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(VerifyWebhook(*other, {kSpecId, kTime, kSpecSignature}, kSpecBody, kSpecTime).reason(),
            "webhook_signature_mismatch");
  EXPECT_EQ(VerifyWebhook(kSpecSecret, {kSpecId, kTime, kSpecSignature}, R"({"test": 2432232315})",
                          kSpecTime)
                .reason(),
            "webhook_signature_mismatch");
  EXPECT_EQ(VerifyWebhook(kSpecSecret, {"msg_other", kTime, kSpecSignature}, kSpecBody, kSpecTime)
                .reason(),
            "webhook_signature_mismatch");
  // The same MAC under another version, or cut short, does not count.
  EXPECT_EQ(VerifyWebhook(kSpecSecret,
                          {kSpecId, kTime, "v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="},
                          kSpecBody, kSpecTime)
                .code(),
            StatusCode::kUnauthenticated);
  EXPECT_EQ(
      VerifyWebhook(kSpecSecret, {kSpecId, kTime, "v1,g0hM9SsE+OTPJTGt"}, kSpecBody, kSpecTime)
          .reason(),
      "webhook_signature_mismatch");
}

TEST(WebhookSignature, RefusesStaleAndFutureTimestampsBeyondTheTolerance) {
  // Signed at kSpecTime; the receiver's clock is 5 minutes and one second later, or earlier.
  const Status stale =
      VerifyWebhook(kSpecSecret, {kSpecId, kTime, kSpecSignature}, kSpecBody, kSpecTime + 301);
  EXPECT_EQ(stale.code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(stale.reason(), "webhook_timestamp_stale");
  EXPECT_EQ(VerifyWebhook(kSpecSecret, {kSpecId, kTime, kSpecSignature}, kSpecBody, kSpecTime - 301)
                .reason(),
            "webhook_timestamp_future");
  // At the edge of the tolerance, and with a tolerance of one's own.
  EXPECT_TRUE(
      VerifyWebhook(kSpecSecret, {kSpecId, kTime, kSpecSignature}, kSpecBody, kSpecTime + 300)
          .ok());
  EXPECT_EQ(VerifyWebhook(kSpecSecret, {kSpecId, kTime, kSpecSignature}, kSpecBody, kSpecTime + 61,
                          {.tolerance_s = 60})
                .reason(),
            "webhook_timestamp_stale");
  EXPECT_EQ(
      VerifyWebhook(kSpecSecret, {kSpecId, "16142653x0", kSpecSignature}, kSpecBody, kSpecTime)
          .reason(),
      "webhook_timestamp_invalid");
  EXPECT_EQ(
      VerifyWebhook(kSpecSecret, {kSpecId, "", kSpecSignature}, kSpecBody, kSpecTime).reason(),
      "webhook_headers_missing");
}

TEST(WebhookSignature, AcceptsAnyOfSeveralSignaturesWhileASecretRotates) {
  auto fresh = NewWebhookSecret();
  ASSERT_TRUE(fresh.ok());
  auto by_fresh = SignWebhook(*fresh, kSpecId, kSpecTime, kSpecBody);
  ASSERT_TRUE(by_fresh.ok());
  const std::string both = *by_fresh + " " + std::string(kSpecSignature);
  EXPECT_TRUE(VerifyWebhook(kSpecSecret, {kSpecId, kTime, both}, kSpecBody, kSpecTime).ok());
  EXPECT_TRUE(VerifyWebhook(*fresh, {kSpecId, kTime, both}, kSpecBody, kSpecTime).ok());
  auto third = NewWebhookSecret();
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(VerifyWebhook(*third, {kSpecId, kTime, both}, kSpecBody, kSpecTime).reason(),
            "webhook_signature_mismatch");
}

TEST(WebhookSignature, SecretsAreFreshAndMalformedOnesAreRefused) {
  std::set<std::string> seen;
  for (int i = 0; i < 20; ++i) {
    auto s = NewWebhookSecret();
    ASSERT_TRUE(s.ok());
    EXPECT_TRUE(s->starts_with("whsec_"));
    EXPECT_EQ(s->size(), 6U + 44U);  // base64 of 32 bytes
    seen.insert(*s);
  }
  EXPECT_EQ(seen.size(), 20U);
  EXPECT_EQ(SignWebhook("whsec_c2hvcnQ=", kSpecId, kSpecTime, kSpecBody).status().reason(),
            "webhook_secret_invalid");
  EXPECT_EQ(SignWebhook("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", kSpecId, kSpecTime, kSpecBody)
                .status()
                .reason(),
            "webhook_secret_invalid");
}

TEST(WebhookBackoff, FollowsTheDocumentedScheduleAndSpansOverThreeDays) {
  constexpr int64_t kMinute = 60'000;
  constexpr int64_t kHour = 60 * kMinute;
  const int64_t want[] = {kMinute / 2,   2 * kMinute,   8 * kMinute, 32 * kMinute,
                          128 * kMinute, 512 * kMinute, 12 * kHour,  12 * kHour,
                          12 * kHour,    12 * kHour,    12 * kHour,  12 * kHour};
  int64_t nominal_span = 0;
  int64_t span = 0;
  int64_t at = 0;
  for (int k = 1; k < kWebhookMaxAttempts; ++k) {
    EXPECT_EQ(NominalRetryDelayMs(k), want[k - 1]) << k;
    const double j = RetryJitter("msg_1_1", k);
    EXPECT_GE(j, 0.0);
    EXPECT_LT(j, kMaxRetryJitter);
    const int64_t delay = RetryDelayMs("msg_1_1", k);
    EXPECT_GE(delay, want[k - 1]);
    EXPECT_LT(delay, want[k - 1] + want[k - 1] / 4 + 1);
    auto next = NextAttemptAtMs("msg_1_1", k, at);
    ASSERT_TRUE(next.has_value()) << k;
    EXPECT_EQ(*next, at + delay);
    at = *next;
    nominal_span += want[k - 1];
    span += delay;
  }
  EXPECT_EQ(nominal_span, 83 * kHour + 22 * kMinute + 30'000);
  EXPECT_GE(span, 72 * kHour);
  EXPECT_EQ(at, span);
  EXPECT_FALSE(NextAttemptAtMs("msg_1_1", kWebhookMaxAttempts, at).has_value());
  EXPECT_EQ(NominalRetryDelayMs(40), 12 * kHour);
}

TEST(WebhookBackoff, JitterIsStableForADeliveryAndSpreadsDeliveries) {
  EXPECT_EQ(RetryDelayMs("msg_7_2", 3), RetryDelayMs("msg_7_2", 3));
  std::set<int64_t> delays;
  for (int i = 0; i < 50; ++i) delays.insert(RetryDelayMs("msg_" + std::to_string(i) + "_1", 5));
  EXPECT_GT(delays.size(), 45U);  // 50 deliveries failing together do not retry together
}

}  // namespace
}  // namespace seedcast::measure

// Webhook signatures, as the Standard Webhooks scheme defines them, for the sender (the delivery
// worker) and for receivers (tests, and anyone's code that wants the reference).
//
// A secret is "whsec_" + the standard base64 (padded) of 32 random bytes; the HMAC key is those
// bytes. A message is signed over "{webhook-id}.{webhook-timestamp}.{body}" with HMAC-SHA256, and
// the signature is "v1," + the standard base64 of the 32-byte MAC. The webhook-signature header
// is a space-separated list of such signatures (several while a secret is rotated); a message
// verifies when any "v1" entry matches. Verification also refuses a timestamp further than the
// tolerance (default 5 minutes) from the receiver's clock, in either direction, so a captured
// message cannot be replayed later. MACs are compared in constant time (sodium_memcmp).
//
// Pure functions over libsodium; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace seedcast::measure {

inline constexpr std::string_view kWebhookSecretPrefix = "whsec_";
inline constexpr int64_t kDefaultToleranceS = int64_t{5} * 60;

// A new secret from libsodium's generator.
Result<std::string> NewWebhookSecret();

// "v1,<base64 MAC>" of the message; InvalidArgument (webhook_secret_invalid) when `secret` is not
// "whsec_" + base64 of at least 16 bytes.
Result<std::string> SignWebhook(std::string_view secret, std::string_view message_id,
                                int64_t timestamp_s, std::string_view body);

// The three headers as a receiver got them.
struct WebhookHeaders {
  std::string_view id;         // webhook-id
  std::string_view timestamp;  // webhook-timestamp: whole seconds since the Unix epoch
  std::string_view signature;  // webhook-signature: "v1,<b64> v1,<b64> ..."
};

struct VerifyOptions {
  int64_t tolerance_s = kDefaultToleranceS;
};

// Ok when a signature on the header is `secret`'s over the message and the timestamp is within
// the tolerance of `now_s`. Otherwise, by reason: webhook_headers_missing,
// webhook_timestamp_invalid (InvalidArgument); webhook_timestamp_stale, webhook_timestamp_future,
// webhook_signature_mismatch (Unauthenticated); webhook_secret_invalid (InvalidArgument, the
// receiver's own secret).
Status VerifyWebhook(std::string_view secret, const WebhookHeaders& headers, std::string_view body,
                     int64_t now_s, VerifyOptions options = {});

}  // namespace seedcast::measure

#include "measure/webhook_signature.h"

#include <sodium.h>

#include <array>
#include <charconv>
#include <vector>

#include "common/text.h"

namespace seedcast::measure {
namespace {

constexpr size_t kSecretBytes = 32;
constexpr size_t kMinSecretBytes = 16;
constexpr size_t kMaxSecretBytes = 64;
constexpr std::string_view kVersion = "v1,";

using Mac = std::array<unsigned char, crypto_auth_hmacsha256_BYTES>;

std::string Base64(const unsigned char* bytes, size_t size) {
  std::vector<char> out(sodium_base64_ENCODED_LEN(size, sodium_base64_VARIANT_ORIGINAL));
  sodium_bin2base64(out.data(), out.size(), bytes, size, sodium_base64_VARIANT_ORIGINAL);
  return out.data();
}

// Decodes standard base64 into at most `max` bytes; false when it is not that.
bool Unbase64(std::string_view text, size_t max, std::vector<unsigned char>* out) {
  out->assign(max, 0);
  size_t size = 0;
  if (sodium_base642bin(out->data(), out->size(), text.data(), text.size(), nullptr, &size, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0) {
    return false;
  }
  out->resize(size);
  return true;
}

// The HMAC key a secret names.
Result<std::vector<unsigned char>> KeyOf(std::string_view secret) {
  std::vector<unsigned char> key;
  if (!secret.starts_with(kWebhookSecretPrefix) ||
      !Unbase64(secret.substr(kWebhookSecretPrefix.size()), kMaxSecretBytes, &key) ||
      key.size() < kMinSecretBytes) {
    sodium_memzero(key.data(), key.size());
    return InvalidArgument(
               "a webhook secret is \"whsec_\" followed by the base64 of 16 to 64 bytes")
        .WithReason("webhook_secret_invalid");
  }
  return key;
}

Mac MacOf(const std::vector<unsigned char>& key, std::string_view message_id, int64_t timestamp_s,
          std::string_view body) {
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, key.data(), key.size());
  const std::string prefix = std::string(message_id) + "." + std::to_string(timestamp_s) + ".";
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(prefix.data()),
                                prefix.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(body.data()),
                                body.size());
  Mac mac{};
  crypto_auth_hmacsha256_final(&state, mac.data());
  sodium_memzero(&state, sizeof state);
  return mac;
}

}  // namespace

Result<std::string> NewWebhookSecret() {
  if (sodium_init() < 0) return Internal("libsodium could not be initialised");
  std::array<unsigned char, kSecretBytes> random{};
  randombytes_buf(random.data(), random.size());
  std::string secret = std::string(kWebhookSecretPrefix) + Base64(random.data(), random.size());
  sodium_memzero(random.data(), random.size());
  return secret;
}

Result<std::string> SignWebhook(std::string_view secret, std::string_view message_id,
                                int64_t timestamp_s, std::string_view body) {
  SEEDCAST_ASSIGN_OR_RETURN(std::vector<unsigned char> key, KeyOf(secret));
  const Mac mac = MacOf(key, message_id, timestamp_s, body);
  sodium_memzero(key.data(), key.size());
  return std::string(kVersion) + Base64(mac.data(), mac.size());
}

Status VerifyWebhook(std::string_view secret, const WebhookHeaders& h, std::string_view body,
                     int64_t now_s, VerifyOptions options) {
  if (h.id.empty() || h.timestamp.empty() || h.signature.empty()) {
    return InvalidArgument("webhook-id, webhook-timestamp and webhook-signature are all required")
        .WithReason("webhook_headers_missing");
  }
  int64_t timestamp_s = 0;
  auto [end, ec] =
      std::from_chars(h.timestamp.data(), h.timestamp.data() + h.timestamp.size(), timestamp_s);
  if (ec != std::errc() || end != h.timestamp.data() + h.timestamp.size()) {
    return InvalidArgument("webhook-timestamp must be whole seconds since the Unix epoch")
        .WithReason("webhook_timestamp_invalid")
        .WithField("webhook-timestamp");
  }
  if (timestamp_s < now_s - options.tolerance_s) {
    return Unauthenticated("webhook-timestamp is older than the tolerance")
        .WithReason("webhook_timestamp_stale");
  }
  if (timestamp_s > now_s + options.tolerance_s) {
    return Unauthenticated("webhook-timestamp is in the future")
        .WithReason("webhook_timestamp_future");
  }
  SEEDCAST_ASSIGN_OR_RETURN(std::vector<unsigned char> key, KeyOf(secret));
  const Mac want = MacOf(key, h.id, timestamp_s, body);
  sodium_memzero(key.data(), key.size());
  std::vector<unsigned char> got;
  for (std::string_view entry : text::Split(h.signature, " ")) {
    if (!entry.starts_with(kVersion)) continue;  // other versions and empty entries
    if (!Unbase64(entry.substr(kVersion.size()), want.size() + 1, &got)) continue;
    if (got.size() == want.size() && sodium_memcmp(got.data(), want.data(), want.size()) == 0) {
      return Status::Ok();
    }
  }
  return Unauthenticated("no signature on webhook-signature matches the message")
      .WithReason("webhook_signature_mismatch");
}

}  // namespace seedcast::measure

#include "measure/webhook_backoff.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

namespace seedcast::measure {

int64_t NominalRetryDelayMs(int failed_attempts) {
  int64_t delay = kFirstRetryDelayMs;
  for (int k = 1; k < failed_attempts && delay < kMaxRetryDelayMs; ++k) delay *= kRetryGrowth;
  return std::min(delay, kMaxRetryDelayMs);
}

double RetryJitter(std::string_view message_id, int failed_attempts) {
  const std::string input = std::string(message_id) + ":" + std::to_string(failed_attempts);
  std::array<unsigned char, 16> hash{};
  crypto_generichash(hash.data(), hash.size(), reinterpret_cast<const unsigned char*>(input.data()),
                     input.size(), nullptr, 0);
  uint64_t bits = 0;
  for (int i = 0; i < 8; ++i) bits = (bits << 8) | hash[i];
  // The top 53 bits, exactly representable: the fraction stays below 1.
  return std::ldexp(static_cast<double>(bits >> 11), -53) * kMaxRetryJitter;
}

int64_t RetryDelayMs(std::string_view message_id, int failed_attempts) {
  const int64_t nominal = NominalRetryDelayMs(failed_attempts);
  return nominal + static_cast<int64_t>(static_cast<double>(nominal) *
                                        RetryJitter(message_id, failed_attempts));
}

std::optional<int64_t> NextAttemptAtMs(std::string_view message_id, int failed_attempts,
                                       int64_t now_ms) {
  if (failed_attempts >= kWebhookMaxAttempts) return std::nullopt;
  return now_ms + RetryDelayMs(message_id, failed_attempts);
}

}  // namespace seedcast::measure

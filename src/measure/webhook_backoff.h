// The retry schedule of webhook deliveries: exponential backoff with jitter, long enough that a
// receiver may be down for three days without losing an event.
//
// Attempt 1 is made when the event is recorded. After the k-th failed attempt (k = 1..12) the
// next is due after
//   delay(k) = min(30 s × 4^(k-1), 12 h) × (1 + j),  j in [0, 0.25)
// that is 30 s, 2 min, 8 min, 32 min, 2 h 8 min, 8 h 32 min, then 12 h six times, each stretched
// by up to a quarter. The 13th failed attempt marks the delivery failed. Without jitter the last
// attempt comes 83 h 22 min 30 s after the first; jitter only adds, so never under 72 h.
//
// The jitter is not drawn from a generator: j is the top 53 bits of the first 8 bytes of
// BLAKE2b-128("{message id}:{k}"), as a fraction of 2^53, times 0.25. Deliveries that failed
// together (a receiver's outage) still spread out, while every server, and a test, computes the
// same time for the same delivery.
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace seedcast::measure {

inline constexpr int kWebhookMaxAttempts = 13;
inline constexpr int64_t kFirstRetryDelayMs = 30'000;
inline constexpr int64_t kRetryGrowth = 4;
inline constexpr int64_t kMaxRetryDelayMs = int64_t{12} * 3'600'000;
inline constexpr double kMaxRetryJitter = 0.25;

// delay(k) without its jitter; `failed_attempts` is k, from 1.
int64_t NominalRetryDelayMs(int failed_attempts);

// The jitter fraction j of a delivery's k-th retry, in [0, kMaxRetryJitter).
double RetryJitter(std::string_view message_id, int failed_attempts);

// delay(k) with its jitter.
int64_t RetryDelayMs(std::string_view message_id, int failed_attempts);

// When the attempt after `failed_attempts` failures (the last at `now_ms`) is due; none when
// that was the last attempt and the delivery has failed.
std::optional<int64_t> NextAttemptAtMs(std::string_view message_id, int failed_attempts,
                                       int64_t now_ms);

}  // namespace seedcast::measure

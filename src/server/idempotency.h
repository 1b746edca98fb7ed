// Idempotency-Key on POST: the first response to a key is stored with a hash of its request, and
// a replay of the same request gets that response again instead of acting twice. The same key
// with a different request is refused (422); one still being answered gets 409 and Retry-After.
// Server failures (5xx) are not stored, so the client may retry them with the same key.
//
// Keys are per principal. Records live in the store, so every server behind a load balancer
// sees them. A key is remembered for 24 hours; a claim whose answer never came (its server died)
// is given up after 15 minutes, and the key may then be used again. Expired records are purged
// now and then by the claims themselves. Thread-safe (each call takes its own connection).
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>

#include "app/context.h"
#include "server/router.h"

namespace seedcast::server {

class IdempotencyStore {
 public:
  static constexpr int64_t kKeepMs = int64_t{24} * 3600 * 1000;
  static constexpr int64_t kAbandonedMs = int64_t{15} * 60 * 1000;

  explicit IdempotencyStore(app::AppContext& ctx) : ctx_(ctx) {}

  // A claim on a key: the stored answer of a replay, or none when the request is new and should
  // run, and when the claim was made (it names the claim for Finish and Release).
  struct Claimed {
    std::optional<Response> replay;
    int64_t at_ms = 0;
  };
  // Claims the key for this request. kFailedPrecondition (idempotency_key_reused) for a different
  // request; kAborted while the first one is still running.
  Result<Claimed> Claim(const std::string& principal, const std::string& key,
                        const std::string& request_hash);
  // Stores the answer (status, content type, body and headers) of the claim made at `at_ms`; a
  // claim given up meanwhile and taken by another request is left alone.
  Status Finish(const std::string& principal, const std::string& key, int64_t at_ms,
                const Response& response);
  // Forgets a claim whose request failed on the server's side.
  Status Release(const std::string& principal, const std::string& key, int64_t at_ms);

 private:
  app::AppContext& ctx_;
  std::atomic<uint64_t> claims_{0};
};

}  // namespace seedcast::server

#include "server/idempotency.h"

namespace seedcast::server {

using storage::ConnectionPool;
using storage::Intent;
using storage::Row;

Result<std::optional<Response>> IdempotencyStore::Claim(const std::string& principal,
                                                        const std::string& key,
                                                        const std::string& request_hash) {
  if (key.empty() || key.size() > 255) {
    return InvalidArgument("Idempotency-Key must be 1 to 255 characters")
        .WithField("Idempotency-Key");
  }
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx_.pool().Acquire(Intent::kWrite));
  bool claimed = false;
  SEEDCAST_RETURN_IF_ERROR(db->Query(
      "INSERT INTO idempotency_records (principal, idempotency_key, request_hash, created_at_ms) "
      "VALUES (?, ?, ?, ?) ON CONFLICT (principal, idempotency_key) DO NOTHING RETURNING 1",
      {std::string_view(principal), std::string_view(key), std::string_view(request_hash),
       ctx_.clock().NowMs()},
      [&claimed](const Row&) {
        claimed = true;
        return Status::Ok();
      }));
  if (claimed) return std::optional<Response>();
  std::optional<Response> stored;
  std::string stored_hash;
  bool finished = false;
  SEEDCAST_RETURN_IF_ERROR(db->Query(
      "SELECT request_hash, status, content_type, body FROM idempotency_records WHERE principal = "
      "? AND idempotency_key = ?",
      {std::string_view(principal), std::string_view(key)}, [&](const Row& r) {
        stored_hash = r.Text(0);
        finished = !r.IsNull(1);
        if (finished) {
          Response resp;
          resp.status = static_cast<int>(r.Int(1));
          resp.content_type = r.Text(2);
          resp.body = r.Text(3);
          stored = std::move(resp);
        }
        return Status::Ok();
      }));
  if (stored_hash.empty()) return Aborted("the idempotency key was released; retry");
  if (stored_hash != request_hash) {
    return FailedPrecondition("idempotency_key_reused",
                              "this Idempotency-Key was used for a different request")
        .WithField("Idempotency-Key");
  }
  if (!finished) {
    return Aborted("the first request with this Idempotency-Key is still running")
        .WithReason("idempotency_in_progress");
  }
  stored->headers.emplace_back("Idempotent-Replayed", "true");
  return stored;
}

Status IdempotencyStore::Finish(const std::string& principal, const std::string& key,
                                const Response& response) {
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx_.pool().Acquire(Intent::kWrite));
  return db->Execute(
      "UPDATE idempotency_records SET status = ?, content_type = ?, body = ? WHERE principal = ? "
      "AND idempotency_key = ?",
      {static_cast<int64_t>(response.status), std::string_view(response.content_type),
       std::string_view(response.body), std::string_view(principal), std::string_view(key)});
}

Status IdempotencyStore::Release(const std::string& principal, const std::string& key) {
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx_.pool().Acquire(Intent::kWrite));
  return db->Execute("DELETE FROM idempotency_records WHERE principal = ? AND idempotency_key = ?",
                     {std::string_view(principal), std::string_view(key)});
}

}  // namespace seedcast::server

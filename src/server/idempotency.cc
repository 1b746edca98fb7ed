#include "server/idempotency.h"

#include <nlohmann/json.hpp>

namespace seedcast::server {
namespace {

// Every this many claims, one of them purges the expired records of every principal.
constexpr uint64_t kPurgeEvery = 1000;

std::string HeadersJson(const Response& r) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [name, value] : r.headers) out.push_back({name, value});
  return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void RestoreHeaders(std::string_view text, Response* r) {
  const nlohmann::json stored = nlohmann::json::parse(text, nullptr, false);
  if (!stored.is_array()) return;
  for (const nlohmann::json& h : stored) {
    if (h.is_array() && h.size() == 2 && h[0].is_string() && h[1].is_string()) {
      r->headers.emplace_back(h[0].get<std::string>(), h[1].get<std::string>());
    }
  }
}

}  // namespace

using storage::ConnectionPool;
using storage::Intent;
using storage::Row;

Result<IdempotencyStore::Claimed> IdempotencyStore::Claim(const std::string& principal,
                                                          const std::string& key,
                                                          const std::string& request_hash) {
  if (key.empty() || key.size() > 255) {
    return InvalidArgument("Idempotency-Key must be 1 to 255 characters")
        .WithField("Idempotency-Key");
  }
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx_.pool().Acquire(Intent::kWrite));
  const int64_t now = ctx_.clock().NowMs();
  if (++claims_ % kPurgeEvery == 0) {
    SEEDCAST_RETURN_IF_ERROR(
        db->Execute("DELETE FROM idempotency_records WHERE created_at_ms < ?", {now - kKeepMs}));
  }
  // This key's record, when it has expired or its request was abandoned, no longer counts.
  SEEDCAST_RETURN_IF_ERROR(db->Execute(
      "DELETE FROM idempotency_records WHERE principal = ? AND idempotency_key = ? "
      "AND (created_at_ms < ? OR (status IS NULL AND created_at_ms < ?))",
      {std::string_view(principal), std::string_view(key), now - kKeepMs, now - kAbandonedMs}));
  bool claimed = false;
  SEEDCAST_RETURN_IF_ERROR(db->Query(
      "INSERT INTO idempotency_records (principal, idempotency_key, request_hash, created_at_ms) "
      "VALUES (?, ?, ?, ?) ON CONFLICT (principal, idempotency_key) DO NOTHING RETURNING 1",
      {std::string_view(principal), std::string_view(key), std::string_view(request_hash), now},
      [&claimed](const Row&) {
        claimed = true;
        return Status::Ok();
      }));
  if (claimed) return Claimed{.at_ms = now};
  std::optional<Response> stored;
  std::string stored_hash;
  bool finished = false;
  SEEDCAST_RETURN_IF_ERROR(db->Query(
      "SELECT request_hash, status, content_type, body, headers FROM idempotency_records WHERE "
      "principal = ? AND idempotency_key = ?",
      {std::string_view(principal), std::string_view(key)}, [&](const Row& r) {
        stored_hash = r.Text(0);
        finished = !r.IsNull(1);
        if (finished) {
          Response resp;
          resp.status = static_cast<int>(r.Int(1));
          resp.content_type = r.Text(2);
          resp.body = r.Text(3);
          RestoreHeaders(r.Text(4), &resp);
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
  return Claimed{.replay = std::move(stored)};
}

Status IdempotencyStore::Finish(const std::string& principal, const std::string& key, int64_t at_ms,
                                const Response& response) {
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx_.pool().Acquire(Intent::kWrite));
  return db->Execute(
      "UPDATE idempotency_records SET status = ?, content_type = ?, body = ?, headers = ? WHERE "
      "principal = ? AND idempotency_key = ? AND created_at_ms = ?",
      {static_cast<int64_t>(response.status), std::string_view(response.content_type),
       std::string_view(response.body), std::string_view(HeadersJson(response)),
       std::string_view(principal), std::string_view(key), at_ms});
}

Status IdempotencyStore::Release(const std::string& principal, const std::string& key,
                                 int64_t at_ms) {
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx_.pool().Acquire(Intent::kWrite));
  return db->Execute(
      "DELETE FROM idempotency_records WHERE principal = ? AND idempotency_key = ? AND "
      "created_at_ms = ?",
      {std::string_view(principal), std::string_view(key), at_ms});
}

}  // namespace seedcast::server

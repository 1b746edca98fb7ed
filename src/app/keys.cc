#include "app/keys.h"

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <array>

namespace seedcast::app {
namespace {

using storage::ConnectionPool;
using storage::Intent;
using storage::Row;

constexpr std::string_view kKeyPrefix = "sck_";
constexpr int64_t kLastUsedResolutionMs = 60'000;

Status EnsureSodium() {
  if (sodium_init() < 0) return Internal("libsodium could not be initialised");
  return Status::Ok();
}

}  // namespace

std::string Principal::Name() const {
  return kind == "api_key" ? fmt::format("key:{}", key_id) : "anonymous";
}

const std::vector<std::string>& KeyRoles() {
  static const std::vector<std::string> kRoles = {"operator"};
  return kRoles;
}

std::string HashHex(std::string_view data) {
  std::array<unsigned char, crypto_generichash_BYTES> hash{};
  crypto_generichash(hash.data(), hash.size(), reinterpret_cast<const unsigned char*>(data.data()),
                     data.size(), nullptr, 0);
  std::array<char, crypto_generichash_BYTES * 2 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), hash.data(), hash.size());
  return {hex.data(), hash.size() * 2};
}

Result<CreatedKey> CreateKey(AppContext& ctx, const std::string& role, const std::string& name) {
  const auto& roles = KeyRoles();
  if (std::find(roles.begin(), roles.end(), role) == roles.end()) {
    return InvalidArgument(fmt::format("role '{}' is not one of: {}", role, fmt::join(roles, ", ")))
        .WithField("role");
  }
  SEEDCAST_RETURN_IF_ERROR(EnsureSodium());
  std::array<unsigned char, 32> random{};
  randombytes_buf(random.data(), random.size());
  std::array<char, 64> encoded{};
  sodium_bin2base64(encoded.data(), encoded.size(), random.data(), random.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  CreatedKey key;
  key.secret = std::string(kKeyPrefix) + encoded.data();
  key.prefix = key.secret.substr(0, 12);
  key.role = role;
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire(Intent::kWrite));
  const std::string hash = HashHex(key.secret);
  SEEDCAST_ASSIGN_OR_RETURN(
      key.id, db->Insert("INSERT INTO api_keys (prefix, key_hash, role, name, created_at_ms) "
                         "VALUES (?, ?, ?, ?, ?)",
                         {std::string_view(key.prefix), std::string_view(hash),
                          std::string_view(role), std::string_view(name), ctx.clock().NowMs()}));
  sodium_memzero(random.data(), random.size());
  return key;
}

Result<std::vector<KeyInfo>> ListKeys(AppContext& ctx) {
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire());
  std::vector<KeyInfo> out;
  SEEDCAST_RETURN_IF_ERROR(
      db->Query("SELECT id, prefix, role, name, created_at_ms, COALESCE(last_used_at_ms, 0), "
                "CASE WHEN revoked_at_ms IS NULL THEN 0 ELSE 1 END FROM api_keys ORDER BY id",
                {}, [&out](const Row& r) {
                  out.push_back({r.Int(0), std::string(r.Text(1)), std::string(r.Text(2)),
                                 std::string(r.Text(3)), r.Int(4), r.Int(5), r.Int(6) != 0});
                  return Status::Ok();
                }));
  return out;
}

Status RevokeKey(AppContext& ctx, int64_t key_id) {
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire(Intent::kWrite));
  bool found = false;
  SEEDCAST_RETURN_IF_ERROR(db->Query(
      "UPDATE api_keys SET revoked_at_ms = COALESCE(revoked_at_ms, ?) WHERE id = ? RETURNING id",
      {ctx.clock().NowMs(), key_id}, [&found](const Row&) {
        found = true;
        return Status::Ok();
      }));
  if (!found) return NotFound(fmt::format("no API key has id {}", key_id));
  return Status::Ok();
}

Result<Principal> Authenticate(AppContext& ctx, const std::string& key) {
  if (!key.starts_with(kKeyPrefix)) {
    return Unauthenticated("the bearer token is not a Seedcast API key").WithReason("bad_key");
  }
  SEEDCAST_RETURN_IF_ERROR(EnsureSodium());
  const std::string hash = HashHex(key);
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire());
  std::optional<Principal> found;
  int64_t last_used = 0;
  bool revoked = false;
  SEEDCAST_RETURN_IF_ERROR(db->Query(
      "SELECT id, role, COALESCE(last_used_at_ms, 0), CASE WHEN revoked_at_ms IS NULL THEN 0 ELSE "
      "1 END FROM api_keys "
      "WHERE key_hash = ?",
      {std::string_view(hash)}, [&](const Row& r) {
        found = Principal{.kind = "api_key", .key_id = r.Int(0), .role = std::string(r.Text(1))};
        last_used = r.Int(2);
        revoked = r.Int(3) != 0;
        return Status::Ok();
      }));
  if (!found || revoked) {
    return Unauthenticated(revoked ? "the API key was revoked" : "unknown API key")
        .WithReason("bad_key");
  }
  const int64_t now = ctx.clock().NowMs();
  if (now - last_used >= kLastUsedResolutionMs) {
    // Best effort: a busy writer must neither fail nor hold up the request this key
    // authenticates, so the time is recorded only when the write slot is free now.
    std::optional<ConnectionPool::Lease> writer = ctx.pool().TryAcquire(Intent::kWrite);
    if (writer) {
      (void)(*writer)->Execute("UPDATE api_keys SET last_used_at_ms = ? WHERE id = ?",
                               {now, found->key_id});
    }
  }
  return *found;
}

}  // namespace seedcast::app

#include "app/keys.h"

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <array>

#include "app/audit.h"
#include "common/iso_time.h"

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
  if (kind == "api_key") return fmt::format("key:{}", key_id);
  if (kind == "session") return fmt::format("user:{}", user_id);
  return "anonymous";
}

std::string HashHex(std::string_view data) {
  std::array<unsigned char, crypto_generichash_BYTES> hash{};
  crypto_generichash(hash.data(), hash.size(), reinterpret_cast<const unsigned char*>(data.data()),
                     data.size(), nullptr, 0);
  std::array<char, crypto_generichash_BYTES * 2 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), hash.data(), hash.size());
  return {hex.data(), hash.size() * 2};
}

std::string NewSecret(std::string_view prefix) {
  std::array<unsigned char, 32> random{};
  randombytes_buf(random.data(), random.size());
  std::array<char, 64> encoded{};
  sodium_bin2base64(encoded.data(), encoded.size(), random.data(), random.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero(random.data(), random.size());
  return std::string(prefix) + encoded.data();
}

Result<CreatedKey> CreateKey(AppContext& ctx, const KeySpec& spec, const std::string& actor) {
  if (spec.access != "read" && spec.access != "write") {
    return InvalidArgument("a key's scope is read or write").WithField("scope");
  }
  if (spec.name.size() > 200) {
    return InvalidArgument("a key's name is at most 200 bytes").WithField("name");
  }
  SEEDCAST_RETURN_IF_ERROR(EnsureSodium());
  CreatedKey key;
  key.secret = NewSecret(kKeyPrefix);
  key.prefix = key.secret.substr(0, 12);
  key.role = spec.org_id == 0 ? "operator" : "member";
  key.org_id = spec.org_id;
  key.access = spec.access;
  const std::string hash = HashHex(key.secret);
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire(Intent::kWrite));
  Status s = storage::InTransaction(*db, [&]() -> Status {
    if (spec.org_id != 0) {
      SEEDCAST_ASSIGN_OR_RETURN(
          int64_t orgs, db->QueryInt("SELECT COUNT(*) FROM orgs WHERE id = ?", {spec.org_id}));
      if (orgs == 0) return NotFound(fmt::format("no organisation has id {}", spec.org_id));
    }
    SEEDCAST_ASSIGN_OR_RETURN(
        key.id,
        db->Insert("INSERT INTO api_keys (prefix, key_hash, role, name, created_at_ms, "
                   "org_id, scope) VALUES (?, ?, ?, ?, ?, ?, ?)",
                   {std::string_view(key.prefix), std::string_view(hash),
                    std::string_view(key.role), std::string_view(spec.name), ctx.clock().NowMs(),
                    spec.org_id == 0 ? storage::Value(nullptr) : storage::Value(spec.org_id),
                    std::string_view(spec.access)}));
    SecurityEvent e{
        .at_ms = ctx.clock().NowMs(), .kind = "key_created", .actor = actor, .org_id = spec.org_id};
    e.detail = {{"key_id", key.id}, {"prefix", key.prefix}, {"scope", spec.access}};
    return RecordEvent(*db, e);
  });
  if (!s.ok()) return s;
  return key;
}

Result<std::vector<KeyInfo>> ListKeys(AppContext& ctx, const storage::Scope& scope) {
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire());
  std::vector<KeyInfo> out;
  SEEDCAST_RETURN_IF_ERROR(
      db->Query("SELECT id, prefix, role, name, COALESCE(org_id, 0), scope, created_at_ms, "
                "COALESCE(last_used_at_ms, 0), CASE WHEN revoked_at_ms IS NULL THEN 0 ELSE 1 END "
                "FROM api_keys WHERE (? = 1 OR org_id = ?) ORDER BY id",
                {scope.sql_all(), scope.sql_org()}, [&out](const Row& r) {
                  out.push_back({r.Int(0), std::string(r.Text(1)), std::string(r.Text(2)),
                                 std::string(r.Text(3)), r.Int(4), std::string(r.Text(5)), r.Int(6),
                                 r.Int(7), r.Int(8) != 0});
                  return Status::Ok();
                }));
  return out;
}

Status RevokeKey(AppContext& ctx, const storage::Scope& scope, int64_t key_id,
                 const std::string& actor) {
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire(Intent::kWrite));
  return storage::InTransaction(*db, [&]() -> Status {
    std::optional<int64_t> org;
    SEEDCAST_RETURN_IF_ERROR(db->Query(
        "UPDATE api_keys SET revoked_at_ms = COALESCE(revoked_at_ms, ?) WHERE id = ? AND "
        "(? = 1 OR org_id = ?) RETURNING COALESCE(org_id, 0)",
        {ctx.clock().NowMs(), key_id, scope.sql_all(), scope.sql_org()}, [&org](const Row& r) {
          org = r.Int(0);
          return Status::Ok();
        }));
    if (!org) return NotFound(fmt::format("no API key has id {}", key_id));
    SecurityEvent e{
        .at_ms = ctx.clock().NowMs(), .kind = "key_revoked", .actor = actor, .org_id = *org};
    e.detail = {{"key_id", key_id}};
    return RecordEvent(*db, e);
  });
}

nlohmann::ordered_json KeyToJson(const KeyInfo& k) {
  using nlohmann::ordered_json;
  return {{"id", k.id},
          {"prefix", k.prefix},
          {"role", k.role},
          {"org_id", k.org_id == 0 ? ordered_json(nullptr) : ordered_json(k.org_id)},
          {"scope", k.access},
          {"name", k.name},
          {"created_at", FormatIsoTime(k.created_at_ms)},
          {"last_used_at", k.last_used_at_ms == 0 ? ordered_json(nullptr)
                                                  : ordered_json(FormatIsoTime(k.last_used_at_ms))},
          {"revoked", k.revoked}};
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
      "1 END, COALESCE(org_id, 0), scope FROM api_keys WHERE key_hash = ?",
      {std::string_view(hash)}, [&](const Row& r) {
        found = Principal{.kind = "api_key",
                          .key_id = r.Int(0),
                          .role = std::string(r.Text(1)),
                          .org_id = r.Int(4),
                          .can_write = r.Text(5) == "write"};
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

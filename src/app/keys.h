// API keys and the principal a request acts as.
//
// A key is "sck_" + 43 characters of base64url (256 random bits from libsodium). It is shown once,
// when created; the store keeps its first 12 characters (to name it in lists) and a BLAKE2b-256
// hash of the whole key, by which requests are looked up. Revoked keys stop authenticating.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "app/context.h"

namespace seedcast::app {

// Who a request acts as. Every handler receives one; anonymous ones reach only public routes.
struct Principal {
  std::string kind = "anonymous";  // anonymous, api_key
  int64_t key_id = 0;
  std::string role;  // operator (accounts and tenancy add more)
  // A stable name, for idempotency records and logs: "key:12".
  std::string Name() const;
  bool authenticated() const { return kind != "anonymous"; }
};

struct CreatedKey {
  int64_t id = 0;
  std::string secret;  // the whole key: shown once, never stored
  std::string prefix;
  std::string role;
};

struct KeyInfo {
  int64_t id = 0;
  std::string prefix;
  std::string role;
  std::string name;
  int64_t created_at_ms = 0;
  int64_t last_used_at_ms = 0;  // 0: never used
  bool revoked = false;
};

// The roles a key may have.
const std::vector<std::string>& KeyRoles();

Result<CreatedKey> CreateKey(AppContext& ctx, const std::string& role, const std::string& name);
Result<std::vector<KeyInfo>> ListKeys(AppContext& ctx);
Status RevokeKey(AppContext& ctx, int64_t key_id);
// The principal of an "Authorization: Bearer KEY" value's key; kUnauthenticated when the key is
// unknown or revoked. Records when the key was last used (at most once a minute per key).
Result<Principal> Authenticate(AppContext& ctx, const std::string& key);

// Hex BLAKE2b-256 of `data` (keys, request bodies, ETags).
std::string HashHex(std::string_view data);

}  // namespace seedcast::app

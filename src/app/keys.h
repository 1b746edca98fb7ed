// API keys.
//
// A key is "sck_" + 43 characters of base64url (256 random bits from libsodium). It is shown once,
// when created; the store keeps its first 12 characters (to name it in lists) and a BLAKE2b-256
// hash of the whole key, by which requests are looked up. Revoked keys stop authenticating.
//
// A key belongs to an organisation (it acts as a member of it) or is an operator's. Its scope is
// "read" (safe requests only) or "write". Each records when it was last used.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app/context.h"
#include "app/principal.h"

namespace seedcast::app {

struct KeySpec {
  int64_t org_id = 0;            // 0: an operator's key
  std::string access = "write";  // read, write
  std::string name;              // what the key is for
};

struct CreatedKey {
  int64_t id = 0;
  std::string secret;  // the whole key: shown once, never stored
  std::string prefix;
  std::string role;  // operator, member (an organisation's)
  int64_t org_id = 0;
  std::string access;
};

struct KeyInfo {
  int64_t id = 0;
  std::string prefix;
  std::string role;
  std::string name;
  int64_t org_id = 0;
  std::string access;
  int64_t created_at_ms = 0;
  int64_t last_used_at_ms = 0;  // 0: never used
  bool revoked = false;
};

// `actor` names who made it, for the security log.
Result<CreatedKey> CreateKey(AppContext& ctx, const KeySpec& spec, const std::string& actor);
// The keys within `scope`: an organisation's, or every key for operators.
Result<std::vector<KeyInfo>> ListKeys(AppContext& ctx, const storage::Scope& scope);
// kNotFound for a key outside `scope`.
Status RevokeKey(AppContext& ctx, const storage::Scope& scope, int64_t key_id,
                 const std::string& actor);
nlohmann::ordered_json KeyToJson(const KeyInfo& k);

// The principal of an "Authorization: Bearer KEY" value's key; kUnauthenticated when the key is
// unknown or revoked. Records when the key was last used (at most once a minute per key).
Result<Principal> Authenticate(AppContext& ctx, const std::string& key);

// Hex BLAKE2b-256 of `data` (keys, tokens, request bodies, ETags).
std::string HashHex(std::string_view data);
// `prefix` + 256 random bits in base64url: keys, session and email tokens.
std::string NewSecret(std::string_view prefix);

}  // namespace seedcast::app

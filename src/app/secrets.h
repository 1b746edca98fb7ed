// KeyRing: the keys that protect personal data at rest (emails, names), and what is done with
// them: sealing a value (XChaCha20-Poly1305, authenticated, bound to where it is stored) and
// blind indexes (a keyed hash, so an encrypted column can still be looked up by equality).
//
// The key file is JSON, readable by its owner only (mode 0600):
//   {"format": "seedcast-keys-1", "current": 2,
//    "keys": [{"id": 1, "created_at_ms": ..., "key": "<base64 of 32 random bytes>"}, ...]}
// `current` seals new values; older keys stay to open what they sealed until they are retired.
// Rotation: AddKey, re-seal the stored values whose SealedWithCurrent is false (and rewrite
// their blind indexes), then RetireKeysBefore the new key.
//
// Each 32-byte master key yields two subkeys (crypto_kdf_derive_from_key, context "seedcast"):
// 1 encrypts, 2 keys the blind index. Only the subkeys are kept, in sodium_malloc'ed memory
// (guard pages, locked, read-only once derived, zeroed when freed).
//
// A sealed value is text: "sc1:<key id>:<base64url, no padding, of nonce (24 bytes) ||
// ciphertext>". The `context` given to Seal (the column, "users.email") is authenticated data:
// a value moved to another column does not open.
//
// A KeyRing owns its key material; it is movable, not copyable, and immutable after Load, so one
// KeyRing may be shared by any number of threads for reading. A moved-from KeyRing may only be
// destroyed or assigned to. The static functions that edit the file are not safe against a
// concurrent edit of the same file by another process (keys are edited by an operator's command).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace seedcast::app {

class KeyRing {
 public:
  // Creates the key file with one key (id 1), mode 0600. AlreadyExists (naming the path) when
  // there is a file at `path` already.
  static Status Init(const std::string& path, int64_t now_ms);
  // Appends a new key and makes it current (the file is replaced atomically).
  static Status AddKey(const std::string& path, int64_t now_ms);
  // Removes the keys whose id is below `key_id`. FailedPrecondition (key_current) when that
  // would remove the current key.
  static Status RetireKeysBefore(const std::string& path, int key_id);
  // NotFound when there is no file (create it with `seedcast keys init`), FailedPrecondition
  // (key_file_permissions) when group or others may access it, InvalidArgument
  // (key_file_invalid) when it is not a valid key file; every message names the path.
  static Result<KeyRing> Load(const std::string& path);

  KeyRing(KeyRing&&) noexcept;
  KeyRing& operator=(KeyRing&&) noexcept;
  KeyRing(const KeyRing&) = delete;
  KeyRing& operator=(const KeyRing&) = delete;
  ~KeyRing();

  // `plaintext` encrypted with the current key, a fresh random nonce and `context` as additional
  // data.
  Result<std::string> Seal(std::string_view plaintext, std::string_view context) const;
  // The plaintext of a Seal result, with the key it names. FailedPrecondition
  // (sealed_key_unknown) when that key is not in the ring; InvalidArgument (sealed_corrupt) when
  // the text is malformed, altered, or was sealed with another context.
  Result<std::string> Open(std::string_view sealed, std::string_view context) const;

  // Keyed BLAKE2b-256 of `value` under the current key, as 64 hex digits. Deterministic:
  // equal values give equal indexes; callers normalise (case-fold an email) first.
  std::string BlindIndex(std::string_view value) const;
  // The blind index of `value` under every key, the current key's first: a lookup during a
  // rotation matches rows not yet re-indexed.
  std::vector<std::string> BlindIndexes(std::string_view value) const;

  int current_id() const { return current_id_; }
  // True when `sealed` names the current key (it is not opened, so not authenticated).
  bool SealedWithCurrent(std::string_view sealed) const;

 private:
  struct SodiumFree {
    void operator()(unsigned char* p) const;
  };
  using SecretBytes = std::unique_ptr<unsigned char[], SodiumFree>;

  KeyRing(std::vector<int> ids, SecretBytes subkeys, int current_id);

  // The position of key `id` in ids_, or -1.
  int IndexOf(int id) const;
  const unsigned char* EncryptionKey(size_t index) const;
  const unsigned char* IndexKey(size_t index) const;
  std::string BlindIndexWith(size_t index, std::string_view value) const;

  std::vector<int> ids_;  // ascending
  SecretBytes subkeys_;   // per key, in ids_ order: the encryption then the blind-index subkey
  int current_id_ = 0;
};

}  // namespace seedcast::app

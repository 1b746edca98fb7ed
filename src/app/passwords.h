// Passwords: the rules a new password must meet, and its storage as an argon2id hash.
//
// The rules follow OWASP ASVS 4.0 V2.1 and NIST SP 800-63B: a length of 12 to 256 Unicode code
// points (never truncated), no composition rules (no "one digit, one capital"), and a refusal of
// passwords that are easy to guess: a well-known password (the compiled-in John the Ripper list,
// see app/data/README.md), one with only digits or punctuation added around such a password, a
// repetition, a run of consecutive characters, or one containing a word of its context (the
// service's name, the email's local part). Comparisons are in ASCII lower case.
//
// Hashes are libsodium's argon2id strings ("$argon2id$v=19$m=65536,t=2,p=1$..."), with the
// "interactive" limits (64 MiB, 2 passes): they carry their own salt and parameters.
//
// All functions are free of shared mutable state and thread-safe. The common-password list is
// parsed once, on first use, into an immutable set.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "common/status.h"

namespace seedcast::app {

constexpr size_t kMinPasswordCodePoints = 12;
constexpr size_t kMaxPasswordCodePoints = 256;
// Above this many bytes a password is refused before it is decoded or hashed (256 code points
// take at most 1,024 bytes; the margin is for callers that check before anything else).
constexpr size_t kMaxPasswordBytes = 4096;

// OK, or InvalidArgument with field "password" and reason password_too_short,
// password_too_long, password_not_utf8, password_common or password_contains_context. The
// message names the rule and never contains the password. `context_words` shorter than 4 code
// points are ignored.
Status CheckNewPassword(std::string_view password, std::span<const std::string> context_words);

// True when `password` is at most kMaxPasswordBytes long: sign-in refuses longer input
// without hashing it.
bool PasswordWithinBytes(std::string_view password);

// The argon2id hash string of `password` (with a fresh random salt). ResourceExhausted when the
// memory for the hash cannot be had; InvalidArgument (password_too_long) above
// kMaxPasswordBytes.
Result<std::string> HashPassword(std::string_view password);

// True when `password` matches `stored_hash` (a string from HashPassword). False for a wrong
// password, a malformed hash, or a password above kMaxPasswordBytes.
bool VerifyPassword(std::string_view stored_hash, std::string_view password);

// True when `stored_hash` was made with other parameters than HashPassword uses now (or is not
// a valid hash): hash the password again after the next successful sign-in.
bool PasswordNeedsRehash(std::string_view stored_hash);

}  // namespace seedcast::app

// Accounts: organisations, users (operators, brand members, creators), sign-up and sign-in,
// sessions, password changes, and the single-use email tokens of verification and reset.
//
// - Passwords are argon2id hashes (app/passwords.h); emails are stored sealed, found by their
//   keyed blind index (app/secrets.h), so the database holds no email in the clear.
// - Sessions are opaque 256-bit tokens; the store keeps their BLAKE2b hash. Each has an idle
//   timeout and an absolute lifetime ([accounts] settings) and a CSRF token of its own.
// - Sign-in is throttled per account and per client address: after 10 failures within 15
//   minutes, further attempts fail with kResourceExhausted (429) until the oldest ages out; they
//   are not checked, so a locked-out guesser learns nothing. Each outcome is in the security log.
// - Errors never tell an unknown email from a wrong password.
//
// Thread-safe: every function takes its own connections from the context's pool.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app/context.h"
#include "app/principal.h"

namespace seedcast::app {

struct User {
  int64_t id = 0;
  std::string email;
  std::string role;  // operator, creator, owner, admin, member
  int64_t org_id = 0;
  int64_t creator_id = 0;
  bool email_verified = false;
  int64_t created_at_ms = 0;
};

struct NewUser {
  std::string email;
  std::string password;
  std::string role;
  int64_t org_id = 0;        // brand roles
  std::string creator_name;  // creators: their public name ("" until they give one)
  int64_t creator_id = 0;    // creators: an existing creator row they are (0: a new one)
};

// Where a request came from, for throttling and the security log.
struct ClientInfo {
  std::string address;
  std::string user_agent;
};

struct SignedIn {
  User user;
  int64_t session_id = 0;
  std::string token;  // the session cookie's value: never stored
  std::string csrf_token;
  int64_t expires_at_ms = 0;
};

struct SignUpRequest {
  std::string email;
  std::string password;
  std::string kind;      // creator, brand
  std::string org_name;  // brand: the organisation it creates (its owner is the new user)
  std::string name;      // creator: their name
};

struct SessionInfo {
  int64_t id = 0;
  int64_t created_at_ms = 0;
  int64_t last_seen_at_ms = 0;
  int64_t expires_at_ms = 0;
  std::string client;
  std::string user_agent;
  bool current = false;
};

struct PasswordChange {
  std::string current_password;
  std::string new_password;
  bool end_other_sessions = true;
};

// The roles a user may have.
const std::vector<std::string>& UserRoles();
// The email as stored and compared: trimmed, lower-case; kInvalidArgument (field "email") when it
// is not an address.
Result<std::string> NormaliseEmail(std::string_view email);

// `actor` names who did it, for the security log ("cli", a principal's name).
Result<int64_t> CreateOrg(AppContext& ctx, const std::string& name, const std::string& actor);
Result<int64_t> FindOrg(AppContext& ctx, const std::string& name);
// A creator gets a creator row of their own. Sends a verification email.
Result<User> CreateUser(AppContext& ctx, const NewUser& user, const std::string& actor);
Result<User> GetUser(AppContext& ctx, int64_t user_id);
// The members of an organisation within `scope`.
Result<std::vector<User>> OrgMembers(AppContext& ctx, const Principal& by, int64_t org_id);
// Owners and admins change members' roles; only an owner makes or unmakes an owner, and an
// organisation keeps at least one owner.
Result<User> ChangeRole(AppContext& ctx, const Principal& by, int64_t user_id,
                        const std::string& role, const ClientInfo& client);

// A brand signs up with its organisation (the user is its owner); a creator with a creator row.
Result<SignedIn> SignUp(AppContext& ctx, const SignUpRequest& request, const ClientInfo& client);
Result<SignedIn> SignIn(AppContext& ctx, const std::string& email, const std::string& password,
                        const ClientInfo& client);
// The principal of a session cookie's token; kUnauthenticated (reason session_expired,
// session_idle, session_revoked or bad_session) otherwise.
Result<Principal> AuthenticateSession(AppContext& ctx, const std::string& token);
Status SignOut(AppContext& ctx, const Principal& p, const ClientInfo& client);
Result<std::vector<SessionInfo>> ListSessions(AppContext& ctx, const Principal& p);
// kNotFound for a session that is not the principal's.
Status RevokeSession(AppContext& ctx, const Principal& p, int64_t session_id,
                     const ClientInfo& client);
// Returns how many other sessions it ended.
Result<int> ChangePassword(AppContext& ctx, const Principal& p, const PasswordChange& change,
                           const ClientInfo& client);

// Verification and reset tokens (single use; verification lasts 48 hours, reset 1 hour).
Status VerifyEmail(AppContext& ctx, const std::string& token, const ClientInfo& client);
// Succeeds whether or not the email has an account (nothing tells them apart).
Status RequestPasswordReset(AppContext& ctx, const std::string& email, const ClientInfo& client);
// Sets the password and ends every session of the user; returns how many.
Result<int> ResetPassword(AppContext& ctx, const std::string& token, const std::string& password,
                          const ClientInfo& client);

struct RotationReport {
  int key_id = 0;        // the new current key
  int64_t resealed = 0;  // values sealed again under it
};
// Adds a key to the key file, seals every sealed value again under it (servers keep reading:
// they load the new key when they first meet it), then retires the old keys.
Result<RotationReport> RotateKeys(AppContext& ctx);

// Writes the outbox's unsent messages to the mail directory, one file each; returns how many.
Result<int> DeliverMail(AppContext& ctx);

nlohmann::ordered_json UserToJson(const User& u);
nlohmann::ordered_json SessionToJson(const SessionInfo& s);

}  // namespace seedcast::app

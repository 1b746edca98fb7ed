// Pieces the accounts files share (accounts.cc, sessions.cc, mail.cc); not a public interface.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "app/accounts.h"
#include "app/secrets.h"
#include "storage/database.h"

namespace seedcast::app::internal {

// Runs `body` in a write transaction on a connection of its own, given back before this returns
// (SQLite has one writer: mail delivery after it must not wait for it).
Status InWriteTransaction(AppContext& ctx, const std::function<Status(storage::Database&)>& body);

// Opens a sealed value; one sealed under a key this server has not loaded yet (a rotation in
// progress elsewhere) reloads the key file and tries again.
Result<std::string> OpenSealed(AppContext& ctx, const KeyRing& keys, std::string_view sealed,
                               std::string_view context);
// The user row with that id, its email opened; kNotFound when there is none.
Result<User> ReadUser(AppContext& ctx, storage::Database& db, const KeyRing& keys, int64_t user_id);
// The id and password hash of the user whose email is `normalised`, if any.
struct Credentials {
  int64_t user_id = 0;
  std::string password_hash;
};
Result<std::optional<Credentials>> FindCredentials(storage::Database& db, const KeyRing& keys,
                                                   const std::string& normalised);
// Checks a new user's fields and password (an organisation's id may be a placeholder != 0).
Status CheckNewUser(const NewUser& user);
// Inserts the user (the password already checked and hashed) inside the caller's transaction.
Result<User> InsertUser(AppContext& ctx, storage::Database& db, const KeyRing& keys,
                        const NewUser& user, const std::string& password_hash);
// Inserts the organisation, with its event, inside the caller's transaction.
Result<int64_t> InsertOrg(AppContext& ctx, storage::Database& db, const std::string& name,
                          const std::string& actor);
// Inserts a checked user with its event and verification message, inside the caller's
// transaction.
Result<User> CreateUserIn(AppContext& ctx, storage::Database& db, const KeyRing& keys,
                          const NewUser& user, const std::string& password_hash,
                          const std::string& actor);

// A new session for the user, inside the caller's transaction.
Result<SignedIn> StartSession(AppContext& ctx, storage::Database& db, const User& user,
                              const ClientInfo& client);
// Ends the user's sessions but `keep` (0: all); returns how many.
Result<int> EndSessions(AppContext& ctx, storage::Database& db, int64_t user_id, int64_t keep);

// A single-use token for `purpose` (verify_email, reset_password), stored hashed; returns it.
Result<std::string> IssueToken(AppContext& ctx, storage::Database& db, int64_t user_id,
                               const std::string& purpose, int64_t ttl_ms);
// Queues a message in the outbox, sealed.
Status QueueMail(AppContext& ctx, storage::Database& db, const KeyRing& keys, const std::string& to,
                 const std::string& subject, const std::string& body);
// Queues the verification message of a new user.
Status QueueVerification(AppContext& ctx, storage::Database& db, const KeyRing& keys,
                         const User& user);

}  // namespace seedcast::app::internal

#include "app/demo_accounts.h"

#include <fmt/format.h>
#include <sodium.h>

#include <optional>

#include "app/accounts_internal.h"
#include "app/audit.h"
#include "app/passwords.h"

namespace seedcast::app {
namespace {

using storage::Value;

constexpr std::string_view kAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

Value IdOrNull(int64_t id) { return id == 0 ? Value(nullptr) : Value(id); }

// The words a password must not contain for this email (as CheckNewUser has them).
std::vector<std::string> ContextOf(const std::string& normalised_email) {
  return {"seedcast", normalised_email.substr(0, normalised_email.find('@'))};
}

// Makes or refreshes one user, its password already hashed, inside the caller's transaction.
Result<User> Upsert(AppContext& ctx, storage::Database& db, const KeyRing& keys, const DemoUser& u,
                    const std::string& hash, const std::string& actor) {
  SEEDCAST_ASSIGN_OR_RETURN(const std::string email, NormaliseEmail(u.email));
  const int64_t now = ctx.clock().NowMs();
  SEEDCAST_ASSIGN_OR_RETURN(std::optional<internal::Credentials> found,
                            internal::FindCredentials(db, keys, email));
  SecurityEvent e{.at_ms = now, .actor = actor, .org_id = u.org_id};
  int64_t id = 0;
  if (found) {
    id = found->user_id;
    SEEDCAST_RETURN_IF_ERROR(db.Execute(
        "UPDATE users SET password_hash = ?, role = ?, org_id = ?, creator_id = ?, "
        "email_verified_at_ms = COALESCE(email_verified_at_ms, ?), updated_at_ms = ? WHERE id = ?",
        {std::string_view(hash), std::string_view(u.role), IdOrNull(u.org_id),
         IdOrNull(u.creator_id), now, now, id}));
    SEEDCAST_ASSIGN_OR_RETURN(const int ended, internal::EndSessions(ctx, db, id, 0));
    e.kind = "password_reset";
    e.detail = {{"by", "demo"}, {"sessions_ended", ended}};
  } else {
    const NewUser user{
        .email = email, .role = u.role, .org_id = u.org_id, .creator_id = u.creator_id};
    SEEDCAST_ASSIGN_OR_RETURN(const User made, internal::InsertUser(ctx, db, keys, user, hash));
    id = made.id;
    SEEDCAST_RETURN_IF_ERROR(
        db.Execute("UPDATE users SET email_verified_at_ms = ? WHERE id = ?", {now, id}));
    e.kind = "user_created";
    e.detail = {{"by", "demo"}, {"role", u.role}};
  }
  // The new password works at once, whatever was tried before.
  for (const std::string& index : keys.BlindIndexes(email)) {
    SEEDCAST_RETURN_IF_ERROR(
        db.Execute("DELETE FROM sign_in_failures WHERE account = ?", {std::string_view(index)}));
  }
  e.user_id = id;
  SEEDCAST_RETURN_IF_ERROR(RecordEvent(db, e));
  return internal::ReadUser(ctx, db, keys, id);
}

}  // namespace

Result<int64_t> EnsureOrg(AppContext& ctx, const std::string& name, const std::string& actor) {
  Result<int64_t> found = FindOrg(ctx, name);
  if (found.ok() || found.status().code() != StatusCode::kNotFound) return found;
  Result<int64_t> made = CreateOrg(ctx, name, actor);
  // Made meanwhile by someone else: theirs is the one.
  if (!made.ok() && made.status().code() == StatusCode::kAlreadyExists) return FindOrg(ctx, name);
  return made;
}

Result<std::string> NewDemoPassword(std::string_view email) {
  if (sodium_init() < 0) return Internal("libsodium could not be initialised");
  SEEDCAST_ASSIGN_OR_RETURN(const std::string normalised, NormaliseEmail(email));
  const std::vector<std::string> context = ContextOf(normalised);
  // Nearly every draw passes; one that happens to spell a word of the context is drawn again.
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::string password;
    for (int group = 0; group < 4; ++group) {
      if (group > 0) password += '-';
      for (int i = 0; i < 5; ++i) {
        password += kAlphabet[randombytes_uniform(static_cast<uint32_t>(kAlphabet.size()))];
      }
    }
    if (CheckNewPassword(password, context).ok()) return password;
  }
  return Internal("no random password met the password rules");
}

Result<std::vector<DemoSignIn>> RefreshDemoUsers(AppContext& ctx,
                                                 const std::vector<DemoUser>& users,
                                                 const std::string& actor) {
  SEEDCAST_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRing> keys, ctx.keyring());
  std::vector<DemoSignIn> out;
  for (const DemoUser& u : users) {
    if (u.role == "creator" && u.creator_id == 0) {
      return InvalidArgument("a demo creator signs in as a creator row").WithField("creator_id");
    }
    DemoSignIn in;
    SEEDCAST_ASSIGN_OR_RETURN(in.password, NewDemoPassword(u.email));
    SEEDCAST_RETURN_IF_ERROR(internal::CheckNewUser(
        {.email = u.email, .password = in.password, .role = u.role, .org_id = u.org_id}));
    // No connection is held while hashing.
    SEEDCAST_ASSIGN_OR_RETURN(const std::string hash, HashPassword(in.password));
    Status done = internal::InWriteTransaction(ctx, [&](storage::Database& db) -> Status {
      SEEDCAST_ASSIGN_OR_RETURN(in.user, Upsert(ctx, db, *keys, u, hash, actor));
      return Status::Ok();
    });
    if (!done.ok()) return done;
    out.push_back(std::move(in));
  }
  return out;
}

}  // namespace seedcast::app

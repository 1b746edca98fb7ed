// Sign-up, sign-in with its throttle, sessions, and password changes.
#include <fmt/format.h>

#include "app/accounts.h"
#include "app/accounts_internal.h"
#include "app/audit.h"
#include "app/keys.h"
#include "app/passwords.h"
#include "common/iso_time.h"

namespace seedcast::app {

using storage::ConnectionPool;
using storage::Intent;
using storage::Row;

namespace {

constexpr int kMaxFailures = 10;
constexpr int64_t kFailureWindowMs = int64_t{15} * 60'000;
constexpr int64_t kLastSeenResolutionMs = 60'000;
constexpr std::string_view kSessionPrefix = "scs_";
constexpr int kSignUpsPerHour = 10;  // per client address
constexpr int64_t kHourMs = 3'600'000;

Status WrongCredentials() {
  return Unauthenticated("the email or the password is wrong").WithReason("bad_credentials");
}

// The one window rule of every throttle here: at most `limit` rows of `sql` (their at_ms, newest
// first, for one `value`) within `window_ms`. Returns how long until the oldest of the last
// `limit` ages out when the limit is used up, else 0; `count` gets how many there were.
Result<int64_t> WaitMs(storage::Database& db, std::string_view sql, std::string_view value,
                       int64_t now, int64_t window_ms, int limit, int64_t* count) {
  int64_t oldest = 0;
  *count = 0;
  SEEDCAST_RETURN_IF_ERROR(
      db.Query(sql, {value, now - window_ms, int64_t{limit}}, [&](const Row& r) {
        ++*count;
        oldest = r.Int(0);
        return Status::Ok();
      }));
  return *count >= limit ? oldest + window_ms - now : 0;
}

// How long until another attempt may be made, when the account or the client has used up its
// failures; 0 when it may try now.
Result<int64_t> ThrottledForMs(storage::Database& db, const std::string& account,
                               const std::string& client, int64_t now, int64_t* failures) {
  int64_t wait = 0;
  *failures = 0;
  for (const auto& [column, value] : {std::pair{"account", &account}, {"client", &client}}) {
    int64_t count = 0;
    SEEDCAST_ASSIGN_OR_RETURN(
        int64_t w,
        WaitMs(db,
               fmt::format("SELECT at_ms FROM sign_in_failures WHERE {} = ? AND at_ms > ? "
                           "ORDER BY at_ms DESC LIMIT ?",
                           column),
               *value, now, kFailureWindowMs, kMaxFailures, &count));
    *failures = std::max(*failures, count);
    wait = std::max(wait, w);
  }
  return wait;
}

Status RecordFailure(storage::Database& db, const std::string& account, const std::string& client,
                     int64_t now) {
  return db.Execute("INSERT INTO sign_in_failures (account, client, at_ms) VALUES (?, ?, ?)",
                    {std::string_view(account), std::string_view(client), now});
}

// A throttle's answer: 429 with the wait (Retry-After).
Status Throttled(std::string_view reason, std::string_view what, int64_t wait_ms) {
  return Status(StatusCode::kResourceExhausted,
                fmt::format("{}; try again in {} s", what, (wait_ms + 999) / 1000))
      .WithReason(std::string(reason))
      .WithRetryAfterMs(wait_ms);
}

// A password hash to check against when the email is unknown, so both take as long.
const std::string& DecoyHash() {
  static const std::string kHash = [] {
    auto h = HashPassword("decoy password for unknown accounts");
    return h.ok() ? *h : std::string();
  }();
  return kHash;
}

// At most kSignUpsPerHour sign-ups an hour from one address.
Status CheckSignUpRate(AppContext& ctx, const ClientInfo& client) {
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire());
  int64_t count = 0;
  SEEDCAST_ASSIGN_OR_RETURN(
      int64_t wait,
      WaitMs(*db,
             "SELECT at_ms FROM security_events WHERE kind = 'sign_up' AND client = ? AND "
             "at_ms > ? ORDER BY at_ms DESC LIMIT ?",
             client.address, ctx.clock().NowMs(), kHourMs, kSignUpsPerHour, &count));
  if (wait > 0) return Throttled("sign_up_throttled", "too many sign-ups from this address", wait);
  return Status::Ok();
}

Result<SignedIn> FinishSignIn(AppContext& ctx, storage::Database& db, const KeyRing& keys,
                              int64_t user_id, const ClientInfo& client) {
  SEEDCAST_ASSIGN_OR_RETURN(User user, internal::ReadUser(ctx, db, keys, user_id));
  SEEDCAST_ASSIGN_OR_RETURN(SignedIn in, internal::StartSession(ctx, db, user, client));
  SecurityEvent e{.at_ms = ctx.clock().NowMs(),
                  .kind = "sign_in",
                  .actor = fmt::format("user:{}", user_id),
                  .user_id = user_id,
                  .org_id = user.org_id,
                  .client = client.address};
  e.detail = {{"session_id", in.session_id}};
  SEEDCAST_RETURN_IF_ERROR(RecordEvent(db, e));
  return in;
}

}  // namespace

namespace internal {

Result<SignedIn> StartSession(AppContext& ctx, storage::Database& db, const User& user,
                              const ClientInfo& client) {
  const int64_t now = ctx.clock().NowMs();
  SignedIn in;
  in.user = user;
  in.token = NewSecret(kSessionPrefix);
  in.csrf_token = NewSecret("");
  in.expires_at_ms = now + ctx.config().accounts.session_lifetime_ms;
  const std::string hash = HashHex(in.token);
  const std::string agent = client.user_agent.substr(0, 300);
  SEEDCAST_ASSIGN_OR_RETURN(
      in.session_id,
      db.Insert(
          "INSERT INTO sessions (user_id, token_hash, csrf_token, client, user_agent, "
          "created_at_ms, last_seen_at_ms, expires_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
          {user.id, std::string_view(hash), std::string_view(in.csrf_token),
           std::string_view(client.address), std::string_view(agent), now, now, in.expires_at_ms}));
  return in;
}

Result<int> EndSessions(AppContext& ctx, storage::Database& db, int64_t user_id, int64_t keep) {
  int ended = 0;
  SEEDCAST_RETURN_IF_ERROR(db.Query(
      "UPDATE sessions SET revoked_at_ms = ? WHERE user_id = ? AND id <> ? AND revoked_at_ms IS "
      "NULL RETURNING id",
      {ctx.clock().NowMs(), user_id, keep}, [&ended](const Row&) {
        ++ended;
        return Status::Ok();
      }));
  return ended;
}

}  // namespace internal

Result<SignedIn> SignIn(AppContext& ctx, const std::string& email, const std::string& password,
                        const ClientInfo& client) {
  if (!PasswordWithinBytes(password)) {
    return InvalidArgument("the password is too long").WithField("password");
  }
  SEEDCAST_ASSIGN_OR_RETURN(std::string normalised, NormaliseEmail(email));
  SEEDCAST_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRing> keys, ctx.keyring());
  const std::string account = keys->BlindIndex(normalised);
  std::optional<internal::Credentials> found;
  {
    SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire());
    int64_t failures = 0;
    SEEDCAST_ASSIGN_OR_RETURN(
        int64_t wait, ThrottledForMs(*db, account, client.address, ctx.clock().NowMs(), &failures));
    if (wait > 0) {
      SecurityEvent e{.at_ms = ctx.clock().NowMs(),
                      .kind = "sign_in_throttled",
                      .actor = "email:" + account.substr(0, 16),
                      .client = client.address};
      e.detail = {{"failures", failures}, {"retry_after_ms", wait}};
      (void)RecordEvent(ctx, e);
      return Throttled("sign_in_throttled", "too many failed sign-ins", wait);
    }
    SEEDCAST_ASSIGN_OR_RETURN(found, internal::FindCredentials(*db, *keys, normalised));
  }
  // No connection is held while hashing.
  const bool ok = found ? VerifyPassword(found->password_hash, password)
                        : (VerifyPassword(DecoyHash(), password) && false);
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire(Intent::kWrite));
  if (!ok) {
    const int64_t now = ctx.clock().NowMs();
    Status s = storage::InTransaction(*db, [&]() -> Status {
      SEEDCAST_RETURN_IF_ERROR(RecordFailure(*db, account, client.address, now));
      SecurityEvent e{.at_ms = now,
                      .kind = "sign_in_failed",
                      .actor = "email:" + account.substr(0, 16),
                      .user_id = found ? found->user_id : 0,
                      .client = client.address};
      e.detail = {{"known_account", found.has_value()}};
      return RecordEvent(*db, e);
    });
    if (!s.ok()) return s;
    return WrongCredentials();
  }
  std::optional<SignedIn> out;
  Status s = storage::InTransaction(*db, [&]() -> Status {
    SEEDCAST_ASSIGN_OR_RETURN(out, FinishSignIn(ctx, *db, *keys, found->user_id, client));
    return db->Execute("DELETE FROM sign_in_failures WHERE account = ?",
                       {std::string_view(account)});
  });
  if (!s.ok()) return s;
  if (PasswordNeedsRehash(found->password_hash)) {
    if (auto rehashed = HashPassword(password); rehashed.ok()) {
      (void)db->Execute("UPDATE users SET password_hash = ? WHERE id = ?",
                        {std::string_view(*rehashed), found->user_id});
    }
  }
  return std::move(*out);
}

Result<SignedIn> SignUp(AppContext& ctx, const SignUpRequest& r, const ClientInfo& client) {
  if (r.kind != "creator" && r.kind != "brand") {
    return InvalidArgument("kind is creator or brand").WithField("kind");
  }
  if (r.kind == "brand" && r.org_name.empty()) {
    return InvalidArgument("a brand signs up with its organisation's name").WithField("org_name");
  }
  const bool brand = r.kind == "brand";
  NewUser user{.email = r.email,
               .password = r.password,
               .role = brand ? "owner" : "creator",
               .org_id = brand ? -1 : 0,  // a placeholder until the organisation exists
               .creator_name = r.name};
  SEEDCAST_RETURN_IF_ERROR(internal::CheckNewUser(user));
  SEEDCAST_RETURN_IF_ERROR(CheckSignUpRate(ctx, client));
  SEEDCAST_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRing> keys, ctx.keyring());
  SEEDCAST_ASSIGN_OR_RETURN(std::string hash, HashPassword(user.password));
  std::optional<SignedIn> out;
  Status done = internal::InWriteTransaction(ctx, [&](storage::Database& db) -> Status {
    if (brand) {
      SEEDCAST_ASSIGN_OR_RETURN(user.org_id, internal::InsertOrg(ctx, db, r.org_name, "sign_up"));
    }
    SEEDCAST_ASSIGN_OR_RETURN(User created,
                              internal::CreateUserIn(ctx, db, *keys, user, hash, "sign_up"));
    SEEDCAST_RETURN_IF_ERROR(RecordEvent(db, {.at_ms = ctx.clock().NowMs(),
                                              .kind = "sign_up",
                                              .actor = fmt::format("user:{}", created.id),
                                              .user_id = created.id,
                                              .org_id = created.org_id,
                                              .client = client.address}));
    SEEDCAST_ASSIGN_OR_RETURN(out, FinishSignIn(ctx, db, *keys, created.id, client));
    return Status::Ok();
  });
  if (!done.ok()) return done;
  if (ctx.options().deliver_mail_inline) (void)DeliverMail(ctx);
  return std::move(*out);
}

Result<Principal> AuthenticateSession(AppContext& ctx, const std::string& token) {
  if (!token.starts_with(kSessionPrefix) || token.size() > 100) {
    return Unauthenticated("the session cookie is not a Seedcast session")
        .WithReason("bad_session");
  }
  const std::string hash = HashHex(token);
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire());
  std::optional<Principal> found;
  int64_t last_seen = 0;
  int64_t expires = 0;
  bool revoked = false;
  SEEDCAST_RETURN_IF_ERROR(db->Query(
      "SELECT s.id, s.user_id, s.csrf_token, s.last_seen_at_ms, s.expires_at_ms, "
      "CASE WHEN s.revoked_at_ms IS NULL THEN 0 ELSE 1 END, u.role, COALESCE(u.org_id, 0), "
      "COALESCE(u.creator_id, 0) FROM sessions s JOIN users u ON u.id = s.user_id "
      "WHERE s.token_hash = ?",
      {std::string_view(hash)}, [&](const Row& r) {
        found = Principal{.kind = "session",
                          .user_id = r.Int(1),
                          .session_id = r.Int(0),
                          .role = std::string(r.Text(6)),
                          .org_id = r.Int(7),
                          .creator_id = r.Int(8),
                          .csrf_token = std::string(r.Text(2))};
        last_seen = r.Int(3);
        expires = r.Int(4);
        revoked = r.Int(5) != 0;
        return Status::Ok();
      }));
  const int64_t now = ctx.clock().NowMs();
  if (!found) return Unauthenticated("unknown session").WithReason("bad_session");
  if (revoked) return Unauthenticated("the session was ended").WithReason("session_revoked");
  if (now >= expires) {
    return Unauthenticated("the session expired; sign in again").WithReason("session_expired");
  }
  if (now - last_seen >= ctx.config().accounts.session_idle_ms) {
    return Unauthenticated("the session was idle too long; sign in again")
        .WithReason("session_idle");
  }
  if (now - last_seen >= kLastSeenResolutionMs) {
    // Best effort, like an API key's last use: never waits for the write slot.
    if (auto writer = ctx.pool().TryAcquire(Intent::kWrite)) {
      (void)(*writer)->Execute("UPDATE sessions SET last_seen_at_ms = ? WHERE id = ?",
                               {now, found->session_id});
    }
  }
  return *found;
}

Status SignOut(AppContext& ctx, const Principal& p, const ClientInfo& client) {
  if (p.kind != "session") {
    return FailedPrecondition("not_a_session", "only a session signs out; revoke a key instead");
  }
  return RevokeSession(ctx, p, p.session_id, client);
}

Result<std::vector<SessionInfo>> ListSessions(AppContext& ctx, const Principal& p) {
  std::vector<SessionInfo> out;
  if (p.kind != "session") return out;
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire());
  const int64_t now = ctx.clock().NowMs();
  SEEDCAST_RETURN_IF_ERROR(db->Query(
      "SELECT id, created_at_ms, last_seen_at_ms, expires_at_ms, client, user_agent FROM sessions "
      "WHERE user_id = ? AND revoked_at_ms IS NULL AND expires_at_ms > ? AND "
      "last_seen_at_ms > ? ORDER BY id DESC",
      {p.user_id, now, now - ctx.config().accounts.session_idle_ms}, [&](const Row& r) {
        out.push_back({r.Int(0), r.Int(1), r.Int(2), r.Int(3), std::string(r.Text(4)),
                       std::string(r.Text(5)), r.Int(0) == p.session_id});
        return Status::Ok();
      }));
  return out;
}

Status RevokeSession(AppContext& ctx, const Principal& p, int64_t session_id,
                     const ClientInfo& client) {
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire(Intent::kWrite));
  return storage::InTransaction(*db, [&]() -> Status {
    bool found = false;
    SEEDCAST_RETURN_IF_ERROR(
        db->Query("UPDATE sessions SET revoked_at_ms = COALESCE(revoked_at_ms, ?) WHERE id = ? AND "
                  "user_id = ? RETURNING id",
                  {ctx.clock().NowMs(), session_id, p.user_id}, [&found](const Row&) {
                    found = true;
                    return Status::Ok();
                  }));
    if (!found) return NotFound(fmt::format("you have no session {}", session_id));
    SecurityEvent e{.at_ms = ctx.clock().NowMs(),
                    .kind = "session_revoked",
                    .actor = p.Name(),
                    .user_id = p.user_id,
                    .org_id = p.org_id,
                    .client = client.address};
    e.detail = {{"session_id", session_id}, {"own", session_id == p.session_id}};
    return RecordEvent(*db, e);
  });
}

Result<int> ChangePassword(AppContext& ctx, const Principal& p, const PasswordChange& change,
                           const ClientInfo& client) {
  if (p.kind != "session") {
    return FailedPrecondition("not_a_session", "a password is changed by its signed-in user");
  }
  SEEDCAST_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRing> keys, ctx.keyring());
  SEEDCAST_ASSIGN_OR_RETURN(User user, GetUser(ctx, p.user_id));
  const std::vector<std::string> context = {"seedcast", user.email.substr(0, user.email.find('@'))};
  SEEDCAST_RETURN_IF_ERROR(CheckNewPassword(change.new_password, context));
  if (!PasswordWithinBytes(change.current_password)) return WrongCredentials();
  // Guesses at the current password with a stolen session count like failed sign-ins.
  const std::string account = keys->BlindIndex(user.email);
  std::string stored;
  {
    SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire());
    int64_t failures = 0;
    SEEDCAST_ASSIGN_OR_RETURN(
        int64_t wait, ThrottledForMs(*db, account, client.address, ctx.clock().NowMs(), &failures));
    if (wait > 0) {
      return Throttled("sign_in_throttled", "too many wrong passwords", wait);
    }
    SEEDCAST_RETURN_IF_ERROR(db->Query("SELECT password_hash FROM users WHERE id = ?", {p.user_id},
                                       [&stored](const Row& r) {
                                         stored = r.Text(0);
                                         return Status::Ok();
                                       }));
  }
  if (!VerifyPassword(stored, change.current_password)) {
    if (auto db = ctx.pool().Acquire(Intent::kWrite); db.ok()) {
      (void)RecordFailure(**db, account, client.address, ctx.clock().NowMs());
    }
    return Unauthenticated("the current password is wrong")
        .WithField("current_password")
        .WithReason("bad_credentials");
  }
  SEEDCAST_ASSIGN_OR_RETURN(std::string hash, HashPassword(change.new_password));
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire(Intent::kWrite));
  int ended = 0;
  Status done = storage::InTransaction(*db, [&]() -> Status {
    SEEDCAST_RETURN_IF_ERROR(
        db->Execute("UPDATE users SET password_hash = ?, updated_at_ms = ? WHERE id = ?",
                    {std::string_view(hash), ctx.clock().NowMs(), p.user_id}));
    if (change.end_other_sessions) {
      SEEDCAST_ASSIGN_OR_RETURN(ended, internal::EndSessions(ctx, *db, p.user_id, p.session_id));
    }
    SecurityEvent e{.at_ms = ctx.clock().NowMs(),
                    .kind = "password_changed",
                    .actor = p.Name(),
                    .user_id = p.user_id,
                    .org_id = p.org_id,
                    .client = client.address};
    e.detail = {{"other_sessions_ended", ended}};
    return RecordEvent(*db, e);
  });
  if (!done.ok()) return done;
  return ended;
}

nlohmann::ordered_json SessionToJson(const SessionInfo& s) {
  return {{"id", s.id},
          {"created_at", FormatIsoTime(s.created_at_ms)},
          {"last_seen_at", FormatIsoTime(s.last_seen_at_ms)},
          {"expires_at", FormatIsoTime(s.expires_at_ms)},
          {"client", s.client},
          {"user_agent", s.user_agent},
          {"current", s.current}};
}

}  // namespace seedcast::app

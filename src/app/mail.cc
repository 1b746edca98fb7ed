// Single-use email tokens (verification, password reset) and the mail outbox with its default
// sender, which writes each message as a file in the mail directory.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "app/accounts.h"
#include "app/accounts_internal.h"
#include "app/audit.h"
#include "app/keys.h"
#include "app/passwords.h"
#include "app/smtp.h"
#include "common/iso_time.h"

namespace seedcast::app {

using storage::ConnectionPool;
using storage::Intent;
using storage::Row;

namespace {

constexpr int64_t kVerifyTtlMs = int64_t{48} * 3'600'000;
constexpr int64_t kResetTtlMs = 3'600'000;
constexpr std::string_view kTokenPrefix = "sct_";
constexpr std::string_view kMailTo = "outbox.to";
constexpr std::string_view kMailBody = "outbox.body";
constexpr int64_t kClaimMs = int64_t{5} * 60'000;  // 20 messages at SMTP's 10 s timeout, with room
constexpr int kResetsPerHour = 3;                  // reset mails per account

// Marks the token used and returns its user; kInvalidArgument when it is unknown, used or
// expired (one message for all three).
Result<int64_t> ConsumeToken(AppContext& ctx, storage::Database& db, const std::string& token,
                             const std::string& purpose) {
  std::optional<int64_t> user;
  if (token.starts_with(kTokenPrefix) && token.size() < 100) {
    const int64_t now = ctx.clock().NowMs();
    SEEDCAST_RETURN_IF_ERROR(
        db.Query("UPDATE email_tokens SET used_at_ms = ? WHERE token_hash = ? AND purpose = ? AND "
                 "used_at_ms IS NULL AND expires_at_ms > ? RETURNING user_id",
                 {now, std::string_view(HashHex(token)), std::string_view(purpose), now},
                 [&user](const Row& r) {
                   user = r.Int(0);
                   return Status::Ok();
                 }));
  }
  if (!user) {
    return InvalidArgument("the link is not valid: it is wrong, used already, or expired")
        .WithField("token")
        .WithReason("bad_token");
  }
  return *user;
}

// Written under a temporary name and renamed, so a reader never sees half a message.
Status WriteToDirectory(const std::filesystem::path& dir, int64_t id, const std::string& text) {
  const std::filesystem::path final_path = dir / fmt::format("{:08d}.eml", id);
  const std::filesystem::path temp_path = dir / fmt::format(".{:08d}.eml.tmp", id);
  {
    std::ofstream out(temp_path, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) return IoError("cannot write " + temp_path.string());
  }
  // The message holds a single-use token: its owner alone reads it.
  std::error_code mode_error;
  std::filesystem::permissions(
      temp_path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
      mode_error);
  std::error_code ec;
  std::filesystem::rename(temp_path, final_path, ec);
  if (ec) return IoError(fmt::format("cannot rename {}: {}", temp_path.string(), ec.message()));
  return Status::Ok();
}

}  // namespace

namespace internal {

Result<std::string> IssueToken(AppContext& ctx, storage::Database& db, int64_t user_id,
                               const std::string& purpose, int64_t ttl_ms) {
  std::string token = NewSecret(kTokenPrefix);
  const int64_t now = ctx.clock().NowMs();
  SEEDCAST_RETURN_IF_ERROR(db.Execute(
      "INSERT INTO email_tokens (user_id, purpose, token_hash, created_at_ms, "
      "expires_at_ms) VALUES (?, ?, ?, ?, ?)",
      {user_id, std::string_view(purpose), std::string_view(HashHex(token)), now, now + ttl_ms}));
  return token;
}

Status QueueMail(AppContext& ctx, storage::Database& db, const KeyRing& keys, const std::string& to,
                 const std::string& subject, const std::string& body) {
  SEEDCAST_ASSIGN_OR_RETURN(std::string to_sealed, keys.Seal(to, kMailTo));
  SEEDCAST_ASSIGN_OR_RETURN(std::string body_sealed, keys.Seal(body, kMailBody));
  return db.Execute(
      "INSERT INTO outbox (to_sealed, subject, body_sealed, created_at_ms) VALUES (?, ?, ?, ?)",
      {std::string_view(to_sealed), std::string_view(subject), std::string_view(body_sealed),
       ctx.clock().NowMs()});
}

Status QueueVerification(AppContext& ctx, storage::Database& db, const KeyRing& keys,
                         const User& user) {
  SEEDCAST_ASSIGN_OR_RETURN(std::string token,
                            IssueToken(ctx, db, user.id, "verify_email", kVerifyTtlMs));
  return QueueMail(ctx, db, keys, user.email, "Confirm your email for Seedcast",
                   fmt::format("Welcome to Seedcast.\n\nConfirm this address with the code:\n\n"
                               "verify-email-token: {}\n\nIt works once, for 48 hours.\n",
                               token));
}

}  // namespace internal

Status VerifyEmail(AppContext& ctx, const std::string& token, const ClientInfo& client) {
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire(Intent::kWrite));
  return storage::InTransaction(*db, [&]() -> Status {
    SEEDCAST_ASSIGN_OR_RETURN(int64_t user, ConsumeToken(ctx, *db, token, "verify_email"));
    SEEDCAST_RETURN_IF_ERROR(db->Execute(
        "UPDATE users SET email_verified_at_ms = COALESCE(email_verified_at_ms, ?) WHERE id = ?",
        {ctx.clock().NowMs(), user}));
    return RecordEvent(*db, {.at_ms = ctx.clock().NowMs(),
                             .kind = "email_verified",
                             .actor = fmt::format("user:{}", user),
                             .user_id = user,
                             .client = client.address});
  });
}

Status RequestPasswordReset(AppContext& ctx, const std::string& email, const ClientInfo& client) {
  SEEDCAST_ASSIGN_OR_RETURN(std::string normalised, NormaliseEmail(email));
  SEEDCAST_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRing> keys, ctx.keyring());
  Status done = internal::InWriteTransaction(ctx, [&](storage::Database& db) -> Status {
    SEEDCAST_ASSIGN_OR_RETURN(std::optional<internal::Credentials> found,
                              internal::FindCredentials(db, *keys, normalised));
    if (!found) return Status::Ok();
    SEEDCAST_ASSIGN_OR_RETURN(
        int64_t recent,
        db.QueryInt("SELECT COUNT(*) FROM email_tokens WHERE user_id = ? AND purpose = "
                    "'reset_password' AND created_at_ms > ?",
                    {found->user_id, ctx.clock().NowMs() - 3'600'000}));
    if (recent >= kResetsPerHour) return Status::Ok();  // no more mail; the same answer
    SEEDCAST_ASSIGN_OR_RETURN(
        std::string token,
        internal::IssueToken(ctx, db, found->user_id, "reset_password", kResetTtlMs));
    SEEDCAST_RETURN_IF_ERROR(internal::QueueMail(
        ctx, db, *keys, normalised, "Reset your Seedcast password",
        fmt::format("Someone asked to reset the password of this account. If it was you, use:\n\n"
                    "reset-password-token: {}\n\nIt works once, for one hour. If it was not you, "
                    "ignore this message; your password is unchanged.\n",
                    token)));
    return RecordEvent(db, {.at_ms = ctx.clock().NowMs(),
                            .kind = "password_reset_requested",
                            .actor = fmt::format("user:{}", found->user_id),
                            .user_id = found->user_id,
                            .client = client.address});
  });
  if (!done.ok()) return done;
  if (ctx.options().deliver_mail_inline) (void)DeliverMail(ctx);
  return Status::Ok();
}

Result<int> ResetPassword(AppContext& ctx, const std::string& token, const std::string& password,
                          const ClientInfo& client) {
  if (!PasswordWithinBytes(password)) {
    return InvalidArgument("the password is too long").WithField("password");
  }
  // The rules are checked before the token is spent, against the user it names.
  int64_t user_id = 0;
  {
    SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire());
    SEEDCAST_RETURN_IF_ERROR(db->Query(
        "SELECT user_id FROM email_tokens WHERE token_hash = ? AND purpose = 'reset_password'",
        {std::string_view(HashHex(token))}, [&user_id](const Row& r) {
          user_id = r.Int(0);
          return Status::Ok();
        }));
  }
  if (user_id != 0) {
    SEEDCAST_ASSIGN_OR_RETURN(User user, GetUser(ctx, user_id));
    const std::vector<std::string> context = {"seedcast",
                                              user.email.substr(0, user.email.find('@'))};
    SEEDCAST_RETURN_IF_ERROR(CheckNewPassword(password, context));
  }
  SEEDCAST_ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire(Intent::kWrite));
  int ended = 0;
  Status done = storage::InTransaction(*db, [&]() -> Status {
    SEEDCAST_ASSIGN_OR_RETURN(int64_t user, ConsumeToken(ctx, *db, token, "reset_password"));
    SEEDCAST_RETURN_IF_ERROR(
        db->Execute("UPDATE users SET password_hash = ?, updated_at_ms = ? WHERE id = ?",
                    {std::string_view(hash), ctx.clock().NowMs(), user}));
    SEEDCAST_ASSIGN_OR_RETURN(ended, internal::EndSessions(ctx, *db, user, 0));
    SecurityEvent e{.at_ms = ctx.clock().NowMs(),
                    .kind = "password_reset",
                    .actor = fmt::format("user:{}", user),
                    .user_id = user,
                    .client = client.address};
    e.detail = {{"sessions_ended", ended}};
    return RecordEvent(*db, e);
  });
  if (!done.ok()) return done;
  return ended;
}

Result<int> DeliverMail(AppContext& ctx) {
  SEEDCAST_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRing> keys, ctx.keyring());
  const std::filesystem::path dir = ctx.config().accounts.mail_dir;
  if (ctx.config().accounts.smtp_url.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) {
      return IoError(
          fmt::format("cannot make the mail directory {}: {}", dir.string(), ec.message()));
    }
  }
  struct Message {
    int64_t id;
    std::string to, subject, body;
    int64_t created_at_ms;
  };
  std::vector<Message> pending;
  {
    // Claimed for a while, so two senders (servers, or a server and the command line) never send
    // one message twice; a sender that dies lets its claim lapse. The outer conditions repeat the
    // inner ones: on PostgreSQL a row another sender claimed meanwhile is re-checked against them
    // (and skipped), which the subquery alone does not do.
    const int64_t now = ctx.clock().NowMs();
    SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire(Intent::kWrite));
    SEEDCAST_RETURN_IF_ERROR(db->Query(
        "UPDATE outbox SET claimed_until_ms = ? WHERE id IN (SELECT id FROM outbox WHERE "
        "sent_at_ms IS NULL AND attempts < 10 AND (claimed_until_ms IS NULL OR claimed_until_ms "
        "< ?) ORDER BY id LIMIT 20) AND sent_at_ms IS NULL AND (claimed_until_ms IS NULL OR "
        "claimed_until_ms < ?) RETURNING id, to_sealed, subject, body_sealed, created_at_ms",
        {now + kClaimMs, now, now}, [&](const Row& r) -> Status {
          Message m{r.Int(0), "", std::string(r.Text(2)), "", r.Int(4)};
          SEEDCAST_ASSIGN_OR_RETURN(m.to, internal::OpenSealed(ctx, *keys, r.Text(1), kMailTo));
          SEEDCAST_ASSIGN_OR_RETURN(m.body, internal::OpenSealed(ctx, *keys, r.Text(3), kMailBody));
          pending.push_back(std::move(m));
          return Status::Ok();
        }));
  }
  std::sort(pending.begin(), pending.end(),
            [](const Message& a, const Message& b) { return a.id < b.id; });
  const config::AccountSettings& settings = ctx.config().accounts;
  int sent = 0;
  for (const Message& m : pending) {
    const MailMessage message{.to = m.to,
                              .subject = m.subject,
                              .body = m.body,
                              .created_at_ms = m.created_at_ms,
                              .message_id = fmt::format("<outbox-{}@seedcast>", m.id)};
    const Status delivered =
        settings.smtp_url.empty()
            ? WriteToDirectory(dir, m.id, FormatMessage(message, settings.smtp_from))
            : SendSmtp({.url = settings.smtp_url,
                        .from = settings.smtp_from,
                        .user = settings.smtp_user,
                        .password = settings.smtp_password,
                        .require_tls = settings.smtp_require_tls},
                       message);
    SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire(Intent::kWrite));
    if (!delivered.ok()) {
      (void)db->Execute(
          "UPDATE outbox SET attempts = attempts + 1, last_error = ?, claimed_until_ms = NULL "
          "WHERE id = ?",
          {std::string_view(delivered.message()), m.id});
      continue;
    }
    SEEDCAST_RETURN_IF_ERROR(
        db->Execute("UPDATE outbox SET sent_at_ms = ?, attempts = attempts + 1 WHERE id = ?",
                    {ctx.clock().NowMs(), m.id}));
    ++sent;
  }
  return sent;
}

}  // namespace seedcast::app

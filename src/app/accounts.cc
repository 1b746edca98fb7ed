// Organisations and users: creating them, reading them back, members and their roles.
#include "app/accounts.h"

#include <fmt/format.h>

#include <algorithm>

#include "app/accounts_internal.h"
#include "app/audit.h"
#include "app/passwords.h"

namespace seedcast::app {

using storage::ConnectionPool;
using storage::Intent;
using storage::Row;
using storage::Value;

namespace {

constexpr std::string_view kUserColumns =
    "id, email_sealed, role, COALESCE(org_id, 0), COALESCE(creator_id, 0), "
    "CASE WHEN email_verified_at_ms IS NULL THEN 0 ELSE 1 END, created_at_ms";
constexpr std::string_view kEmailContext = "users.email";

Result<User> UserOf(AppContext& ctx, const Row& r, const KeyRing& keys) {
  User u;
  u.id = r.Int(0);
  SEEDCAST_ASSIGN_OR_RETURN(u.email, internal::OpenSealed(ctx, keys, r.Text(1), kEmailContext));
  u.role = r.Text(2);
  u.org_id = r.Int(3);
  u.creator_id = r.Int(4);
  u.email_verified = r.Int(5) != 0;
  u.created_at_ms = r.Int(6);
  return u;
}

Value IdOrNull(int64_t id) { return id == 0 ? Value(nullptr) : Value(id); }

}  // namespace

namespace internal {

Status InWriteTransaction(AppContext& ctx, const std::function<Status(storage::Database&)>& body) {
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire(Intent::kWrite));
  return storage::InTransaction(*db, [&] { return body(*db); });
}

Result<std::string> OpenSealed(AppContext& ctx, const KeyRing& keys, std::string_view sealed,
                               std::string_view context) {
  Result<std::string> opened = keys.Open(sealed, context);
  if (opened.ok() || opened.status().reason() != "sealed_key_unknown") return opened;
  SEEDCAST_RETURN_IF_ERROR(ctx.ReloadKeyring());
  SEEDCAST_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRing> fresh, ctx.keyring());
  return fresh->Open(sealed, context);
}

Result<User> ReadUser(AppContext& ctx, storage::Database& db, const KeyRing& keys,
                      int64_t user_id) {
  std::optional<User> out;
  SEEDCAST_RETURN_IF_ERROR(db.Query(fmt::format("SELECT {} FROM users WHERE id = ?", kUserColumns),
                                    {user_id}, [&](const Row& r) -> Status {
                                      SEEDCAST_ASSIGN_OR_RETURN(out, UserOf(ctx, r, keys));
                                      return Status::Ok();
                                    }));
  if (!out) return NotFound(fmt::format("no user has id {}", user_id));
  return *out;
}

Result<std::optional<Credentials>> FindCredentials(storage::Database& db, const KeyRing& keys,
                                                   const std::string& normalised) {
  std::optional<Credentials> out;
  // During a key rotation a user's index may still be under the old key.
  for (const std::string& index : keys.BlindIndexes(normalised)) {
    SEEDCAST_RETURN_IF_ERROR(db.Query("SELECT id, password_hash FROM users WHERE email_index = ?",
                                      {std::string_view(index)}, [&out](const Row& r) {
                                        out = Credentials{r.Int(0), std::string(r.Text(1))};
                                        return Status::Ok();
                                      }));
    if (out) break;
  }
  return out;
}

Result<User> InsertUser(AppContext& ctx, storage::Database& db, const KeyRing& keys,
                        const NewUser& user, const std::string& password_hash) {
  SEEDCAST_ASSIGN_OR_RETURN(std::string email, NormaliseEmail(user.email));
  SEEDCAST_ASSIGN_OR_RETURN(std::optional<Credentials> taken, FindCredentials(db, keys, email));
  if (taken) {
    return AlreadyExists("an account with this email exists")
        .WithField("email")
        .WithReason("email_taken");
  }
  const int64_t now = ctx.clock().NowMs();
  int64_t creator_id = user.role == "creator" ? user.creator_id : 0;
  if (user.role == "creator" && creator_id == 0) {
    // The name is public (the creator's profile): never taken from the private email.
    const std::string& name = user.creator_name;
    SEEDCAST_ASSIGN_OR_RETURN(creator_id,
                              db.Insert("INSERT INTO creators (name, created_at_ms, updated_at_ms) "
                                        "VALUES (?, ?, ?)",
                                        {std::string_view(name), now, now}));
  }
  SEEDCAST_ASSIGN_OR_RETURN(std::string sealed, keys.Seal(email, kEmailContext));
  const std::string index = keys.BlindIndex(email);
  User out{.email = email,
           .role = user.role,
           .org_id = user.org_id,
           .creator_id = creator_id,
           .created_at_ms = now};
  SEEDCAST_ASSIGN_OR_RETURN(
      out.id, db.Insert("INSERT INTO users (email_index, email_sealed, password_hash, role, "
                        "org_id, creator_id, created_at_ms, updated_at_ms) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        {std::string_view(index), std::string_view(sealed),
                         std::string_view(password_hash), std::string_view(user.role),
                         IdOrNull(user.org_id), IdOrNull(creator_id), now, now}));
  return out;
}

}  // namespace internal

const std::vector<std::string>& UserRoles() {
  static const std::vector<std::string> kRoles = {"operator", "creator", "owner", "admin",
                                                  "member"};
  return kRoles;
}

Result<std::string> NormaliseEmail(std::string_view email) {
  while (!email.empty() && (email.front() == ' ' || email.front() == '\t')) email.remove_prefix(1);
  while (!email.empty() && (email.back() == ' ' || email.back() == '\t')) email.remove_suffix(1);
  auto invalid = [](const std::string& why) {
    return InvalidArgument("email: " + why).WithField("email").WithReason("invalid_email");
  };
  if (email.empty()) return invalid("it is empty");
  if (email.size() > 254) return invalid("it is longer than 254 characters");
  const size_t at = email.rfind('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == email.size()) {
    return invalid("it is not an address like name@example.com");
  }
  if (at > 64) return invalid("the part before @ is longer than 64 characters");
  const std::string_view domain = email.substr(at + 1);
  if (domain.find('.') == std::string_view::npos || domain.front() == '.' || domain.back() == '.' ||
      domain.find("..") != std::string_view::npos) {
    return invalid("the domain is not a name like example.com");
  }
  std::string out;
  out.reserve(email.size());
  for (size_t i = 0; i < email.size(); ++i) {
    const auto c = static_cast<unsigned char>(email[i]);
    if (c <= ' ' || c == 0x7f || c == '<' || c == '>' || c == '"' || c == ',' || c == ';' ||
        (c == '@' && i != at)) {
      return invalid("it holds a character an address cannot have");
    }
    out.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
  }
  return out;
}

Result<int64_t> internal::InsertOrg(AppContext& ctx, storage::Database& db, const std::string& name,
                                    const std::string& actor) {
  if (name.empty() || name.size() > 200) {
    return InvalidArgument("an organisation's name is 1 to 200 bytes").WithField("name");
  }
  auto inserted = db.Insert("INSERT INTO orgs (name, created_at_ms) VALUES (?, ?)",
                            {std::string_view(name), ctx.clock().NowMs()});
  if (!inserted.ok() && inserted.status().code() == StatusCode::kAlreadyExists) {
    return AlreadyExists(fmt::format("an organisation named '{}' exists", name)).WithField("name");
  }
  SEEDCAST_ASSIGN_OR_RETURN(int64_t id, std::move(inserted));
  SecurityEvent e{
      .at_ms = ctx.clock().NowMs(), .kind = "org_created", .actor = actor, .org_id = id};
  e.detail = {{"name", name}};
  SEEDCAST_RETURN_IF_ERROR(RecordEvent(db, e));
  return id;
}

Result<int64_t> CreateOrg(AppContext& ctx, const std::string& name, const std::string& actor) {
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire(Intent::kWrite));
  int64_t id = 0;
  Status done = storage::InTransaction(*db, [&]() -> Status {
    SEEDCAST_ASSIGN_OR_RETURN(id, internal::InsertOrg(ctx, *db, name, actor));
    return Status::Ok();
  });
  if (!done.ok()) return done;
  return id;
}

Result<int64_t> FindOrg(AppContext& ctx, const std::string& name) {
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire());
  std::optional<int64_t> id;
  SEEDCAST_RETURN_IF_ERROR(db->Query("SELECT id FROM orgs WHERE name = ?", {std::string_view(name)},
                                     [&id](const Row& r) {
                                       id = r.Int(0);
                                       return Status::Ok();
                                     }));
  if (!id) return NotFound(fmt::format("no organisation is named '{}'", name)).WithField("org");
  return *id;
}

Status internal::CheckNewUser(const NewUser& user) {
  const auto& roles = UserRoles();
  if (std::find(roles.begin(), roles.end(), user.role) == roles.end()) {
    return InvalidArgument(
               fmt::format("role '{}' is not one of: {}", user.role, fmt::join(roles, ", ")))
        .WithField("role")
        .WithReason("unknown_role");
  }
  if (Principal::IsOrgRole(user.role) != (user.org_id != 0)) {
    return InvalidArgument(Principal::IsOrgRole(user.role)
                               ? "an owner, admin or member belongs to an organisation"
                               : "only owners, admins and members belong to an organisation")
        .WithField("org");
  }
  if (user.creator_name.size() > 200) {
    return InvalidArgument("a name is at most 200 bytes").WithField("name");
  }
  SEEDCAST_ASSIGN_OR_RETURN(std::string email, NormaliseEmail(user.email));
  const std::vector<std::string> context = {"seedcast", email.substr(0, email.find('@'))};
  return CheckNewPassword(user.password, context);
}

Result<User> internal::CreateUserIn(AppContext& ctx, storage::Database& db, const KeyRing& keys,
                                    const NewUser& user, const std::string& password_hash,
                                    const std::string& actor) {
  if (user.org_id != 0) {
    SEEDCAST_ASSIGN_OR_RETURN(int64_t n,
                              db.QueryInt("SELECT COUNT(*) FROM orgs WHERE id = ?", {user.org_id}));
    if (n == 0) return NotFound(fmt::format("no organisation has id {}", user.org_id));
  }
  SEEDCAST_ASSIGN_OR_RETURN(User out, InsertUser(ctx, db, keys, user, password_hash));
  SecurityEvent e{.at_ms = ctx.clock().NowMs(),
                  .kind = "user_created",
                  .actor = actor,
                  .user_id = out.id,
                  .org_id = out.org_id};
  e.detail = {{"role", out.role}};
  SEEDCAST_RETURN_IF_ERROR(RecordEvent(db, e));
  SEEDCAST_RETURN_IF_ERROR(QueueVerification(ctx, db, keys, out));
  return out;
}

Result<User> CreateUser(AppContext& ctx, const NewUser& user, const std::string& actor) {
  SEEDCAST_RETURN_IF_ERROR(internal::CheckNewUser(user));
  SEEDCAST_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRing> keys, ctx.keyring());
  SEEDCAST_ASSIGN_OR_RETURN(std::string hash, HashPassword(user.password));
  User out;
  Status done = internal::InWriteTransaction(ctx, [&](storage::Database& db) -> Status {
    SEEDCAST_ASSIGN_OR_RETURN(out, internal::CreateUserIn(ctx, db, *keys, user, hash, actor));
    return Status::Ok();
  });
  if (!done.ok()) return done;
  if (ctx.options().deliver_mail_inline) (void)DeliverMail(ctx);  // what fails stays queued
  return out;
}

Result<User> GetUser(AppContext& ctx, int64_t user_id) {
  SEEDCAST_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRing> keys, ctx.keyring());
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire());
  return internal::ReadUser(ctx, *db, *keys, user_id);
}

Result<std::vector<User>> OrgMembers(AppContext& ctx, const Principal& by, int64_t org_id) {
  if (!by.is_operator() && !(by.in_org() && by.org_id == org_id)) {
    return NotFound(fmt::format("no organisation has id {}", org_id));
  }
  SEEDCAST_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRing> keys, ctx.keyring());
  if (by.is_operator()) {
    // Members' emails are personal data: an operator's read of them is in the security log.
    SecurityEvent e{.at_ms = ctx.clock().NowMs(),
                    .kind = "personal_data_read",
                    .actor = by.Name(),
                    .user_id = by.user_id,
                    .org_id = org_id};
    e.detail = {{"members_of", org_id}};
    SEEDCAST_RETURN_IF_ERROR(RecordEvent(ctx, e));
  }
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire());
  std::vector<User> out;
  SEEDCAST_RETURN_IF_ERROR(
      db->Query(fmt::format("SELECT {} FROM users WHERE org_id = ? ORDER BY id", kUserColumns),
                {org_id}, [&](const Row& r) -> Status {
                  SEEDCAST_ASSIGN_OR_RETURN(User u, UserOf(ctx, r, *keys));
                  out.push_back(std::move(u));
                  return Status::Ok();
                }));
  return out;
}

Result<User> ChangeRole(AppContext& ctx, const Principal& by, int64_t user_id,
                        const std::string& role, const ClientInfo& client) {
  if (!Principal::IsOrgRole(role)) {
    return InvalidArgument("a member's role is owner, admin or member")
        .WithField("role")
        .WithReason("unknown_role");
  }
  SEEDCAST_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRing> keys, ctx.keyring());
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire(Intent::kWrite));
  User out;
  Status s = storage::InTransaction(*db, [&]() -> Status {
    SEEDCAST_ASSIGN_OR_RETURN(out, internal::ReadUser(ctx, *db, *keys, user_id));
    if (!Principal::IsOrgRole(out.role) ||
        !(by.is_operator() || (by.manages_org() && by.org_id == out.org_id))) {
      return NotFound(fmt::format("no member has id {}", user_id));
    }
    if ((role == "owner" || out.role == "owner") && !by.is_operator() && by.role != "owner") {
      return PermissionDenied("only an owner makes or unmakes an owner").WithField("role");
    }
    if (out.role == "owner" && role != "owner") {
      SEEDCAST_ASSIGN_OR_RETURN(
          int64_t owners,
          db->QueryInt("SELECT COUNT(*) FROM users WHERE org_id = ? AND role = 'owner'",
                       {out.org_id}));
      if (owners <= 1) {
        return FailedPrecondition("last_owner", "an organisation keeps at least one owner");
      }
    }
    SEEDCAST_RETURN_IF_ERROR(
        db->Execute("UPDATE users SET role = ?, updated_at_ms = ? WHERE id = ?",
                    {std::string_view(role), ctx.clock().NowMs(), user_id}));
    SecurityEvent e{.at_ms = ctx.clock().NowMs(),
                    .kind = "role_changed",
                    .actor = by.Name(),
                    .user_id = user_id,
                    .org_id = out.org_id,
                    .client = client.address};
    e.detail = {{"from", out.role}, {"to", role}};
    out.role = role;
    return RecordEvent(*db, e);
  });
  if (!s.ok()) return s;
  return out;
}

nlohmann::ordered_json UserToJson(const User& u) {
  using nlohmann::ordered_json;
  return {{"id", u.id},
          {"email", u.email},
          {"role", u.role},
          {"org_id", u.org_id == 0 ? ordered_json(nullptr) : ordered_json(u.org_id)},
          {"creator_id", u.creator_id == 0 ? ordered_json(nullptr) : ordered_json(u.creator_id)},
          {"email_verified", u.email_verified}};
}

}  // namespace seedcast::app

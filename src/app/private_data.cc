#include "app/private_data.h"

#include <fmt/format.h>

#include "app/accounts_internal.h"
#include "app/audit.h"
#include "campaign/campaign_store.h"

namespace seedcast::app {

using storage::ConnectionPool;
using storage::Row;

namespace {

constexpr std::string_view kContext = "creator_private";
constexpr size_t kMaxAddressBytes = 1000;

Result<Contact> Read(AppContext& ctx, storage::Database& db, const KeyRing& keys,
                     int64_t creator_id) {
  std::string sealed;
  SEEDCAST_RETURN_IF_ERROR(db.Query("SELECT sealed FROM creator_private WHERE creator_id = ?",
                                    {creator_id}, [&sealed](const Row& r) {
                                      sealed = r.Text(0);
                                      return Status::Ok();
                                    }));
  Contact c;
  if (sealed.empty()) return c;
  SEEDCAST_ASSIGN_OR_RETURN(std::string text, internal::OpenSealed(ctx, keys, sealed, kContext));
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object()) return Internal("a creator's sealed record is not an object");
  c.email = j.value("email", "");
  c.phone = j.value("phone", "");
  c.address = j.value("address", "");
  return c;
}

Status CheckPhone(const std::string& phone) {
  int digits = 0;
  for (const char ch : phone) {
    if (ch >= '0' && ch <= '9') {
      ++digits;
    } else if (ch != ' ' && ch != '+' && ch != '-' && ch != '(' && ch != ')' && ch != '.') {
      return InvalidArgument("phone: only digits, spaces and + - ( ) . are allowed")
          .WithField("phone");
    }
  }
  if (digits < 5 || digits > 20 || phone.size() > 40) {
    return InvalidArgument("phone: a number has 5 to 20 digits").WithField("phone");
  }
  return Status::Ok();
}

// The record with `fields` merged in, checked.
Result<Contact> Merge(Contact c, const std::map<std::string, std::string>& fields) {
  for (const auto& [name, value] : fields) {
    if (name == "email") {
      SEEDCAST_ASSIGN_OR_RETURN(c.email, NormaliseEmail(value));
    } else if (name == "phone") {
      SEEDCAST_RETURN_IF_ERROR(CheckPhone(value));
      c.phone = value;
    } else if (name == "address") {
      if (value.size() > kMaxAddressBytes) {
        return InvalidArgument(fmt::format("address: at most {} bytes", kMaxAddressBytes))
            .WithField("address");
      }
      c.address = value;
    } else {
      return InvalidArgument(fmt::format("'{}' is not personal data (email, phone, address)", name))
          .WithField(name);
    }
  }
  return c;
}

Status Write(AppContext& ctx, storage::Database& db, const KeyRing& keys, int64_t creator_id,
             const Contact& c) {
  const nlohmann::json j = {{"email", c.email}, {"phone", c.phone}, {"address", c.address}};
  SEEDCAST_ASSIGN_OR_RETURN(std::string sealed, keys.Seal(j.dump(), kContext));
  return db.Execute(
      "INSERT INTO creator_private (creator_id, sealed, updated_at_ms) VALUES (?, ?, ?) "
      "ON CONFLICT (creator_id) DO UPDATE SET sealed = excluded.sealed, "
      "updated_at_ms = excluded.updated_at_ms",
      {creator_id, std::string_view(sealed), ctx.clock().NowMs()});
}

// Reads a creator's record and logs the read as `kind`, in one transaction.
Result<Contact> ReadLogged(AppContext& ctx, int64_t creator_id, SecurityEvent event) {
  SEEDCAST_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRing> keys, ctx.keyring());
  Contact out;
  Status done = internal::InWriteTransaction(ctx, [&](storage::Database& db) -> Status {
    SEEDCAST_ASSIGN_OR_RETURN(out, Read(ctx, db, *keys, creator_id));
    event.at_ms = ctx.clock().NowMs();
    return RecordEvent(db, event);
  });
  if (!done.ok()) return done;
  return out;
}

}  // namespace

Status StoreContact(AppContext& ctx, storage::Database& db, int64_t creator_id,
                    const std::map<std::string, std::string>& fields) {
  SEEDCAST_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRing> keys, ctx.keyring());
  SEEDCAST_ASSIGN_OR_RETURN(Contact current, Read(ctx, db, *keys, creator_id));
  SEEDCAST_ASSIGN_OR_RETURN(Contact merged, Merge(std::move(current), fields));
  return Write(ctx, db, *keys, creator_id, merged);
}

Result<Contact> MyContact(AppContext& ctx, const Principal& p) {
  if (!p.is_creator()) return NotFound("only a creator has personal data here");
  SEEDCAST_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRing> keys, ctx.keyring());
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire());
  return Read(ctx, *db, *keys, p.creator_id);
}

Result<Contact> UpdateMyContact(AppContext& ctx, const Principal& p,
                                const std::map<std::string, std::string>& fields) {
  if (!p.is_creator()) return NotFound("only a creator has personal data here");
  SEEDCAST_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRing> keys, ctx.keyring());
  Contact out;
  Status done = internal::InWriteTransaction(ctx, [&](storage::Database& db) -> Status {
    SEEDCAST_ASSIGN_OR_RETURN(Contact current, Read(ctx, db, *keys, p.creator_id));
    SEEDCAST_ASSIGN_OR_RETURN(out, Merge(std::move(current), fields));
    return Write(ctx, db, *keys, p.creator_id, out);
  });
  if (!done.ok()) return done;
  return out;
}

Result<Contact> RevealContact(AppContext& ctx, const Principal& p, int64_t assignment_id,
                              const ClientInfo& client) {
  // Brands (and operators) only; the route says so too. Asked before anything is read.
  if (!p.is_operator() && !p.in_org())
    return NotFound(fmt::format("no assignment {}", assignment_id));
  const storage::Scope scope = ScopeOf(p);
  campaign::Assignment a;
  {
    SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire());
    campaign::CampaignStore store(*db, ctx.clock(), scope);
    SEEDCAST_ASSIGN_OR_RETURN(a, store.GetAssignment(assignment_id));
  }
  using campaign::State;
  const bool open = a.state == State::kApproved || a.state == State::kShipped ||
                    a.state == State::kPurchased || a.state == State::kDelivered ||
                    a.state == State::kPosted || a.state == State::kLate;
  if (!open) {
    return FailedPrecondition(
        "not_approved_or_open",
        fmt::format("assignment {} is {}: a creator's contact is shown only for an approved "
                    "assignment that is still open",
                    assignment_id, campaign::StateName(a.state)));
  }
  SecurityEvent e{.kind = p.is_operator() ? "personal_data_read" : "address_revealed",
                  .actor = p.Name(),
                  .user_id = p.user_id,
                  .org_id = a.org_id,
                  .client = client.address};
  e.detail = {
      {"creator_id", a.creator_id}, {"campaign_id", a.campaign_id}, {"assignment_id", a.id}};
  return ReadLogged(ctx, a.creator_id, e);
}

Result<Contact> ReadContact(AppContext& ctx, const Principal& p, int64_t creator_id,
                            const ClientInfo& client) {
  if (!p.is_operator()) return NotFound(fmt::format("no creator {}", creator_id));
  SecurityEvent e{.kind = "personal_data_read",
                  .actor = p.Name(),
                  .user_id = p.user_id,
                  .client = client.address};
  e.detail = {{"creator_id", creator_id}};
  return ReadLogged(ctx, creator_id, e);
}

Result<Contact> ContactForMail(AppContext& ctx, storage::Database& db, int64_t creator_id) {
  SEEDCAST_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRing> keys, ctx.keyring());
  return Read(ctx, db, *keys, creator_id);
}

nlohmann::ordered_json ContactToJson(const Contact& c) {
  return {{"email", c.email}, {"phone", c.phone}, {"address", c.address}};
}

}  // namespace seedcast::app

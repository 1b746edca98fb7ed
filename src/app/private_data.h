// Creators' personal data: email, phone and shipping address, kept sealed (XChaCha20-Poly1305,
// app/secrets.h) in creator_private, one sealed record per creator. Nothing else holds them.
//
// Who reads them:
// - the creator, their own;
// - a brand, only for an assignment of its own that it approved and that is still open
//   (approved, shipped, purchased, delivered, posted or late): to fulfil that campaign. Each
//   reveal is in the security log (address_revealed: who, when, which campaign and creator);
// - an operator, each read in the security log (personal_data_read).
// Everyone else gets "not found".
//
// Thread-safe: each call takes its own connection.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "app/accounts.h"
#include "app/context.h"
#include "app/principal.h"
#include "storage/database.h"

namespace seedcast::app {

struct Contact {
  std::string email;
  std::string phone;
  std::string address;  // the shipping address, as lines of text
  bool empty() const { return email.empty() && phone.empty() && address.empty(); }
};

// Merges the given fields (email, phone, address; others are refused) into the creator's sealed
// record, on `db` (inside the caller's transaction: an import). kInvalidArgument names the field.
Status StoreContact(AppContext& ctx, storage::Database& db, int64_t creator_id,
                    const std::map<std::string, std::string>& fields);

// The signed-in creator's own.
Result<Contact> MyContact(AppContext& ctx, const Principal& p);
Result<Contact> UpdateMyContact(AppContext& ctx, const Principal& p,
                                const std::map<std::string, std::string>& fields);
// A brand's (or an operator's) view of the creator of one assignment, for shipping.
Result<Contact> RevealContact(AppContext& ctx, const Principal& p, int64_t assignment_id,
                              const ClientInfo& client);
// An operator's read of any creator's.
Result<Contact> ReadContact(AppContext& ctx, const Principal& p, int64_t creator_id,
                            const ClientInfo& client);

// The creator's record on `db`, for the outbox only (a reminder's recipient): never shown to
// anyone, so not logged.
Result<Contact> ContactForMail(AppContext& ctx, storage::Database& db, int64_t creator_id);

nlohmann::ordered_json ContactToJson(const Contact& c);

}  // namespace seedcast::app

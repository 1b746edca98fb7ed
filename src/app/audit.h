// The security event log: one table of who did what, for sign-ins and their failures and
// throttling, sessions and keys made and revoked, users and organisations made, role and password
// changes, and reads of personal data (address reveals, operators' reads). Operators read it
// through the API and the CLI; nothing updates or deletes its rows.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app/context.h"
#include "storage/database.h"
#include "storage/scope.h"

namespace seedcast::app {

struct SecurityEvent {
  int64_t id = 0;
  int64_t at_ms = 0;
  std::string kind;   // sign_in, sign_in_failed, sign_in_throttled, key_created, ...
  std::string actor;  // a principal's name ("user:4", "key:2", "cli"), or the email's index
  int64_t user_id = 0;
  int64_t org_id = 0;
  std::string client;  // the client's address, when a request made it
  nlohmann::ordered_json detail = nlohmann::ordered_json::object();
};

// Appends an event on `db`, inside the caller's transaction when there is one.
Status RecordEvent(storage::Database& db, const SecurityEvent& event);
// Appends an event on a connection of its own.
Status RecordEvent(AppContext& ctx, const SecurityEvent& event);

struct EventQuery {
  std::string kind;     // "" for every kind
  int64_t user_id = 0;  // 0 for every user
  int64_t before_id = 0;
  int limit = 100;
};

// Newest first. Operators only (an everything scope): kPermissionDenied otherwise.
Result<std::vector<SecurityEvent>> ListEvents(AppContext& ctx, const storage::Scope& scope,
                                              const EventQuery& query);

nlohmann::ordered_json EventToJson(const SecurityEvent& event);

}  // namespace seedcast::app

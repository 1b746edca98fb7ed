// Principal: who a request acts as, and the Scope (storage/scope.h) of what it may read.
//
// A principal comes from an API key (app/keys.h) or a session cookie (app/accounts.h); without
// credentials it is anonymous and reaches only public routes. Roles:
//   operator               runs the instance; sees everything
//   owner, admin, member   a member of one organisation (a brand or agency); an organisation's API
//                          key acts as a member
//   creator                one person with their platform accounts
// A plain value: thread-compatible.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "storage/scope.h"

namespace seedcast::app {

struct Principal {
  std::string kind = "anonymous";  // anonymous, api_key, session
  int64_t key_id = 0;
  int64_t user_id = 0;
  int64_t session_id = 0;
  std::string role;
  int64_t org_id = 0;      // brand roles
  int64_t creator_id = 0;  // creators
  bool can_write = true;   // false for a read-only key
  std::string csrf_token;  // sessions: what an unsafe request must send back

  // A stable name, for idempotency records, audit entries and logs: "key:12", "user:4".
  std::string Name() const;
  bool authenticated() const { return kind != "anonymous"; }
  bool is_operator() const { return role == "operator"; }
  // An owner, admin or member of an organisation (people and keys).
  bool in_org() const { return org_id != 0 && IsOrgRole(role); }
  // An owner or admin: may manage the organisation's keys and members.
  bool manages_org() const { return in_org() && kind == "session" && role != "member"; }
  bool is_creator() const { return role == "creator" && creator_id != 0; }

  static bool IsOrgRole(std::string_view role) {
    return role == "owner" || role == "admin" || role == "member";
  }
};

// What a principal may read: operators everything, members their organisation, creators their
// own rows, anyone else nothing.
inline storage::Scope ScopeOf(const Principal& p) {
  if (p.is_operator()) return storage::Scope::Everything();
  if (p.in_org()) return storage::Scope::Org(p.org_id);
  if (p.is_creator()) return storage::Scope::Creator(p.creator_id);
  return {};
}

}  // namespace seedcast::app

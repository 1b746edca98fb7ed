// The demo's sign-ins: the users `seedcast demo` makes so that its population can be seen in the
// web app (a brand's owner, a creator, an operator), with a fresh random password on every run.
//
// A demo user is found by its email: a second run refreshes the same user (its role,
// organisation and creator as given now, a new password, its sessions ended, its failed sign-ins
// forgotten) instead of making another. Demo users' emails count as verified (the addresses are
// under .test, where no mail is delivered), so no verification message is queued. Passwords are
// returned to the caller only: they are never stored (only their argon2id hashes), logged or put
// in the security log.
//
// Thread-safe, as the accounts functions are (app/accounts.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "app/accounts.h"
#include "app/context.h"

namespace seedcast::app {

struct DemoUser {
  std::string email;
  std::string role;        // owner, creator or operator
  int64_t org_id = 0;      // an owner's organisation
  int64_t creator_id = 0;  // a creator's creator row
};

struct DemoSignIn {
  User user;
  std::string password;  // shown once, to whoever ran the demo
};

// The organisation named `name`, made (with its event, by `actor`) when there is none.
Result<int64_t> EnsureOrg(AppContext& ctx, const std::string& name, const std::string& actor);

// Makes or refreshes each user (above); `actor` names who did it in the security log.
Result<std::vector<DemoSignIn>> RefreshDemoUsers(AppContext& ctx,
                                                 const std::vector<DemoUser>& users,
                                                 const std::string& actor);

// A random password of four groups of five lower-case letters and digits ("k3v9q-..."), about
// 103 bits from libsodium, that meets the password rules for `email` (app/passwords.h).
Result<std::string> NewDemoPassword(std::string_view email);

}  // namespace seedcast::app

// What the demo's sign-ins see (app/demo_accounts.h makes the users): the seasons' first brand,
// with its products, campaigns, assignments and ledger, handed to the demo's organisation, and the
// demo creator whom the creator user is. Before a population is replaced, users let go of the
// demo creators it deletes (the demo links them again to the new one).
//
// Functions over one Database; single-threaded, as the demo is.
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"
#include "storage/database.h"

namespace seedcast::demo {

// Unlinks the users who are demo creators (refs "demo-..."), so that those creators can be
// deleted; returns how many users.
Result<int64_t> ReleaseDemoCreators(storage::Database& db);

struct HandedBrand {
  std::string name;
  int64_t campaigns = 0;  // 0 when no season ran
};
// Gives the first season brand (FirstBrandName) and every row hanging off it that carries an
// org_id to the organisation `org_id`.
Result<HandedBrand> HandFirstBrandToOrg(storage::Database& db, int64_t org_id);

struct DemoCreator {
  int64_t id = 0;
  std::string name;
  std::string platform;  // their largest approved account
  std::string handle;
  int64_t assignments = 0;
};
// A demo creator with an approved account: one with an assignment (a completed one first) in the
// organisation's campaigns when there is one, else the first. kNotFound without demo creators.
Result<DemoCreator> PickDemoCreator(storage::Database& db, int64_t org_id);

}  // namespace seedcast::demo

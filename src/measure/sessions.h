// Listing sessions: a product listing's sessions and orders per day, the input of conversion lift
// (measure/lift.h). They come from a shop's sessions report (Shopify's "Conversion over time" or
// "Sessions by landing page" export: a day, sessions, and orders or a conversion rate) or are
// entered. One stored row per brand, SKU ("" for the whole shop) and day; importing or entering a
// day again replaces it.
//
// Free functions over a caller's connection; thread-compatible.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "campaign/shopify_import.h"
#include "common/clock.h"
#include "common/status.h"
#include "measure/lift.h"
#include "storage/database.h"
#include "storage/scope.h"

namespace seedcast::measure {

struct DaySessions {
  std::string day;  // YYYY-MM-DD
  int64_t sessions = 0;
  int64_t orders = 0;
};

struct SessionsImport {
  int64_t records = 0;
  int64_t stored = 0;  // days written
  std::vector<campaign::ImportReject> rejects;
  std::string orders_from;  // the column orders were read from, or "conversion rate"
};

// Reads a sessions report. Orders come from an orders column ("Orders", "Sessions converted",
// "Sessions that completed checkout"), else from sessions × the conversion-rate column, rounded.
// Rows of the same day add up (a report by landing page and day). Bad rows are rejects; a file
// without a day and a sessions column fails.
Result<std::vector<DaySessions>> ReadSessionsReport(const std::string& path, SessionsImport* info);

// Checks days (an ISO date), counts (not negative) and orders <= sessions.
Status CheckDaySessions(const DaySessions& d);

struct SessionsKey {
  int64_t brand_id = 0;
  int64_t org_id = 0;  // 0: the instance's own
  std::string sku;     // "" for the whole shop
};

// Stores days (one transaction), replacing stored days of the same key.
Status StoreSessions(storage::Database& db, const SessionsKey& key,
                     const std::vector<DaySessions>& days, std::string_view source,
                     const Clock& clock);

Result<SessionsImport> ImportSessions(storage::Database& db, const SessionsKey& key,
                                      const std::string& path, const Clock& clock);

// Sessions and orders summed over the days from `first_day` to `last_day` (inclusive), within
// `scope`.
Result<Proportion> SumSessions(storage::Database& db, const storage::Scope& scope, int64_t brand_id,
                               const std::string& sku, const std::string& first_day,
                               const std::string& last_day);

}  // namespace seedcast::measure

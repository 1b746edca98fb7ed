// Attribution of a brand's orders to creators, and storing the orders.
//
// The rules, in order; the first that applies is recorded with the order:
//   discount_code  a code of the order is one of the brand's codes (made or imported): its
//                  creator and assignment.
//   link_click     the order's UTM names a creator (utm_content is a tracked link's code, or a
//                  creator's handle), and that creator's tracked link has a counted click (bots
//                  left out) in the window before the order.
//   utm            the order's UTM names a creator and that creator's post went live in the
//                  window before the order (no click of theirs was seen: the visit came another
//                  way, such as the brand's own tagged link).
// Otherwise the order is not attributed. The window is `window_days` (default 7) before the
// order's time, inclusive. A handle names the creator's newest assignment with the brand made at
// or before the order (else the newest one).
//
// Refunded and voided orders are stored with their attribution but are not conversions: they
// count in no attributed total and raise no event. An order newly attributed (or attributed
// anew) records storage::kEventOrderAttributed in the transaction that stores it, so re-importing
// the same file records nothing twice.
//
// Free functions over a caller's connection; thread-compatible like the connection.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/status.h"
#include "measure/shopify_orders.h"
#include "storage/database.h"

namespace seedcast::measure {

inline constexpr std::string_view kRuleDiscountCode = "discount_code";
inline constexpr std::string_view kRuleLinkClick = "link_click";
inline constexpr std::string_view kRuleUtm = "utm";

struct AttributionOptions {
  int window_days = 7;
};

// Who an order could be attributed to.
struct Candidate {
  int64_t creator_id = 0;
  int64_t assignment_id = 0;  // 0: a code imported for a creator without an assignment
  int64_t campaign_id = 0;
  int64_t link_id = 0;
  std::string handle;
  int64_t created_at_ms = 0;  // the assignment's
};

// A brand's codes, links, handles and posts, loaded once per import.
struct AttributionIndex {
  std::map<std::string, Candidate> codes;                 // by CodeKey
  std::map<std::string, Candidate> links;                 // by link code
  std::map<std::string, std::vector<Candidate>> handles;  // newest assignment first
  std::map<int64_t, std::vector<int64_t>> post_times;     // assignment -> posts' times
};
Result<AttributionIndex> LoadAttributionIndex(storage::Database& db, int64_t brand_id);

// Whether the link has a counted click in [from_ms, to_ms].
using ClickInWindow = std::function<Result<bool>(int64_t link_id, int64_t from_ms, int64_t to_ms)>;
// The store's clicks.
ClickInWindow StoredClicks(storage::Database& db);

struct Attribution {
  std::string rule;  // "" when not attributed
  Candidate to;
};
Result<Attribution> Attribute(const ShopifyOrder& order, const AttributionIndex& index,
                              const ClickInWindow& clicks, const AttributionOptions& options);

struct CreatorOrders {
  int64_t creator_id = 0;
  std::string handle;
  int64_t orders = 0;
  int64_t units = 0;
  int64_t revenue_cents = 0;
};

struct OrderImportReport {
  int64_t rows = 0;
  int64_t orders_read = 0;
  int64_t orders_new = 0;
  int64_t orders_updated = 0;
  int64_t conversions = 0;
  int64_t not_conversions = 0;  // refunded or voided
  int64_t attributed = 0;       // conversions attributed
  int64_t unattributed = 0;     // conversions not attributed
  int64_t revenue_attributed_cents = 0;
  int64_t units_attributed = 0;
  std::map<std::string, int64_t> by_rule;
  std::vector<CreatorOrders> by_creator;  // by creator id
  int64_t events = 0;                     // order.attributed events recorded
  std::vector<campaign::ImportReject> rejects;
};

struct OrderStoreTarget {
  int64_t brand_id = 0;
  int64_t org_id = 0;  // the brand's organisation (0: the instance's own)
};
// Attributes and stores (inserts or updates by brand and name) every order of `file`, 500 to a
// transaction; the report covers the file's orders and its rejected rows.
Result<OrderImportReport> StoreOrders(storage::Database& db, const OrderStoreTarget& target,
                                      const OrdersFile& file, const AttributionOptions& options,
                                      int64_t now_ms);

// The summary the CLI prints and the API answers.
nlohmann::ordered_json OrderImportReportToJson(const OrderImportReport& report,
                                               const AttributionOptions& options);

}  // namespace seedcast::measure

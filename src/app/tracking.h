// Tracking use cases: a campaign's tracked links and discount codes (made for the assignments
// that lack them), one assignment's, following a link (the redirect, its click queued), importing
// a brand's Shopify orders (with codes issued elsewhere), and listing orders with their
// attribution. Rules and formats are in measure/ (links.h, discount_codes.h, attribution.h).
//
// Scopes: campaigns, assignments, brands and orders are read within the caller's scope (others
// are not found); a creator sees their own assignment's link and code. Following a link is
// public.
//
// Thread-safe: each call takes its own connection.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app/context.h"
#include "measure/attribution.h"
#include "measure/click_queue.h"
#include "measure/discount_codes.h"
#include "storage/scope.h"

namespace seedcast::app {

struct AssignmentTracking {
  int64_t assignment_id = 0;
  int64_t campaign_id = 0;
  int64_t creator_id = 0;
  std::string handle;
  std::string link_code;  // "" until made
  std::string target_url;
  std::string discount_code;
  measure::CreatorTracking counts;
};

struct EquipOptions {
  std::string landing_url;  // "": the URL the campaign's links have already
  std::string code_pattern{measure::kDefaultCodePattern};
};
// Makes the missing links and codes of every assignment of the campaign; returns them all.
Result<std::vector<AssignmentTracking>> EquipCampaign(AppContext& ctx, const storage::Scope& scope,
                                                      int64_t campaign_id,
                                                      const EquipOptions& options);
// Every assignment of the campaign with its link, code and counts.
Result<std::vector<AssignmentTracking>> TrackingOfCampaign(AppContext& ctx,
                                                           const storage::Scope& scope,
                                                           int64_t campaign_id);
Result<AssignmentTracking> AssignmentTrackingOf(AppContext& ctx, const storage::Scope& scope,
                                                int64_t assignment_id);

struct Visit {
  std::string referrer;
  std::string user_agent;
  std::string address;
};
// The URL a link code redirects to, its click queued; kNotFound for an unknown code.
Result<std::string> FollowLink(AppContext& ctx, measure::ClickQueue& clicks, std::string_view code,
                               const Visit& visit);

struct OrderImportRequest {
  std::string path;         // a Shopify orders export
  std::string brand;        // the brand's name (made in the scope's organisation when new)
  int64_t campaign_id = 0;  // instead of `brand`: that campaign's brand (within the scope)
  std::string codes_path;   // "": none; else a CSV of code and creator handle
  measure::AttributionOptions attribution;
};
struct OrdersImported {
  int64_t brand_id = 0;
  std::optional<measure::CodeImportReport> codes;
  measure::OrderImportReport report;
  measure::AttributionOptions attribution;
};
Result<OrdersImported> ImportOrders(AppContext& ctx, const storage::Scope& scope,
                                    const OrderImportRequest& request);

struct OrderQuery {
  int64_t brand_id = 0;     // 0: every brand in scope
  int64_t campaign_id = 0;  // 0: any
  bool attributed_only = false;
  int64_t before_id = 0;  // paging: the last id seen
  int limit = 100;
};
struct StoredOrder {
  int64_t id = 0;
  int64_t brand_id = 0;
  std::string name;
  int64_t ordered_at_ms = 0;
  std::string financial_status;
  bool conversion = false;
  std::string currency;
  int64_t total_cents = 0;
  int64_t refunded_cents = 0;
  int64_t units = 0;
  std::string rule;
  int64_t creator_id = 0;
  int64_t assignment_id = 0;
  int64_t campaign_id = 0;
};
// Orders within the scope, newest id first.
Result<std::vector<StoredOrder>> ListOrders(AppContext& ctx, const storage::Scope& scope,
                                            const OrderQuery& query);

nlohmann::ordered_json AssignmentTrackingToJson(const AssignmentTracking& t);
nlohmann::ordered_json OrdersImportedToJson(const OrdersImported& imported);
nlohmann::ordered_json StoredOrderToJson(const StoredOrder& o);

}  // namespace seedcast::app

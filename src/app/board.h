// The campaign board's use cases, beyond the workflow itself (campaigns.h): a creator's offers
// with what each campaign asks and offers, one assignment with everything known about it (who,
// its audit log, its latest post, its shipment), and reminders a brand sends a creator.
//
// Thread-safe: each call takes its own connection.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app/campaigns.h"
#include "app/context.h"
#include "campaign/assignment_records.h"
#include "campaign/campaign_store.h"

namespace seedcast::app {

// An assignment as its creator sees it: the campaign's terms and the products to choose from.
struct Offer {
  campaign::Assignment assignment;
  campaign::Campaign campaign;
  std::string brand;  // the brand's name
  std::vector<campaign::Product> products;
};

// The creator's assignments within `scope`, newest first, each with its campaign.
Result<std::vector<Offer>> CreatorOffers(AppContext& ctx, const storage::Scope& scope,
                                         int64_t creator_id);
nlohmann::ordered_json OfferToJson(const Offer& o);

struct AssignmentView {
  AssignmentDetail detail;
  std::optional<campaign::StoredPost> post;  // the latest
  std::optional<campaign::Shipment> shipment;
};

// One assignment within `scope` (a brand's organisation's, a creator's own, any for operators);
// kNotFound otherwise.
Result<AssignmentView> GetAssignmentView(AppContext& ctx, const storage::Scope& scope,
                                         int64_t assignment_id);
nlohmann::ordered_json AssignmentViewToJson(const AssignmentView& v);

// A reminder queued to the creator of an open assignment (approved, shipped, delivered,
// purchased, late), at most one per assignment a day: kResourceExhausted with the wait
// otherwise; kFailedPrecondition (not_open) in other states, or without an email to send to.
struct ReminderSent {
  int64_t next_allowed_at_ms = 0;
};
inline constexpr int64_t kReminderIntervalMs = int64_t{24} * 3'600'000;
Result<ReminderSent> RemindCreator(AppContext& ctx, const storage::Scope& scope,
                                   const std::string& actor, int64_t assignment_id);

}  // namespace seedcast::app

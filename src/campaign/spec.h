// CampaignSpec: a campaign as a brand writes it, in JSON or TOML (the format is documented in the
// README, "Campaign files"). Parsing names the field at fault; unknown top-level keys are refused
// so a misspelt setting is never silently ignored.
//
// The targeting keys (platforms, tiers, followers, engagement_rate, niches, countries, languages,
// audience, quality) are those of a discovery query, so candidate retrieval runs the campaign's
// targeting through the search engine as written.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "compliance/checker.h"

namespace seedcast::campaign {

enum class Compensation { kGifted, kPaid, kAffiliate, kHybrid };
std::string_view CompensationName(Compensation c);
Result<Compensation> ParseCompensation(std::string_view name);

// ship: the brand's stock goes out by parcel; buy_then_reimburse: the creator buys the product
// (e.g. on Amazon) and is reimbursed after the post is verified.
enum class Fulfilment { kShip, kBuyThenReimburse };
std::string_view FulfilmentName(Fulfilment f);

struct ProductSpec {
  int64_t product_id = 0;  // an existing product; else the fields below describe it
  std::string name;
  std::string sku;
  std::string asin;
  std::string niche;
  int64_t price_cents = 0;
  int64_t units_available = 0;
};

struct Brief {
  std::vector<std::string> key_benefits;    // up to 3
  std::vector<std::string> content_rules;   // up to 2
  std::string call_to_action;               // 1
  std::vector<std::string> example_styles;  // up to 3
  std::vector<std::string> claims_to_avoid;
};

struct CampaignSpec {
  std::string name;
  std::string brand;
  std::string goal = "ugc_assets";  // ugc_assets, launch_awareness, listing_traffic, testing_angles
  ProductSpec product;
  Compensation compensation = Compensation::kGifted;
  Fulfilment fulfilment = Fulfilment::kShip;
  int target_posts = 0;
  double confidence = 0.95;
  int64_t fee_cents_per_post = 0;     // billed to the brand per completed post, up to the target
  int64_t payout_cents_per_post = 0;  // paid to the creator per completed post
  std::optional<int64_t> budget_cents;
  double reimbursement_cap = 0.15;  // product reimbursements billed up to target x (1 + cap)
  int days_to_post = 14;            // after delivery (or purchase)
  int invite_response_days = 3;     // an unanswered invitation lapses after this
  std::string jurisdiction = "us";
  // What the brand may do with the posts' content: organic (reshare on its own channels), paid
  // (also in ads) or perpetual (paid, without an end date).
  std::string usage_rights = "organic";
  std::optional<int64_t> starts_at_ms;  // timeline.post_from
  std::optional<int64_t> ends_at_ms;    // timeline.post_until
  Brief brief;
  compliance::Requirements requirements;
  nlohmann::json targeting = nlohmann::json::object();  // a discovery query (without sort/limit)
  nlohmann::json raw;                                   // the file as given, for storing
};

// Parses a campaign from JSON text, or TOML text when `toml` is set.
Result<CampaignSpec> ParseCampaignSpec(std::string_view text, bool toml);
// Reads FILE.json or FILE.toml.
Result<CampaignSpec> ReadCampaignSpec(const std::string& path);

}  // namespace seedcast::campaign

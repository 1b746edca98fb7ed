// Tracked links and their clicks. Each assignment gets one short link, /r/{code}, that answers a
// redirect to the brand's landing URL with UTM parameters added (utm_source=seedcast,
// utm_medium=creator, utm_campaign=the campaign's name, utm_content=the link's code), so an order
// that arrives through it carries the code back (attribution.h).
//
// A click keeps its time, the referrer's origin (scheme and host only: a referrer's path and query
// can carry personal data), the user-agent class (user_agents.h; the agent itself is not kept),
// and a visitor hash: BLAKE2b-128 (libsodium crypto_generichash) of the address and the agent,
// keyed with a random salt of the click's UTC day. Salts live in click_salts and are deleted
// after kSaltKeepDays, so a stored hash can no longer be linked to an address. Unique clicks are
// distinct (day, hash) pairs: one visitor counts once a day.
//
// Free functions over a caller's connection; thread-compatible like the connection.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "campaign/campaign_store.h"
#include "common/status.h"
#include "measure/user_agents.h"
#include "storage/database.h"

namespace seedcast::measure {

inline constexpr int64_t kDayMs = 86'400'000;
// Salts of this many UTC days (today included) are kept; older ones are deleted.
inline constexpr int64_t kSaltKeepDays = 3;
inline constexpr std::string_view kRedirectPrefix = "/r/";

struct Link {
  int64_t id = 0;
  std::string code;
  int64_t org_id = 0;
  int64_t brand_id = 0;
  int64_t campaign_id = 0;
  int64_t assignment_id = 0;
  int64_t creator_id = 0;
  std::string landing_url;
  std::string target_url;  // the landing URL with the UTM parameters
  int64_t created_at_ms = 0;
};

// A fresh random code: 8 characters of [0-9A-Za-z] (47 bits).
std::string NewLinkCode();
// Whether `code` could be a link code (1 to 32 characters of [0-9A-Za-z_-]): others are not
// looked up.
bool PlausibleLinkCode(std::string_view code);

// Makes the link of an assignment of `campaign` to `landing_url` (checked with CheckLandingUrl).
// kAlreadyExists when the assignment has one.
Result<Link> CreateLink(storage::Database& db, const campaign::Campaign& campaign,
                        const campaign::Assignment& assignment, std::string_view landing_url,
                        int64_t now_ms);
Result<std::optional<Link>> LinkOfAssignment(storage::Database& db, int64_t assignment_id);
Result<std::vector<Link>> LinksOfCampaign(storage::Database& db, int64_t campaign_id);

// What the redirect needs: the link's id and where it points.
struct RedirectTarget {
  int64_t link_id = 0;
  std::string target_url;
};
Result<std::optional<RedirectTarget>> FindRedirect(storage::Database& db, std::string_view code);

// A click as the redirect saw it; the address is held only until the click is written.
struct Click {
  int64_t link_id = 0;
  int64_t at_ms = 0;
  std::string referrer;  // the Referer header as sent
  std::string user_agent;
  std::string address;
};

// "https://l.instagram.com" of a referrer URL; "" when it is none.
std::string ReferrerOrigin(std::string_view referrer);
// The hex visitor hash of `address` and `user_agent` under a 32-byte salt.
std::string VisitorHash(std::span<const unsigned char> salt, std::string_view address,
                        std::string_view user_agent);

// Writes clicks in one transaction: each day's salt is read (made when new, shared by every
// server on the store), hashes computed, rows added; salts older than kSaltKeepDays before
// `now_ms` deleted.
Status WriteClicks(storage::Database& db, std::span<const Click> clicks,
                   const AgentClassifier& agents, int64_t now_ms);

// Per creator of a campaign: what their link and code brought. For reports.
struct CreatorTracking {
  int64_t creator_id = 0;
  int64_t assignment_id = 0;
  std::string link_code;
  int64_t clicks = 0;         // counted: bots left out
  int64_t unique_clicks = 0;  // distinct visitors per UTC day, summed over days
  int64_t bot_clicks = 0;     // left out of the counts
  int64_t orders = 0;         // attributed conversions (refunded and voided orders are not)
  int64_t units = 0;
  int64_t revenue_cents = 0;  // total less refunds, in the orders' currency
};
// Every creator of the campaign with a link or an attributed order, by creator id.
Result<std::vector<CreatorTracking>> CampaignTracking(storage::Database& db, int64_t campaign_id);

}  // namespace seedcast::measure

// Usage rights of a content asset: what a brand may do with a creator's photo or video, and
// whether it may do so now.
//
// The model: a scope (organic: reshared on the brand's own channels; paid: also in ads, which
// includes organic use), the channels it covers, a term (an optional start and an optional expiry;
// no expiry is a grant without an end date) and the whitelisting or partnership-ad authorisation
// code the creator gave. Rights expiring within the warning window (14 days by default) are
// flagged; past their expiry an asset is usable for nothing, paid ads included.
//
// Pure functions of the rights and a `now_ms` the caller takes from its Clock; thread-safe.
// docs/library.md states every rule.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace seedcast::measure {

inline constexpr int64_t kRightsDayMs = 86'400'000;

struct UsageRights {
  std::string scope;                  // organic, paid; "" when none was granted
  std::vector<std::string> channels;  // known channel names (KnownChannels), sorted, unique
  std::optional<int64_t> starts_at_ms;
  std::optional<int64_t> expires_at_ms;  // none: no end date
  std::string authorization_code;        // whitelisting / partnership-ad code; "" for none
};

struct RightsOptions {
  int64_t expiring_within_ms = 14 * kRightsDayMs;  // the "expires soon" flag's window
};

enum class RightsState {
  kNone,        // no scope granted
  kNotStarted,  // the term starts later
  kActive,
  kExpiring,  // active, and expires within the window
  kExpired,   // past its expiry
};
std::string_view RightsStateName(RightsState s);

struct RightsStatus {
  RightsState state = RightsState::kNone;
  bool expiring = false;  // the flag: expires within the window (and has not yet)
  bool usable_for_organic = false;
  bool usable_for_paid = false;
  std::optional<int64_t> days_left;  // whole days to the expiry, rounded up; none without one
};

// The state of `rights` at `now_ms`.
RightsStatus EvaluateRights(const UsageRights& rights, int64_t now_ms,
                            const RightsOptions& options = {});

// The channels a grant may name: meta, instagram, facebook, tiktok, youtube, pinterest,
// snapchat, x, linkedin, amazon, website, email, retail.
const std::vector<std::string_view>& KnownChannels();

// Checks a whole grant: the scope is organic or paid (or "" with nothing else set), every channel
// is known, a term ends after it starts, the code is at most 128 printable characters. The
// error names the field (scope, channels, expires_at, authorization_code).
Status CheckRights(const UsageRights& rights);

// "meta, TikTok,meta" -> {"meta", "tiktok"}: lower-cased, trimmed, sorted, unique, each known.
Result<std::vector<std::string>> ParseChannels(const std::vector<std::string>& names);

// The stored form of channels (a JSON array) and back; a malformed column reads as none.
std::string ChannelsToJsonText(const std::vector<std::string>& channels);
std::vector<std::string> ChannelsFromJsonText(std::string_view text);

// {"scope", "channels", "starts_at", "expires_at", "authorization_code", "state", "expiring",
// "days_left", "usable_for_organic", "usable_for_paid"}; absent times are null.
nlohmann::ordered_json RightsToJson(const UsageRights& rights, const RightsStatus& status);

}  // namespace seedcast::measure

// ISO 8601 timestamps as milliseconds since the Unix epoch, the unit Clock uses.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace seedcast {

// Accepts "2026-11-05", "2026-11-05T10:00", "2026-11-05T10:00:30", with an optional fraction of
// a second, and "Z" or an offset "+01:00" / "-0500" (UTC when none is given). A space may stand
// for the "T". Anything else, or an impossible date such as 2026-02-30, is an error naming it.
Result<int64_t> ParseIsoTimeMs(std::string_view text);

// "2026-11-05T10:00:00Z".
std::string FormatIsoTime(int64_t ms);

}  // namespace seedcast

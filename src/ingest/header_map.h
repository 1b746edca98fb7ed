// Header mapping: which creator field each column of an import file holds.
//
// Guessed from the header text ("#Followers", "Followers count", "instagram name", "Engagement Rate
// (%)", "Audience 18-24"), and overridden by explicit --map field=column pairs. Pure functions over
// immutable tables; thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace seedcast::ingest {

enum class Field {
  kUnmapped,  // kept verbatim in the account's `extra`
  kIgnored,   // derived or Seedcast-internal (tier, ids): read and dropped
  kPersonal,  // personal data (key: email, phone, address): only into the sealed store
  kHandle,
  kPlatform,
  kCreatorRef,
  kName,
  kCreatorCountry,
  kCreatorLanguage,
  kFollowers,
  kFollowing,
  kPosts,
  kEngagementRate,
  kAvgEngagements,  // engagements per post (a count); the rate is derived from it and the base
  kAvgViews,
  kBio,
  kCaptions,  // recent captions: a JSON array of strings, or one caption per line
  kNiches,
  kCountry,
  kLanguage,
  kAudienceJson,
  kAudienceGender,   // key: "female" / "male" / "other"
  kAudienceAge,      // key: an age band
  kAudienceCountry,  // key: ISO country code
  kRate,             // key: deliverable ("post", "story", "video")
  kRatesJson,
  kHasProfilePic,
  kIsPrivate,
  kExternalUrl,
  kQualityScore,
  kExtraJson,
};

struct ColumnSpec {
  Field field = Field::kUnmapped;
  std::string key;       // the sub-field for audience shares and rates
  std::string platform;  // a platform named in the header ("Instagram followers")
  std::string label;     // the header as written, trimmed
  std::string window;    // a time window the header names ("30 days" in "ER (30 days)")
  bool percent = false;  // a share column whose bare numbers are percentages ("3.2" is 3.2%)
};

// The canonical name used by --map and in messages: "handle", "audience_age_18-24", "rate_story".
std::string FieldName(const ColumnSpec& spec);

// Guesses the spec for one header cell.
ColumnSpec GuessColumn(std::string_view header);

// Parses a --map target such as "followers", "audience_female", "audience_age_18-24", "rate_story",
// "extra" or "ignore". Fails with the list of known names.
Result<ColumnSpec> ParseFieldName(std::string_view name);

// True when the cell looks like a header a creator file would have: used to find the header row
// below junk lines at the top of a file.
bool IsRecognisedHeader(const ColumnSpec& spec);

// Whether a --map COLUMN names this header cell: by 1-based number ("3" or "#3"; `index` is
// 0-based, npos where cells have no position) or by header text, compared as normalised labels.
// Shared by every import that takes --map.
bool ColumnMatches(std::string_view column, std::string_view header, size_t index);

}  // namespace seedcast::ingest

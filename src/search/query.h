// Query: what a brand asks the discovery engine, parsed from JSON with errors that name the field.
//
// The JSON format is documented in the README ("Searching creators"). Unknown fields are errors,
// so a misspelt filter is never silently ignored.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "model/tiers.h"

namespace seedcast::search {

struct Range {
  std::optional<double> min;  // inclusive
  std::optional<double> max;  // inclusive
  bool empty() const { return !min && !max; }
};

enum class AudienceKind { kCountry, kGender, kAge };

// "At least `min` of the audience is in `key`" (a country code, "female"/"male"/"other", an age
// band).
struct AudienceMin {
  AudienceKind kind = AudienceKind::kCountry;
  std::string key;
  double min = 0;
};

enum class SortBy { kRelevance, kFollowers, kEngagementRate, kFit };

enum class Facet { kTier, kNiche, kCountry, kPlatform };

// How much each part of the fit score counts; normalised to sum to 1.
struct FitWeights {
  double engagement = 0.35;  // engagement rate against the tier and platform benchmark
  double quality = 0.25;     // audience quality score
  double audience = 0.25;    // how far the audience exceeds the requested shares
  double niche = 0.15;       // share of the requested niches the account covers
};

struct Query {
  std::vector<std::string> platforms;  // canonical names; any of
  std::vector<std::string> tiers;      // names from the tier scheme; any of
  Range followers;
  Range engagement_rate;               // fraction
  std::vector<std::string> niches;     // canonical niche names
  bool all_niches = false;             // every niche, rather than any
  std::vector<std::string> countries;  // ISO codes; any of
  std::vector<std::string> languages;  // ISO 639-1; any of
  std::vector<AudienceMin> audience;   // all must hold
  std::optional<double> quality_min;
  Range rate_cents;  // the account's lowest listed rate, in cents
  // Not booked in a campaign whose dates overlap [from, to] (ms since the epoch).
  std::optional<std::pair<int64_t, int64_t>> available;
  std::string text;
  bool all_words = true;           // every word of `text`, rather than any
  std::string lookalike_handle;    // "creators like @handle"
  std::string lookalike_platform;  // optional
  SortBy sort = SortBy::kFollowers;
  bool ascending = false;
  int limit = 20;
  int offset = 0;
  std::vector<Facet> facets = {Facet::kTier, Facet::kNiche, Facet::kCountry, Facet::kPlatform};
  FitWeights weights;
};

inline constexpr int kMaxLimit = 1000;
inline constexpr int kMaxOffset = 100'000;

// Parses one query. `tiers` checks tier names.
Result<Query> ParseQuery(const nlohmann::json& j, const model::TierScheme& tiers);
Result<Query> ParseQueryText(std::string_view text, const model::TierScheme& tiers);

const char* FacetName(Facet f);
const char* SortName(SortBy s);

}  // namespace seedcast::search

// The JSON form of creators and accounts: the NDJSON export format, the `creators show` output, and
// the nested form that `import creators` reads back. Pure functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "model/creator.h"
#include "model/tiers.h"

namespace seedcast::model {

nlohmann::json AccountToJson(const Account& account, const TierScheme& tiers);
// {"id", "ref", "name", "country", "language", "tier", "accounts": [...]}
nlohmann::json CreatorToJson(const Creator& creator, const TierScheme& tiers);

// {"countries": {"US": 0.4}, "genders": {"female": 0.6}, "ages": {"18-24": 0.3}}
nlohmann::json AudienceToJson(const Audience& audience);
Result<Audience> AudienceFromJson(const nlohmann::json& j);

// {"post": 25000, "story": 8000} in cents.
Result<std::map<std::string, int64_t>> RatesFromJson(const nlohmann::json& j);

}  // namespace seedcast::model

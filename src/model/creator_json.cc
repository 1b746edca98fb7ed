#include "model/creator_json.h"

namespace seedcast::model {
namespace {

using nlohmann::json;

Result<std::map<std::string, double>> SharesFromJson(const json& j, const char* group) {
  std::map<std::string, double> out;
  if (j.is_null()) return out;
  if (!j.is_object()) {
    return InvalidArgument(std::string("audience ") + group + " must be an object of shares");
  }
  for (const auto& [key, value] : j.items()) {
    if (!value.is_number()) {
      return InvalidArgument(std::string("audience ") + group + " share for '" + key +
                             "' is not a number");
    }
    out[key] = value.get<double>();
  }
  return out;
}

template <typename T>
void PutOptional(json& j, const char* key, const std::optional<T>& v) {
  if (v) {
    j[key] = *v;
  } else {
    j[key] = nullptr;
  }
}

}  // namespace

json AudienceToJson(const Audience& audience) {
  json j = json::object();
  if (!audience.countries.empty()) j["countries"] = audience.countries;
  if (!audience.genders.empty()) j["genders"] = audience.genders;
  if (!audience.ages.empty()) j["ages"] = audience.ages;
  return j;
}

Result<Audience> AudienceFromJson(const json& j) {
  if (!j.is_object()) return InvalidArgument("audience must be a JSON object");
  Audience a;
  for (const auto& [key, value] : j.items()) {
    if (key != "countries" && key != "genders" && key != "ages") {
      return InvalidArgument("audience has unknown group '" + key +
                             "' (expected countries, genders, ages)");
    }
  }
  SEEDCAST_ASSIGN_OR_RETURN(a.countries, SharesFromJson(j.value("countries", json()), "country"));
  SEEDCAST_ASSIGN_OR_RETURN(a.genders, SharesFromJson(j.value("genders", json()), "gender"));
  SEEDCAST_ASSIGN_OR_RETURN(a.ages, SharesFromJson(j.value("ages", json()), "age"));
  return a;
}

Result<std::map<std::string, int64_t>> RatesFromJson(const json& j) {
  if (!j.is_object()) return InvalidArgument("rates_cents must be a JSON object");
  std::map<std::string, int64_t> out;
  for (const auto& [key, value] : j.items()) {
    if (!value.is_number_integer()) {
      return InvalidArgument("rate for '" + key + "' must be a whole number of cents");
    }
    out[key] = value.get<int64_t>();
  }
  return out;
}

json AccountToJson(const Account& a, const TierScheme& tiers) {
  json j;
  j["id"] = a.id;
  j["platform"] = a.platform;
  j["handle"] = a.handle;
  PutOptional(j, "followers", a.followers);
  j["tier"] = a.followers ? json(tiers.TierFor(*a.followers)) : json();
  PutOptional(j, "following", a.following);
  PutOptional(j, "posts", a.posts);
  PutOptional(j, "engagement_rate", a.engagement_rate);
  PutOptional(j, "avg_views", a.avg_views);
  j["bio"] = a.bio;
  j["captions"] = a.captions;
  j["niches"] = a.niches;
  j["country"] = a.country;
  j["language"] = a.language;
  j["audience"] = AudienceToJson(a.audience);
  j["rates_cents"] = a.rates_cents;
  PutOptional(j, "quality_score", a.quality_score);
  PutOptional(j, "has_profile_pic", a.has_profile_pic);
  PutOptional(j, "is_private", a.is_private);
  j["external_url"] = a.external_url;
  if (!a.extra.empty()) j["extra"] = a.extra;
  return j;
}

json CreatorToJson(const Creator& c, const TierScheme& tiers) {
  json j;
  j["id"] = c.id;
  j["ref"] = c.ref;
  j["name"] = c.name;
  j["country"] = c.country;
  j["language"] = c.language;
  j["tier"] = tiers.TierFor(c.MaxFollowers());
  j["accounts"] = json::array();
  for (const Account& a : c.accounts) j["accounts"].push_back(AccountToJson(a, tiers));
  return j;
}

}  // namespace seedcast::model

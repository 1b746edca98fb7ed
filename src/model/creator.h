// The creator model: a creator is a person with one or more platform accounts.
//
// Plain value types, thread-compatible. Money is integer cents; shares and rates are fractions in
// [0, 1] (an engagement rate of 3.2% is 0.032).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace seedcast::model {

// Audience breakdown as shares of the audience. Each map's shares sum to at most 1.
struct Audience {
  std::map<std::string, double> countries;  // ISO 3166-1 alpha-2 -> share
  std::map<std::string, double> genders;    // "female", "male", "other" -> share
  std::map<std::string, double> ages;       // one of kAgeBands -> share

  bool empty() const { return countries.empty() && genders.empty() && ages.empty(); }
  bool operator==(const Audience&) const = default;
};

inline const std::vector<std::string>& AgeBands() {
  static const std::vector<std::string> kBands = {"13-17", "18-24", "25-34",
                                                  "35-44", "45-54", "55+"};
  return kBands;
}

struct Account {
  int64_t id = 0;
  int64_t creator_id = 0;
  std::string platform;  // "instagram", "tiktok", "youtube", or another platform's name
  std::string handle;    // normalised: no "@", case-folded
  std::optional<int64_t> followers;
  std::optional<int64_t> following;
  std::optional<int64_t> posts;
  std::optional<double> engagement_rate;  // fraction; by followers on Instagram, by views elsewhere
  std::optional<int64_t> avg_views;       // where the platform reports views
  std::string bio;
  std::vector<std::string> captions;  // recent post captions, newest first (hashtags included)
  std::vector<std::string> niches;    // canonical names from the NicheTaxonomy
  std::string country;                // ISO 3166-1 alpha-2
  std::string language;               // ISO 639-1
  Audience audience;
  std::map<std::string, int64_t>
      rates_cents;                      // deliverable ("post", "story", "video") -> USD cents
  std::optional<double> quality_score;  // audience quality in [0, 1]; higher is more authentic
  std::optional<bool> has_profile_pic;
  std::optional<bool> is_private;
  std::string external_url;
  std::map<std::string, std::string> extra;  // columns Seedcast has no field for, kept verbatim
  int64_t updated_at_ms = 0;

  bool operator==(const Account&) const = default;
};

struct Creator {
  int64_t id = 0;
  std::string ref;  // the creator's key in the source it came from; unique when set
  std::string name;
  std::string country;
  std::string language;
  std::vector<Account> accounts;

  // Followers of the largest account (0 when unknown): the creator's tier is decided by it.
  int64_t MaxFollowers() const;
};

// The lowest of an account's listed rates ("starting at"), if it lists any.
std::optional<int64_t> LowestRate(const std::map<std::string, int64_t>& rates_cents);

// Checks ranges: counts are non-negative, shares and engagement rate in [0, 1], each audience group
// sums to at most 1 (with 1% rounding slack), rates non-negative. The message names the field.
Status ValidateAccount(const Account& account);

}  // namespace seedcast::model

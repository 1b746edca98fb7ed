// Profile signals of one account, and the features the fake-account classifier reads from them.
//
// Every signal is optional: sources supply different subsets (InstaFake has digit counts and bio
// length, other sources a digit ratio or an external-URL flag). Features are chosen to carry
// across sources: logs of counts, the following-to-followers ratio, the username's digit share
// rather than its digit count. A missing signal is a missing feature (NaN), which the model
// routes down the branch it learned for missing values.
//
// Each feature has a direction the model is held to (FeatureDirection): more followers or posts,
// a picture, a bio or a link never make an account look more fake, and following more accounts or
// a username of more digits never makes it look less so. On a sample as small as InstaFake, trees
// otherwise learn steps that go the wrong way between a few training rows, which reads as
// nonsense in a reason ("3,000 followers: looks fake") and does not carry to other sources.
//
// Pure functions; thread-safe.
#pragma once

#include <array>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace seedcast::quality {

struct AccountSignals {
  std::optional<double> followers;
  std::optional<double> following;
  std::optional<double> posts;
  std::optional<bool> has_profile_pic;
  std::optional<bool> is_private;
  std::optional<double> bio_length;
  std::optional<double> username_length;
  std::optional<double> username_digits;
  std::optional<double> username_digit_ratio;  // used when digits or length are not given
  std::optional<bool> has_external_url;
};

enum Feature : int {
  kLogFollowers,
  kLogFollowing,
  kFollowRatio,  // log((following + 1) / (followers + 1))
  kLogPosts,
  kHasProfilePic,
  kIsPrivate,
  kLogBioLength,
  kUsernameLength,
  kUsernameDigitRatio,
  kHasExternalUrl,
  kFeatureCount,
};

using FeatureVector = std::array<float, kFeatureCount>;

// Names as they appear in reasons and the model's metadata.
std::string_view FeatureName(int feature);

// How the fake probability may move as the feature grows: +1 never down, -1 never up, 0 free.
int FeatureDirection(int feature);

// What a feature's value is for `s`, in words: "follows 7,493 for 301 followers (24.9x)".
std::string DescribeFeature(const AccountSignals& s, int feature);

// The features of `s`; NaN where a signal is missing.
FeatureVector Features(const AccountSignals& s);

// Reads an account's signals from a JSON object's text. Field names are those of
// `seedcast quality classify`: followers, following, posts, has_profile_pic, is_private,
// bio_length, username_length, username_digits, username_digit_ratio, has_external_url. Missing
// and null fields stay unset; wrong types and negative counts are errors naming the field.
Status ParseSignals(std::string_view json, AccountSignals* out, std::string* id_json);

// The same fields from an already parsed JSON object (a line, or an account nested in another
// object such as a creator's follower sample).
Status ReadSignals(const nlohmann::json& object, AccountSignals* out);

// One field of a JSON object, left unset when missing or null: a count (a finite number, 0 or
// more), or a flag (true or false, 1 or 0). Wrong values are errors naming the field.
Status ReadCount(const nlohmann::json& object, const char* key, std::optional<double>* out);
Status ReadFlag(const nlohmann::json& object, const char* key, std::optional<bool>* out);

}  // namespace seedcast::quality

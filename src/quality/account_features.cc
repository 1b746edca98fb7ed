#include "quality/account_features.h"

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

namespace seedcast::quality {
namespace {

// Each feature's name and the direction the model is held to, in the order of `Feature`.
// Following more raises both log_following and follow_ratio, and more followers lowers the
// ratio, so the two count directions hold for the raw counts too. Privacy and username length
// are left free: InstaFake's fakes are private and public alike, and long names go both ways.
struct FeatureSpec {
  Feature feature;
  std::string_view name;
  int direction;
};
constexpr std::array<FeatureSpec, kFeatureCount> kSpecs = {{
    {kLogFollowers, "log_followers", -1},
    {kLogFollowing, "log_following", +1},
    {kFollowRatio, "follow_ratio", +1},
    {kLogPosts, "log_posts", -1},
    {kHasProfilePic, "has_profile_pic", -1},
    {kIsPrivate, "is_private", 0},
    {kLogBioLength, "log_bio_length", -1},
    {kUsernameLength, "username_length", 0},
    {kUsernameDigitRatio, "username_digit_ratio", +1},
    {kHasExternalUrl, "has_external_url", -1},
}};

// Every feature has its own entry, at its own position (a missing one would be zero-filled).
constexpr bool SpecsInOrder() {
  for (size_t i = 0; i < kSpecs.size(); ++i) {
    if (static_cast<size_t>(kSpecs[i].feature) != i || kSpecs[i].name.empty()) return false;
  }
  return true;
}
static_assert(SpecsInOrder(), "kSpecs must list every Feature once, in enum order");

constexpr float kMissing = std::numeric_limits<float>::quiet_NaN();

float Log1p(const std::optional<double>& v) {
  return v ? static_cast<float>(std::log1p(*v)) : kMissing;
}
float Flag(const std::optional<bool>& v) { return v ? (*v ? 1.0F : 0.0F) : kMissing; }

}  // namespace

std::string_view FeatureName(int feature) { return kSpecs.at(static_cast<size_t>(feature)).name; }

int FeatureDirection(int feature) { return kSpecs.at(static_cast<size_t>(feature)).direction; }

std::string DescribeFeature(const AccountSignals& s, int feature) {
  auto count = [](const std::optional<double>& v) { return fmt::format("{}", std::llround(*v)); };
  switch (feature) {
    case kLogFollowers:
      return fmt::format("{} followers", count(s.followers));
    case kLogFollowing:
      return fmt::format("follows {} accounts", count(s.following));
    case kFollowRatio:
      return fmt::format("follows {} for {} followers ({:.1f}x)", count(s.following),
                         count(s.followers), (*s.following + 1) / (*s.followers + 1));
    case kLogPosts:
      return fmt::format("{} posts", count(s.posts));
    case kHasProfilePic:
      return *s.has_profile_pic ? "has a profile picture" : "no profile picture";
    case kIsPrivate:
      return *s.is_private ? "private account" : "public account";
    case kLogBioLength:
      return *s.bio_length > 0 ? fmt::format("bio of {} characters", count(s.bio_length))
                               : "empty bio";
    case kUsernameLength:
      return fmt::format("username of {} characters", count(s.username_length));
    case kUsernameDigitRatio: {
      const double ratio = s.username_digits && s.username_length && *s.username_length > 0
                               ? *s.username_digits / *s.username_length
                               : s.username_digit_ratio.value_or(0);
      return fmt::format("{:.0f}% of the username is digits", 100 * ratio);
    }
    case kHasExternalUrl:
      return *s.has_external_url ? "has an external link" : "no external link";
    default:
      return std::string(FeatureName(feature));
  }
}

FeatureVector Features(const AccountSignals& s) {
  FeatureVector f;
  f[kLogFollowers] = Log1p(s.followers);
  f[kLogFollowing] = Log1p(s.following);
  f[kFollowRatio] = s.followers && s.following ? f[kLogFollowing] - f[kLogFollowers] : kMissing;
  f[kLogPosts] = Log1p(s.posts);
  f[kHasProfilePic] = Flag(s.has_profile_pic);
  f[kIsPrivate] = Flag(s.is_private);
  f[kLogBioLength] = Log1p(s.bio_length);
  f[kUsernameLength] = s.username_length ? static_cast<float>(*s.username_length) : kMissing;
  if (s.username_digits && s.username_length && *s.username_length > 0) {
    f[kUsernameDigitRatio] =
        static_cast<float>(std::min(1.0, *s.username_digits / *s.username_length));
  } else if (s.username_digit_ratio) {
    f[kUsernameDigitRatio] = static_cast<float>(*s.username_digit_ratio);
  } else {
    f[kUsernameDigitRatio] = kMissing;
  }
  f[kHasExternalUrl] = Flag(s.has_external_url);
  return f;
}

Status ReadCount(const nlohmann::json& j, const char* key, std::optional<double>* out) {
  if (!j.contains(key) || j[key].is_null()) return Status::Ok();
  if (!j[key].is_number()) {
    return InvalidArgument(fmt::format("field \"{}\" must be a number", key));
  }
  const double v = j[key].get<double>();
  if (!std::isfinite(v) || v < 0) {
    return InvalidArgument(fmt::format("field \"{}\" must be 0 or more", key));
  }
  *out = v;
  return Status::Ok();
}

Status ReadFlag(const nlohmann::json& j, const char* key, std::optional<bool>* out) {
  if (!j.contains(key) || j[key].is_null()) return Status::Ok();
  if (j[key].is_boolean()) {
    *out = j[key].get<bool>();
  } else if (j[key].is_number_integer() && (j[key] == 0 || j[key] == 1)) {
    *out = j[key].get<int>() == 1;
  } else {
    return InvalidArgument(fmt::format("field \"{}\" must be true or false", key));
  }
  return Status::Ok();
}

Status ReadSignals(const nlohmann::json& j, AccountSignals* out) {
  *out = AccountSignals{};
  if (!j.is_object()) return InvalidArgument("an account must be a JSON object");
  SEEDCAST_RETURN_IF_ERROR(ReadCount(j, "followers", &out->followers));
  SEEDCAST_RETURN_IF_ERROR(ReadCount(j, "following", &out->following));
  SEEDCAST_RETURN_IF_ERROR(ReadCount(j, "posts", &out->posts));
  SEEDCAST_RETURN_IF_ERROR(ReadFlag(j, "has_profile_pic", &out->has_profile_pic));
  SEEDCAST_RETURN_IF_ERROR(ReadFlag(j, "is_private", &out->is_private));
  SEEDCAST_RETURN_IF_ERROR(ReadCount(j, "bio_length", &out->bio_length));
  SEEDCAST_RETURN_IF_ERROR(ReadCount(j, "username_length", &out->username_length));
  SEEDCAST_RETURN_IF_ERROR(ReadCount(j, "username_digits", &out->username_digits));
  SEEDCAST_RETURN_IF_ERROR(ReadCount(j, "username_digit_ratio", &out->username_digit_ratio));
  SEEDCAST_RETURN_IF_ERROR(ReadFlag(j, "has_external_url", &out->has_external_url));
  if (out->username_digit_ratio && *out->username_digit_ratio > 1) {
    return InvalidArgument("field \"username_digit_ratio\" must be between 0 and 1");
  }
  if (out->username_digits && out->username_length &&
      *out->username_digits > *out->username_length) {
    return InvalidArgument("field \"username_digits\" is more than username_length");
  }
  return Status::Ok();
}

Status ParseSignals(std::string_view json, AccountSignals* out, std::string* id_json) {
  *out = AccountSignals{};
  *id_json = "null";
  nlohmann::json j = nlohmann::json::parse(json, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return InvalidArgument("the line is not a JSON object");
  if (j.contains("id")) {
    if (!j["id"].is_string() && !j["id"].is_number()) {
      return InvalidArgument("field \"id\" must be a string or a number");
    }
    *id_json = j["id"].dump();
  }
  return ReadSignals(j, out);
}

}  // namespace seedcast::quality

#include "model/creator.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace seedcast::model {
namespace {

Status CheckShares(const std::map<std::string, double>& shares, const char* group) {
  double sum = 0;
  for (const auto& [key, share] : shares) {
    if (!(share >= 0.0 && share <= 1.0)) {
      return InvalidArgument(std::string("audience ") + group + " share for '" + key +
                             "' is outside 0..100%");
    }
    sum += share;
  }
  if (sum > 1.01) {
    return InvalidArgument(std::string("audience ") + group + " shares add up to " +
                           std::to_string(std::lround(sum * 100)) + "%, over 100%");
  }
  return Status::Ok();
}

Status CheckCount(const std::optional<int64_t>& v, const char* field) {
  if (v && *v < 0) return InvalidArgument(std::string(field) + " is negative");
  return Status::Ok();
}

}  // namespace

int64_t Creator::MaxFollowers() const {
  int64_t best = 0;
  for (const Account& a : accounts) best = std::max(best, a.followers.value_or(0));
  return best;
}

std::optional<int64_t> LowestRate(const std::map<std::string, int64_t>& rates_cents) {
  std::optional<int64_t> low;
  for (const auto& [deliverable, cents] : rates_cents) {
    if (!low || cents < *low) low = cents;
  }
  return low;
}

Status ValidateAccount(const Account& a) {
  if (a.platform.empty()) return InvalidArgument("platform is missing");
  if (a.handle.empty()) return InvalidArgument("handle is missing");
  SEEDCAST_RETURN_IF_ERROR(CheckCount(a.followers, "followers"));
  SEEDCAST_RETURN_IF_ERROR(CheckCount(a.following, "following"));
  SEEDCAST_RETURN_IF_ERROR(CheckCount(a.posts, "posts"));
  SEEDCAST_RETURN_IF_ERROR(CheckCount(a.avg_views, "avg_views"));
  if (a.engagement_rate && !(*a.engagement_rate >= 0.0 && *a.engagement_rate <= 1.0)) {
    return InvalidArgument("engagement_rate " + std::to_string(*a.engagement_rate * 100) +
                           "% is outside 0..100%");
  }
  if (a.quality_score && !(*a.quality_score >= 0.0 && *a.quality_score <= 1.0)) {
    return InvalidArgument("quality_score " + std::to_string(*a.quality_score) +
                           " is outside 0..1");
  }
  SEEDCAST_RETURN_IF_ERROR(CheckShares(a.audience.countries, "country"));
  SEEDCAST_RETURN_IF_ERROR(CheckShares(a.audience.genders, "gender"));
  SEEDCAST_RETURN_IF_ERROR(CheckShares(a.audience.ages, "age"));
  for (const auto& [band, share] : a.audience.ages) {
    const auto& bands = AgeBands();
    if (std::find(bands.begin(), bands.end(), band) == bands.end()) {
      return InvalidArgument("audience age band '" + band +
                             "' is not one of 13-17, 18-24, 25-34, 35-44, 45-54, 55+");
    }
  }
  for (const auto& [deliverable, cents] : a.rates_cents) {
    if (cents < 0) return InvalidArgument("rate for '" + deliverable + "' is negative");
  }
  return Status::Ok();
}

}  // namespace seedcast::model

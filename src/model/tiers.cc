#include "model/tiers.h"

#include <algorithm>
#include <set>

namespace seedcast::model {

TierScheme TierScheme::Default() {
  return TierScheme({{"emerging", 0},
                     {"nano", 1'000},
                     {"micro", 10'000},
                     {"macro", 100'000},
                     {"mega", 1'000'000}});
}

Result<TierScheme> TierScheme::Create(std::vector<Tier> tiers) {
  if (tiers.empty()) return InvalidArgument("a tier scheme needs at least one tier");
  std::sort(tiers.begin(), tiers.end(),
            [](const Tier& a, const Tier& b) { return a.min_followers < b.min_followers; });
  if (tiers.front().min_followers != 0) {
    return InvalidArgument("the lowest tier must start at 0 followers, not " +
                           std::to_string(tiers.front().min_followers));
  }
  std::set<std::string> names;
  for (size_t i = 0; i < tiers.size(); ++i) {
    if (tiers[i].name.empty()) return InvalidArgument("a tier has no name");
    if (!names.insert(tiers[i].name).second) {
      return InvalidArgument("tier '" + tiers[i].name + "' appears twice");
    }
    if (i > 0 && tiers[i].min_followers == tiers[i - 1].min_followers) {
      return InvalidArgument("tiers '" + tiers[i - 1].name + "' and '" + tiers[i].name +
                             "' start at the same follower count");
    }
  }
  return TierScheme(std::move(tiers));
}

const std::string& TierScheme::TierFor(int64_t followers) const {
  auto it = std::upper_bound(tiers_.begin(), tiers_.end(), followers,
                             [](int64_t f, const Tier& t) { return f < t.min_followers; });
  return it == tiers_.begin() ? tiers_.front().name : std::prev(it)->name;
}

}  // namespace seedcast::model

#include "demo/summary.h"

#include <algorithm>
#include <map>
#include <vector>

#include "demo/population.h"
#include "fmt/format.h"
#include "model/benchmarks.h"
#include "model/geo.h"
#include "model/platform.h"

namespace seedcast::demo {
namespace {

double Median(std::vector<double>& v) {
  if (v.empty()) return 0;
  auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  return *mid;
}

struct Group {
  int64_t count = 0;
  std::vector<double> followers;
  std::vector<double> er;
  std::vector<double> er_vs_benchmark;
  std::vector<double> home_share;
  int64_t mass_following = 0;
  int64_t no_pic = 0;
  std::vector<double> quality;  // audience quality score, 0-1
};

// Area under the ROC curve of the quality score for telling authentic accounts from `low`
// ones: the chance that a random authentic account scores above a random low one (ties half).
double Auc(std::vector<double> authentic, std::vector<double> low) {
  if (authentic.empty() || low.empty()) return 0;
  std::sort(authentic.begin(), authentic.end());
  std::sort(low.begin(), low.end());
  double wins = 0;
  size_t below = 0;  // authentic scores below the current low score
  size_t equal_end = 0;
  for (double l : low) {
    while (below < authentic.size() && authentic[below] < l) ++below;
    equal_end = std::max(equal_end, below);
    while (equal_end < authentic.size() && authentic[equal_end] == l) ++equal_end;
    wins += static_cast<double>(authentic.size() - equal_end) +
            0.5 * static_cast<double>(equal_end - below);
  }
  return wins / (static_cast<double>(authentic.size()) * static_cast<double>(low.size()));
}

std::string Pct(double share) { return fmt::format("{:.1f}%", share * 100); }

// Reference shares from the research sample of Instagram accounts with 1,000+ followers.
const std::map<std::string, double>& ReferenceTierShares() {
  static const std::map<std::string, double> kShares = {
      {"nano", 0.374}, {"micro", 0.465}, {"macro", 0.139}, {"mega", 0.022}};
  return kShares;
}
const std::map<std::string, double>& ReferenceNicheShares() {
  static const std::map<std::string, double> kShares = {
      {"fashion", 0.351},  {"other", 0.169},   {"travel", 0.124},
      {"family", 0.120},   {"food", 0.105},    {"beauty", 0.045},
      {"interior", 0.035}, {"fitness", 0.033}, {"pet", 0.017}};
  return kShares;
}

}  // namespace

Result<std::string> SummarizeStore(storage::CreatorStore& store, const model::TierScheme& tiers,
                                   double gate) {
  std::map<std::string, Group> by_tier;      // Instagram accounts, by tier
  std::map<std::string, Group> by_niche;     // creators, by first niche
  std::map<std::string, Group> by_platform;  // accounts
  std::map<std::string, Group> by_country;   // creators
  std::map<std::string, Group> by_quality;   // accounts
  int64_t creators = 0;
  int64_t accounts = 0;
  int64_t instagram_1k = 0;
  int64_t multi_platform = 0;

  Status s = store.ForEachCreator([&](const model::Creator& c) {
    ++creators;
    if (c.accounts.size() > 1) ++multi_platform;
    Group& country = by_country[c.country.empty() ? "?" : c.country];
    ++country.count;
    country.followers.push_back(static_cast<double>(c.MaxFollowers()));
    const model::Account* largest = nullptr;
    for (const model::Account& a : c.accounts) {
      ++accounts;
      if (largest == nullptr || a.followers.value_or(0) > largest->followers.value_or(0)) {
        largest = &a;
      }
      const double f = static_cast<double>(a.followers.value_or(0));
      const double er = a.engagement_rate.value_or(0);
      Group& platform = by_platform[a.platform];
      ++platform.count;
      platform.followers.push_back(f);
      if (a.engagement_rate) platform.er.push_back(er);
      if (a.platform == model::kInstagram) {
        Group& tier = by_tier[tiers.TierFor(a.followers.value_or(0))];
        ++tier.count;
        tier.followers.push_back(f);
        if (a.engagement_rate) tier.er.push_back(er);
        if (a.followers.value_or(0) >= 1'000) ++instagram_1k;
      }
      auto kind = a.extra.find("synthetic_quality");
      Group& quality = by_quality[kind == a.extra.end() ? "unlabelled" : kind->second];
      ++quality.count;
      if (a.engagement_rate) {
        quality.er_vs_benchmark.push_back(
            er / model::EngagementBenchmark(a.platform, a.followers.value_or(0)));
      }
      if (a.following.value_or(0) > 1'500) ++quality.mass_following;
      if (a.has_profile_pic == false) ++quality.no_pic;
      if (a.quality_score) quality.quality.push_back(*a.quality_score);
      auto home = a.audience.countries.find(a.country);
      if (home != a.audience.countries.end()) quality.home_share.push_back(home->second);
    }
    if (largest != nullptr) {
      Group& niche = by_niche[largest->niches.empty() ? "(none)" : largest->niches.front()];
      ++niche.count;
      niche.followers.push_back(static_cast<double>(largest->followers.value_or(0)));
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;

  std::string out = fmt::format(
      "{} creators, {} accounts ({:.2f} per creator; {} on more than one platform)\n\n", creators,
      accounts, creators ? static_cast<double>(accounts) / static_cast<double>(creators) : 0.0,
      Pct(creators ? static_cast<double>(multi_platform) / static_cast<double>(creators) : 0));

  out += "By tier (Instagram accounts; reference share among accounts with 1,000+ followers)\n";
  out += fmt::format("  {:<10} {:>9} {:>8} {:>10} {:>10} {:>14} {:>9}\n", "tier", "accounts",
                     "share", "share 1k+", "reference", "median follow.", "median ER");
  for (const model::Tier& t : tiers.tiers()) {
    Group& g = by_tier[t.name];
    auto ref = ReferenceTierShares().find(t.name);
    std::string share_1k =
        t.min_followers >= 1'000 && instagram_1k > 0
            ? Pct(static_cast<double>(g.count) / static_cast<double>(instagram_1k))
            : "-";
    out +=
        fmt::format("  {:<10} {:>9} {:>8} {:>10} {:>10} {:>14.0f} {:>9}\n", t.name, g.count,
                    Pct(static_cast<double>(g.count) /
                        std::max<double>(1, static_cast<double>(by_platform["instagram"].count))),
                    share_1k, ref == ReferenceTierShares().end() ? "-" : Pct(ref->second),
                    Median(g.followers), Pct(Median(g.er)));
  }

  out += "\nBy niche (creators, by their largest account; reference from the research sample)\n";
  out += fmt::format("  {:<10} {:>9} {:>8} {:>10} {:>16}\n", "niche", "creators", "share",
                     "reference", "median followers");
  std::vector<std::pair<std::string, Group*>> niches;
  niches.reserve(by_niche.size());
  for (auto& [name, g] : by_niche) niches.emplace_back(name, &g);
  std::sort(niches.begin(), niches.end(),
            [](const auto& a, const auto& b) { return a.second->count > b.second->count; });
  for (auto& [name, g] : niches) {
    auto ref = ReferenceNicheShares().find(name);
    out += fmt::format(
        "  {:<10} {:>9} {:>8} {:>10} {:>16.0f}\n", name, g->count,
        Pct(static_cast<double>(g->count) / std::max<double>(1, static_cast<double>(creators))),
        ref == ReferenceNicheShares().end() ? "-" : Pct(ref->second), Median(g->followers));
  }

  out += "\nBy platform (accounts; ER by followers on Instagram, by views elsewhere)\n";
  out += fmt::format("  {:<10} {:>9} {:>16} {:>9}\n", "platform", "accounts", "median followers",
                     "median ER");
  for (auto& [name, g] : by_platform) {
    out += fmt::format("  {:<10} {:>9} {:>16.0f} {:>9}\n", name, g.count, Median(g.followers),
                       Pct(Median(g.er)));
  }

  out += "\nBy country (creators, top 12)\n";
  out += fmt::format("  {:<16} {:>9} {:>8}\n", "country", "creators", "share");
  std::vector<std::pair<std::string, int64_t>> countries;
  countries.reserve(by_country.size());
  for (auto& [code, g] : by_country) countries.emplace_back(code, g.count);
  std::sort(countries.begin(), countries.end(),
            [](const auto& a, const auto& b) { return a.second > b.second; });
  for (size_t i = 0; i < countries.size() && i < 12; ++i) {
    out += fmt::format("  {:<16} {:>9} {:>8}\n",
                       model::Geo::Default().CountryName(countries[i].first).substr(0, 16),
                       countries[i].second,
                       Pct(static_cast<double>(countries[i].second) /
                           std::max<double>(1, static_cast<double>(creators))));
  }

  out += "\nPlanted account quality and the signals that betray it\n";
  out += fmt::format("  {:<18} {:>9} {:>8} {:>13} {:>15} {:>11} {:>16}\n", "kind", "accounts",
                     "share", "ER/benchmark", "following>1500", "no picture", "home audience");
  for (auto& [kind, g] : by_quality) {
    double n = std::max<double>(1, static_cast<double>(g.count));
    out += fmt::format(
        "  {:<18} {:>9} {:>8} {:>12.2f}x {:>15} {:>11} {:>16}\n", kind, g.count,
        Pct(static_cast<double>(g.count) / std::max<double>(1, static_cast<double>(accounts))),
        Median(g.er_vs_benchmark), Pct(static_cast<double>(g.mass_following) / n),
        Pct(static_cast<double>(g.no_pic) / n), Pct(Median(g.home_share)));
  }

  out += fmt::format(
      "\nHow well the audience quality score separates them (gate {:.0f}; AUC: the chance an "
      "authentic account scores above one of the kind)\n",
      gate);
  out += fmt::format("  {:<18} {:>13} {:>15} {:>8}\n", "kind", "median score", "below the gate",
                     "AUC");
  const std::vector<double>& authentic = by_quality["authentic"].quality;
  for (auto& [kind, g] : by_quality) {
    if (g.quality.empty()) continue;
    const auto below =
        std::count_if(g.quality.begin(), g.quality.end(), [&](double q) { return 100 * q < gate; });
    out += fmt::format(
        "  {:<18} {:>13.1f} {:>15} {:>8}\n", kind, 100 * Median(g.quality),
        Pct(static_cast<double>(below) / static_cast<double>(g.quality.size())),
        kind == "authentic" ? std::string("-") : fmt::format("{:.3f}", Auc(authentic, g.quality)));
  }
  return out;
}

}  // namespace seedcast::demo

#include "search/explain.h"

#include <fmt/format.h>

#include <algorithm>

#include "model/benchmarks.h"
#include "model/niches.h"

namespace seedcast::search::internal {
namespace {

std::string Percent(double f) { return fmt::format("{:.1f}%", f * 100); }
std::string Percent(uint32_t basis) { return Percent(basis / 1e4); }
std::string Thousands(int64_t n) {
  std::string digits = std::to_string(n);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) {
    digits.insert(static_cast<size_t>(i), ",");
  }
  return digits;
}
std::string Dollars(int64_t cents) {
  return fmt::format("${:.2f}", static_cast<double>(cents) / 100);
}

// The niche names of a bit set, comma-separated.
std::string NicheNames(uint32_t bits) {
  std::string out;
  for (; bits != 0; bits &= bits - 1) {
    out += out.empty() ? "" : ", ";
    out += model::kDefaultNiches[static_cast<size_t>(__builtin_ctz(bits))];
  }
  return out;
}

}  // namespace

Explainer::Explainer(const Columns& columns, const Filters& filters, const Query& query,
                     const model::TierScheme& tiers, const std::vector<QueryWord>& words,
                     std::optional<uint32_t> target, std::string target_name)
    : c(columns),
      filters_(filters),
      q(query),
      tiers_(tiers),
      words_(words),
      target_(target),
      target_name_(std::move(target_name)) {}

Hit Explainer::Explain(const Ranked& r) const {
  const uint32_t s = r.slot;
  Hit h;
  h.account_id = c.account_id[s];
  h.creator_id = c.creator_id[s];
  h.handle = std::string(c.Handle(s));
  h.platform = c.platforms.Name(c.rows[s].platform);
  h.followers = c.rows[s].followers;
  if (c.rows[s].er_micro != kNoValue32) h.engagement_rate = c.rows[s].er_micro / 1e6;
  h.tier = tiers_.tiers()[c.rows[s].tier].name;
  MatchReasons(s, h, r.words, &h.reasons);
  RankReasons(s, r, &h);
  return h;
}

void Explainer::MatchReasons(uint32_t s, const Hit& h, uint32_t word_bits,
                             std::vector<std::string>* why) const {
  if (!q.platforms.empty()) why->push_back("platform " + h.platform);
  if (!q.tiers.empty()) why->push_back("tier " + h.tier);
  if (!q.followers.empty()) why->push_back("followers " + Thousands(h.followers) + " in range");
  if (!q.engagement_rate.empty())
    why->push_back("engagement " + Percent(*h.engagement_rate) + " in range");
  if (!q.niches.empty())
    why->push_back("niche " + NicheNames(c.rows[s].niches & filters_.niche_mask()));
  if (!q.countries.empty()) why->push_back("country " + c.countries.Name(c.rows[s].country));
  if (!q.languages.empty()) why->push_back("language " + c.languages.Name(c.language[s]));
  for (const auto& a : filters_.audience()) {
    why->push_back("audience " + a.spec->key + " " +
                   Percent(static_cast<uint32_t>(filters_.ShareOf(s, a))) +
                   " >= " + Percent(a.spec->min));
  }
  if (q.quality_min)
    why->push_back(fmt::format("quality {:.2f} >= {:.2f}", c.quality[s] / 1e4, *q.quality_min));
  if (!q.rate_cents.empty()) why->push_back("rate from " + Dollars(c.rate_cents[s]) + " in range");
  if (q.available) why->push_back("no overlapping booking");
  if (!q.text.empty() && word_bits != 0) {
    std::string matched;
    for (size_t w = 0; w < words_.size() && w < 32; ++w) {
      if (word_bits & (1U << w)) matched += (matched.empty() ? "'" : ", '") + words_[w].text + "'";
    }
    why->push_back("text matched " + matched);
  }
}

void Explainer::RankReasons(uint32_t s, const Ranked& r, Hit* h) const {
  std::vector<std::string>& why = h->reasons;
  switch (q.sort) {
    case SortBy::kRelevance:
      h->score = r.relevance;
      why.push_back(target_ ? fmt::format("similarity {:.3f} to {}", r.relevance, target_name_)
                            : fmt::format("BM25 {:.2f}", r.relevance));
      if (target_) {
        const std::string shared = NicheNames(c.rows[s].niches & c.rows[*target_].niches);
        if (!shared.empty()) why.push_back("shares niche " + shared);
        if (c.rows[s].country == c.rows[*target_].country) {
          why.push_back("same country " + c.countries.Name(c.rows[s].country));
        }
      }
      break;
    case SortBy::kFollowers:
      h->score = static_cast<double>(h->followers);
      why.push_back("ranked by followers: " + Thousands(h->followers));
      break;
    case SortBy::kEngagementRate:
      h->score = h->engagement_rate.value_or(0);
      why.push_back("ranked by engagement rate: " + (h->engagement_rate
                                                         ? Percent(*h->engagement_rate)
                                                         : std::string("unknown (last)")));
      break;
    case SortBy::kFit: {
      const Filters::FitParts f = filters_.Fit(s);
      const FitWeights& w = q.weights;
      h->score = f.total;
      why.push_back(
          fmt::format("fit {:.3f} = engagement {:.2f}x{:.2f} + quality {:.2f}x{:.2f} + audience "
                      "{:.2f}x{:.2f} + niche "
                      "{:.2f}x{:.2f}",
                      f.total, f.engagement, w.engagement, f.quality, w.quality, f.audience,
                      w.audience, f.niche, w.niche));
      if (c.rows[s].er_micro != kNoValue32) {
        why.push_back(fmt::format(
            "engagement {} is {:.1f}x the {} {} median", Percent(c.rows[s].er_micro / 1e6),
            c.rows[s].er_micro / 1e6 / model::EngagementBenchmark(h->platform, h->followers),
            h->tier, h->platform));
      }
      break;
    }
  }
}

std::vector<std::pair<std::string, std::vector<std::pair<std::string, int64_t>>>> Explainer::Facets(
    const Partial& p) const {
  std::vector<std::pair<std::string, std::vector<std::pair<std::string, int64_t>>>> out;
  const auto& tiers = tiers_.tiers();
  const auto& niche_names = model::kDefaultNiches;
  for (Facet f : q.facets) {
    std::vector<std::pair<std::string, int64_t>> counts;
    switch (f) {
      case Facet::kTier:
        for (size_t i = 0; i < tiers.size(); ++i)
          counts.emplace_back(tiers[i].name, p.tier_counts[i]);
        break;
      case Facet::kNiche:
        for (size_t i = 0; i < niche_names.size(); ++i)
          counts.emplace_back(niche_names[i], p.niche_counts[i]);
        break;
      case Facet::kCountry:
        for (size_t i = 0; i < p.country_counts.size(); ++i) {
          counts.emplace_back(c.countries.Name(static_cast<uint16_t>(i)), p.country_counts[i]);
        }
        break;
      case Facet::kPlatform:
        for (size_t i = 0; i < p.platform_counts.size(); ++i) {
          counts.emplace_back(c.platforms.Name(static_cast<uint16_t>(i)), p.platform_counts[i]);
        }
        break;
    }
    std::erase_if(counts, [](const auto& v) { return v.second == 0; });
    std::sort(counts.begin(), counts.end(), [](const auto& a, const auto& b) {
      return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    out.emplace_back(FacetName(f), std::move(counts));
  }
  return out;
}

}  // namespace seedcast::search::internal

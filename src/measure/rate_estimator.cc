#include "measure/rate_estimator.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "common/stats.h"
#include "common/text.h"

namespace seedcast::measure {

using nlohmann::ordered_json;
using storage::Row;

namespace {

constexpr int64_t kDollar = 100;

// p25, p50 and p75 of the group's payments (nearest rank, common/stats.h).
RateEstimate FromInstance(const std::vector<int64_t>& cents, RateEstimate group) {
  std::vector<double> values(cents.begin(), cents.end());
  group.source = "instance";
  group.sample_size = static_cast<int64_t>(cents.size());
  group.p25_cents = std::llround(Percentile(values, 0.25));
  group.p50_cents = std::llround(Percentile(values, 0.50));
  group.p75_cents = std::llround(Percentile(values, 0.75));
  return group;
}

std::string GroupName(const RateEstimate& g) {
  std::string out = fmt::format("{} {}", g.platform, g.tier);
  if (!g.niche.empty()) out += " " + g.niche;
  out += " creators";
  if (!g.engagement_band.empty()) out += fmt::format(" with engagement {}", g.engagement_band);
  return out;
}

std::string InstanceBasis(const RateEstimate& g) {
  return fmt::format(
      "{} accepted rates (payments for completed posts) of {} on this instance; percentiles by "
      "nearest rank.",
      g.sample_size, GroupName(g));
}

std::string TooFew(size_t n, const RateEstimate& g, int min_sample) {
  return fmt::format("Only {} accepted rates of {} on this instance (the minimum is {}). ", n,
                     GroupName(g), min_sample);
}

// The reference's answer for the query, labelled with the group it stands in for.
RateEstimate FromReference(const RateQuery& q, const std::string& engagement_band,
                           const std::string& why) {
  RateEstimate r = ReferenceRate(q.platform, q.followers);
  r.engagement_band = engagement_band;
  r.basis = why + r.basis;
  if (!engagement_band.empty()) r.basis += " The reference table has no breakdown by engagement.";
  return r;
}

}  // namespace

std::string EngagementBand(double engagement_rate, const std::vector<double>& edges) {
  auto percent = [](double v) { return fmt::format("{:g}%", std::round(v * 10000) / 100); };
  for (size_t i = 0; i < edges.size(); ++i) {
    if (engagement_rate < edges[i]) {
      return i == 0 ? "under " + percent(edges[i])
                    : fmt::format("{}-{}", percent(edges[i - 1]), percent(edges[i]));
    }
  }
  return edges.empty() ? "any" : percent(edges.back()) + " and over";
}

RateEstimates EstimateRates(const std::vector<RateSample>& samples, const RateQuery& q,
                            const model::TierScheme& tiers, const RateOptions& o) {
  RateEstimates out;
  out.tier = tiers.TierFor(q.followers);
  out.min_sample = o.min_sample;
  const std::string band =
      q.engagement_rate ? EngagementBand(*q.engagement_rate, o.engagement_edges) : "";
  std::vector<int64_t> tier_cents, niche_cents, band_cents;
  for (const RateSample& s : samples) {
    if (s.platform != q.platform || s.cents <= 0 || tiers.TierFor(s.followers) != out.tier) {
      continue;
    }
    tier_cents.push_back(s.cents);
    if (!q.niche.empty() && std::find(s.niches.begin(), s.niches.end(), q.niche) != s.niches.end())
      niche_cents.push_back(s.cents);
    if (s.engagement_rate && !band.empty() &&
        EngagementBand(*s.engagement_rate, o.engagement_edges) == band) {
      band_cents.push_back(s.cents);
    }
  }
  const auto enough = [&](const std::vector<int64_t>& v) {
    return static_cast<int64_t>(v.size()) >= std::max(o.min_sample, 1);
  };
  const RateEstimate tier_group{.platform = q.platform, .tier = out.tier};
  std::string why;
  if (!q.niche.empty()) {
    RateEstimate niche_group = tier_group;
    niche_group.niche = q.niche;
    if (enough(niche_cents)) {
      out.by_segment = FromInstance(niche_cents, niche_group);
      out.by_segment.basis = InstanceBasis(out.by_segment);
    } else {
      why = TooFew(niche_cents.size(), niche_group, o.min_sample);
    }
  }
  if (out.by_segment.source.empty()) {
    if (enough(tier_cents)) {
      out.by_segment = FromInstance(tier_cents, tier_group);
      out.by_segment.basis = why + InstanceBasis(out.by_segment);
    } else {
      why += TooFew(tier_cents.size(), tier_group, o.min_sample);
      out.by_segment = FromReference(q, "", why);
    }
  }
  if (!band.empty()) {
    RateEstimate band_group = tier_group;
    band_group.engagement_band = band;
    if (enough(band_cents)) {
      out.by_engagement = FromInstance(band_cents, band_group);
      out.by_engagement->basis = InstanceBasis(*out.by_engagement);
    } else {
      out.by_engagement =
          FromReference(q, band, TooFew(band_cents.size(), band_group, o.min_sample));
    }
  }
  return out;
}

// The figures are shared/reference/industry.md's "Rates" (industry rate cards): an Instagram
// post costs $10-100 from nano creators, $100-500 from micro, $500-5k from mid-tier and $5k-10k
// from macro ones (our macro band, 100k-1M, spans both: $500-10k), and $10k+ from mega ones;
// per piece at the micro tier a YouTube video costs $200-1,000 (2x Instagram) and a TikTok video
// $25-125 (0.25x), which scale the other tiers. The median is the band's geometric mean.
RateEstimate ReferenceRate(const std::string& platform, int64_t followers) {
  struct Band {
    int64_t low = 0;
    std::optional<int64_t> high;
    const char* name = "";
  };
  const Band band = followers < 10'000      ? Band{10, 100, "nano"}
                    : followers < 100'000   ? Band{100, 500, "micro"}
                    : followers < 1'000'000 ? Band{500, 10'000, "macro"}
                                            : Band{10'000, std::nullopt, "mega"};
  double scale = 1.0;
  std::string piece = "Instagram post";
  if (platform == "youtube") {
    scale = 2.0;
    piece = "YouTube video (2x the Instagram figures, as at the micro tier)";
  } else if (platform == "tiktok") {
    scale = 0.25;
    piece = "TikTok video (0.25x the Instagram figures, as at the micro tier)";
  } else if (platform != "instagram") {
    piece = "Instagram post (no published figures for " + platform + ")";
  }
  RateEstimate r{.source = "reference", .platform = platform, .tier = band.name};
  r.p25_cents = std::llround(static_cast<double>(band.low) * scale) * kDollar;
  if (band.high) {
    r.p75_cents = std::llround(static_cast<double>(*band.high) * scale) * kDollar;
    r.p50_cents =
        std::llround(std::sqrt(static_cast<double>(band.low) * static_cast<double>(*band.high)) *
                     scale) *
        kDollar;
  } else {
    r.p50_cents = r.p25_cents;
  }
  r.basis = fmt::format(
      "Industry rate cards for a {} creator's {} (Seedcast's industry reference: Instagram posts "
      "nano $10-100, micro $100-500, mid $500-5k, macro $5k-10k, mega $10k+): the band's low end "
      "as p25, its geometric mean as p50, its high end as p75.",
      band.name, piece);
  return r;
}

Result<std::vector<RateSample>> LoadAcceptedRates(storage::Database& db,
                                                  const std::string& platform) {
  std::vector<RateSample> out;
  // A creator_pay transaction debits the campaign's creator_pay account with the payment.
  SEEDCAST_RETURN_IF_ERROR(db.Query(
      "SELECT ac.platform, COALESCE(ac.followers, 0), ac.engagement_rate, ac.niches, "
      "e.amount_cents FROM ledger_transactions t JOIN ledger_entries e ON e.transaction_id = t.id "
      "AND e.amount_cents > 0 JOIN assignments a ON a.id = t.assignment_id JOIN accounts ac ON "
      "ac.id = a.account_id WHERE t.kind = 'creator_pay' AND (? = '' OR ac.platform = ?) "
      "ORDER BY t.id",
      {std::string_view(platform), std::string_view(platform)}, [&out](const Row& r) {
        RateSample s{.platform = std::string(r.Text(0)), .followers = r.Int(1)};
        if (!r.IsNull(2)) s.engagement_rate = r.Real(2);
        for (std::string_view n : text::Split(r.Text(3), ",")) {
          if (!text::Trim(n).empty()) s.niches.emplace_back(text::Trim(n));
        }
        s.cents = r.Int(4);
        out.push_back(std::move(s));
        return Status::Ok();
      }));
  return out;
}

ordered_json RateEstimateToJson(const RateEstimate& e) {
  return {{"source", e.source},
          {"platform", e.platform},
          {"tier", e.tier},
          {"niche", e.niche.empty() ? ordered_json(nullptr) : ordered_json(e.niche)},
          {"engagement_band",
           e.engagement_band.empty() ? ordered_json(nullptr) : ordered_json(e.engagement_band)},
          {"p25_cents", e.p25_cents},
          {"p50_cents", e.p50_cents},
          {"p75_cents", e.p75_cents ? ordered_json(*e.p75_cents) : ordered_json(nullptr)},
          {"sample_size", e.sample_size},
          {"basis", e.basis}};
}

ordered_json RateEstimatesToJson(const RateEstimates& e) {
  return {{"tier", e.tier},
          {"min_sample", e.min_sample},
          {"by_segment", RateEstimateToJson(e.by_segment)},
          {"by_engagement",
           e.by_engagement ? RateEstimateToJson(*e.by_engagement) : ordered_json(nullptr)}};
}

}  // namespace seedcast::measure

// Campaign KPIs: each a figure with a stable formula id, computed from the campaign's cost, its
// usable assets, its posts' metrics and what tracking attributed, under the [kpi] settings
// (config/config.h). docs/outcomes.md gives every formula; the ids are:
//
//   cost_per_asset       cost ÷ usable assets (the asset kinds of kpi.usable_asset_kinds)
//   er.<platform>        engagements ÷ the platform's base (kpi.engagement_base: Instagram
//                        followers, TikTok and YouTube views), pooled over the platform's posts
//                        that report both; Instagram engagements are likes + comments, TikTok and
//                        YouTube ones likes + comments + shares
//   impressions.estimated  Σ per post: impressions, else views, else reach × impressions_per_reach,
//                        else likes × impressions_per_like
//   reach.estimated      Σ per post: reach, else impressions (or views) ÷ impressions_per_reach,
//                        else likes × impressions_per_like ÷ impressions_per_reach
//   emv.per_action       likes × a + comments × b + shares × c + saves × d + impressions ÷ 1,000
//                        × vpm (cents)
//   emv.cpm              impressions ÷ 1,000 × cpm (cents)
//   cpe                  cost ÷ engagements (every platform's)
//   cpm                  cost ÷ impressions × 1,000
//   roi.revenue / roi.emv  (value − cost) ÷ cost, the value being tracked revenue or EMV
//   clicks.tracked       tracked-link clicks (unique clicks alongside)
//
// A figure whose base is 0 or missing is null, never 0 or infinity. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"

namespace seedcast::measure {

// What one post reported (any may be missing), with its account's followers.
struct PostMetrics {
  std::string platform;
  std::optional<int64_t> followers, likes, comments, shares, saves, views, reach, impressions;
};

// The metrics of a post as submitted: numbers under "metrics" or at the top level of its JSON
// (likes, comments, shares, saves, views, reach, impressions); other values are ignored.
PostMetrics PostMetricsOfJson(std::string_view post_json, std::string platform,
                              std::optional<int64_t> followers);

struct KpiInputs {
  int64_t cost_cents = 0;     // what the brand owes for the campaign
  int64_t usable_assets = 0;  // of the usable kinds
  std::vector<PostMetrics> posts;
  bool tracked = false;  // the campaign has tracked links or codes: the three below are known
  int64_t revenue_cents = 0;
  int64_t clicks = 0;
  int64_t unique_clicks = 0;
};

struct Figure {
  std::string id;       // the formula id ("cpm", "er.instagram")
  std::string formula;  // in words
  std::string unit;     // "cents", "ratio", "count"
  std::optional<double> value;
  nlohmann::ordered_json inputs;  // the numbers it was computed from
};

std::vector<Figure> ComputeKpis(const KpiInputs& in, const config::KpiSettings& settings);

nlohmann::ordered_json FigureToJson(const Figure& f);
nlohmann::ordered_json FiguresToJson(const std::vector<Figure>& figures);

}  // namespace seedcast::measure

#include "measure/kpis.h"

#include <fmt/format.h>

#include <cmath>
#include <map>

#include "measure/json_number.h"

namespace seedcast::measure {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

int64_t Or0(const std::optional<int64_t>& v) { return v.value_or(0); }

std::optional<double> Ratio(double numerator, double denominator) {
  if (!(denominator > 0)) return std::nullopt;
  return numerator / denominator;
}

bool ViewsBased(const std::string& platform) {
  return platform == "tiktok" || platform == "youtube";
}

// Likes + comments on Instagram (and platforms not named); TikTok and YouTube add shares.
int64_t Engagements(const PostMetrics& p) {
  return Or0(p.likes) + Or0(p.comments) + (ViewsBased(p.platform) ? Or0(p.shares) : 0);
}

std::optional<int64_t> BaseOf(const PostMetrics& p, const std::string& base) {
  if (base == "followers") return p.followers;
  if (base == "views") return p.views;
  if (base == "reach") return p.reach;
  return p.impressions;
}

struct Estimate {
  double impressions = 0;
  double reach = 0;
  std::map<std::string, int64_t> impression_rules;  // rule -> posts
};

Estimate EstimateReach(const std::vector<PostMetrics>& posts, const config::KpiSettings& k) {
  Estimate e;
  for (const PostMetrics& p : posts) {
    double impressions = 0;
    std::string rule;
    if (p.impressions) {
      impressions = static_cast<double>(*p.impressions);
      rule = "impressions";
    } else if (p.views) {
      impressions = static_cast<double>(*p.views);
      rule = "views";
    } else if (p.reach) {
      impressions = static_cast<double>(*p.reach) * k.impressions_per_reach;
      rule = "reach";
    } else if (p.likes) {
      impressions = static_cast<double>(*p.likes) * k.impressions_per_like;
      rule = "likes";
    } else {
      rule = "none";
    }
    e.impression_rules[rule] += 1;
    e.impressions += impressions;
    e.reach += p.reach ? static_cast<double>(*p.reach) : impressions / k.impressions_per_reach;
  }
  return e;
}

Figure EngagementRate(const std::string& platform, const std::vector<PostMetrics>& posts,
                      const config::KpiSettings& k) {
  auto it = k.engagement_base.find(platform);
  const std::string base = it != k.engagement_base.end() ? it->second : "followers";
  int64_t engagements = 0;
  int64_t denominator = 0;
  int64_t counted = 0;
  for (const PostMetrics& p : posts) {
    std::optional<int64_t> b = BaseOf(p, base);
    if (p.platform != platform || !b || (!p.likes && !p.comments)) continue;
    engagements += Engagements(p);
    denominator += *b;
    counted += 1;
  }
  const std::string what = ViewsBased(platform) ? "likes + comments + shares" : "likes + comments";
  return {"er." + platform,
          fmt::format("({}) / {}", what, base),
          "ratio",
          Ratio(static_cast<double>(engagements), static_cast<double>(denominator)),
          {{"posts", counted}, {"engagements", engagements}, {base, denominator}}};
}

Figure Emv(const std::vector<PostMetrics>& posts, double impressions,
           const config::KpiSettings& k) {
  if (k.emv_method == "cpm") {
    return {"emv.cpm",
            "impressions / 1000 * emv_cpm_cents",
            "cents",
            std::round(impressions / 1000 * static_cast<double>(k.emv_cpm_cents)),
            {{"impressions", std::llround(impressions)}, {"emv_cpm_cents", k.emv_cpm_cents}}};
  }
  int64_t likes = 0;
  int64_t comments = 0;
  int64_t shares = 0;
  int64_t saves = 0;
  for (const PostMetrics& p : posts) {
    likes += Or0(p.likes);
    comments += Or0(p.comments);
    shares += Or0(p.shares);
    saves += Or0(p.saves);
  }
  const double cents =
      static_cast<double>(likes * k.emv_like_cents + comments * k.emv_comment_cents +
                          shares * k.emv_share_cents + saves * k.emv_save_cents) +
      impressions / 1000 * static_cast<double>(k.emv_vpm_cents);
  return {"emv.per_action",
          "likes * like + comments * comment + shares * share + saves * save + impressions / 1000 "
          "* vpm",
          "cents",
          std::round(cents),
          {{"likes", likes},
           {"comments", comments},
           {"shares", shares},
           {"saves", saves},
           {"impressions", std::llround(impressions)},
           {"values_cents",
            {{"like", k.emv_like_cents},
             {"comment", k.emv_comment_cents},
             {"share", k.emv_share_cents},
             {"save", k.emv_save_cents},
             {"vpm", k.emv_vpm_cents}}}}};
}

}  // namespace

PostMetrics PostMetricsOfJson(std::string_view post_json, std::string platform,
                              std::optional<int64_t> followers) {
  PostMetrics m{.platform = std::move(platform), .followers = followers};
  const json j = json::parse(post_json, nullptr, false);
  if (!j.is_object()) return m;
  const json& from = j.contains("metrics") && j["metrics"].is_object() ? j["metrics"] : j;
  const std::pair<const char*, std::optional<int64_t>*> fields[] = {
      {"likes", &m.likes},
      {"comments", &m.comments},
      {"shares", &m.shares},
      {"saves", &m.saves},
      {"views", &m.views},
      {"reach", &m.reach},
      {"impressions", &m.impressions}};
  for (const auto& [name, out] : fields) {
    auto it = from.find(name);
    if (it == from.end() || !it->is_number() || it->get<double>() < 0) continue;
    *out = std::llround(it->get<double>());
  }
  return m;
}

std::vector<Figure> ComputeKpis(const KpiInputs& in, const config::KpiSettings& k) {
  std::vector<Figure> out;
  const auto cost = static_cast<double>(in.cost_cents);
  out.push_back({"cost_per_asset",
                 "cost_cents / usable_assets",
                 "cents",
                 Ratio(cost, static_cast<double>(in.usable_assets)),
                 {{"cost_cents", in.cost_cents},
                  {"usable_assets", in.usable_assets},
                  {"kinds", k.usable_asset_kinds}}});
  std::map<std::string, bool> platforms;
  for (const PostMetrics& p : in.posts) platforms[p.platform] = true;
  for (const auto& [platform, unused] : platforms) {
    out.push_back(EngagementRate(platform, in.posts, k));
  }
  const Estimate e = EstimateReach(in.posts, k);
  out.push_back({"impressions.estimated",
                 "per post: impressions, else views, else reach * impressions_per_reach, else "
                 "likes * impressions_per_like",
                 "count",
                 std::round(e.impressions),
                 {{"posts_by_rule", e.impression_rules},
                  {"impressions_per_reach", k.impressions_per_reach},
                  {"impressions_per_like", k.impressions_per_like}}});
  out.push_back({"reach.estimated",
                 "per post: reach, else estimated impressions / impressions_per_reach",
                 "count",
                 std::round(e.reach),
                 {{"impressions_per_reach", k.impressions_per_reach}}});
  Figure emv = Emv(in.posts, e.impressions, k);
  int64_t engagements = 0;
  for (const PostMetrics& p : in.posts) engagements += Engagements(p);
  out.push_back({"cpe",
                 "cost_cents / engagements",
                 "cents",
                 Ratio(cost, static_cast<double>(engagements)),
                 {{"cost_cents", in.cost_cents}, {"engagements", engagements}}});
  std::optional<double> cpm = Ratio(cost, e.impressions);
  if (cpm) *cpm *= 1000;
  out.push_back({"cpm",
                 "cost_cents / impressions * 1000",
                 "cents",
                 cpm,
                 {{"cost_cents", in.cost_cents}, {"impressions", std::llround(e.impressions)}}});
  const bool by_revenue = k.roi_value == "revenue";
  std::optional<double> value;
  if (!by_revenue) value = emv.value;
  if (by_revenue && in.tracked) value = static_cast<double>(in.revenue_cents);
  std::optional<double> roi;
  if (value) roi = Ratio(*value - cost, cost);
  out.push_back({by_revenue ? "roi.revenue" : "roi.emv",
                 by_revenue ? "(attributed_revenue_cents - cost_cents) / cost_cents"
                            : "(emv_cents - cost_cents) / cost_cents",
                 "ratio",
                 roi,
                 {{"cost_cents", in.cost_cents},
                  {by_revenue ? "attributed_revenue_cents" : "emv_cents",
                   value ? ordered_json(std::llround(*value)) : ordered_json(nullptr)}}});
  out.push_back(std::move(emv));
  std::optional<double> clicks;
  if (in.tracked) clicks = static_cast<double>(in.clicks);
  out.push_back({"clicks.tracked",
                 "tracked-link clicks, crawlers excluded",
                 "count",
                 clicks,
                 {{"unique_clicks", in.tracked ? ordered_json(in.unique_clicks) : nullptr}}});
  return out;
}

ordered_json FigureToJson(const Figure& f) {
  ordered_json value = nullptr;
  if (f.value) value = RoundedJson(*f.value, f.unit == "ratio" ? 1e6 : 100);
  return {{"id", f.id},
          {"value", value},
          {"unit", f.unit},
          {"formula", f.formula},
          {"inputs", f.inputs}};
}

ordered_json FiguresToJson(const std::vector<Figure>& figures) {
  ordered_json out = ordered_json::array();
  for (const Figure& f : figures) out.push_back(FigureToJson(f));
  return out;
}

}  // namespace seedcast::measure

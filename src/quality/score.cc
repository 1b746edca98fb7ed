#include "quality/score.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <unordered_set>

#include "common/text.h"
#include "model/benchmarks.h"

namespace seedcast::quality {
namespace {

constexpr double kEngagementWeight = 30;
constexpr double kAudienceWeight = 30;
constexpr double kGrowthWeight = 15;
constexpr double kCommentsWeight = 15;
constexpr double kLikesCommentsWeight = 10;
constexpr double kProfileWeight = 10;
constexpr double kMassFollowing = 1'500;
constexpr int64_t kDayMs = 86'400'000;

double Clamp100(double v) { return std::clamp(v, 0.0, 100.0); }

// 100 inside [low, high]; outside, falling linearly in log(x) to `floor` at `zero_low` /
// `zero_high`.
double LogBand(double x, double zero_low, double low, double high, double zero_high, double floor) {
  if (x >= low && x <= high) return 100;
  if (x < low) {
    const double t = std::log(x / zero_low) / std::log(low / zero_low);
    return std::max(floor, floor + (100 - floor) * std::clamp(t, 0.0, 1.0));
  }
  const double t = std::log(zero_high / x) / std::log(zero_high / high);
  return std::max(floor, floor + (100 - floor) * std::clamp(t, 0.0, 1.0));
}

const std::unordered_set<std::string>& GenericComments() {
  static const std::unordered_set<std::string> kGeneric = {
      "nice",          "nice pic",      "nice post",     "nice photo",  "nice shot",
      "nice one",      "nice feed",     "love it",       "love this",   "love",
      "lovely",        "great",         "great post",    "great pic",   "great photo",
      "great shot",    "great content", "amazing",       "so amazing",  "this is amazing",
      "wow",           "cool",          "cool pic",      "beautiful",   "so beautiful",
      "beautiful pic", "awesome",       "awesome pic",   "cute",        "so cute",
      "perfect",       "gorgeous",      "stunning",      "fire",        "lit",
      "yes",           "omg",           "super",         "top",         "wonderful",
      "incredible",    "looks great",   "looks amazing", "so good",     "keep it up",
      "follow me",     "check my page", "dm me",         "follow back", "nice content",
  };
  return kGeneric;
}

std::optional<Component> Engagement(const CreatorSignals& s) {
  if (!s.engagement_rate || !s.followers || *s.followers <= 0) return std::nullopt;
  const std::string platform = s.platform.empty() ? "instagram" : s.platform;
  const double benchmark = model::EngagementBenchmark(platform, *s.followers);
  if (benchmark <= 0) return std::nullopt;
  const double ratio = std::max(1e-6, *s.engagement_rate / benchmark);
  Component c{.name = "engagement",
              .score = LogBand(ratio, 0.1, 0.5, 2.0, 6.0, 0),
              .weight = kEngagementWeight,
              .reasons = {}};
  if (ratio > 2.0) c.score = std::max(40.0, c.score);
  std::string verdict = ratio < 0.5   ? "too low for the audience size: a sign of bought followers"
                        : ratio > 2.0 ? "unusually high: a sign of pods or bought engagement"
                                      : "within the normal range";
  c.reasons.push_back(fmt::format(
      "engagement {:.2f}% is {:.2f}x the {:.2f}% median for {} "
      "accounts of {} followers: {}",
      100 * *s.engagement_rate, ratio, 100 * benchmark, platform, *s.followers, verdict));
  return c;
}

std::optional<Component> Growth(const CreatorSignals& s, std::vector<std::string>* not_scored) {
  if (s.follower_history.empty()) return std::nullopt;
  if (s.follower_history.size() < 7) {
    not_scored->push_back("growth: needs 7 or more follower-history points");
    return std::nullopt;
  }
  std::vector<HistoryPoint> h = s.follower_history;
  std::sort(h.begin(), h.end(),
            [](const HistoryPoint& a, const HistoryPoint& b) { return a.at_ms < b.at_ms; });
  std::vector<double> daily;  // relative change per day
  for (size_t i = 1; i < h.size(); ++i) {
    const double days = std::max(1.0, static_cast<double>(h[i].at_ms - h[i - 1].at_ms) / kDayMs);
    const double base = std::max<double>(1, static_cast<double>(h[i - 1].followers));
    daily.push_back(static_cast<double>(h[i].followers - h[i - 1].followers) / base / days);
  }
  std::vector<double> magnitude(daily.size());
  std::transform(daily.begin(), daily.end(), magnitude.begin(),
                 [](double d) { return std::abs(d); });
  std::nth_element(magnitude.begin(), magnitude.begin() + magnitude.size() / 2, magnitude.end());
  const double median = magnitude[magnitude.size() / 2];
  int spikes = 0;
  int drops = 0;
  Component c{.name = "growth", .score = 100, .weight = kGrowthWeight, .reasons = {}};
  for (size_t i = 0; i < daily.size(); ++i) {
    const int64_t day = h[i + 1].at_ms;
    if (daily[i] > std::max(0.03, 5 * median)) {
      const bool explained =
          std::any_of(s.post_times_ms.begin(), s.post_times_ms.end(),
                      [&](int64_t t) { return t <= day && t >= day - 2 * kDayMs; });
      if (explained) continue;
      ++spikes;
      c.reasons.push_back(
          fmt::format("followers jumped {:+.1f}% in a day ({} -> {}) with no post "
                      "to explain it",
                      100 * daily[i], h[i].followers, h[i + 1].followers));
    } else if (daily[i] < -std::max(0.02, 5 * median)) {
      ++drops;
      c.reasons.push_back(
          fmt::format("followers dropped {:.1f}% in a day ({} -> {}): a purge of "
                      "fake followers looks like this",
                      100 * daily[i], h[i].followers, h[i + 1].followers));
    }
  }
  c.score = Clamp100(100 - 30.0 * spikes - 20.0 * drops);
  if (spikes == 0 && drops == 0) {
    c.reasons.push_back(fmt::format("steady growth over {} points (median daily change {:.2f}%)",
                                    h.size(), 100 * median));
  }
  return c;
}

std::optional<Component> Comments(const CreatorSignals& s, std::vector<std::string>* not_scored) {
  if (s.comments.empty()) return std::nullopt;
  if (s.comments.size() < 10) {
    not_scored->push_back("comments: needs 10 or more comments");
    return std::nullopt;
  }
  int low = 0;
  std::map<std::string, int> by_author;
  for (const Comment& c : s.comments) {
    if (IsLowEffortComment(c.text)) ++low;
    if (!c.author.empty()) ++by_author[text::AsciiLower(c.author)];
  }
  const double n = static_cast<double>(s.comments.size());
  const double low_share = low / n;
  Component c{.name = "comments", .score = 100, .weight = kCommentsWeight, .reasons = {}};
  c.score = 100 * (1 - std::max(0.0, low_share - 0.25) / 0.75);
  c.reasons.push_back(fmt::format("{:.0f}% of {} comments are generic, emoji-only or mention-only",
                                  100 * low_share, s.comments.size()));
  std::vector<int> counts;
  counts.reserve(by_author.size());
  for (const auto& [author, count] : by_author) counts.push_back(count);
  std::sort(counts.rbegin(), counts.rend());
  int top = 0;
  for (size_t k = 0; k < std::min<size_t>(5, counts.size()); ++k) top += counts[k];
  if (s.comments.size() >= 20 && top > 0.4 * n) {
    c.score -= 30;
    c.reasons.push_back(
        fmt::format("5 authors wrote {:.0f}% of the comments: an engagement pod "
                    "comments like this",
                    100 * top / n));
  }
  c.score = Clamp100(c.score);
  return c;
}

std::optional<Component> LikesPerComment(const CreatorSignals& s) {
  if (!s.avg_likes || !s.avg_comments) return std::nullopt;
  const double ratio = *s.avg_likes / std::max(0.1, *s.avg_comments);
  Component c{.name = "likes_comments",
              .score = LogBand(std::max(ratio, 1e-3), 2, 8, 150, 1000, 30),
              .weight = kLikesCommentsWeight,
              .reasons = {}};
  c.reasons.push_back(fmt::format("{:.0f} likes per comment ({}): normal is 8 to 150", ratio,
                                  ratio < 8 ? "few likes for the comments, typical of comment pods"
                                  : ratio > 150
                                      ? "many likes for few comments, typical of bought likes"
                                      : "normal"));
  return c;
}

}  // namespace

bool IsLowEffortComment(std::string_view comment) {
  std::string without_mentions;
  for (std::string_view word : text::Split(comment, " \t\n")) {
    if (word.empty() || word.front() == '@' || word.starts_with("\xEF\xBC\xA0")) continue;
    without_mentions += word;
    without_mentions += ' ';
  }
  const std::string words = text::NormalizeLabel(without_mentions);
  if (words.empty()) return true;  // only emoji, punctuation or mentions
  return GenericComments().contains(words);
}

QualityScorer::QualityScorer(AccountClassifier* classifier, ScoreOptions options)
    : classifier_(classifier), options_(options) {}

Result<QualityScore> QualityScorer::Score(const CreatorSignals& s) {
  SEEDCAST_ASSIGN_OR_RETURN(std::vector<QualityScore> scores, ScoreAll(std::span(&s, 1)));
  return std::move(scores.front());
}

Result<std::vector<QualityScore>> QualityScorer::ScoreAll(std::span<const CreatorSignals> all) {
  // One prediction call for every profile and follower sample: each call has a fixed cost.
  rows_.clear();
  std::vector<size_t> first_row;
  first_row.reserve(all.size());
  for (const CreatorSignals& s : all) {
    first_row.push_back(rows_.size());
    if (s.profile) rows_.push_back(Features(*s.profile));
    if (s.follower_sample.size() >= 10) {
      for (const AccountSignals& f : s.follower_sample) rows_.push_back(Features(f));
    }
  }
  probabilities_.clear();
  SEEDCAST_RETURN_IF_ERROR(classifier_->Predict(rows_, &probabilities_));
  std::vector<QualityScore> out;
  out.reserve(all.size());
  for (size_t i = 0; i < all.size(); ++i) {
    out.push_back(Assemble(all[i], probabilities_.data() + first_row[i]));
  }
  return out;
}

QualityScore QualityScorer::Assemble(const CreatorSignals& s, const float* probabilities) const {
  QualityScore out;
  const bool sample = s.follower_sample.size() >= 10;
  if (!s.follower_sample.empty() && !sample) {
    out.not_scored.push_back("audience: needs a sample of 10 or more followers");
  }
  if (auto c = Engagement(s)) out.components.push_back(std::move(*c));
  if (sample) {
    const size_t first = s.profile ? 1 : 0;
    const double n = static_cast<double>(s.follower_sample.size());
    int fake = 0;
    int mass = 0;
    for (size_t k = 0; k < s.follower_sample.size(); ++k) {
      if (probabilities[first + k] >= classifier_->threshold()) ++fake;
      if (s.follower_sample[k].following.value_or(0) > kMassFollowing) ++mass;
    }
    Component c{.name = "audience", .score = 0, .weight = kAudienceWeight, .reasons = {}};
    c.score = Clamp100(100 - 150 * fake / n - 50 * std::max(0.0, mass / n - 0.2));
    c.reasons.push_back(fmt::format("{:.0f}% of {} sampled followers look fake (classifier)",
                                    100 * fake / n, s.follower_sample.size()));
    c.reasons.push_back(
        fmt::format("{:.0f}% are mass followers (following over 1,500); reachability {:.0f}%",
                    100 * mass / n, 100 - 100 * mass / n));
    out.components.push_back(std::move(c));
  }
  if (auto c = Growth(s, &out.not_scored)) out.components.push_back(std::move(*c));
  if (auto c = Comments(s, &out.not_scored)) out.components.push_back(std::move(*c));
  if (auto c = LikesPerComment(s)) out.components.push_back(std::move(*c));
  if (s.profile) {
    const double p = probabilities[0];
    Component c{.name = "profile", .score = 100 * (1 - p), .weight = kProfileWeight, .reasons = {}};
    c.reasons.push_back(fmt::format("the creator's own account looks {} (fake probability {:.2f})",
                                    p >= classifier_->threshold() ? "fake or automated" : "real",
                                    p));
    out.components.push_back(std::move(c));
  }
  if (out.components.empty()) {
    out.not_scored.push_back("no signals: nothing to score");
    return out;
  }
  double total = 0;
  double weight = 0;
  for (const Component& c : out.components) {
    total += c.score * c.weight;
    weight += c.weight;
  }
  out.score = std::round(total / weight * 10) / 10;
  out.passes_gate = *out.score >= options_.gate;
  return out;
}

}  // namespace seedcast::quality

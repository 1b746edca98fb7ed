#include "demo/quality_signals.h"

#include <array>
#include <cmath>
#include <string>

#include "quality/signals_json.h"

namespace seedcast::demo {
namespace {

constexpr int64_t kDayMs = 86'400'000;

constexpr std::array<const char*, 8> kGeneric = {"nice pic", "love it", "🔥🔥🔥",     "great post",
                                                 "wow",      "😍",       "amazing", "@friend"};
constexpr std::array<const char*, 8> kReal = {
    "Where is this from?",    "Trying this recipe tonight, thanks!", "The colour is perfect on you",
    "How long did it take?",  "Saving this for my next trip",        "Does it work on dry skin?",
    "My kids loved this one", "Which lens did you use here?"};

// A follower account: real-looking, or the profile of a bought or automated one.
quality::AccountSignals Follower(Random& r, bool fake) {
  quality::AccountSignals f;
  if (fake) {
    f.followers = std::floor(r.Uniform(0, 60));
    f.following = std::floor(r.Uniform(800, 7'000));
    f.posts = std::floor(r.Uniform(0, 4));
    f.has_profile_pic = r.Chance(0.35);
    f.bio_length = 0;
    f.username_length = std::floor(r.Uniform(9, 16));
    f.username_digits = std::floor(r.Uniform(2, 6));
  } else {
    f.followers = std::floor(std::exp(r.Normal(5.5, 1.3)));
    f.following = std::floor(std::exp(r.Normal(5.8, 0.8)));
    f.posts = std::floor(std::exp(r.Normal(3.5, 1.2)));
    f.has_profile_pic = r.Chance(0.95);
    f.bio_length = r.Chance(0.6) ? std::floor(r.Uniform(10, 120)) : 0;
    f.username_length = std::floor(r.Uniform(6, 15));
    f.username_digits = r.Chance(0.7) ? 0 : std::floor(r.Uniform(1, 3));
  }
  f.is_private = r.Chance(0.3);
  return f;
}

}  // namespace

quality::CreatorSignals MakeQualitySignals(Random& r, const model::Account& a, size_t kind,
                                           int64_t now_ms) {
  const bool bought = kind == 1;
  const bool pod = kind == 2;
  const bool bot = kind == 3;
  quality::CreatorSignals s = quality::SignalsOf(a);

  // Interactions per post, split into likes and comments.
  const double base = static_cast<double>(a.avg_views.value_or(a.followers.value_or(0)));
  const double interactions = std::max(1.0, a.engagement_rate.value_or(0) * base);
  const double likes_per_comment =
      pod ? std::exp(r.Normal(std::log(4.0), 0.4)) : std::exp(r.Normal(std::log(40.0), 0.5));
  s.avg_comments = interactions / (1 + likes_per_comment);
  s.avg_likes = interactions - *s.avg_comments;

  // 14 days of follower counts; posts every 2-4 days; bought followers arrive in one jump.
  const double followers = static_cast<double>(a.followers.value_or(0));
  const int jump_day = bought ? static_cast<int>(r.Below(10)) + 3 : -1;
  const double jump = bought ? r.Uniform(0.15, 0.45) : 0;
  double count = followers / (1 + jump) / std::pow(1.002, 14);
  for (int day = 0; day < 14; ++day) {
    count *= bot ? 1.0 : 1.0 + r.Normal(0.002, 0.001);
    if (day == jump_day) count *= 1 + jump;
    s.follower_history.push_back({now_ms - (14 - day) * kDayMs, std::llround(count)});
  }
  for (int day = static_cast<int>(r.Below(3)); day < 14; day += 2 + static_cast<int>(r.Below(3))) {
    if (day == jump_day || day + 1 == jump_day || day + 2 == jump_day) continue;
    s.post_times_ms.push_back(now_ms - (14 - day) * kDayMs);
  }

  // A sample of 12 followers.
  const double fake_share = bought ? r.Uniform(0.45, 0.75)
                            : bot  ? r.Uniform(0.4, 0.7)
                            : pod  ? r.Uniform(0.05, 0.2)
                                   : r.Uniform(0.0, 0.12);
  for (int k = 0; k < 12; ++k) s.follower_sample.push_back(Follower(r, r.Chance(fake_share)));

  // 20 recent comments; a pod's come from the same few members.
  const double generic = pod ? 0.75 : bot ? 0.7 : bought ? 0.45 : 0.2;
  for (int k = 0; k < 20; ++k) {
    const bool low = r.Chance(generic);
    const std::string author = pod ? "pod_member_" + std::to_string(r.Below(4))
                                   : "fan_" + std::to_string(r.Below(100'000));
    s.comments.push_back(
        {author, low ? kGeneric[r.Below(kGeneric.size())] : kReal[r.Below(kReal.size())]});
  }
  return s;
}

}  // namespace seedcast::demo

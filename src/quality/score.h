// The creator audience quality score, 0-100, with its components and the reasons behind each.
//
// Each input is optional; the score is the weighted mean of the components that have data (their
// weights renormalised), so a creator with only an engagement rate still gets a score, and the
// output says which components were used. Components and weights:
//
//   engagement (30)  the engagement rate against the median for the tier and platform
//                    (model::EngagementBenchmark): 100 between 0.5x and 2x the median; below,
//                    falling linearly in log(ratio) to 0 at 0.1x (bought followers do not engage);
//                    above, falling to 40 at 6x (pods and bought engagement).
//   audience (30)    a sample of follower accounts (10 or more): 100 - 150 x fake share (by the
//                    account classifier) - 50 x (mass-follower share - 0.2, when positive);
//                    mass followers follow more than 1,500 accounts and rarely see a post.
//   growth (15)      daily follower history (7 or more points): -30 per unexplained spike (a
//                    day's growth above max(3%, 5x the median daily change) with no post in the
//                    two days before), -20 per sharp drop (below -max(2%, 5x the median)).
//   comments (15)    recent comments (10 or more): low-effort share (generic, emoji-only or
//                    mention-only) above 25% costs up to 100 at 100%; comments concentrated in
//                    few authors (the top 5 write over 40% of 20 or more comments) cost 30 more:
//                    the mark of an engagement pod.
//   likes_comments (10)  average likes per comment: 100 between 8 and 150; falling in log to 30
//                    at 2 (comment pods) and at 1,000 (bought likes).
//   profile (10)     the creator's own account through the classifier: 100 x (1 - fake
//                    probability).
//
// A QualityScorer holds a classifier: one per thread.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "quality/account_features.h"
#include "quality/classifier.h"

namespace seedcast::quality {

struct HistoryPoint {
  int64_t at_ms = 0;
  int64_t followers = 0;
};

struct Comment {
  std::string author;
  std::string text;
};

struct CreatorSignals {
  std::string platform;  // for the engagement benchmark; "" reads as instagram
  std::optional<int64_t> followers;
  std::optional<double> engagement_rate;  // fraction
  std::optional<double> avg_likes;
  std::optional<double> avg_comments;
  std::optional<AccountSignals> profile;  // the creator's own account
  std::vector<AccountSignals> follower_sample;
  std::vector<HistoryPoint> follower_history;
  std::vector<int64_t> post_times_ms;
  std::vector<Comment> comments;
};

struct Component {
  std::string name;
  double score = 0;   // 0-100
  double weight = 0;  // as documented; renormalised over the components used
  std::vector<std::string> reasons;
};

struct QualityScore {
  std::optional<double> score;  // 0-100; empty when no component had data
  bool passes_gate = false;
  std::vector<Component> components;    // the components with data
  std::vector<std::string> not_scored;  // "growth: needs 7 or more history points", ...
};

struct ScoreOptions {
  double gate = 60;  // creators below it fail the quality gate (no product ships)
};

class QualityScorer {
 public:
  QualityScorer(AccountClassifier* classifier, ScoreOptions options);

  Result<QualityScore> Score(const CreatorSignals& signals);
  // Many creators with one classifier call (each call has a fixed cost); scores in order.
  Result<std::vector<QualityScore>> ScoreAll(std::span<const CreatorSignals> signals);

 private:
  // The score of `s`, given the fake probabilities of its profile (if any), then its follower
  // sample (if 10 or more), in that order.
  QualityScore Assemble(const CreatorSignals& s, const float* probabilities) const;

  AccountClassifier* classifier_;
  ScoreOptions options_;
  std::vector<FeatureVector> rows_;
  std::vector<float> probabilities_;
};

// Is a comment low-effort: generic praise ("nice pic!", "love it"), only emoji, or only mentions?
bool IsLowEffortComment(std::string_view text);

}  // namespace seedcast::quality

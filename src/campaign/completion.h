// Completion probability: how likely a creator invited to a campaign is to deliver a verified
// post for it (a declined invitation counts as not completed).
//
// Two layers, both learnt from the platform's own history (finished assignments):
//  1. An empirical-Bayes estimate. The prior is the completion rate of the creator's tier and the
//     campaign's compensation (itself shrunk toward the compensation's rate, then the platform's);
//     the creator's own record moves it as a Beta posterior would:
//       shrunk = (completed + k * prior) / (campaigns + k), with k = prior_strength.
//     A creator with no history gets the prior; one with many campaigns, close to their own rate.
//  2. Gradient-boosted trees (learning/boosted_trees.h) over the shrunk rate and the rest of the
//     record (lateness, failures, returns, days to post), followers, engagement and compensation,
//     monotone increasing in the shrunk rate. Used when there are enough examples
//     (min_examples); otherwise layer 1 is the answer.
// Training examples are built point in time: each finished assignment sees only the assignments
// of that creator that ended before it. The last `holdout` share (by time) is kept out of training
// and used for the calibration report: predicted against observed rates, by bucket.
//
// With no history at all the priors are the defaults below (gifted 0.45: over 60% of marketers
// say fewer than half of gifted creators post; paid work completes far more often).
//
// A CompletionModel is immutable once trained; Predict is not thread-safe (xgboost).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "campaign/campaign_store.h"
#include "campaign/spec.h"
#include "learning/boosted_trees.h"
#include "model/tiers.h"

namespace seedcast::campaign {

// A creator's record on the platform (the pool file's "history" object).
struct History {
  int campaigns = 0;  // finished assignments
  int completed = 0;
  int late = 0;
  int failed = 0;  // declined, failed or replaced
  int returned = 0;
  int removed = 0;  // posts taken down
  std::optional<double> avg_days_to_post;
  int posts_timed = 0;  // posts behind avg_days_to_post
};

struct CompletionInput {
  int64_t followers = 0;
  Compensation compensation = Compensation::kGifted;
  History history;
  std::optional<double> engagement_rate;
};

struct CompletionEstimate {
  double p = 0;
  double prior = 0;   // tier x compensation
  double shrunk = 0;  // prior moved by the creator's own record
  std::vector<std::string> reasons;
};

struct CalibrationBucket {
  double from = 0;
  double to = 0;
  int count = 0;
  double mean_predicted = 0;
  double observed = 0;
};

struct CalibrationReport {
  int train_examples = 0;
  int holdout_examples = 0;
  bool uses_trees = false;
  double brier = 0;        // of the model on the holdout
  double brier_prior = 0;  // of the tier x compensation prior alone
  double log_loss = 0;
  std::vector<CalibrationBucket> buckets;
};

struct CompletionOptions {
  double prior_strength = 3;  // k: how many campaigns the prior is worth
  double cell_strength = 20;  // how many examples a tier x compensation rate is worth
  int min_examples = 1000;    // fewer: the empirical-Bayes estimate alone
  double holdout = 0.2;
  learning::TreeParams trees = {.rounds = 80,
                                .max_depth = 3,
                                .eta = 0.08,
                                .subsample = 0.8,
                                .colsample = 1.0,
                                .min_child_weight = 5,
                                .seed = 7,
                                .monotone_constraints = "(1,0,-1,-1,-1,-1,0,0,0)"};
};

// Turns point-in-time histories out of finished assignments (ordered by creator, then time).
std::map<int64_t, History> HistoriesOf(std::span<const PastAssignment> past);

class CompletionModel {
 public:
  // Priors only, from the defaults.
  explicit CompletionModel(model::TierScheme tiers, CompletionOptions options = {});
  CompletionModel(CompletionModel&&) noexcept;
  CompletionModel& operator=(CompletionModel&&) noexcept;
  ~CompletionModel();

  // Learns from finished assignments, ordered by creator then time (PastAssignments()).
  static Result<CompletionModel> Train(std::span<const PastAssignment> past,
                                       model::TierScheme tiers,
                                       const CompletionOptions& options = {});

  Result<CompletionEstimate> Predict(const CompletionInput& input) const;
  Result<std::vector<CompletionEstimate>> PredictAll(std::span<const CompletionInput> inputs) const;

  const CalibrationReport& calibration() const { return calibration_; }
  double Prior(const std::string& tier, Compensation c) const;

 private:
  struct Cell {
    int n = 0;
    int completed = 0;
  };
  double Shrunk(const CompletionInput& in, double prior) const;
  static constexpr size_t kFeatures = 9;
  std::array<float, kFeatures> Features(const CompletionInput& in, double shrunk) const;

  model::TierScheme tiers_;
  CompletionOptions options_;
  std::array<double, 4> compensation_rate_ = {0.45, 0.85, 0.5, 0.75};
  std::map<std::pair<std::string, int>, double> cell_rate_;
  std::unique_ptr<learning::BoostedTrees> trees_;
  CalibrationReport calibration_;
};

}  // namespace seedcast::campaign

// The fake-account classifier: gradient-boosted trees (xgboost) over AccountFeatures, trained on
// InstaFake (F. C. Akyon and E. Kalfaoglu, 2019; CC BY-NC 4.0, see NOTICE).
//
// The shipped model (src/quality/model/) is compiled into the binary; `seedcast quality train`
// rebuilds it from the training file, deterministically (one thread, fixed seed). Training also
// cross-validates: the decision threshold is the one that maximises macro-F1 on out-of-fold
// predictions, and the report gives the cross-validated figures, also with fields hidden the way
// other sources hide them.
//
// An AccountClassifier owns an xgboost booster. Predict and Explain are not thread-safe: use one
// classifier per thread.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "learning/boosted_trees.h"
#include "quality/account_features.h"

namespace seedcast::quality {

// The model files compiled into the binary (src/quality/model/): file name without extension ->
// text.
std::vector<std::pair<std::string_view, std::string_view>> BuiltInModelFiles();

struct Contribution {
  int feature = 0;
  float log_odds = 0;  // how much this feature moved the account toward fake (+) or real (-)
};

class AccountClassifier {
 public:
  // The model compiled into the binary.
  static Result<AccountClassifier> BuiltIn();
  // A model as xgboost JSON, with its metadata JSON ({"threshold": ..., ...}).
  static Result<AccountClassifier> FromText(std::string_view model_json,
                                            std::string_view meta_json);

  AccountClassifier(AccountClassifier&& other) noexcept;
  AccountClassifier& operator=(AccountClassifier&& other) noexcept;
  AccountClassifier(const AccountClassifier&) = delete;
  AccountClassifier& operator=(const AccountClassifier&) = delete;
  ~AccountClassifier();

  // Fake probabilities of `rows`, appended to `out` in order.
  Status Predict(std::span<const FeatureVector> rows, std::vector<float>* out);

  // Each feature's contribution to one account's log-odds of being fake (SHAP values), largest
  // magnitude first; features that are missing or contribute nothing are left out.
  Result<std::vector<Contribution>> Explain(const FeatureVector& row);
  // The same for many rows with one call (each call has a fixed cost).
  Result<std::vector<std::vector<Contribution>>> ExplainAll(std::span<const FeatureVector> rows);

  double threshold() const { return threshold_; }

 private:
  AccountClassifier() = default;
  std::unique_ptr<learning::BoostedTrees> trees_;
  double threshold_ = 0.5;
};

struct LabeledAccount {
  std::string id;
  AccountSignals signals;
  bool fake = false;
};

// Reads InstaFake-style NDJSON (the classify fields plus "is_fake"); bad lines are errors naming
// the line.
Result<std::vector<LabeledAccount>> ReadLabeled(std::string_view ndjson);

struct TrainOptions {
  int rounds = 60;
  int max_depth = 3;
  double eta = 0.15;
  double subsample = 0.8;
  double colsample = 0.8;
  int copies_with_hidden_fields = 3;  // per row, copies with field groups hidden at random
  bool monotone = true;               // hold each feature to its FeatureDirection
  int folds = 5;
  int repeats = 5;  // cross-validation is repeated with other folds, and its figures averaged
  // What a held-out test split of this size would score: 70% for training leaves a test split
  // 3/7 the size of the training file. Its spread is estimated by drawing, with replacement,
  // stratified samples of that size from the out-of-fold predictions.
  double test_per_training_row = 3.0 / 7.0;
  double target_macro_f1 = 0.97;
  uint64_t seed = 1;
};

struct Scores {
  double macro_f1 = 0;
  double accuracy = 0;
  double fake_precision = 0;
  double fake_recall = 0;
};

// Out-of-fold figures at the chosen threshold, each the mean over the repeats.
struct TrainReport {
  int rows = 0;
  int fake = 0;
  double threshold = 0.5;               // maximises the mean out-of-fold macro-F1
  Scores cv;                            // all fields given
  Scores cv_without_bio;                // bio length hidden
  Scores cv_digit_ratio_only;           // username digit ratio instead of counts, no bio length
  Scores cv_counts_only;                // followers, following, posts only
  std::vector<double> repeat_macro_f1;  // all fields, per repeat
  std::vector<double> fold_macro_f1;    // all fields, per fold of every repeat
  // Macro-F1 on samples the size of a held-out test split: percentiles 5, 50 and 95, and the
  // share of samples at or above TrainOptions::target_macro_f1.
  int test_rows = 0;
  double test_p5 = 0;
  double test_p50 = 0;
  double test_p95 = 0;
  double test_share_at_target = 0;
};

struct TrainedModel {
  std::string model_json;
  std::string meta_json;
  TrainReport report;
};

Result<TrainedModel> Train(const std::vector<LabeledAccount>& data, const TrainOptions& options);

}  // namespace seedcast::quality

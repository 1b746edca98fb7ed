// Quality use cases: fake-account classification with reasons, audience quality scores of input
// lines or of the whole store, and scoring the accounts a store has no score for.
//
// QualityEngine owns the classifier and the scorer. xgboost's handles are not thread-safe, so
// every call runs under the engine's lock: thread-safe, one call at a time.
#pragma once

#include <absl/base/thread_annotations.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "common/mutex.h"
#include "common/status.h"
#include "quality/classifier.h"
#include "quality/score.h"

namespace seedcast::app {

class AppContext;

struct ClassifiedAccount {
  std::string id_json = "null";  // the input's "id", as JSON
  std::string error;             // set when the line could not be read
  double fake_probability = 0;
  bool is_fake = false;
  std::vector<std::string> reasons;  // up to three, strongest first
};

struct ScoreCounts {
  int64_t scored = 0;
  int64_t passed = 0;
  int64_t bad_lines = 0;
};

class QualityEngine {
 public:
  // `model_dir`: account_model.json and account_model_meta.json; "" = the built-in model.
  // `gate`: 0-100.
  static Result<std::unique_ptr<QualityEngine>> Load(const std::string& model_dir, double gate);

  double threshold() const { return threshold_; }
  double gate() const { return gate_; }

  // One result per line (an account as NDJSON), in order; `first_line` numbers the lines in
  // error messages.
  Result<std::vector<ClassifiedAccount>> Classify(std::span<const std::string> lines,
                                                  int64_t first_line);

  // Scores one NDJSON line: a creator (export format, with "accounts") or one account. One
  // output object per account, or one {"line", "error"} object for a line that cannot be read.
  std::vector<nlohmann::ordered_json> ScoreLine(const std::string& line, int64_t line_number,
                                                ScoreCounts* counts);

  Result<std::vector<quality::QualityScore>> ScoreAll(
      std::span<const quality::CreatorSignals> signals);

 private:
  QualityEngine(quality::AccountClassifier classifier, double gate);
  std::vector<nlohmann::ordered_json> ScoreLineLocked(const std::string& line, int64_t line_number,
                                                      ScoreCounts* counts)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  Mutex mu_;
  quality::AccountClassifier classifier_ ABSL_GUARDED_BY(mu_);
  quality::QualityScorer scorer_ ABSL_GUARDED_BY(mu_);
  const double threshold_;
  const double gate_;
};

// Up to three reasons: the features that moved the probability most, in words.
std::vector<std::string> FakeReasons(const quality::AccountSignals& s,
                                     const std::vector<quality::Contribution>& contributions);

nlohmann::ordered_json ClassifiedToJson(const ClassifiedAccount& c);

struct StoreScoreOptions {
  bool save = false;                                             // write each score to its account
  std::function<void(const nlohmann::ordered_json&)> on_result;  // each account's score
  std::function<void(int64_t done, int64_t total)> on_progress;
};

// Scores every account in the store.
Result<ScoreCounts> ScoreStore(AppContext& ctx, const StoreScoreOptions& options);

// Scores the accounts that have no quality score from the signals they carry, saves the scores,
// and returns their ids (a pool imported without quality_score can then be planned).
Result<std::set<int64_t>> ScoreUnscored(AppContext& ctx);

}  // namespace seedcast::app

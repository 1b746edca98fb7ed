// BoostedTrees: a binary classifier of gradient-boosted trees (xgboost's C API), over dense rows
// of float features where NaN means "missing".
//
// Training is deterministic for given data and parameters (one thread, fixed seed). Owns its
// booster. Predict and Contributions are not thread-safe (xgboost caches per booster): use one
// BoostedTrees per thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace seedcast::learning {

struct TreeParams {
  int rounds = 60;
  int max_depth = 3;
  double eta = 0.15;
  double subsample = 0.8;
  double colsample = 0.8;
  double min_child_weight = 1;
  uint64_t seed = 1;
  // xgboost's monotone_constraints, e.g. "(1,0,-1)": empty for none.
  std::string monotone_constraints;
};

class BoostedTrees {
 public:
  // `rows` holds rows.size() / features rows, one after another.
  static Result<BoostedTrees> Train(std::span<const float> rows, size_t features,
                                    std::span<const float> labels, const TreeParams& params);
  // A model saved by ToJson().
  static Result<BoostedTrees> FromJson(std::string_view model_json, size_t features);

  BoostedTrees(BoostedTrees&& other) noexcept;
  BoostedTrees& operator=(BoostedTrees&& other) noexcept;
  BoostedTrees(const BoostedTrees&) = delete;
  BoostedTrees& operator=(const BoostedTrees&) = delete;
  ~BoostedTrees();

  // Probabilities of the positive class, appended to `out` in row order.
  Status Predict(std::span<const float> rows, std::vector<float>* out) const;
  // Per row, each feature's contribution to the log-odds (SHAP values), then the bias: features
  // + 1 values per row, appended to `out`.
  Status Contributions(std::span<const float> rows, std::vector<float>* out) const;
  Result<std::string> ToJson() const;

  size_t features() const { return features_; }

 private:
  BoostedTrees(void* booster, size_t features) : booster_(booster), features_(features) {}
  void* booster_ = nullptr;  // BoosterHandle
  size_t features_ = 0;
};

}  // namespace seedcast::learning

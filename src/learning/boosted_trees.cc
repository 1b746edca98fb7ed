#include "learning/boosted_trees.h"

#include <fmt/format.h>
#include <xgboost/c_api.h>

#include <cmath>
#include <utility>

namespace seedcast::learning {
namespace {

Status XgbError(std::string_view what) {
  return Internal(fmt::format("xgboost {}: {}", what, XGBGetLastError()));
}

// Owns a DMatrix.
struct Matrix {
  DMatrixHandle handle = nullptr;
  Matrix() = default;
  Matrix(const Matrix&) = delete;
  Matrix& operator=(const Matrix&) = delete;
  ~Matrix() {
    if (handle != nullptr) XGDMatrixFree(handle);
  }
};

// Owns a booster until released.
struct Booster {
  BoosterHandle handle = nullptr;
  Booster() = default;
  Booster(const Booster&) = delete;
  Booster& operator=(const Booster&) = delete;
  ~Booster() {
    if (handle != nullptr) XGBoosterFree(handle);
  }
  BoosterHandle Release() { return std::exchange(handle, nullptr); }
};

Status MakeMatrix(std::span<const float> rows, size_t features, Matrix* out) {
  if (XGDMatrixCreateFromMat(rows.empty() ? nullptr : rows.data(), rows.size() / features, features,
                             std::nanf(""), &out->handle) != 0) {
    return XgbError("matrix");
  }
  return Status::Ok();
}

Status SetParam(BoosterHandle booster, const std::string& key, const std::string& value) {
  if (XGBoosterSetParam(booster, key.c_str(), value.c_str()) != 0) {
    return XgbError("parameter " + key);
  }
  return Status::Ok();
}

}  // namespace

Result<BoostedTrees> BoostedTrees::Train(std::span<const float> rows, size_t features,
                                         std::span<const float> labels, const TreeParams& p) {
  if (features == 0 || rows.size() != labels.size() * features || labels.empty()) {
    return InvalidArgument("training needs one label per row and at least one row");
  }
  Matrix train;
  SEEDCAST_RETURN_IF_ERROR(MakeMatrix(rows, features, &train));
  if (XGDMatrixSetFloatInfo(train.handle, "label", labels.data(), labels.size()) != 0) {
    return XgbError("labels");
  }
  Booster booster;
  if (XGBoosterCreate(&train.handle, 1, &booster.handle) != 0) return XgbError("booster");
  std::vector<std::pair<std::string, std::string>> params = {
      {"objective", "binary:logistic"},
      {"eval_metric", "logloss"},
      {"max_depth", std::to_string(p.max_depth)},
      {"eta", fmt::format("{}", p.eta)},
      {"subsample", fmt::format("{}", p.subsample)},
      {"colsample_bytree", fmt::format("{}", p.colsample)},
      {"min_child_weight", fmt::format("{}", p.min_child_weight)},
      {"tree_method", "exact"},
      {"nthread", "1"},
      {"seed", std::to_string(p.seed % 2'147'483'647)}};
  if (!p.monotone_constraints.empty()) {
    params.emplace_back("monotone_constraints", p.monotone_constraints);
  }
  for (const auto& [key, value] : params) {
    SEEDCAST_RETURN_IF_ERROR(SetParam(booster.handle, key, value));
  }
  for (int i = 0; i < p.rounds; ++i) {
    if (XGBoosterUpdateOneIter(booster.handle, i, train.handle) != 0) return XgbError("training");
  }
  return BoostedTrees(booster.Release(), features);
}

Result<BoostedTrees> BoostedTrees::FromJson(std::string_view model_json, size_t features) {
  Booster booster;
  if (XGBoosterCreate(nullptr, 0, &booster.handle) != 0) return XgbError("booster");
  if (XGBoosterLoadModelFromBuffer(booster.handle, model_json.data(), model_json.size()) != 0) {
    return XgbError("model");
  }
  SEEDCAST_RETURN_IF_ERROR(SetParam(booster.handle, "nthread", "1"));
  bst_ulong n = 0;
  if (XGBoosterGetNumFeature(booster.handle, &n) != 0) return XgbError("feature count");
  if (n != features) {
    return InvalidArgument(fmt::format("the model reads {} features, this build {}",
                                       static_cast<size_t>(n), features));
  }
  return BoostedTrees(booster.Release(), features);
}

BoostedTrees::BoostedTrees(BoostedTrees&& other) noexcept
    : booster_(std::exchange(other.booster_, nullptr)), features_(other.features_) {}

BoostedTrees& BoostedTrees::operator=(BoostedTrees&& other) noexcept {
  if (this != &other) {
    if (booster_ != nullptr) XGBoosterFree(booster_);
    booster_ = std::exchange(other.booster_, nullptr);
    features_ = other.features_;
  }
  return *this;
}

BoostedTrees::~BoostedTrees() {
  if (booster_ != nullptr) XGBoosterFree(booster_);
}

Status BoostedTrees::Predict(std::span<const float> rows, std::vector<float>* out) const {
  if (rows.empty()) return Status::Ok();
  const size_t n = rows.size() / features_;
  const std::string array =
      fmt::format(R"({{"data": [{}, true], "shape": [{}, {}], "typestr": "<f4", "version": 3}})",
                  reinterpret_cast<uintptr_t>(rows.data()), n, features_);
  // cache_id 0: no prediction cache, so a booster serves inputs of any size.
  static constexpr const char* kConfig =
      R"({"type": 0, "training": false, "iteration_begin": 0, "iteration_end": 0, )"
      R"("strict_shape": false, "missing": NaN, "cache_id": 0})";
  const bst_ulong* shape = nullptr;
  bst_ulong dims = 0;
  const float* result = nullptr;
  if (XGBoosterPredictFromDense(booster_, array.c_str(), kConfig, nullptr, &shape, &dims,
                                &result) != 0) {
    return XgbError("prediction");
  }
  out->insert(out->end(), result, result + n);
  return Status::Ok();
}

Status BoostedTrees::Contributions(std::span<const float> rows, std::vector<float>* out) const {
  if (rows.empty()) return Status::Ok();
  Matrix m;
  SEEDCAST_RETURN_IF_ERROR(MakeMatrix(rows, features_, &m));
  static constexpr const char* kConfig =
      R"({"type": 2, "training": false, "iteration_begin": 0, "iteration_end": 0, )"
      R"("strict_shape": false})";
  const bst_ulong* shape = nullptr;
  bst_ulong dims = 0;
  const float* result = nullptr;
  if (XGBoosterPredictFromDMatrix(booster_, m.handle, kConfig, &shape, &dims, &result) != 0) {
    return XgbError("contributions");
  }
  out->insert(out->end(), result, result + (rows.size() / features_) * (features_ + 1));
  return Status::Ok();
}

Result<std::string> BoostedTrees::ToJson() const {
  bst_ulong length = 0;
  const char* buffer = nullptr;
  if (XGBoosterSaveModelToBuffer(booster_, R"({"format": "json"})", &length, &buffer) != 0) {
    return XgbError("saving");
  }
  return std::string(buffer, length);
}

}  // namespace seedcast::learning

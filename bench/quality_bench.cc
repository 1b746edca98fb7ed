// Fake-account classification throughput on one thread: features + the shipped xgboost model's
// in-place prediction, in batches, over synthetic accounts drawn around InstaFake's ranges. The
// peer, in the same run on the same rows, is xgboost's usual path: build a DMatrix per batch, then
// predict from it.
//
//   quality_bench [ACCOUNTS] [ROUNDS] [MODEL_DIR]
//
// Defaults: 1000000 accounts, 5 rounds (medians), the built-in model; MODEL_DIR holds another
// model written by `seedcast quality train --out MODEL_DIR`.
#include <xgboost/c_api.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "bench/per_second.h"
#include "common/stats.h"
#include "quality/account_features.h"
#include "quality/classifier.h"

namespace {

using seedcast::quality::AccountSignals;
using seedcast::quality::FeatureVector;

std::vector<AccountSignals> MakeAccounts(size_t n) {
  std::mt19937_64 rng(3);
  std::lognormal_distribution<double> followers(6.0, 2.0);
  std::lognormal_distribution<double> following(5.5, 1.3);
  std::lognormal_distribution<double> posts(3.0, 1.5);
  std::uniform_int_distribution<int> name(4, 20);
  std::bernoulli_distribution coin(0.5);
  std::bernoulli_distribution missing(0.15);
  std::vector<AccountSignals> out(n);
  for (AccountSignals& a : out) {
    a.followers = std::floor(followers(rng));
    a.following = std::floor(following(rng));
    if (!missing(rng)) a.posts = std::floor(posts(rng));
    a.has_profile_pic = !missing(rng);
    a.is_private = coin(rng) && coin(rng);
    if (!missing(rng)) a.bio_length = coin(rng) ? 0.0 : static_cast<double>(name(rng) * 4);
    a.username_length = name(rng);
    a.username_digits = coin(rng) ? 0.0 : std::floor(*a.username_length / 3);
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  const size_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1'000'000;
  const int rounds = argc > 2 ? std::atoi(argv[2]) : 5;
  constexpr size_t kBatch = 65'536;
  std::string model;
  std::string meta;
  if (argc > 3) {
    auto read = [](const std::string& path) {
      std::ifstream in(path, std::ios::binary);
      std::stringstream text;
      text << in.rdbuf();
      return text.str();
    };
    model = read(std::string(argv[3]) + "/account_model.json");
    meta = read(std::string(argv[3]) + "/account_model_meta.json");
  } else {
    for (const auto& [name, text] : seedcast::quality::BuiltInModelFiles()) {
      if (name == "account_model") model = text;
      if (name == "account_model_meta") meta = text;
    }
  }
  auto classifier = seedcast::quality::AccountClassifier::FromText(model, meta);
  if (!classifier.ok()) {
    std::cerr << classifier.status().ToString() << "\n";
    return 1;
  }
  const std::vector<AccountSignals> accounts = MakeAccounts(n);
  std::vector<FeatureVector> batch;
  std::vector<float> probability;
  probability.reserve(n);
  size_t fake = 0;
  std::vector<double> engine;
  std::vector<double> peer;
  for (int r = 0; r < rounds; ++r) {
    probability.clear();
    engine.push_back(seedcast::bench::PerSecond(n, [&] {
      for (size_t start = 0; start < n; start += kBatch) {
        batch.clear();
        for (size_t i = start; i < std::min(n, start + kBatch); ++i) {
          batch.push_back(seedcast::quality::Features(accounts[i]));
        }
        if (!classifier->Predict(batch, &probability).ok()) std::abort();
      }
    }));
    fake = 0;
    for (float p : probability) fake += p >= classifier->threshold() ? 1 : 0;
  }
  // Peer: the same model through a DMatrix per batch (xgboost's documented C path).
  BoosterHandle booster = nullptr;
  XGBoosterCreate(nullptr, 0, &booster);
  XGBoosterLoadModelFromBuffer(booster, model.data(), model.size());
  XGBoosterSetParam(booster, "nthread", "1");
  size_t peer_fake = 0;
  for (int r = 0; r < rounds; ++r) {
    peer_fake = 0;
    peer.push_back(seedcast::bench::PerSecond(n, [&] {
      for (size_t start = 0; start < n; start += kBatch) {
        batch.clear();
        for (size_t i = start; i < std::min(n, start + kBatch); ++i) {
          batch.push_back(seedcast::quality::Features(accounts[i]));
        }
        DMatrixHandle m = nullptr;
        XGDMatrixCreateFromMat(batch.front().data(), batch.size(), seedcast::quality::kFeatureCount,
                               std::nanf(""), &m);
        const bst_ulong* shape = nullptr;
        bst_ulong dims = 0;
        const float* result = nullptr;
        XGBoosterPredictFromDMatrix(booster, m,
                                    R"({"type": 0, "training": false, "iteration_begin": 0, )"
                                    R"("iteration_end": 0, "strict_shape": false})",
                                    &shape, &dims, &result);
        for (size_t k = 0; k < batch.size(); ++k) {
          peer_fake += result[k] >= classifier->threshold() ? 1 : 0;
        }
        XGDMatrixFree(m);
      }
    }));
  }
  XGBoosterFree(booster);
  const double engine_median = seedcast::Percentile(engine, 50);
  const double peer_median = seedcast::Percentile(peer, 50);
  nlohmann::json report = {{"accounts", n},
                           {"rounds", rounds},
                           {"batch", kBatch},
                           {"fake_share", static_cast<double>(fake) / static_cast<double>(n)},
                           {"peer_agrees", fake == peer_fake},
                           {"engine_accounts_per_s", engine_median},
                           {"peer_dmatrix_accounts_per_s", peer_median},
                           {"ratio", engine_median / peer_median}};
  std::cout << report.dump(2) << "\n";
  return 0;
}

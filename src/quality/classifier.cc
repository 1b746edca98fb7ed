#include "quality/classifier.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <numeric>
#include <random>
#include <utility>

#include "common/text.h"

namespace seedcast::quality {

namespace {

// The rows' features as one run of floats, the layout BoostedTrees reads.
std::span<const float> Flat(std::span<const FeatureVector> rows) {
  return rows.empty() ? std::span<const float>()
                      : std::span<const float>(rows.front().data(), rows.size() * kFeatureCount);
}

// Field groups that sources leave out, hidden to teach the trees where missing values go.
enum HideGroup : uint32_t {
  kHideBio = 1,
  kHideDigitCounts = 2,  // keep only the digit ratio
  kHidePic = 4,
  kHidePrivate = 8,
  kHidePosts = 16,
  kHideFollowing = 32,
  kHideUsername = 64,
  kOnlyCounts = 128,  // followers, following, posts only
};

AccountSignals Hide(AccountSignals s, uint32_t groups) {
  if ((groups & kHideDigitCounts) != 0 && s.username_digits && s.username_length &&
      *s.username_length > 0) {
    s.username_digit_ratio = *s.username_digits / *s.username_length;
    s.username_digits.reset();
    s.username_length.reset();
  }
  if ((groups & kHideBio) != 0) s.bio_length.reset();
  if ((groups & kHidePic) != 0) s.has_profile_pic.reset();
  if ((groups & kHidePrivate) != 0) s.is_private.reset();
  if ((groups & kHidePosts) != 0) s.posts.reset();
  if ((groups & kHideFollowing) != 0) s.following.reset();
  if ((groups & kHideUsername) != 0) {
    s.username_digits.reset();
    s.username_length.reset();
    s.username_digit_ratio.reset();
  }
  if ((groups & kOnlyCounts) != 0) {
    s = AccountSignals{.followers = s.followers, .following = s.following, .posts = s.posts};
  }
  return s;
}

struct Prepared {
  std::vector<FeatureVector> rows;
  std::vector<float> labels;
};

// The rows of `indexes`, each followed by `copies` with random field groups hidden.
Prepared Prepare(const std::vector<LabeledAccount>& data, const std::vector<size_t>& indexes,
                 int copies, std::mt19937_64* rng) {
  Prepared p;
  std::bernoulli_distribution hide(0.3);
  for (size_t i : indexes) {
    p.rows.push_back(Features(data[i].signals));
    p.labels.push_back(data[i].fake ? 1.0F : 0.0F);
    for (int c = 0; c < copies; ++c) {
      uint32_t groups = 0;
      for (uint32_t g = 1; g <= kHideUsername; g <<= 1) {
        if (hide(*rng)) groups |= g;
      }
      p.rows.push_back(Features(Hide(data[i].signals, groups)));
      p.labels.push_back(data[i].fake ? 1.0F : 0.0F);
    }
  }
  return p;
}

// xgboost's "(d0,d1,...)" from the features' directions; empty when unconstrained.
std::string MonotoneConstraints(bool monotone) {
  if (!monotone) return "";
  std::vector<int> directions;
  directions.reserve(kFeatureCount);
  for (int f = 0; f < kFeatureCount; ++f) directions.push_back(FeatureDirection(f));
  return fmt::format("({})", fmt::join(directions, ","));
}

Result<learning::BoostedTrees> TrainTrees(const Prepared& p, const TrainOptions& o, uint64_t seed) {
  return learning::BoostedTrees::Train(Flat(p.rows), kFeatureCount, p.labels,
                                       {.rounds = o.rounds,
                                        .max_depth = o.max_depth,
                                        .eta = o.eta,
                                        .subsample = o.subsample,
                                        .colsample = o.colsample,
                                        .seed = seed,
                                        .monotone_constraints = MonotoneConstraints(o.monotone)});
}

Scores Score(const std::vector<float>& p, const std::vector<bool>& fake, double threshold) {
  int tp = 0;
  int fp = 0;
  int tn = 0;
  int fn = 0;
  for (size_t i = 0; i < p.size(); ++i) {
    const bool said = p[i] >= threshold;
    if (said && fake[i]) ++tp;
    if (said && !fake[i]) ++fp;
    if (!said && !fake[i]) ++tn;
    if (!said && fake[i]) ++fn;
  }
  auto f1 = [](int hit, int false_pos, int miss) {
    return hit == 0 ? 0.0 : 2.0 * hit / (2.0 * hit + false_pos + miss);
  };
  Scores s;
  s.macro_f1 = (f1(tp, fp, fn) + f1(tn, fn, fp)) / 2;
  s.accuracy = static_cast<double>(tp + tn) / static_cast<double>(std::max<size_t>(1, p.size()));
  s.fake_precision = tp + fp == 0 ? 0 : static_cast<double>(tp) / (tp + fp);
  s.fake_recall = tp + fn == 0 ? 0 : static_cast<double>(tp) / (tp + fn);
  return s;
}

nlohmann::json ScoresJson(const Scores& s) {
  return {{"macro_f1", s.macro_f1},
          {"accuracy", s.accuracy},
          {"fake_precision", s.fake_precision},
          {"fake_recall", s.fake_recall}};
}

}  // namespace

AccountClassifier::AccountClassifier(AccountClassifier&& other) noexcept = default;
AccountClassifier& AccountClassifier::operator=(AccountClassifier&& other) noexcept = default;
AccountClassifier::~AccountClassifier() = default;

Result<AccountClassifier> AccountClassifier::FromText(std::string_view model_json,
                                                      std::string_view meta_json) {
  nlohmann::json meta = nlohmann::json::parse(meta_json, nullptr, false);
  if (meta.is_discarded() || !meta.is_object() || !meta.contains("threshold") ||
      !meta["threshold"].is_number()) {
    return InvalidArgument("model metadata: expected a JSON object with a numeric \"threshold\"");
  }
  if (meta.value("feature_count", 0) != kFeatureCount) {
    return InvalidArgument(fmt::format("model metadata: the model reads {} features, this build {}",
                                       meta.value("feature_count", 0),
                                       static_cast<int>(kFeatureCount)));
  }
  AccountClassifier c;
  SEEDCAST_ASSIGN_OR_RETURN(learning::BoostedTrees trees,
                            learning::BoostedTrees::FromJson(model_json, kFeatureCount));
  c.trees_ = std::make_unique<learning::BoostedTrees>(std::move(trees));
  c.threshold_ = meta["threshold"].get<double>();
  return c;
}

Result<AccountClassifier> AccountClassifier::BuiltIn() {
  std::string_view model;
  std::string_view meta;
  for (const auto& [name, text] : BuiltInModelFiles()) {
    if (name == "account_model") model = text;
    if (name == "account_model_meta") meta = text;
  }
  return FromText(model, meta);
}

Status AccountClassifier::Predict(std::span<const FeatureVector> rows, std::vector<float>* out) {
  return trees_->Predict(Flat(rows), out);
}

Result<std::vector<Contribution>> AccountClassifier::Explain(const FeatureVector& row) {
  SEEDCAST_ASSIGN_OR_RETURN(std::vector<std::vector<Contribution>> all,
                            ExplainAll(std::span(&row, 1)));
  return std::move(all.front());
}

Result<std::vector<std::vector<Contribution>>> AccountClassifier::ExplainAll(
    std::span<const FeatureVector> rows) {
  std::vector<std::vector<Contribution>> out(rows.size());
  if (rows.empty()) return out;
  std::vector<float> contributions;
  SEEDCAST_RETURN_IF_ERROR(trees_->Contributions(Flat(rows), &contributions));
  const float* result = contributions.data();
  // Per row: one value per feature, then the bias.
  for (size_t i = 0; i < rows.size(); ++i) {
    const float* row_result = result + i * (kFeatureCount + 1);
    for (int f = 0; f < kFeatureCount; ++f) {
      if (std::isnan(rows[i][static_cast<size_t>(f)]) || std::abs(row_result[f]) < 1e-4F) continue;
      out[i].push_back({f, row_result[f]});
    }
    std::sort(out[i].begin(), out[i].end(), [](const Contribution& a, const Contribution& b) {
      return std::abs(a.log_odds) > std::abs(b.log_odds);
    });
  }
  return out;
}

Result<std::vector<LabeledAccount>> ReadLabeled(std::string_view ndjson) {
  std::vector<LabeledAccount> out;
  int line_number = 0;
  for (std::string_view line : text::Split(ndjson, "\n")) {
    ++line_number;
    if (text::Trim(line).empty()) continue;
    LabeledAccount a;
    const nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      return InvalidArgument(fmt::format("line {}: not a JSON object", line_number));
    }
    Status s = ReadSignals(j, &a.signals);
    if (!s.ok()) return s.WithContext(fmt::format("line {}", line_number));
    if (!j.contains("is_fake") || !j["is_fake"].is_boolean()) {
      return InvalidArgument(
          fmt::format("line {}: \"is_fake\" must be true or false", line_number));
    }
    a.fake = j["is_fake"].get<bool>();
    a.id = j.contains("id") ? j["id"].dump() : "null";
    out.push_back(std::move(a));
  }
  return out;
}

namespace {

// The field sets cross-validation scores: all given, then as sources without some fields give them.
constexpr std::array<uint32_t, 4> kVariants = {0, kHideBio, kHideBio | kHideDigitCounts,
                                               kOnlyCounts};

struct CrossValidation {
  // oof[repeat][variant][row]: the row's probability from the model of the folds without it.
  std::vector<std::array<std::vector<float>, kVariants.size()>> oof;
  std::vector<std::vector<int>> folds;  // [repeat][row]
  std::vector<bool> truth;              // [row]
};

// `o.repeats` times: stratified folds (each class shuffled, then dealt round-robin), a model per
// fold trained on the others, and its predictions for the fold's rows under every variant.
Result<CrossValidation> CrossValidate(const std::vector<LabeledAccount>& data,
                                      const TrainOptions& o, std::mt19937_64* rng) {
  const auto repeats = static_cast<size_t>(o.repeats);
  CrossValidation cv;
  cv.oof.resize(repeats);
  cv.folds.assign(repeats, std::vector<int>(data.size()));
  cv.truth.resize(data.size());
  for (size_t i = 0; i < data.size(); ++i) cv.truth[i] = data[i].fake;
  for (size_t rep = 0; rep < repeats; ++rep) {
    std::vector<int>& fold = cv.folds[rep];
    for (bool cls : {true, false}) {
      std::vector<size_t> members;
      for (size_t i = 0; i < data.size(); ++i) {
        if (data[i].fake == cls) members.push_back(i);
      }
      std::shuffle(members.begin(), members.end(), *rng);
      for (size_t k = 0; k < members.size(); ++k) fold[members[k]] = static_cast<int>(k) % o.folds;
    }
    for (auto& v : cv.oof[rep]) v.assign(data.size(), 0);
    for (int f = 0; f < o.folds; ++f) {
      std::vector<size_t> train;
      std::vector<size_t> test;
      for (size_t i = 0; i < data.size(); ++i) (fold[i] == f ? test : train).push_back(i);
      const Prepared p = Prepare(data, train, o.copies_with_hidden_fields, rng);
      SEEDCAST_ASSIGN_OR_RETURN(learning::BoostedTrees trees,
                                TrainTrees(p, o, o.seed + rep * 1'000 + static_cast<uint64_t>(f)));
      for (size_t v = 0; v < kVariants.size(); ++v) {
        std::vector<FeatureVector> rows;
        rows.reserve(test.size());
        for (size_t i : test) rows.push_back(Features(Hide(data[i].signals, kVariants[v])));
        std::vector<float> predicted;
        SEEDCAST_RETURN_IF_ERROR(trees.Predict(Flat(rows), &predicted));
        for (size_t k = 0; k < test.size(); ++k) cv.oof[rep][v][test[k]] = predicted[k];
      }
    }
  }
  return cv;
}

// The mean of each figure over the repeats, at one threshold.
Scores MeanScores(const CrossValidation& cv, size_t variant, double threshold) {
  Scores sum;
  const auto repeats = static_cast<double>(cv.oof.size());
  for (const auto& by_variant : cv.oof) {
    const Scores s = Score(by_variant[variant], cv.truth, threshold);
    sum.macro_f1 += s.macro_f1 / repeats;
    sum.accuracy += s.accuracy / repeats;
    sum.fake_precision += s.fake_precision / repeats;
    sum.fake_recall += s.fake_recall / repeats;
  }
  return sum;
}

// The threshold that maximises the mean macro-F1, and the figures at it.
void Summarise(const CrossValidation& cv, int folds, TrainReport* r) {
  double best = -1;
  for (int t = 5; t <= 95; ++t) {
    const double threshold = t / 100.0;
    const double f1 = MeanScores(cv, 0, threshold).macro_f1;
    if (f1 > best + 1e-12) {
      best = f1;
      r->threshold = threshold;
    }
  }
  r->cv = MeanScores(cv, 0, r->threshold);
  r->cv_without_bio = MeanScores(cv, 1, r->threshold);
  r->cv_digit_ratio_only = MeanScores(cv, 2, r->threshold);
  r->cv_counts_only = MeanScores(cv, 3, r->threshold);
  for (size_t rep = 0; rep < cv.oof.size(); ++rep) {
    const std::vector<float>& predicted = cv.oof[rep][0];
    r->repeat_macro_f1.push_back(Score(predicted, cv.truth, r->threshold).macro_f1);
    for (int f = 0; f < folds; ++f) {
      std::vector<float> p;
      std::vector<bool> t;
      for (size_t i = 0; i < predicted.size(); ++i) {
        if (cv.folds[rep][i] != f) continue;
        p.push_back(predicted[i]);
        t.push_back(cv.truth[i]);
      }
      r->fold_macro_f1.push_back(Score(p, t, r->threshold).macro_f1);
    }
  }
}

// Test splits of the held-out size, drawn with replacement from the out-of-fold predictions, each
// class in its own proportion. Its own generator, so the estimate leaves the shipped model as is.
void EstimateTestSplit(const CrossValidation& cv, const TrainOptions& o, TrainReport* r) {
  std::mt19937_64 draws(o.seed);
  std::vector<size_t> fake_rows;
  std::vector<size_t> real_rows;
  for (size_t i = 0; i < cv.truth.size(); ++i) (cv.truth[i] ? fake_rows : real_rows).push_back(i);
  auto share = [&](const std::vector<size_t>& rows) {
    return static_cast<size_t>(
        std::lround(static_cast<double>(rows.size()) * o.test_per_training_row));
  };
  const size_t draw_fake = share(fake_rows);
  const size_t draw_real = share(real_rows);
  r->test_rows = static_cast<int>(draw_fake + draw_real);
  constexpr int kDraws = 2'000;
  std::vector<double> f1s;
  f1s.reserve(kDraws);
  std::vector<float> p;
  std::vector<bool> t;
  for (int b = 0; b < kDraws; ++b) {
    const std::vector<float>& predicted = cv.oof[static_cast<size_t>(b) % cv.oof.size()][0];
    p.clear();
    t.clear();
    for (auto [rows, n] : {std::pair(&fake_rows, draw_fake), std::pair(&real_rows, draw_real)}) {
      std::uniform_int_distribution<size_t> pick(0, rows->size() - 1);
      for (size_t k = 0; k < n; ++k) {
        const size_t i = (*rows)[pick(draws)];
        p.push_back(predicted[i]);
        t.push_back(cv.truth[i]);
      }
    }
    f1s.push_back(Score(p, t, r->threshold).macro_f1);
  }
  std::sort(f1s.begin(), f1s.end());
  auto at = [&](double q) { return f1s[static_cast<size_t>(q * (kDraws - 1))]; };
  r->test_p5 = at(0.05);
  r->test_p50 = at(0.5);
  r->test_p95 = at(0.95);
  const auto reach = std::lower_bound(f1s.begin(), f1s.end(), o.target_macro_f1);
  r->test_share_at_target = static_cast<double>(f1s.end() - reach) / kDraws;
}

std::string MetaJson(const TrainReport& r, const TrainOptions& o) {
  nlohmann::ordered_json meta = {
      {"threshold", r.threshold},
      {"feature_count", static_cast<int>(kFeatureCount)},
      {"features", nlohmann::json::array()},
      {"trained_on", fmt::format("{} accounts, {} fake", r.rows, r.fake)},
      {"options",
       {{"rounds", o.rounds},
        {"max_depth", o.max_depth},
        {"eta", o.eta},
        {"subsample", o.subsample},
        {"colsample_bytree", o.colsample},
        {"copies_with_hidden_fields", o.copies_with_hidden_fields},
        {"monotone_constraints", MonotoneConstraints(o.monotone)},
        {"folds", o.folds},
        {"repeats", o.repeats},
        {"seed", o.seed}}},
      {"cross_validated",
       {{"all_fields", ScoresJson(r.cv)},
        {"without_bio_length", ScoresJson(r.cv_without_bio)},
        {"digit_ratio_no_bio", ScoresJson(r.cv_digit_ratio_only)},
        {"counts_only", ScoresJson(r.cv_counts_only)},
        {"repeat_macro_f1", r.repeat_macro_f1},
        {"fold_macro_f1", r.fold_macro_f1}}},
      {"test_split_estimate",
       {{"rows", r.test_rows},
        {"macro_f1_p5", r.test_p5},
        {"macro_f1_p50", r.test_p50},
        {"macro_f1_p95", r.test_p95},
        {"target_macro_f1", o.target_macro_f1},
        {"share_at_or_above_target", r.test_share_at_target}}},
  };
  for (int f = 0; f < kFeatureCount; ++f) meta["features"].push_back(FeatureName(f));
  return meta.dump(2) + "\n";
}

}  // namespace

Result<TrainedModel> Train(const std::vector<LabeledAccount>& data, const TrainOptions& o) {
  const int fakes = static_cast<int>(
      std::count_if(data.begin(), data.end(), [](const LabeledAccount& a) { return a.fake; }));
  if (fakes < o.folds || static_cast<int>(data.size()) - fakes < o.folds) {
    return InvalidArgument("training needs at least one fake and one real account per fold");
  }
  if (o.repeats < 1) return InvalidArgument("cross-validation needs at least one repeat");
  std::mt19937_64 rng(o.seed);
  SEEDCAST_ASSIGN_OR_RETURN(const CrossValidation cv, CrossValidate(data, o, &rng));
  TrainedModel out;
  out.report.rows = static_cast<int>(data.size());
  out.report.fake = fakes;
  Summarise(cv, o.folds, &out.report);
  EstimateTestSplit(cv, o, &out.report);

  // The shipped model: every row, the same options.
  std::vector<size_t> all(data.size());
  std::iota(all.begin(), all.end(), 0);
  const Prepared p = Prepare(data, all, o.copies_with_hidden_fields, &rng);
  SEEDCAST_ASSIGN_OR_RETURN(learning::BoostedTrees trees, TrainTrees(p, o, o.seed));
  SEEDCAST_ASSIGN_OR_RETURN(out.model_json, trees.ToJson());
  out.meta_json = MetaJson(out.report, o);
  return out;
}

}  // namespace seedcast::quality

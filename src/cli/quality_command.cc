// `seedcast quality classify` and `seedcast quality train`.
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/commands.h"
#include "quality/classifier.h"
#include "quality/score.h"
#include "quality/signals_json.h"
#include "storage/creator_store.h"

namespace seedcast::cli {
namespace {

Result<std::string> ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return IoError(fmt::format("cannot read {}", path));
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

Result<quality::AccountClassifier> LoadClassifier(const std::string& model_dir) {
  if (model_dir.empty()) return quality::AccountClassifier::BuiltIn();
  SEEDCAST_ASSIGN_OR_RETURN(std::string model, ReadAll(model_dir + "/account_model.json"));
  SEEDCAST_ASSIGN_OR_RETURN(std::string meta, ReadAll(model_dir + "/account_model_meta.json"));
  return quality::AccountClassifier::FromText(model, meta);
}

// Up to three reasons: the features that moved the probability most, in words.
nlohmann::json Reasons(const quality::AccountSignals& s,
                       const std::vector<quality::Contribution>& contributions) {
  nlohmann::json out = nlohmann::json::array();
  for (const quality::Contribution& c : contributions) {
    if (out.size() == 3) break;
    out.push_back(fmt::format("{}: {} ({:+.2f} log-odds)", quality::DescribeFeature(s, c.feature),
                              c.log_odds > 0 ? "looks fake" : "looks real", c.log_odds));
  }
  if (out.empty()) out.push_back("no signal given; the probability is the model's base rate");
  return out;
}

}  // namespace

int RunQualityClassify(const QualityClassifyOptions& options) {
  Result<quality::AccountClassifier> classifier = LoadClassifier(options.model_dir);
  if (!classifier.ok()) return Usage(classifier.status().ToString());
  std::ifstream file;
  std::istream* input = OpenInput(options.input, &file);
  if (input == nullptr) return kExitUsage;
  std::istream& in = *input;
  int64_t lines = 0;
  int64_t fake = 0;
  int64_t malformed = 0;
  // Lines are classified in blocks, with one prediction and one explanation call per block: each
  // classifier call has a fixed cost. Output stays one line per input line, in order.
  constexpr size_t kBlock = 4096;
  struct Pending {
    std::string id_json;
    std::string error;  // set when the line could not be read
    quality::AccountSignals signals;
  };
  std::vector<Pending> block;
  std::vector<quality::FeatureVector> rows;
  std::vector<float> probability;
  auto flush = [&]() -> Status {
    rows.clear();
    for (const Pending& p : block) {
      if (p.error.empty()) rows.push_back(quality::Features(p.signals));
    }
    probability.clear();
    SEEDCAST_RETURN_IF_ERROR(classifier->Predict(rows, &probability));
    SEEDCAST_ASSIGN_OR_RETURN(std::vector<std::vector<quality::Contribution>> why,
                              classifier->ExplainAll(rows));
    size_t k = 0;
    for (const Pending& p : block) {
      nlohmann::ordered_json out;
      out["id"] = nlohmann::json::parse(p.id_json);
      if (!p.error.empty()) {
        out["error"] = p.error;
      } else {
        const bool is_fake = probability[k] >= classifier->threshold();
        fake += is_fake ? 1 : 0;
        out["fake_probability"] = std::round(probability[k] * 10000.0) / 10000.0;
        out["is_fake"] = is_fake;
        out["reasons"] = Reasons(p.signals, why[k]);
        ++k;
      }
      std::cout << out.dump() << "\n";
    }
    block.clear();
    return Status::Ok();
  };
  std::string line;
  while (std::getline(in, line)) {
    ++lines;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    Pending& p = block.emplace_back();
    const Status read = quality::ParseSignals(line, &p.signals, &p.id_json);
    if (!read.ok()) {
      ++malformed;
      p.error = fmt::format("line {}: {}", lines, read.message());
    }
    if (block.size() == kBlock) {
      const Status done = flush();
      if (!done.ok()) return Fail(done);
    }
  }
  const Status done = flush();
  if (!done.ok()) return Fail(done);
  std::cerr << fmt::format("{} accounts: {} fake, {} real, {} malformed (threshold {:.2f})\n",
                           lines, fake, lines - fake - malformed, malformed,
                           classifier->threshold());
  return kExitOk;
}

int RunQualityScore(const config::Config& config, const QualityScoreOptions& options) {
  Result<quality::AccountClassifier> classifier = LoadClassifier(options.model_dir);
  if (!classifier.ok()) return Usage(classifier.status().ToString());
  quality::QualityScorer scorer(&*classifier, {.gate = options.gate.value_or(config.quality_gate)});
  int64_t scored = 0;
  int64_t passed = 0;
  int64_t errors = 0;
  // Scores accounts with one classifier call, prints each after its head, and returns the scores
  // (empty where nothing could be scored).
  auto print = [&](std::vector<nlohmann::ordered_json>& heads,
                   const std::vector<quality::CreatorSignals>& signals)
      -> Result<std::vector<std::optional<double>>> {
    SEEDCAST_ASSIGN_OR_RETURN(std::vector<quality::QualityScore> results, scorer.ScoreAll(signals));
    std::vector<std::optional<double>> scores;
    scores.reserve(results.size());
    for (size_t i = 0; i < results.size(); ++i) {
      ++scored;
      passed += results[i].passes_gate ? 1 : 0;
      quality::AddScoreJson(results[i], &heads[i]);
      std::cout << heads[i].dump() << "\n";
      scores.push_back(results[i].score);
    }
    return scores;
  };

  if (options.input.empty()) {
    SystemClock clock;
    auto db = OpenMigrated(config, clock);
    if (!db.ok()) return Fail(db.status());
    storage::CreatorStore store(**db, clock);
    std::vector<std::pair<int64_t, double>> to_save;
    std::vector<nlohmann::ordered_json> heads;
    std::vector<quality::CreatorSignals> signals;
    std::vector<int64_t> ids;
    auto flush = [&]() -> Status {
      SEEDCAST_ASSIGN_OR_RETURN(std::vector<std::optional<double>> scores, print(heads, signals));
      for (size_t i = 0; i < scores.size(); ++i) {
        if (options.save && scores[i]) to_save.emplace_back(ids[i], *scores[i] / 100.0);
      }
      heads.clear();
      signals.clear();
      ids.clear();
      return Status::Ok();
    };
    Status s = store.ForEachAccount([&](const model::Account& a) -> Status {
      heads.push_back({{"account_id", a.id},
                       {"creator_id", a.creator_id},
                       {"platform", a.platform},
                       {"handle", a.handle}});
      signals.push_back(quality::SignalsOf(a));
      ids.push_back(a.id);
      return heads.size() == 4096 ? flush() : Status::Ok();
    });
    if (s.ok()) s = flush();
    if (!s.ok()) return Fail(s);
    if (options.save) {
      Status saved = storage::InTransaction(**db, [&]() -> Status {
        for (const auto& [id, value] : to_save) {
          SEEDCAST_RETURN_IF_ERROR(store.SetQualityScore(id, value));
        }
        return Status::Ok();
      });
      if (!saved.ok()) return Fail(saved);
    }
  } else {
    std::ifstream file;
    std::istream* input = OpenInput(options.input, &file);
    if (input == nullptr) return kExitUsage;
    std::istream& in = *input;
    std::string line;
    int64_t lines = 0;
    while (std::getline(in, line)) {
      ++lines;
      nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
      auto fail_line = [&](const std::string& message) {
        ++errors;
        nlohmann::ordered_json out = {{"line", lines}, {"error", message}};
        std::cout << out.dump() << "\n";
      };
      if (j.is_discarded() || !j.is_object()) {
        fail_line("the line is not a JSON object");
        continue;
      }
      // A creator holds accounts; a line without "accounts" is one account.
      const bool creator = j.contains("accounts");
      if (creator && !j["accounts"].is_array()) {
        fail_line("field \"accounts\" must be a list");
        continue;
      }
      const nlohmann::json accounts = creator ? j["accounts"] : nlohmann::json::array({j});
      for (const nlohmann::json& account : accounts) {
        Result<quality::CreatorSignals> signals = quality::SignalsFromJson(account);
        if (!signals.ok()) {
          fail_line(signals.status().message());
          continue;
        }
        std::vector<nlohmann::ordered_json> head(1);
        head[0]["line"] = lines;
        if (creator && j.contains("id")) head[0]["creator_id"] = j["id"];
        for (const char* key : {"id", "platform", "handle"}) {
          if (account.contains(key)) head[0][key] = account[key];
        }
        Result<std::vector<std::optional<double>>> printed = print(head, {std::move(*signals)});
        if (!printed.ok()) return Fail(printed.status());
      }
    }
  }
  std::cerr << fmt::format("{} accounts scored: {} pass the quality gate, {} fail; {} bad lines\n",
                           scored, passed, scored - passed, errors);
  return kExitOk;
}

int RunQualityTrain(const QualityTrainOptions& options) {
  Result<std::string> text = ReadAll(options.data);
  if (!text.ok()) return Usage(text.status().message());
  Result<std::vector<quality::LabeledAccount>> data = quality::ReadLabeled(*text);
  if (!data.ok()) return Usage(fmt::format("{}: {}", options.data, data.status().message()));
  quality::TrainOptions train;
  if (options.rounds > 0) train.rounds = options.rounds;
  if (options.max_depth > 0) train.max_depth = options.max_depth;
  if (options.eta > 0) train.eta = options.eta;
  if (options.copies >= 0) train.copies_with_hidden_fields = options.copies;
  if (options.repeats > 0) train.repeats = options.repeats;
  train.monotone = !options.unconstrained;
  Result<quality::TrainedModel> model = quality::Train(*data, train);
  if (!model.ok()) return Fail(model.status());
  std::filesystem::create_directories(options.out_dir);
  std::ofstream(options.out_dir + "/account_model.json", std::ios::binary) << model->model_json;
  std::ofstream(options.out_dir + "/account_model_meta.json", std::ios::binary) << model->meta_json;
  const quality::TrainReport& r = model->report;
  std::cout << fmt::format(
      "trained on {} accounts ({} fake); {} times 5-fold cross-validated at threshold {:.2f}, "
      "means over the repeats:\n"
      "  all fields:                 macro-F1 {:.3f}, fake precision {:.3f}, recall {:.3f}\n"
      "  without bio length:         macro-F1 {:.3f}\n"
      "  digit ratio, no bio length: macro-F1 {:.3f}\n"
      "  followers/following/posts:  macro-F1 {:.3f}\n"
      "  per repeat: {:.3f}\n"
      "  folds from {:.3f} to {:.3f}\n"
      "a held-out split of {} accounts would score macro-F1 {:.3f} to {:.3f} (5th to 95th "
      "percentile, median {:.3f}); {:.1f}% of such splits reach {:.2f}\n"
      "model written to {}/account_model.json and account_model_meta.json\n",
      r.rows, r.fake, r.repeat_macro_f1.size(), r.threshold, r.cv.macro_f1, r.cv.fake_precision,
      r.cv.fake_recall, r.cv_without_bio.macro_f1, r.cv_digit_ratio_only.macro_f1,
      r.cv_counts_only.macro_f1, fmt::join(r.repeat_macro_f1, ", "),
      *std::min_element(r.fold_macro_f1.begin(), r.fold_macro_f1.end()),
      *std::max_element(r.fold_macro_f1.begin(), r.fold_macro_f1.end()), r.test_rows, r.test_p5,
      r.test_p95, r.test_p50, 100 * r.test_share_at_target, train.target_macro_f1, options.out_dir);
  return kExitOk;
}

}  // namespace seedcast::cli

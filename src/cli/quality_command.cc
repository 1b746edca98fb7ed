// `seedcast quality classify` and `seedcast quality train`.
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app/quality.h"
#include "cli/commands.h"
#include "quality/classifier.h"

namespace seedcast::cli {
namespace {

Result<std::string> ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return IoError(fmt::format("cannot read {}", path));
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

int RunQualityClassify(const QualityClassifyOptions& options) {
  auto engine = app::QualityEngine::Load(options.model_dir, 60);
  if (!engine.ok()) return Usage(engine.status().ToString());
  std::ifstream file;
  std::istream* input = OpenInput(options.input, &file);
  if (input == nullptr) return kExitUsage;
  int64_t lines = 0;
  int64_t fake = 0;
  int64_t malformed = 0;
  // Lines are classified in blocks: each classifier call has a fixed cost. Output stays one line
  // per input line, in order.
  constexpr size_t kBlock = 4096;
  std::vector<std::string> block;
  auto flush = [&]() -> Status {
    SEEDCAST_ASSIGN_OR_RETURN(
        std::vector<app::ClassifiedAccount> results,
        (*engine)->Classify(block, lines - static_cast<int64_t>(block.size()) + 1));
    for (const app::ClassifiedAccount& c : results) {
      malformed += c.error.empty() ? 0 : 1;
      fake += c.error.empty() && c.is_fake ? 1 : 0;
      std::cout << app::ClassifiedToJson(c).dump() << "\n";
    }
    block.clear();
    return Status::Ok();
  };
  for (std::string line; std::getline(*input, line);) {
    ++lines;
    block.push_back(std::move(line));
    if (block.size() == kBlock) {
      const Status done = flush();
      if (!done.ok()) return Fail(done);
    }
  }
  const Status done = flush();
  if (!done.ok()) return Fail(done);
  std::cerr << fmt::format("{} accounts: {} fake, {} real, {} malformed (threshold {:.2f})\n",
                           lines, fake, lines - fake - malformed, malformed,
                           (*engine)->threshold());
  return kExitOk;
}

int RunQualityScore(const config::Config& config, const QualityScoreOptions& options) {
  const double gate = options.gate.value_or(config.quality_gate);
  app::ScoreCounts counts;
  if (options.input.empty()) {
    SystemClock clock;
    auto ctx = OpenContext(config, clock, {.model_dir = options.model_dir, .quality_gate = gate});
    if (!ctx.ok()) return Fail(ctx.status());
    auto scored = app::ScoreStore(
        **ctx, {.save = options.save, .on_result = [](const nlohmann::ordered_json& j) {
                  std::cout << j.dump() << "\n";
                }});
    if (!scored.ok()) return Fail(scored.status());
    counts = *scored;
  } else {
    auto engine = app::QualityEngine::Load(options.model_dir, gate);
    if (!engine.ok()) return Usage(engine.status().ToString());
    std::ifstream file;
    std::istream* input = OpenInput(options.input, &file);
    if (input == nullptr) return kExitUsage;
    int64_t line_number = 0;
    for (std::string line; std::getline(*input, line);) {
      for (const nlohmann::ordered_json& out : (*engine)->ScoreLine(line, ++line_number, &counts)) {
        std::cout << out.dump() << "\n";
      }
    }
  }
  std::cerr << fmt::format("{} accounts scored: {} pass the quality gate, {} fail; {} bad lines\n",
                           counts.scored, counts.passed, counts.scored - counts.passed,
                           counts.bad_lines);
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

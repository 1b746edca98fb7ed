#include "app/quality.h"

#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "app/context.h"
#include "app/guard.h"
#include "quality/signals_json.h"
#include "storage/creator_store.h"

namespace seedcast::app {
namespace {

using nlohmann::ordered_json;

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return IoError(fmt::format("cannot read {}", path));
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

ordered_json ErrorLine(int64_t line, const std::string& message) {
  return {{"line", line}, {"error", message}};
}

// Saves (account, score) pairs, a batch per transaction. Finished answers about creators are
// dropped after each batch (scores are part of them).
Status SaveScores(AppContext& ctx, const std::vector<std::pair<int64_t, double>>& scores) {
  constexpr size_t kBatch = 10'000;
  for (size_t from = 0; from < scores.size(); from += kBatch) {
    SEEDCAST_ASSIGN_OR_RETURN(storage::ConnectionPool::Lease db,
                              ctx.pool().Acquire(storage::Intent::kWrite));
    storage::CreatorStore store(*db, ctx.clock());
    const size_t to = std::min(scores.size(), from + kBatch);
    const Status saved = storage::InTransaction(*db, [&]() -> Status {
      for (size_t i = from; i < to; ++i) {
        SEEDCAST_RETURN_IF_ERROR(store.SetQualityScore(scores[i].first, scores[i].second));
      }
      return Status::Ok();
    });
    ctx.creator_views().Clear();
    SEEDCAST_RETURN_IF_ERROR(saved);
  }
  return Status::Ok();
}

}  // namespace

QualityEngine::QualityEngine(quality::AccountClassifier classifier, double gate)
    : classifier_(std::move(classifier)),
      scorer_(&classifier_, {.gate = gate}),
      threshold_(classifier_.threshold()),
      gate_(gate) {}

Result<std::unique_ptr<QualityEngine>> QualityEngine::Load(const std::string& model_dir,
                                                           double gate) {
  if (model_dir.empty()) {
    SEEDCAST_ASSIGN_OR_RETURN(quality::AccountClassifier built_in,
                              quality::AccountClassifier::BuiltIn());
    return std::unique_ptr<QualityEngine>(new QualityEngine(std::move(built_in), gate));
  }
  SEEDCAST_ASSIGN_OR_RETURN(std::string model, ReadFile(model_dir + "/account_model.json"));
  SEEDCAST_ASSIGN_OR_RETURN(std::string meta, ReadFile(model_dir + "/account_model_meta.json"));
  SEEDCAST_ASSIGN_OR_RETURN(quality::AccountClassifier classifier,
                            quality::AccountClassifier::FromText(model, meta));
  return std::unique_ptr<QualityEngine>(new QualityEngine(std::move(classifier), gate));
}

std::vector<std::string> FakeReasons(const quality::AccountSignals& s,
                                     const std::vector<quality::Contribution>& contributions) {
  std::vector<std::string> out;
  for (const quality::Contribution& c : contributions) {
    if (out.size() == 3) break;
    out.push_back(fmt::format("{}: {} ({:+.2f} log-odds)", quality::DescribeFeature(s, c.feature),
                              c.log_odds > 0 ? "looks fake" : "looks real", c.log_odds));
  }
  if (out.empty()) out.emplace_back("no signal given; the probability is the model's base rate");
  return out;
}

Result<std::vector<ClassifiedAccount>> QualityEngine::Classify(std::span<const std::string> lines,
                                                               int64_t first_line) {
  std::vector<ClassifiedAccount> out(lines.size());
  std::vector<quality::AccountSignals> signals(lines.size());
  std::vector<quality::FeatureVector> rows;
  std::vector<size_t> row_of;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string line = lines[i];
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const Status read =
        Guard([&] { return quality::ParseSignals(line, &signals[i], &out[i].id_json); });
    if (!read.ok()) {
      out[i].error =
          fmt::format("line {}: {}", first_line + static_cast<int64_t>(i), read.message());
      continue;
    }
    rows.push_back(quality::Features(signals[i]));
    row_of.push_back(i);
  }
  MutexLock lock(&mu_);
  std::vector<float> probability;
  SEEDCAST_RETURN_IF_ERROR(classifier_.Predict(rows, &probability));
  SEEDCAST_ASSIGN_OR_RETURN(std::vector<std::vector<quality::Contribution>> why,
                            classifier_.ExplainAll(rows));
  for (size_t k = 0; k < rows.size(); ++k) {
    ClassifiedAccount& c = out[row_of[k]];
    c.fake_probability = std::round(probability[k] * 10000.0) / 10000.0;
    c.is_fake = probability[k] >= threshold_;
    c.reasons = FakeReasons(signals[row_of[k]], why[k]);
  }
  return out;
}

ordered_json ClassifiedToJson(const ClassifiedAccount& c) {
  ordered_json out;
  out["id"] = ordered_json::parse(c.id_json, nullptr, false);
  if (out["id"].is_discarded()) out["id"] = nullptr;
  if (!c.error.empty()) {
    out["error"] = c.error;
    return out;
  }
  out["fake_probability"] = c.fake_probability;
  out["is_fake"] = c.is_fake;
  out["reasons"] = c.reasons;
  return out;
}

Result<std::vector<quality::QualityScore>> QualityEngine::ScoreAll(
    std::span<const quality::CreatorSignals> signals) {
  MutexLock lock(&mu_);
  return scorer_.ScoreAll(signals);
}

std::vector<ordered_json> QualityEngine::ScoreLine(const std::string& line, int64_t line_number,
                                                   ScoreCounts* counts) {
  MutexLock lock(&mu_);
  std::vector<ordered_json> out;
  ScoreCounts local = *counts;
  const Status s = Guard([&] {
    mu_.AssertHeld();  // the lambda runs here, under the lock taken above
    out = ScoreLineLocked(line, line_number, &local);
    return Status::Ok();
  });
  if (!s.ok()) {
    ++counts->bad_lines;
    return {ErrorLine(line_number, s.message())};
  }
  *counts = local;
  return out;
}

std::vector<ordered_json> QualityEngine::ScoreLineLocked(const std::string& line,
                                                         int64_t line_number, ScoreCounts* counts) {
  std::vector<ordered_json> out;
  auto fail = [&](const std::string& message) {
    ++counts->bad_lines;
    out.push_back(ErrorLine(line_number, message));
  };
  const nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    fail("the line is not a JSON object");
    return out;
  }
  // A creator holds accounts; a line without "accounts" is one account.
  const bool creator = j.contains("accounts");
  if (creator && !j["accounts"].is_array()) {
    fail("field \"accounts\" must be a list");
    return out;
  }
  const nlohmann::json accounts = creator ? j["accounts"] : nlohmann::json::array({j});
  for (const nlohmann::json& account : accounts) {
    Result<quality::CreatorSignals> signals = quality::SignalsFromJson(account);
    if (!signals.ok()) {
      fail(signals.status().message());
      continue;
    }
    Result<std::vector<quality::QualityScore>> scored =
        scorer_.ScoreAll(std::span<const quality::CreatorSignals>(&*signals, 1));
    if (!scored.ok()) {
      fail(scored.status().message());
      continue;
    }
    ordered_json head;
    head["line"] = line_number;
    if (creator && j.contains("id")) head["creator_id"] = j["id"];
    for (const char* key : {"id", "platform", "handle"}) {
      if (account.is_object() && account.contains(key)) head[key] = account[key];
    }
    const quality::QualityScore& score = scored->front();
    ++counts->scored;
    counts->passed += score.passes_gate ? 1 : 0;
    quality::AddScoreJson(score, &head);
    out.push_back(std::move(head));
  }
  return out;
}

Result<ScoreCounts> ScoreStore(AppContext& ctx, const StoreScoreOptions& options) {
  // Reads under a read lease; the scores are saved afterwards in batches, so other writers are
  // not held up for the whole scan.
  ScoreCounts counts;
  std::vector<std::pair<int64_t, double>> to_save;
  {
    SEEDCAST_ASSIGN_OR_RETURN(storage::ConnectionPool::Lease db, ctx.pool().Acquire());
    storage::CreatorStore store(*db, ctx.clock());
    SEEDCAST_ASSIGN_OR_RETURN(int64_t total, store.CountAccounts());
    std::vector<ordered_json> heads;
    std::vector<quality::CreatorSignals> signals;
    std::vector<int64_t> ids;
    auto flush = [&]() -> Status {
      SEEDCAST_ASSIGN_OR_RETURN(std::vector<quality::QualityScore> scores,
                                ctx.quality().ScoreAll(signals));
      for (size_t i = 0; i < scores.size(); ++i) {
        ++counts.scored;
        counts.passed += scores[i].passes_gate ? 1 : 0;
        if (options.save && scores[i].score) to_save.emplace_back(ids[i], *scores[i].score / 100.0);
        if (options.on_result) {
          quality::AddScoreJson(scores[i], &heads[i]);
          options.on_result(heads[i]);
        }
      }
      if (options.on_progress) options.on_progress(counts.scored, total);
      heads.clear();
      signals.clear();
      ids.clear();
      return Status::Ok();
    };
    const Status read = store.ForEachAccount([&](const model::Account& a) -> Status {
      heads.push_back({{"account_id", a.id},
                       {"creator_id", a.creator_id},
                       {"platform", a.platform},
                       {"handle", a.handle}});
      signals.push_back(quality::SignalsOf(a));
      ids.push_back(a.id);
      return heads.size() == 4096 ? flush() : Status::Ok();
    });
    SEEDCAST_RETURN_IF_ERROR(read);
    SEEDCAST_RETURN_IF_ERROR(flush());
  }
  SEEDCAST_RETURN_IF_ERROR(SaveScores(ctx, to_save));
  return counts;
}

Result<std::set<int64_t>> ScoreUnscored(AppContext& ctx) {
  std::vector<int64_t> ids;
  std::vector<quality::CreatorSignals> signals;
  {
    SEEDCAST_ASSIGN_OR_RETURN(storage::ConnectionPool::Lease db, ctx.pool().Acquire());
    storage::CreatorStore store(*db, ctx.clock());
    SEEDCAST_RETURN_IF_ERROR(store.ForEachAccount([&](const model::Account& a) -> Status {
      if (a.quality_score) return Status::Ok();
      ids.push_back(a.id);
      signals.push_back(quality::SignalsOf(a));
      return Status::Ok();
    }));
  }
  SEEDCAST_ASSIGN_OR_RETURN(std::vector<quality::QualityScore> scores,
                            ctx.quality().ScoreAll(signals));
  std::set<int64_t> scored;
  std::vector<std::pair<int64_t, double>> to_save;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (!scores[i].score) continue;
    to_save.emplace_back(ids[i], *scores[i].score / 100.0);
    scored.insert(ids[i]);
  }
  SEEDCAST_RETURN_IF_ERROR(SaveScores(ctx, to_save));
  return scored;
}

}  // namespace seedcast::app

#include "campaign/completion.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace seedcast::campaign {
namespace {

constexpr float kMissing = std::numeric_limits<float>::quiet_NaN();

bool Completed(State s) { return s == State::kCompleted; }

void Record(const PastAssignment& p, History* h) {
  h->campaigns += 1;
  if (Completed(p.outcome)) h->completed += 1;
  if (p.outcome == State::kFailed || p.outcome == State::kReplaced ||
      p.outcome == State::kDeclined) {
    h->failed += 1;
  }
  if (p.outcome == State::kReturned) h->returned += 1;
  if (p.outcome == State::kPostRemoved) h->removed += 1;
  if (p.was_late) h->late += 1;
  if (p.days_to_post) {
    h->posts_timed += 1;
    const double before = h->avg_days_to_post.value_or(0);
    h->avg_days_to_post = before + (*p.days_to_post - before) / h->posts_timed;
  }
}

std::string Percent(double p) { return fmt::format("{:.0f}%", p * 100); }

}  // namespace

std::map<int64_t, History> HistoriesOf(std::span<const PastAssignment> past) {
  std::map<int64_t, History> out;
  for (const PastAssignment& p : past) Record(p, &out[p.creator_id]);
  return out;
}

CompletionModel::CompletionModel(model::TierScheme tiers, CompletionOptions options)
    : tiers_(std::move(tiers)), options_(std::move(options)) {}
CompletionModel::CompletionModel(CompletionModel&&) noexcept = default;
CompletionModel& CompletionModel::operator=(CompletionModel&&) noexcept = default;
CompletionModel::~CompletionModel() = default;

double CompletionModel::Prior(const std::string& tier, Compensation c) const {
  auto it = cell_rate_.find({tier, static_cast<int>(c)});
  return it != cell_rate_.end() ? it->second : compensation_rate_[static_cast<size_t>(c)];
}

double CompletionModel::Shrunk(const CompletionInput& in, double prior) const {
  const double k = options_.prior_strength;
  return (in.history.completed + k * prior) / (in.history.campaigns + k);
}

std::array<float, CompletionModel::kFeatures> CompletionModel::Features(const CompletionInput& in,
                                                                        double shrunk) const {
  const History& h = in.history;
  const bool any = h.campaigns > 0;
  const auto share = [&](int n) {
    return any ? static_cast<float>(n) / static_cast<float>(h.campaigns) : kMissing;
  };
  return {static_cast<float>(shrunk),
          static_cast<float>(std::log1p(h.campaigns)),
          share(h.late),
          share(h.failed),
          any ? static_cast<float>(h.returned > 0) : kMissing,
          h.avg_days_to_post ? static_cast<float>(*h.avg_days_to_post) : kMissing,
          static_cast<float>(std::log10(static_cast<double>(in.followers) + 1)),
          static_cast<float>(static_cast<int>(in.compensation)),
          in.engagement_rate ? static_cast<float>(*in.engagement_rate) : kMissing};
}

Result<CompletionModel> CompletionModel::Train(std::span<const PastAssignment> past,
                                               model::TierScheme tiers,
                                               const CompletionOptions& options) {
  CompletionModel m(std::move(tiers), options);
  // Point-in-time examples: each sees its creator's earlier finished assignments only.
  struct Example {
    CompletionInput input;
    std::string tier;
    int64_t at_ms = 0;
    bool completed = false;
  };
  std::vector<Example> examples;
  examples.reserve(past.size());
  History running;
  int64_t creator = -1;
  for (const PastAssignment& p : past) {
    if (p.creator_id != creator) {
      running = History{};
      creator = p.creator_id;
    }
    Example e;
    e.input = {.followers = p.followers, .compensation = p.compensation, .history = running};
    e.tier = m.tiers_.TierFor(p.followers);
    e.at_ms = p.created_at_ms;
    e.completed = Completed(p.outcome);
    examples.push_back(std::move(e));
    Record(p, &running);
  }
  std::stable_sort(examples.begin(), examples.end(),
                   [](const Example& a, const Example& b) { return a.at_ms < b.at_ms; });
  const size_t holdout =
      static_cast<size_t>(std::floor(static_cast<double>(examples.size()) * options.holdout));
  const size_t train_n = examples.size() - holdout;
  CalibrationReport& report = m.calibration_;
  report.train_examples = static_cast<int>(train_n);
  report.holdout_examples = static_cast<int>(holdout);

  // Priors from the training part: platform -> compensation -> tier x compensation.
  int all_n = 0;
  int all_completed = 0;
  std::array<Cell, 4> by_comp{};
  std::map<std::pair<std::string, int>, Cell> by_cell;
  for (size_t i = 0; i < train_n; ++i) {
    const Example& e = examples[i];
    const int c = static_cast<int>(e.input.compensation);
    ++all_n;
    all_completed += e.completed ? 1 : 0;
    by_comp[static_cast<size_t>(c)].n += 1;
    by_comp[static_cast<size_t>(c)].completed += e.completed ? 1 : 0;
    Cell& cell = by_cell[{e.tier, c}];
    cell.n += 1;
    cell.completed += e.completed ? 1 : 0;
  }
  const double s = options.cell_strength;
  if (all_n > 0) {
    const double platform = static_cast<double>(all_completed) / all_n;
    for (size_t c = 0; c < 4; ++c) {
      // With no examples of a compensation, its default keeps its place against the platform's.
      const double base = (m.compensation_rate_[c] + platform) / 2;
      m.compensation_rate_[c] = (by_comp[c].completed + s * base) / (by_comp[c].n + s);
    }
    for (const auto& [key, cell] : by_cell) {
      m.cell_rate_[key] =
          (cell.completed + s * m.compensation_rate_[static_cast<size_t>(key.second)]) /
          (cell.n + s);
    }
  }

  auto rows_of = [&m, &examples](size_t from, size_t to, std::vector<float>* rows,
                                 std::vector<float>* labels, std::vector<double>* priors) {
    for (size_t i = from; i < to; ++i) {
      const Example& e = examples[i];
      const double prior = m.Prior(e.tier, e.input.compensation);
      const auto f = m.Features(e.input, m.Shrunk(e.input, prior));
      rows->insert(rows->end(), f.begin(), f.end());
      labels->push_back(e.completed ? 1.0F : 0.0F);
      priors->push_back(prior);
    }
  };
  if (static_cast<int>(train_n) >= options.min_examples) {
    std::vector<float> rows;
    std::vector<float> labels;
    std::vector<double> priors;
    rows_of(0, train_n, &rows, &labels, &priors);
    SEEDCAST_ASSIGN_OR_RETURN(
        learning::BoostedTrees trees,
        learning::BoostedTrees::Train(rows, kFeatures, labels, options.trees));
    m.trees_ = std::make_unique<learning::BoostedTrees>(std::move(trees));
    report.uses_trees = true;
  }

  // Calibration on the holdout.
  if (holdout > 0) {
    std::vector<float> rows;
    std::vector<float> labels;
    std::vector<double> priors;
    rows_of(train_n, examples.size(), &rows, &labels, &priors);
    std::vector<double> predicted;
    for (size_t i = 0; i < labels.size(); ++i)
      predicted.push_back(rows[i * kFeatures]);  // the shrunk rate
    if (m.trees_) {
      std::vector<float> p;
      SEEDCAST_RETURN_IF_ERROR(m.trees_->Predict(rows, &p));
      predicted.assign(p.begin(), p.end());
    }
    constexpr int kBuckets = 10;
    report.buckets.resize(kBuckets);
    for (int b = 0; b < kBuckets; ++b) {
      report.buckets[static_cast<size_t>(b)].from = b / 10.0;
      report.buckets[static_cast<size_t>(b)].to = (b + 1) / 10.0;
    }
    for (size_t i = 0; i < labels.size(); ++i) {
      const double p = std::clamp(predicted[i], 1e-6, 1 - 1e-6);
      const double y = labels[i];
      report.brier += (p - y) * (p - y);
      report.brier_prior += (priors[i] - y) * (priors[i] - y);
      report.log_loss -= y * std::log(p) + (1 - y) * std::log(1 - p);
      CalibrationBucket& bucket =
          report.buckets[static_cast<size_t>(std::min(kBuckets - 1, static_cast<int>(p * 10)))];
      bucket.count += 1;
      bucket.mean_predicted += p;
      bucket.observed += y;
    }
    const auto n = static_cast<double>(labels.size());
    report.brier /= n;
    report.brier_prior /= n;
    report.log_loss /= n;
    for (CalibrationBucket& b : report.buckets) {
      if (b.count == 0) continue;
      b.mean_predicted /= b.count;
      b.observed /= b.count;
    }
  }
  return m;
}

Result<CompletionEstimate> CompletionModel::Predict(const CompletionInput& input) const {
  SEEDCAST_ASSIGN_OR_RETURN(std::vector<CompletionEstimate> all, PredictAll(std::span(&input, 1)));
  return std::move(all.front());
}

Result<std::vector<CompletionEstimate>> CompletionModel::PredictAll(
    std::span<const CompletionInput> inputs) const {
  std::vector<CompletionEstimate> out(inputs.size());
  std::vector<float> rows;
  rows.reserve(inputs.size() * kFeatures);
  for (size_t i = 0; i < inputs.size(); ++i) {
    const CompletionInput& in = inputs[i];
    CompletionEstimate& e = out[i];
    const std::string& tier = tiers_.TierFor(in.followers);
    e.prior = Prior(tier, in.compensation);
    e.shrunk = Shrunk(in, e.prior);
    e.p = e.shrunk;
    e.reasons.push_back(fmt::format("{} creators on {} campaigns complete {} of the time", tier,
                                    CompensationName(in.compensation), Percent(e.prior)));
    const History& h = in.history;
    if (h.campaigns == 0) {
      e.reasons.emplace_back("no history on the platform: the prior stands");
    } else {
      std::string record = fmt::format("own record: {} of {} completed", h.completed, h.campaigns);
      if (h.late > 0) record += fmt::format(", {} late", h.late);
      if (h.failed > 0) record += fmt::format(", {} failed", h.failed);
      if (h.returned > 0) record += fmt::format(", {} returned", h.returned);
      e.reasons.push_back(record + fmt::format(" -> {} after shrinkage", Percent(e.shrunk)));
    }
    const auto f = Features(in, e.shrunk);
    rows.insert(rows.end(), f.begin(), f.end());
  }
  if (trees_ && !inputs.empty()) {
    std::vector<float> p;
    SEEDCAST_RETURN_IF_ERROR(trees_->Predict(rows, &p));
    for (size_t i = 0; i < out.size(); ++i) {
      out[i].p = p[i];
      out[i].reasons.push_back(
          fmt::format("learnt model (lateness, failures, days to post, reach): {}", Percent(p[i])));
    }
  }
  return out;
}

}  // namespace seedcast::campaign

#include "campaign/planner.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "campaign/poisson_binomial.h"

namespace seedcast::campaign {
namespace {

// P(X >= k) by enumerating every outcome of the trials.
double BruteAtLeast(const std::vector<double>& p, int k) {
  double total = 0;
  const size_t n = p.size();
  for (uint32_t mask = 0; mask < (1U << n); ++mask) {
    double prob = 1;
    int successes = 0;
    for (size_t i = 0; i < n; ++i) {
      const bool hit = ((mask >> i) & 1U) != 0;
      prob *= hit ? p[i] : 1 - p[i];
      successes += hit ? 1 : 0;
    }
    if (successes >= k) total += prob;
  }
  return total;
}

TEST(PoissonBinomialTest, MatchesEnumeration) {
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> u(0, 1);
  for (int round = 0; round < 20; ++round) {
    std::vector<double> p(12);
    for (double& v : p) v = u(rng);
    for (int cap : {0, 1, 5, 12}) {
      PoissonBinomial d(cap);
      for (double v : p) d.Add(v);
      for (int k = 0; k <= cap; ++k) {
        EXPECT_NEAR(d.AtLeast(k), BruteAtLeast(p, k), 1e-12) << "cap " << cap << " k " << k;
      }
    }
  }
}

TEST(PoissonBinomialTest, EqualChancesGiveTheBinomialTail) {
  PoissonBinomial d(3);
  for (int i = 0; i < 5; ++i) d.Add(0.5);
  // P(X >= 3) for Binomial(5, 0.5) = 16/32.
  EXPECT_NEAR(d.AtLeast(3), 0.5, 1e-12);
  EXPECT_NEAR(d.Mean(), 2.5, 1e-12);
}

std::vector<Candidate> Newcomers(int n) {
  std::vector<Candidate> out;
  for (int i = 0; i < n; ++i) {
    Candidate c;
    c.hit.creator_id = i + 1;
    c.hit.account_id = i + 1;
    c.hit.handle = "c" + std::to_string(i);
    c.hit.followers = 20'000;
    c.hit.engagement_rate = 0.03;
    out.push_back(c);
  }
  return out;
}

// The smallest n with P(Binomial(n, p) >= k) >= confidence.
int SmallestCrew(double p, int k, double confidence) {
  for (int n = k;; ++n) {
    PoissonBinomial d(k);
    for (int i = 0; i < n; ++i) d.Add(p);
    if (d.AtLeast(k) >= confidence) return n;
  }
}

TEST(PlannerTest, RecruitsTheFewestCreatorsThatMeetTheGuarantee) {
  CompletionModel model(model::TierScheme::Default());
  const double p = model.Prior("micro", Compensation::kGifted);
  PlanRequest r;
  r.target = 10;
  r.confidence = 0.95;
  r.units_available = 1000;
  auto plan = MakePlan(r, Newcomers(200), model);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  EXPECT_TRUE(plan->guarantee_met);
  EXPECT_EQ(static_cast<int>(plan->selected.size()), SmallestCrew(p, 10, 0.95));
  EXPECT_GE(plan->p_meet_target, 0.95);
  EXPECT_NEAR(plan->expected_completions, p * static_cast<double>(plan->selected.size()), 1e-9);
  EXPECT_EQ(plan->units_reserved, static_cast<int64_t>(plan->selected.size()));
  EXPECT_FALSE(plan->selected.front().reasons.empty());
}

TEST(PlannerTest, StopsAtTheUnitsAndSaysSo) {
  CompletionModel model(model::TierScheme::Default());
  PlanRequest r;
  r.target = 10;
  r.units_available = 12;
  auto plan = MakePlan(r, Newcomers(200), model);
  ASSERT_TRUE(plan.ok());
  EXPECT_FALSE(plan->guarantee_met);
  EXPECT_EQ(plan->units_reserved, 12);
  ASSERT_FALSE(plan->notes.empty());
  EXPECT_NE(plan->notes.front().find("units ran out"), std::string::npos);
}

TEST(PlannerTest, StopsAtTheBudgetCountingTheWorstCase) {
  CompletionModel model(model::TierScheme::Default());
  PlanRequest r;
  r.target = 5;
  r.units_available = 100;
  r.price_cents = 1'000;
  r.fee_cents_per_post = 2'000;
  r.budget_cents = 5 * 2'000 + 8 * 1'000;  // fees for the target and 8 units
  auto plan = MakePlan(r, Newcomers(100), model);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->units_reserved, 8);
  EXPECT_EQ(plan->worst_case_cost_cents, *r.budget_cents);
  EXPECT_NE(plan->notes.front().find("budget ran out"), std::string::npos);
}

TEST(PlannerTest, ReplanningCountsWhatIsDoneAndOpen) {
  CompletionModel model(model::TierScheme::Default());
  PlanRequest r;
  r.target = 10;
  r.units_available = 100;
  r.completed = 10;
  auto done = MakePlan(r, Newcomers(50), model);
  ASSERT_TRUE(done.ok());
  EXPECT_TRUE(done->selected.empty());
  EXPECT_TRUE(done->guarantee_met);

  r.completed = 8;
  r.active_p = {0.9, 0.9};
  auto more = MakePlan(r, Newcomers(50), model);
  ASSERT_TRUE(more.ok());
  // 2 posts missing with two open assignments at 0.9: P = 0.81, so some are added.
  EXPECT_FALSE(more->selected.empty());
  EXPECT_GE(more->p_meet_target, 0.95);
  EXPECT_LT(more->selected.size(), 10U);
}

TEST(PlannerTest, CreatorsWhoReturnedProductAreNeverPicked) {
  CompletionModel model(model::TierScheme::Default());
  std::vector<Candidate> pool = Newcomers(30);
  for (Candidate& c : pool) c.history = {.campaigns = 3, .completed = 3, .returned = 1};
  PlanRequest r;
  r.target = 1;
  r.units_available = 10;
  auto plan = MakePlan(r, pool, model);
  ASSERT_TRUE(plan.ok());
  EXPECT_TRUE(plan->selected.empty());
  EXPECT_FALSE(plan->guarantee_met);
}

// A platform's history made from hidden reliabilities the model never sees.
struct World {
  std::vector<double> reliability;  // per creator, for gifted campaigns
  std::vector<int64_t> followers;
  std::vector<PastAssignment> past;
};

double Sigmoid(double x) { return 1 / (1 + std::exp(-x)); }

World MakeWorld(int creators, uint64_t seed) {
  World w;
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> z(0, 1.1);
  std::uniform_int_distribution<int> history(0, 8);
  std::lognormal_distribution<double> reach(std::log(15'000), 1.0);
  std::uniform_real_distribution<double> u(0, 1);
  int64_t t = 0;
  for (int c = 0; c < creators; ++c) {
    w.reliability.push_back(Sigmoid(-0.3 + z(rng)));
    w.followers.push_back(static_cast<int64_t>(reach(rng)) + 1000);
  }
  for (int c = 0; c < creators; ++c) {
    const int n = history(rng);
    for (int k = 0; k < n; ++k) {
      PastAssignment p;
      p.creator_id = c;
      p.followers = w.followers[static_cast<size_t>(c)];
      p.compensation = Compensation::kGifted;
      p.created_at_ms = (t += 1000);
      const bool done = u(rng) < w.reliability[static_cast<size_t>(c)];
      p.outcome = done ? State::kCompleted : State::kFailed;
      p.was_late = !done && u(rng) < 0.5;
      if (done) p.days_to_post = 3 + 10 * u(rng);
      w.past.push_back(p);
    }
  }
  return w;
}

TEST(CompletionModelTest, IsCalibratedOnHeldOutHistory) {
  World w = MakeWorld(6000, 11);
  auto model = CompletionModel::Train(w.past, model::TierScheme::Default());
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  const CalibrationReport& r = model->calibration();
  EXPECT_TRUE(r.uses_trees);
  EXPECT_GT(r.holdout_examples, 1000);
  // The creator's own record must beat the tier prior.
  EXPECT_LT(r.brier, r.brier_prior - 0.01);
  int checked = 0;
  for (const CalibrationBucket& b : r.buckets) {
    if (b.count < 150) continue;
    EXPECT_NEAR(b.mean_predicted, b.observed, 0.08) << "bucket " << b.from << "-" << b.to;
    ++checked;
  }
  EXPECT_GE(checked, 4);
}

TEST(PlannerTest, TheGuaranteeHoldsAsOftenAsPromised) {
  World w = MakeWorld(6000, 5);
  auto model = CompletionModel::Train(w.past, model::TierScheme::Default());
  ASSERT_TRUE(model.ok());
  std::map<int64_t, History> histories = HistoriesOf(w.past);
  std::mt19937_64 rng(99);
  std::uniform_real_distribution<double> u(0, 1);
  std::uniform_int_distribution<int> pick(0, 5999);
  constexpr int kCampaigns = 300;
  constexpr double kConfidence = 0.9;
  int held = 0;
  double promised = 0;
  for (int k = 0; k < kCampaigns; ++k) {
    std::vector<Candidate> pool;
    for (int i = 0; i < 150; ++i) {
      const int c = pick(rng);
      Candidate cand;
      cand.hit.creator_id = c;
      cand.hit.followers = w.followers[static_cast<size_t>(c)];
      cand.history = histories[c];
      pool.push_back(cand);
    }
    PlanRequest r;
    r.target = 12;
    r.confidence = kConfidence;
    r.units_available = 150;
    auto plan = MakePlan(r, pool, *model);
    ASSERT_TRUE(plan.ok());
    ASSERT_TRUE(plan->guarantee_met);
    promised += plan->p_meet_target;
    int completed = 0;
    for (const Pick& p : plan->selected) {
      const int64_t c = pool[p.candidate].hit.creator_id;
      completed += u(rng) < w.reliability[static_cast<size_t>(c)] ? 1 : 0;
    }
    held += completed >= r.target ? 1 : 0;
  }
  const double rate = static_cast<double>(held) / kCampaigns;
  // Three standard errors below the promise: a planner that ignored the distribution (e.g.
  // recruiting target / mean p) would hold about half the time.
  const double se = std::sqrt(kConfidence * (1 - kConfidence) / kCampaigns);
  EXPECT_GE(rate, kConfidence - 3 * se) << "held " << held << " of " << kCampaigns
                                        << ", promised on average " << promised / kCampaigns;
}

}  // namespace
}  // namespace seedcast::campaign

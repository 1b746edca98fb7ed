#include "demo/season.h"

#include <fmt/format.h>

#include <cmath>
#include <map>
#include <random>
#include <sstream>

#include "campaign/ledger.h"
#include "campaign/planning.h"
#include "campaign/service.h"
#include "common/iso_time.h"
#include "compliance/rules.h"
#include "search/loader.h"

namespace seedcast::demo {
namespace {

using campaign::Assignment;
using campaign::CampaignService;
using campaign::State;

constexpr int64_t kDayMs = 86'400'000;
constexpr int64_t kSeasonStartMs = 1'798'761'600'000;  // 2027-01-01
constexpr int kSeasonDays = 80;

double Sigmoid(double x) { return 1 / (1 + std::exp(-x)); }

// What a creator will do, drawn from traits hidden from the planner.
struct Script {
  bool accepts = false;
  int answer_after_days = 1;
  bool answers = true;  // otherwise the invitation lapses
  bool posts = false;
  int post_after_days = 5;  // after receiving the product
  bool returns = false;
  bool compliant_first = true;
  bool fixes = true;
  bool removed = false;
  int removed_after_days = 10;
};

Script MakeScript(int64_t creator_id, int64_t followers, campaign::Compensation comp,
                  int days_to_post, uint64_t seed, uint64_t salt) {
  // The creator's latent reliability is fixed by their id: the same person every campaign.
  std::mt19937_64 person(seed * 1'000'003 + static_cast<uint64_t>(creator_id));
  std::normal_distribution<double> normal(0, 1);
  const double z = normal(person);
  const double punctual = normal(person);
  std::mt19937_64 rng(person() ^ salt);
  std::uniform_real_distribution<double> u(0, 1);
  static constexpr double kBase[] = {-0.1, 1.5, 0.0, 0.9};  // gifted, paid, affiliate, hybrid
  const double tier = followers < 10'000 ? -0.3 : 0.1;
  Script s;
  s.accepts = u(rng) < Sigmoid(1.6 + 0.6 * z);
  s.answers = s.accepts || u(rng) < 0.6;
  s.answer_after_days = 1 + static_cast<int>(u(rng) * 2);
  s.returns = s.accepts && u(rng) < 0.02 * Sigmoid(-z) * 2;
  s.posts =
      s.accepts && !s.returns && u(rng) < Sigmoid(kBase[static_cast<int>(comp)] + tier + 1.4 * z);
  // Punctual creators post inside the deadline; others drift past it, some beyond the grace.
  const bool on_time = u(rng) < Sigmoid(1.0 + 1.2 * punctual);
  s.post_after_days = on_time ? 1 + static_cast<int>(u(rng) * (days_to_post - 1))
                              : days_to_post + 1 + static_cast<int>(u(rng) * 10);
  s.compliant_first = u(rng) < 0.85;
  s.fixes = u(rng) < 0.85;
  s.removed = u(rng) < 0.03;
  s.removed_after_days = 1 + static_cast<int>(u(rng) * 40);
  return s;
}

struct Tracked {
  Script script;
  int64_t campaign_id = 0;
  int invited_day = 0;
  int received_day = -1;  // product delivered or bought
  int shipped_day = -1;
  int failed_check_day = -1;
  int completed_day = -1;
  bool done = false;
};

struct BrandShape {
  const char* brand;
  const char* product;
  const char* sku;
  const char* niche;
  int64_t price_cents;
};
constexpr BrandShape kBrands[] = {
    {"demo: Glow Co", "Vitamin C serum", "GLOW-30", "beauty", 2'400},
    {"demo: Trail Gear", "Insulated bottle", "TRAIL-1", "fitness", 1'850},
    {"demo: Nest Home", "Linen cushion cover", "NEST-7", "interior", 3'200},
    {"demo: Fuel Foods", "Protein granola", "FUEL-3", "food", 900},
    {"demo: Wander", "Packing cubes", "WANDER-2", "travel", 2'900},
    {"demo: Thread", "Organic tee", "THREAD-5", "fashion", 2'500},
};

std::string CampaignJson(const BrandShape& b, int index, int season, campaign::Compensation comp,
                         int target, double confidence, int64_t start_ms) {
  const bool buy = index % 3 == 2;
  nlohmann::json j = {
      {"name", fmt::format("S{} #{} {}", season, index + 1, b.product)},
      {"brand", b.brand},
      {"goal", "ugc_assets"},
      {"product",
       {{"name", b.product},
        {"sku", fmt::format("{}-S{}-{}", b.sku, season, index)},
        {"niche", b.niche},
        {"price_cents", b.price_cents},
        {"units_available", target * 4}}},
      {"compensation", campaign::CompensationName(comp)},
      {"fulfilment", buy ? "buy_then_reimburse" : "ship"},
      {"target_posts", target},
      {"confidence", confidence},
      {"fee_cents_per_post", comp == campaign::Compensation::kGifted ? 4'000 : 15'000},
      {"niches", {b.niche}},
      {"followers", {{"min", 1'000}, {"max", 250'000}}},
      {"days_to_post", 14},
      {"deliverables", {{"mentions", {"@" + std::string(b.sku).substr(0, 4)}}}},
      {"timeline",
       {{"post_from", FormatIsoTime(start_ms)},
        {"post_until", FormatIsoTime(start_ms + 75 * kDayMs)}}},
  };
  return j.dump();
}

std::string Caption(const std::string& mention, bool compliant) {
  return compliant ? "#ad Loving this, honest review " + mention + " #ugc"
                   : "Loving this, honest review #ugc";
}

}  // namespace

std::string_view FirstBrandName() { return kBrands[0].brand; }

Status DeleteDemoSeasons(storage::Database& db) {
  return storage::InTransaction(db, [&]() -> Status {
    constexpr std::string_view kCampaigns =
        "(SELECT c.id FROM campaigns c JOIN brands b ON b.id = c.brand_id WHERE b.name LIKE "
        "'demo: %')";
    const std::string assignments =
        "(SELECT id FROM assignments WHERE campaign_id IN " + std::string(kCampaigns) + ")";
    for (const std::string& sql :
         {"DELETE FROM ledger_entries WHERE transaction_id IN (SELECT id FROM "
          "ledger_transactions WHERE campaign_id IN " +
              std::string(kCampaigns) + ")",
          "DELETE FROM ledger_transactions WHERE campaign_id IN " + std::string(kCampaigns),
          "DELETE FROM posts WHERE assignment_id IN " + assignments,
          "DELETE FROM shipments WHERE assignment_id IN " + assignments,
          "DELETE FROM assignment_events WHERE assignment_id IN " + assignments,
          "DELETE FROM assignments WHERE campaign_id IN " + std::string(kCampaigns),
          "DELETE FROM campaign_products WHERE campaign_id IN " + std::string(kCampaigns),
          "DELETE FROM campaigns WHERE id IN " + std::string(kCampaigns),
          std::string("DELETE FROM products WHERE brand_id IN (SELECT id FROM brands WHERE "
                      "name LIKE 'demo: %')"),
          std::string("DELETE FROM brands WHERE name LIKE 'demo: %'")}) {
      SEEDCAST_RETURN_IF_ERROR(db.Execute(sql));
    }
    return Status::Ok();
  });
}

Result<std::vector<SeasonOutcome>> RunSeasons(const std::string& url, storage::Database& db,
                                              const model::TierScheme& tiers,
                                              const SeasonOptions& options) {
  SEEDCAST_ASSIGN_OR_RETURN(compliance::RuleBook rules, compliance::BuiltInRules());
  FakeClock clock(kSeasonStartMs);
  CampaignService service(db, clock, rules, storage::Scope::Everything(),
                          {.quality_gate = options.quality_gate});
  search::CreatorIndex index({.tiers = tiers, .lookalikes = false});
  SEEDCAST_ASSIGN_OR_RETURN(
      search::LoadStats loaded,
      search::LoadIndex(url, &db, url.find(":memory:") != std::string::npos ? 1 : options.threads,
                        campaign::CampaignBookings(), &index));
  SEEDCAST_ASSIGN_OR_RETURN(std::unique_ptr<campaign::PlanningContext> ctx,
                            campaign::LoadPlanning(db, clock, index, tiers, options.quality_gate));
  search::IndexFollower follower(db, index, loaded.cursor, campaign::CampaignBookings());
  std::mt19937_64 rng(options.seed);
  std::vector<SeasonOutcome> out;

  for (int season = 1; season <= options.seasons; ++season) {
    if (season > 1) SEEDCAST_RETURN_IF_ERROR(campaign::RefreshHistory(db, clock, tiers, ctx.get()));
    SeasonOutcome result;
    result.season = season;
    result.past_assignments = ctx->past_assignments;
    result.calibration = ctx->model->calibration();
    const int64_t season_start =
        kSeasonStartMs + static_cast<int64_t>(season - 1) * (kSeasonDays + 10) * kDayMs;
    clock = FakeClock(season_start);

    // The campaigns: a mix of compensation, targets and confidence, starting over 3 weeks.
    struct Planned {
      int start_day;
      std::string json;
      int64_t id = 0;
      std::string mention;
      CampaignOutcome outcome;
    };
    std::vector<Planned> planned;
    std::uniform_int_distribution<int> target(8, 30);
    for (int i = 0; i < options.campaigns_per_season; ++i) {
      const BrandShape& b = kBrands[static_cast<size_t>(i) % std::size(kBrands)];
      const auto comp = static_cast<campaign::Compensation>(i % 4);
      const double confidence = i % 2 == 0 ? 0.95 : 0.9;
      const int start_day = (i * 21) / std::max(1, options.campaigns_per_season);
      Planned p{start_day, CampaignJson(b, i, season, comp, target(rng), confidence,
                                        season_start + start_day * kDayMs)};
      p.mention = "@" + std::string(b.sku).substr(0, 4);
      planned.push_back(std::move(p));
    }
    std::map<int64_t, Tracked> tracked;
    std::map<int64_t, std::string> mention_of;  // campaign id -> the handle posts must tag
    auto track = [&](const std::vector<Assignment>& invited, const campaign::Campaign& c,
                     int day) -> Status {
      for (const Assignment& a : invited) {
        Tracked t;
        t.campaign_id = c.id;
        t.invited_day = day;
        // Reach sets the tier effect of the creator's hidden behaviour.
        SEEDCAST_ASSIGN_OR_RETURN(
            int64_t reach, db.QueryInt("SELECT COALESCE(followers, 0) FROM accounts WHERE id = ?",
                                       {a.account_id}));
        t.script = MakeScript(a.creator_id, reach, c.spec.compensation, c.spec.days_to_post,
                              options.seed, static_cast<uint64_t>(a.id));
        tracked[a.id] = t;
      }
      return Status::Ok();
    };

    for (int day = 0; day < kSeasonDays; ++day) {
      clock = FakeClock(season_start + day * kDayMs + 12 * int64_t{3'600'000});
      SEEDCAST_RETURN_IF_ERROR(follower.PollOnce().status());
      for (Planned& p : planned) {
        if (p.start_day != day) continue;
        SEEDCAST_ASSIGN_OR_RETURN(campaign::CampaignSpec spec,
                                  campaign::ParseCampaignSpec(p.json, false));
        SEEDCAST_ASSIGN_OR_RETURN(campaign::Campaign c, service.Create(spec));
        p.id = c.id;
        campaign::Plan plan;
        SEEDCAST_ASSIGN_OR_RETURN(std::vector<Assignment> invited,
                                  service.Invite(c.id, *ctx->candidates, *ctx->model, &plan));
        p.outcome.promised = plan.p_meet_target;
        p.outcome.invited = static_cast<int>(invited.size());
        mention_of[c.id] = p.mention;
        SEEDCAST_RETURN_IF_ERROR(track(invited, c, day));
      }
      // Each creator acts on their script.
      for (auto& [id, t] : tracked) {
        if (t.done) continue;
        SEEDCAST_ASSIGN_OR_RETURN(Assignment a, service.store().GetAssignment(id));
        const std::string actor = fmt::format("creator:{}", a.creator_id);
        const Script& s = t.script;
        const std::string& mention = mention_of[t.campaign_id];
        switch (a.state) {
          case State::kInvited:
            if (day >= t.invited_day + s.answer_after_days && s.answers) {
              if (!s.accepts) {
                SEEDCAST_RETURN_IF_ERROR(service.Decline(id, actor, "not interested").status());
                break;
              }
              SEEDCAST_RETURN_IF_ERROR(service.Apply(id, actor).status());
              SEEDCAST_RETURN_IF_ERROR(service.Approve(id, "brand").status());
              SEEDCAST_RETURN_IF_ERROR(service.Ship(id, "brand").status());
              SEEDCAST_ASSIGN_OR_RETURN(Assignment now, service.store().GetAssignment(id));
              t.shipped_day = day;
              if (now.state == State::kPurchased) t.received_day = day;
            }
            break;
          case State::kShipped:
            if (day >= t.shipped_day + 3) {
              SEEDCAST_RETURN_IF_ERROR(service.Deliver(id, "carrier").status());
              t.received_day = day;
            }
            break;
          case State::kPurchased:
          case State::kDelivered:
          case State::kLate:
            if (t.received_day >= 0 && s.returns && day >= t.received_day + 2) {
              SEEDCAST_RETURN_IF_ERROR(service.Return(id, "warehouse").status());
            } else if (t.received_day >= 0 && s.posts &&
                       day >= t.received_day + s.post_after_days) {
              const std::string post =
                  nlohmann::json{{"platform", "instagram"},
                                 {"caption", Caption(mention, s.compliant_first)}}
                      .dump();
              SEEDCAST_RETURN_IF_ERROR(service.SubmitPost(id, post, actor).status());
              SEEDCAST_ASSIGN_OR_RETURN(campaign::VerifyOutcome v, service.Verify(id, "checker"));
              if (!v.verdict.compliant) t.failed_check_day = day;
              if (v.command.assignment.state == State::kCompleted) t.completed_day = day;
            }
            break;
          case State::kPosted:
            if (s.fixes && t.failed_check_day >= 0 && day >= t.failed_check_day + 2) {
              const std::string post = nlohmann::json{
                  {"platform", "instagram"},
                  {"caption",
                   Caption(mention, true)}}.dump();
              SEEDCAST_RETURN_IF_ERROR(service.SubmitPost(id, post, actor).status());
              SEEDCAST_ASSIGN_OR_RETURN(campaign::VerifyOutcome v, service.Verify(id, "checker"));
              if (v.command.assignment.state == State::kCompleted) t.completed_day = day;
              t.failed_check_day = -1;
            }
            break;
          case State::kCompleted:
            if (s.removed && day >= t.completed_day + s.removed_after_days) {
              SEEDCAST_RETURN_IF_ERROR(
                  service.ReportRemoved(id, clock.NowMs(), "monitor").status());
            }
            if (!s.removed || day >= t.completed_day + s.removed_after_days) t.done = true;
            break;
          default:
            t.done = IsTerminal(a.state);
            break;
        }
      }
      // Deadlines, reminders and replacements, campaign by campaign.
      for (Planned& p : planned) {
        if (p.id == 0) continue;
        SEEDCAST_ASSIGN_OR_RETURN(campaign::TickOutcome tick,
                                  service.Tick(p.id, *ctx->candidates, *ctx->model));
        if (!tick.invited.empty()) {
          SEEDCAST_ASSIGN_OR_RETURN(campaign::Campaign c, service.store().GetCampaign(p.id));
          SEEDCAST_RETURN_IF_ERROR(track(tick.invited, c, day));
          p.outcome.replacements += static_cast<int>(tick.invited.size());
        }
      }
    }
    for (Planned& p : planned) {
      if (p.id == 0) continue;
      SEEDCAST_ASSIGN_OR_RETURN(campaign::CampaignReport r, service.Report(p.id));
      CampaignOutcome& o = p.outcome;
      o.name = r.campaign.spec.name;
      o.compensation = campaign::CompensationName(r.campaign.spec.compensation);
      o.target = r.campaign.spec.target_posts;
      o.confidence = r.campaign.spec.confidence;
      o.completed = r.completed;
      o.units_used = r.units_used;
      o.cost_per_post_cents = r.cost_per_completed_post_cents;
      o.invoiced_cents = r.invoiced_cents + r.reimbursement_billed_cents;
      o.held = r.guarantee_held;
      result.ledger_imbalance_cents += r.ledger_imbalance_cents;
      result.campaigns.push_back(o);
    }
    std::string ids;
    for (const Planned& p : planned) {
      if (p.id != 0) ids += (ids.empty() ? "" : ",") + std::to_string(p.id);
    }
    if (!ids.empty()) {
      SEEDCAST_RETURN_IF_ERROR(db.Query(
          "SELECT k.compensation, COUNT(*), SUM(CASE WHEN a.state = 'completed' THEN 1 ELSE 0 "
          "END) FROM assignments a JOIN campaigns k ON k.id = a.campaign_id WHERE k.id IN (" +
              ids + ") GROUP BY k.compensation",
          {}, [&result](const storage::Row& r) {
            result.completion_by_compensation[std::string(r.Text(0))] = {r.Int(1), r.Int(2)};
            return Status::Ok();
          }));
      SEEDCAST_RETURN_IF_ERROR(db.Query(
          "SELECT COUNT(*), SUM(CASE WHEN a.state = 'completed' THEN 1 ELSE 0 END) FROM "
          "assignments a WHERE a.campaign_id IN (" +
              ids +
              ") AND a.id IN (SELECT assignment_id FROM assignment_events WHERE to_state = "
              "'late')",
          {}, [&result](const storage::Row& r) {
            result.went_late = r.Int(0);
            result.late_then_completed = r.IsNull(1) ? 0 : r.Int(1);
            return Status::Ok();
          }));
    }
    out.push_back(std::move(result));
  }
  return out;
}

std::string FormatSeasons(const std::vector<SeasonOutcome>& seasons) {
  std::ostringstream s;
  int all = 0;
  int held = 0;
  double promised = 0;
  for (const SeasonOutcome& season : seasons) {
    s << fmt::format(
        "Campaign season {} (planner learnt from {} finished assignments; completion model "
        "{}):\n",
        season.season, season.past_assignments,
        season.calibration.uses_trees ? "empirical Bayes + boosted trees"
        : season.past_assignments > 0 ? "empirical Bayes; too few examples for trees"
                                      : "priors only");
    s << fmt::format("  {:<34} {:>9} {:>6} {:>9} {:>9} {:>7} {:>6} {:>11} {:>6}\n", "campaign",
                     "comp", "conf", "promised", "target", "done", "units", "cost/post", "held");
    int season_held = 0;
    for (const CampaignOutcome& c : season.campaigns) {
      s << fmt::format("  {:<34} {:>9} {:>6.2f} {:>9.3f} {:>9} {:>7} {:>6} {:>11} {:>6}\n",
                       c.name.substr(0, 34), c.compensation, c.confidence, c.promised, c.target,
                       c.completed, c.units_used,
                       "$" + campaign::FormatCents(c.cost_per_post_cents), c.held ? "yes" : "NO");
      season_held += c.held ? 1 : 0;
      promised += c.confidence;
    }
    all += static_cast<int>(season.campaigns.size());
    held += season_held;
    s << fmt::format("  guarantee held in {} of {} campaigns; ledger imbalance {} cents\n",
                     season_held, season.campaigns.size(), season.ledger_imbalance_cents);
    std::string rates;
    for (const auto& [comp, counts] : season.completion_by_compensation) {
      rates += fmt::format("{}{} {:.0f}%", rates.empty() ? "" : ", ", comp,
                           100.0 * static_cast<double>(counts.second) /
                               static_cast<double>(std::max<int64_t>(1, counts.first)));
    }
    s << fmt::format(
        "  completed per invitation: {}; of {} creators who went late, {} ({:.0f}%) "
        "still completed\n",
        rates, season.went_late, season.late_then_completed,
        100.0 * static_cast<double>(season.late_then_completed) /
            static_cast<double>(std::max<int64_t>(1, season.went_late)));
    if (season.calibration.holdout_examples > 0) {
      s << fmt::format(
          "  completion model on held-out history: Brier {:.3f} (tier prior alone {:.3f})\n",
          season.calibration.brier, season.calibration.brier_prior);
    }
    s << "\n";
  }
  if (all > 0) {
    s << fmt::format(
        "Across {} simulated campaigns the guarantee held in {} ({:.0f}%), against an average "
        "promised confidence of {:.0f}%.\n",
        all, held, 100.0 * held / all, 100.0 * promised / all);
  }
  return s.str();
}

}  // namespace seedcast::demo

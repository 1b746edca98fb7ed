// `seedcast campaign ...`, `seedcast plan` and `seedcast import products`: the campaign workflow
// from the command line. Every command prints JSON on stdout; refusals (an impossible transition,
// the quality gate, no stock) exit 1 with the reason on stderr.
#include <fmt/format.h>

#include <iostream>
#include <sstream>

#include "campaign/campaign_json.h"
#include "campaign/planning.h"
#include "campaign/service.h"
#include "campaign/shopify_import.h"
#include "cli/commands.h"
#include "common/iso_time.h"
#include "compliance/post_json.h"
#include "compliance/rules.h"
#include "ingest/creator_import.h"
#include "storage/creator_store.h"
#include "storage/migrations.h"

namespace seedcast::cli {
namespace {

using campaign::CampaignService;
using nlohmann::ordered_json;

void Print(const ordered_json& j) { std::cout << j.dump(2) << "\n"; }

// The clock commands run at: --at when given (to replay or simulate), else the system's.
class CommandClock final : public Clock {
 public:
  explicit CommandClock(std::optional<int64_t> at) : at_(at) {}
  int64_t NowMs() const override { return at_ ? *at_ : system_.NowMs(); }

 private:
  std::optional<int64_t> at_;
  SystemClock system_;
};

Result<std::string> ReadAll(const std::string& path) {
  std::ifstream file;
  std::istream* in = OpenInput(path, &file);
  if (in == nullptr) return IoError("cannot read " + path);
  std::stringstream buffer;
  buffer << in->rdbuf();
  return buffer.str();
}

int RunAssignmentCommand(CampaignService& service, const CampaignOptions& o, const Clock& clock) {
  Result<campaign::CommandOutcome> out = InvalidArgument("unknown campaign command " + o.action);
  if (o.action == "apply") out = service.Apply(o.id, o.actor);
  if (o.action == "approve") out = service.Approve(o.id, o.actor);
  if (o.action == "decline") {
    out = service.Decline(o.id, o.actor, o.reason.empty() ? "declined" : o.reason);
  }
  if (o.action == "ship") out = service.Ship(o.id, o.actor);
  if (o.action == "deliver") out = service.Deliver(o.id, o.actor);
  if (o.action == "return") out = service.Return(o.id, o.actor);
  if (o.action == "fail") out = service.Fail(o.id, o.actor, o.reason.empty() ? "failed" : o.reason);
  if (o.action == "remove") out = service.ReportRemoved(o.id, clock.NowMs(), o.actor);
  if (o.action == "submit-post") {
    auto post = ReadAll(o.file.empty() ? "-" : o.file);
    if (!post.ok()) return Fail(post.status());
    out = service.SubmitPost(o.id, *post, o.actor);
  }
  if (o.action == "verify") {
    auto verified = service.Verify(o.id, o.actor);
    if (!verified.ok()) return Fail(verified.status());
    ordered_json j = campaign::OutcomeToJson(verified->command);
    std::string line;
    compliance::AppendVerdictJson(fmt::format("\"assignment-{}\"", o.id), verified->verdict, &line);
    j["verdict"] = ordered_json::parse(line);
    Print(j);
    return kExitOk;
  }
  if (!out.ok()) return Fail(out.status());
  Print(campaign::OutcomeToJson(*out));
  return kExitOk;
}

}  // namespace

int RunCampaign(const config::Config& config, const CampaignOptions& o) {
  std::optional<int64_t> at;
  if (!o.at.empty()) {
    auto parsed = ParseIsoTimeMs(o.at);
    if (!parsed.ok()) return Usage("--at: " + parsed.status().message());
    at = *parsed;
  }
  CommandClock clock(at);
  auto db = OpenMigrated(config, clock);
  if (!db.ok()) return Fail(db.status());
  auto rules = compliance::BuiltInRules();
  if (!rules.ok()) return Fail(rules.status());
  CampaignService service(**db, clock, *rules, {.quality_gate = config.quality_gate / 100.0});

  if (o.action == "create") {
    auto spec = campaign::ReadCampaignSpec(o.file);
    if (!spec.ok()) return Usage(spec.status().ToString());
    auto created = service.Create(*spec);
    if (!created.ok()) return Fail(created.status());
    Print(campaign::CampaignToJson(*created));
    return kExitOk;
  }
  if (o.action == "list") {
    auto all = service.store().ListCampaigns();
    if (!all.ok()) return Fail(all.status());
    for (const campaign::Campaign& c : *all) {
      auto report = service.Report(c.id);
      if (!report.ok()) return Fail(report.status());
      std::cout << ordered_json{{"id", c.id},
                                {"name", c.spec.name},
                                {"status", c.status},
                                {"target_posts", c.spec.target_posts},
                                {"completed", report->completed},
                                {"units_used", report->units_used}}
                       .dump()
                << "\n";
    }
    return kExitOk;
  }
  if (o.action == "show") {
    auto c = service.store().GetCampaign(o.id);
    if (!c.ok()) return Fail(c.status());
    auto assignments = service.store().Assignments(o.id);
    if (!assignments.ok()) return Fail(assignments.status());
    ordered_json j = campaign::CampaignToJson(*c);
    j["assignments"] = ordered_json::array();
    for (const campaign::Assignment& a : *assignments) {
      ordered_json aj = campaign::AssignmentToJson(a);
      auto events = service.store().Events(a.id);
      if (!events.ok()) return Fail(events.status());
      aj["audit"] = ordered_json::array();
      for (const campaign::AssignmentEvent& e : *events) {
        aj["audit"].push_back({{"from", e.from_state},
                               {"to", e.to_state},
                               {"actor", e.actor},
                               {"reason", e.reason},
                               {"at", FormatIsoTime(e.at_ms)}});
      }
      j["assignments"].push_back(aj);
    }
    Print(j);
    return kExitOk;
  }
  if (o.action == "report") {
    auto report = service.Report(o.id);
    if (!report.ok()) return Fail(report.status());
    Print(campaign::ReportToJson(*report));
    return kExitOk;
  }
  if (o.action == "plan" || o.action == "invite" || o.action == "tick") {
    const bool in_memory = config.db_url.find(":memory:") != std::string::npos;
    auto context = campaign::LoadPlanning(config.db_url, **db, clock, in_memory ? 1 : o.threads,
                                          config.tiers, config.quality_gate / 100.0);
    if (!context.ok()) return Fail(context.status());
    campaign::PlanningContext& ctx = **context;
    if (o.action == "plan") {
      std::vector<campaign::Candidate> candidates;
      auto plan = service.PlanFor(o.id, *ctx.candidates, *ctx.model, &candidates);
      if (!plan.ok()) return Fail(plan.status());
      ordered_json j = campaign::PlanToJson(*plan, candidates);
      j["completion_model"] = campaign::CalibrationToJson(ctx.model->calibration());
      Print(j);
      return kExitOk;
    }
    if (o.action == "invite") {
      campaign::Plan plan;
      auto invited = service.Invite(o.id, *ctx.candidates, *ctx.model, &plan);
      if (!invited.ok()) return Fail(invited.status());
      ordered_json j = {{"invited", ordered_json::array()},
                        {"expected_completions", plan.expected_completions},
                        {"p_meet_target", plan.p_meet_target},
                        {"guarantee_met", plan.guarantee_met},
                        {"notes", plan.notes}};
      for (const campaign::Assignment& a : *invited) {
        j["invited"].push_back(campaign::AssignmentToJson(a));
      }
      Print(j);
      return kExitOk;
    }
    auto ticked = service.Tick(o.id, *ctx.candidates, *ctx.model);
    if (!ticked.ok()) return Fail(ticked.status());
    ordered_json j = {{"now", FormatIsoTime(clock.NowMs())},
                      {"events", ticked->events},
                      {"reminders", ticked->reminders},
                      {"replacements", ordered_json::array()},
                      {"p_meet_target", ticked->replan.p_meet_target},
                      {"notes", ticked->replan.notes}};
    for (const campaign::Assignment& a : ticked->invited) {
      j["replacements"].push_back(campaign::AssignmentToJson(a));
    }
    Print(j);
    return kExitOk;
  }
  return RunAssignmentCommand(service, o, clock);
}

int RunPlan(const config::Config& config, const PlanOptions& o) {
  auto spec = campaign::ReadCampaignSpec(o.campaign_path);
  if (!spec.ok()) return Usage(spec.status().ToString());
  SystemClock clock;
  // The pool goes into a private in-memory store, so that planning runs the same discovery and
  // history code as against the real store; nothing is written anywhere else.
  config::Config pool_config = config;
  std::unique_ptr<storage::Database> db;
  std::map<int64_t, campaign::History> pool_histories;
  if (!o.creators_path.empty()) {
    pool_config.db_url = "sqlite::memory:";
    auto opened = OpenMigrated(pool_config, clock);
    if (!opened.ok()) return Fail(opened.status());
    db = std::move(opened).value();
    storage::CreatorStore creators(*db, clock);
    ingest::ImportOptions import;
    import.path = o.creators_path;
    import.format = ingest::FileFormat::kNdjson;
    import.rejects_path = "/dev/null";
    auto summary = ingest::ImportCreators(*db, creators, import);
    if (!summary.ok()) return Fail(summary.status().WithContext("--creators"));
    if (summary->rejected > 0) {
      std::cerr << fmt::format("--creators: {} of {} lines rejected (not valid creators)\n",
                               summary->rejected, summary->records);
    }
    auto read = campaign::ReadPoolHistories(o.creators_path, creators, &pool_histories);
    if (!read.ok()) return Fail(read);
  } else {
    auto opened = OpenMigrated(config, clock);
    if (!opened.ok()) return Fail(opened.status());
    db = std::move(opened).value();
  }
  const bool in_memory = pool_config.db_url.find(":memory:") != std::string::npos;
  auto context = campaign::LoadPlanning(pool_config.db_url, *db, clock, in_memory ? 1 : o.threads,
                                        config.tiers, config.quality_gate / 100.0);
  if (!context.ok()) return Fail(context.status());
  campaign::PlanningContext& ctx = **context;
  for (auto& [creator, history] : pool_histories) ctx.histories[creator] = history;
  std::vector<campaign::Candidate> candidates;
  auto plan = campaign::PlanFromSource(
      campaign::RequestFor(*spec, spec->product.price_cents, spec->product.units_available), *spec,
      {}, *ctx.candidates, *ctx.model, &candidates);
  if (!plan.ok()) return Fail(plan.status());
  ordered_json j = campaign::PlanToJson(*plan, candidates);
  j["candidates_considered"] = candidates.size();
  j["completion_model"] = campaign::CalibrationToJson(ctx.model->calibration());
  Print(j);
  return kExitOk;
}

int RunImportProducts(const config::Config& config, const ImportProductsOptions& o) {
  SystemClock clock;
  auto db = OpenMigrated(config, clock);
  if (!db.ok()) return Fail(db.status());
  campaign::CampaignStore store(**db, clock);
  auto brand = store.EnsureBrand(o.brand);
  if (!brand.ok()) return Fail(brand.status());
  auto report = campaign::ImportShopifyProducts(o.path, *brand, **db, clock);
  if (!report.ok()) return Fail(report.status());
  ordered_json rejects = ordered_json::array();
  for (const campaign::ImportReject& r : report->rejects) {
    rejects.push_back({{"line", r.line}, {"reason", r.reason}});
  }
  Print({{"brand_id", *brand},
         {"rows", report->rows},
         {"products_stored", report->stored},
         {"image_rows", report->image_rows},
         {"rejected", report->rejects.size()},
         {"rejects", rejects}});
  return kExitOk;
}

}  // namespace seedcast::cli

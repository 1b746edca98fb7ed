// `seedcast campaign ...`, `seedcast plan` and `seedcast import products`: the campaign workflow
// from the command line, over the application layer. Every command prints JSON on stdout;
// refusals (an impossible transition, the quality gate, no stock) exit 1 with the reason on
// stderr.
#include <fmt/format.h>

#include <iostream>
#include <sstream>

#include "app/campaigns.h"
#include "app/creators.h"
#include "app/outcomes.h"
#include "app/quality.h"
#include "campaign/campaign_json.h"
#include "cli/commands.h"
#include "common/iso_time.h"

namespace seedcast::cli {
namespace {

// The command line runs on the machine itself, as its operator: it sees every organisation.
const storage::Scope kCliScope = storage::Scope::Everything();

using nlohmann::ordered_json;

void Print(const ordered_json& j) { std::cout << j.dump(2) << "\n"; }

// Prints the JSON of a use case's result, or fails with its status.
template <typename T, typename ToJson>
int PrintOr(const Result<T>& result, ToJson to_json) {
  if (!result.ok()) return Fail(result.status());
  Print(to_json(*result));
  return kExitOk;
}

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

}  // namespace

int RunCampaign(const config::Config& config, const CampaignOptions& o) {
  std::optional<int64_t> at;
  if (!o.at.empty()) {
    auto parsed = ParseIsoTimeMs(o.at);
    if (!parsed.ok()) return Usage("--at: " + parsed.status().message());
    at = *parsed;
  }
  CommandClock clock(at);
  auto opened = OpenContext(
      config, clock, {.load_threads = o.threads, .lookalikes = false, .follow_changes = false});
  if (!opened.ok()) return Fail(opened.status());
  app::AppContext& ctx = **opened;
  const std::string& a = o.action;
  if (a == "create") {
    auto spec = campaign::ReadCampaignSpec(o.file);
    if (!spec.ok()) return Usage(spec.status().ToString());
    return PrintOr(app::CreateCampaign(ctx, kCliScope, *spec), campaign::CampaignToJson);
  }
  if (a == "list") {
    auto all = app::ListCampaigns(ctx, kCliScope);
    if (!all.ok()) return Fail(all.status());
    for (const app::CampaignSummary& c : *all) std::cout << app::SummaryToJson(c).dump() << "\n";
    return kExitOk;
  }
  if (a == "show") return PrintOr(app::ShowCampaign(ctx, kCliScope, o.id), app::DetailToJson);
  if (a == "report") {
    // The report with its measurement figures: the same JSON as `report campaign ID`.
    return PrintOr(app::CampaignReportJson(ctx, kCliScope, o.id),
                   [](const ordered_json& j) { return j; });
  }
  if (a == "plan") return PrintOr(app::PlanCampaign(ctx, kCliScope, o.id), app::PlanViewToJson);
  if (a == "invite") return PrintOr(app::InviteCampaign(ctx, kCliScope, o.id), app::InviteToJson);
  if (a == "tick") {
    return PrintOr(app::TickCampaign(ctx, kCliScope, o.id), [&](const campaign::TickOutcome& t) {
      return app::TickToJson(t, clock.NowMs());
    });
  }
  app::ActionRequest request{.action = a, .actor = o.actor, .reason = o.reason};
  if (a == "submit-post") {
    auto post = ReadAll(o.file.empty() ? "-" : o.file);
    if (!post.ok()) return Fail(post.status());
    request.post_json = std::move(post).value();
  }
  return PrintOr(app::ActOnAssignment(ctx, kCliScope, o.id, request), app::ActionToJson);
}

int RunPlan(const config::Config& config, const PlanOptions& o) {
  auto spec = campaign::ReadCampaignSpec(o.campaign_path);
  if (!spec.ok()) return Usage(spec.status().ToString());
  SystemClock clock;
  // The pool goes into a private in-memory store, so that planning runs the same discovery and
  // history code as against the real store; nothing is written anywhere else.
  config::Config pool_config = config;
  if (!o.creators_path.empty()) pool_config.db_url = "sqlite::memory:";
  auto opened =
      OpenContext(pool_config, clock,
                  {.load_threads = o.threads, .lookalikes = false, .follow_changes = false});
  if (!opened.ok()) return Fail(opened.status());
  app::AppContext& ctx = **opened;
  std::map<int64_t, campaign::History> pool_histories;
  std::set<int64_t> scored;
  if (!o.creators_path.empty()) {
    ingest::ImportOptions import;
    import.path = o.creators_path;
    import.format = ingest::FileFormat::kNdjson;
    import.rejects_path = "/dev/null";
    auto summary = app::ImportCreators(ctx, import);
    if (!summary.ok()) return Fail(summary.status().WithContext("--creators"));
    if (summary->rejected > 0) {
      std::cerr << fmt::format("--creators: {} of {} lines rejected (not valid creators)\n",
                               summary->rejected, summary->records);
    }
    {
      auto db = ctx.pool().Acquire();
      if (!db.ok()) return Fail(db.status());
      storage::CreatorStore creators(**db, clock);
      const Status read = campaign::ReadPoolHistories(o.creators_path, creators, &pool_histories);
      if (!read.ok()) return Fail(read);
    }
    // A pool without quality scores is scored from the signals it carries.
    auto unscored = app::ScoreUnscored(ctx);
    if (!unscored.ok()) return Fail(unscored.status());
    scored = std::move(unscored).value();
  }
  const Status resolved = app::ResolveProduct(ctx, kCliScope, *spec);
  if (!resolved.ok()) return Fail(resolved);
  return PrintOr(app::PlanSpec(ctx, *spec, pool_histories, scored), app::PlanViewToJson);
}

int RunImportProducts(const config::Config& config, const ImportProductsOptions& o) {
  SystemClock clock;
  auto ctx = OpenContext(config, clock);
  if (!ctx.ok()) return Fail(ctx.status());
  int64_t brand_id = 0;
  return PrintOr(app::ImportProducts(**ctx, kCliScope, o.path, o.brand, &brand_id),
                 [&](const campaign::ProductImportReport& r) {
                   return app::ProductImportToJson(r, brand_id);
                 });
}

}  // namespace seedcast::cli

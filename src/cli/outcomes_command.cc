// `seedcast import ad-report`, `import sessions`, `sessions enter`, `lift` and `report
// campaign|brand`: paid reuse of content, listing sessions, conversion lift and the reports, over
// app/outcomes.h. JSON on stdout (reports also as CSV or HTML); the command line acts as the
// machine's operator.
#include <CLI/CLI.hpp>
#include <iostream>

#include "app/outcomes.h"
#include "cli/commands.h"
#include "ingest/numbers.h"

namespace seedcast::cli {
namespace {

using nlohmann::ordered_json;

const storage::Scope kCliScope = storage::Scope::Everything();

int PrintJson(const Result<ordered_json>& j) {
  if (!j.ok()) return Fail(j.status());
  std::cout << j->dump(2) << "\n";
  return kExitOk;
}

// "2026-05-01=1200:30": a day's sessions and orders.
Result<measure::DaySessions> ParseDay(const std::string& text) {
  const size_t eq = text.find('=');
  const size_t colon = text.find(':', eq == std::string::npos ? 0 : eq);
  if (eq == std::string::npos || colon == std::string::npos) {
    return InvalidArgument("'" + text + "' is not DAY=SESSIONS:ORDERS");
  }
  measure::DaySessions d{.day = text.substr(0, eq)};
  SEEDCAST_ASSIGN_OR_RETURN(d.sessions, ingest::ParseCount(text.substr(eq + 1, colon - eq - 1)));
  SEEDCAST_ASSIGN_OR_RETURN(d.orders, ingest::ParseCount(text.substr(colon + 1)));
  return d;
}

int RunReport(app::AppContext& ctx, const OutcomeOptions& o) {
  Result<ordered_json> report = o.command == "report-campaign"
                                    ? app::CampaignReportJson(ctx, kCliScope, o.campaign_id)
                                    : app::BrandReportJson(ctx, kCliScope, o.brand);
  if (!report.ok()) return Fail(report.status());
  std::string type;
  Result<std::string> text = app::RenderReport(*report, o.format, &type);
  if (!text.ok()) return Fail(text.status());
  std::cout << *text;
  return kExitOk;
}

void AddLiftOptions(CLI::App* lift, OutcomeOptions& o) {
  lift->add_option("--brand", o.brand, "the brand's name (or --campaign)");
  lift->add_option("--campaign", o.campaign_id,
                   "a campaign: its brand, product SKU and timeline fill what is not given");
  lift->add_option("--product", o.sku, "the listing's SKU (default: the whole shop)")
      ->each([&o](const std::string&) { o.sku_given = true; });
  lift->add_option("--from", o.campaign_from, "first day of the campaign window (YYYY-MM-DD)");
  lift->add_option("--to", o.campaign_to, "last day of the campaign window");
  lift->add_option("--baseline-from", o.baseline_from,
                   "first day of the baseline (default: as many days just before)");
  lift->add_option("--baseline-to", o.baseline_to, "last day of the baseline");
  lift->add_option("--confidence", o.confidence, "confidence level (default 0.95)")
      ->check(CLI::Range(0.5, 0.999));
}

}  // namespace

void AddOutcomeCommands(CLI::App& app, CLI::App& import_cmd, OutcomeOptions& o) {
  CLI::App* ads = import_cmd.add_subcommand(
      "ad-report",
      "import a Meta Ads Manager or TikTok Ads Manager report (CSV) of reused content");
  ads->add_option("file", o.path, "the CSV file")->required();
  ads->add_option("--brand", o.brand, "the brand's name")->required();
  ads->add_option("--platform", o.platform, "meta or tiktok (default: guessed from the headers)");
  ads->add_option("--map", o.maps, "FIELD=COLUMN: read FIELD from COLUMN (header text or number)");
  ads->add_option("--assets", o.assets_path, "CSV of ad name, asset code (SCA-12) links");
  ads->callback([&o] { o.command = "ad-report"; });

  CLI::App* sessions = import_cmd.add_subcommand(
      "sessions", "import a listing's sessions report (day, sessions, orders or conversion rate)");
  sessions->add_option("file", o.path, "the CSV file")->required();
  sessions->add_option("--brand", o.brand, "the brand's name")->required();
  sessions->add_option("--product", o.sku, "the listing's SKU (default: the whole shop)");
  sessions->callback([&o] { o.command = "sessions"; });

  CLI::App* enter = app.add_subcommand("sessions", "enter a listing's sessions by hand");
  enter->add_option("--brand", o.brand, "the brand's name")->required();
  enter->add_option("--product", o.sku, "the listing's SKU (default: the whole shop)");
  enter->add_option("day", o.days, "DAY=SESSIONS:ORDERS, e.g. 2026-05-01=1200:30")->required();
  enter->callback([&o] { o.command = "enter-sessions"; });

  CLI::App* lift =
      app.add_subcommand("lift", "conversion-rate lift of a listing: campaign window vs baseline");
  AddLiftOptions(lift, o);
  lift->callback([&o] { o.command = "lift"; });

  CLI::App* report = app.add_subcommand("report", "campaign and brand reports");
  report->require_subcommand(1);
  CLI::App* campaign = report->add_subcommand("campaign", "a campaign's report");
  campaign->add_option("id", o.campaign_id, "campaign id")->required();
  CLI::App* brand = report->add_subcommand("brand", "a brand's report");
  brand->add_option("name", o.brand, "the brand's name")->required();
  for (CLI::App* sub : {campaign, brand}) {
    sub->add_option("--format", o.format, "json, csv or html (default json)")
        ->check(CLI::IsMember({"json", "csv", "html"}));
  }
  campaign->callback([&o] { o.command = "report-campaign"; });
  brand->callback([&o] { o.command = "report-brand"; });
}

int RunOutcomes(const config::Config& config, const OutcomeOptions& o) {
  SystemClock clock;
  auto ctx = OpenContext(config, clock);
  if (!ctx.ok()) return Fail(ctx.status());
  if (o.command == "ad-report") {
    measure::AdReportOptions options{.maps = o.maps, .assets_path = o.assets_path};
    if (!o.platform.empty()) {
      auto platform = measure::ParseAdPlatform(o.platform);
      if (!platform.ok()) return Fail(platform.status());
      options.platform = *platform;
    }
    auto r = app::ImportAdReport(**ctx, kCliScope, o.path, o.brand, options);
    if (!r.ok()) return Fail(r.status());
    return PrintJson(app::AdReportImportToJson(*r));
  }
  if (o.command == "sessions" || o.command == "enter-sessions") {
    const app::SessionsTarget target{.brand = o.brand, .sku = o.sku};
    Result<app::SessionsResult> r = InvalidArgument("no days");
    if (o.command == "sessions") {
      r = app::ImportSessions(**ctx, kCliScope, o.path, target);
    } else {
      std::vector<measure::DaySessions> days;
      for (const std::string& d : o.days) {
        auto day = ParseDay(d);
        if (!day.ok()) return Fail(day.status());
        days.push_back(*day);
      }
      r = app::EnterSessions(**ctx, kCliScope, target, days);
    }
    if (!r.ok()) return Fail(r.status());
    return PrintJson(app::SessionsToJson(*r));
  }
  if (o.command == "lift") {
    app::LiftRequest request{
        .brand = o.brand,
        .campaign_id = o.campaign_id,
        .windows = {o.campaign_from, o.campaign_to, o.baseline_from, o.baseline_to},
        .options = {.confidence = o.confidence}};
    if (o.sku_given || o.campaign_id == 0) request.sku = o.sku;
    auto r = app::Lift(**ctx, kCliScope, request);
    if (!r.ok()) return Fail(r.status());
    return PrintJson(measure::LiftViewToJson(*r));
  }
  return RunReport(**ctx, o);
}

}  // namespace seedcast::cli

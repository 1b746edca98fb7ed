// `seedcast import orders` (by brand or by campaign) and `seedcast tracking create|show`: a
// brand's Shopify orders with their attribution (the JSON summary on stdout), and a campaign's
// tracked links and discount codes.
// Adapters over app/tracking.h; the command line acts as the machine's operator.
#include <CLI/CLI.hpp>
#include <iostream>

#include "app/tracking.h"
#include "cli/commands.h"

namespace seedcast::cli {
namespace {

void Print(const nlohmann::ordered_json& j) { std::cout << j.dump(2) << "\n"; }

}  // namespace

void AddTrackingCommands(CLI::App& app, CLI::App& import_cmd, TrackingOptions& o) {
  CLI::App* orders = import_cmd.add_subcommand(
      "orders", "import a brand's orders from a Shopify orders export (CSV) and attribute them");
  orders->add_option("file", o.path, "the CSV file")->required();
  CLI::Option* brand = orders->add_option("--brand", o.brand, "the brand's name");
  orders
      ->add_option("--campaign", o.campaign_id,
                   "instead of --brand: this campaign's brand (an organisation's brand)")
      ->excludes(brand);
  orders->add_option("--codes", o.codes_path,
                     "CSV of discount codes issued outside Seedcast: code, creator handle");
  orders->add_option("--window-days", o.window_days, "attribution window in days (default 7)")
      ->check(CLI::Range(0, 365));
  orders->callback([&o] { o.command = "orders"; });

  CLI::App* tracking =
      app.add_subcommand("tracking", "tracked links and discount codes of a campaign");
  tracking->require_subcommand(1);
  CLI::App* create = tracking->add_subcommand(
      "create", "make the missing links and codes of a campaign's assignments");
  create->add_option("campaign", o.campaign_id, "campaign id")->required();
  create->add_option("--url", o.landing_url,
                     "the brand's landing URL (default: the one the campaign's links have)");
  create->add_option("--code-pattern", o.code_pattern,
                     "discount code pattern: {HANDLE}, {NN..} digits, {XX..} letters and digits");
  create->callback([&o] { o.command = "create"; });
  CLI::App* show = tracking->add_subcommand(
      "show", "a campaign's links, codes, clicks, orders and revenue per assignment");
  show->add_option("campaign", o.campaign_id, "campaign id")->required();
  show->callback([&o] { o.command = "show"; });
}

int RunTracking(const config::Config& config, const TrackingOptions& o) {
  SystemClock clock;
  auto ctx = OpenContext(config, clock);
  if (!ctx.ok()) return Fail(ctx.status());
  const storage::Scope scope = storage::Scope::Everything();
  if (o.command == "orders") {
    auto imported = app::ImportOrders(**ctx, scope,
                                      {.path = o.path,
                                       .brand = o.brand,
                                       .campaign_id = o.campaign_id,
                                       .codes_path = o.codes_path,
                                       .attribution = {.window_days = o.window_days}});
    if (!imported.ok()) return Fail(imported.status());
    Print(app::OrdersImportedToJson(*imported));
    return kExitOk;
  }
  auto all =
      o.command == "create"
          ? app::EquipCampaign(**ctx, scope, o.campaign_id,
                               {.landing_url = o.landing_url, .code_pattern = o.code_pattern})
          : app::TrackingOfCampaign(**ctx, scope, o.campaign_id);
  if (!all.ok()) return Fail(all.status());
  nlohmann::ordered_json items = nlohmann::ordered_json::array();
  for (const app::AssignmentTracking& t : *all) items.push_back(app::AssignmentTrackingToJson(t));
  Print({{"campaign_id", o.campaign_id}, {"items", items}});
  return kExitOk;
}

}  // namespace seedcast::cli

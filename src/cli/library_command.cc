// `seedcast library list|rights` and `seedcast rates`: the content library with its usage rights,
// and the rate estimator, from the command line. Adapters over app/library.h and app/rates.h;
// the command line acts as the machine's operator (every organisation's assets).
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "app/library.h"
#include "app/rates.h"
#include "cli/commands.h"
#include "common/iso_time.h"
#include "common/text.h"

namespace seedcast::cli {
namespace {

// An ISO 8601 time flag: none when not given, "none" to clear it.
Result<std::optional<int64_t>> TimeFlag(const std::string& value, const char* flag) {
  if (value == "none") return std::optional<int64_t>();
  Result<int64_t> ms = ParseIsoTimeMs(value);
  if (!ms.ok()) return InvalidArgument(fmt::format("{}: {}", flag, ms.status().message()));
  return std::optional<int64_t>(*ms);
}

int RunList(app::AppContext& ctx, const LibraryOptions& o) {
  const app::AssetQuery q{.kind = o.kind,
                          .rights_scope = o.rights,
                          .campaign_id = o.campaign_id,
                          .creator = o.creator,
                          .expiring_only = o.expiring,
                          .usable_for_paid_only = o.usable_for_paid,
                          .limit = o.limit};
  auto assets = app::ListAssets(ctx, storage::Scope::Everything(), q);
  if (!assets.ok()) return Fail(assets.status());
  if (o.format == "csv") {
    std::cout << app::AssetsToCsv(*assets);
    return kExitOk;
  }
  nlohmann::ordered_json items = nlohmann::ordered_json::array();
  for (const app::Asset& a : *assets) items.push_back(app::AssetToJson(a));
  std::cout << nlohmann::ordered_json{{"items", items}}.dump(2) << "\n";
  return kExitOk;
}

int RunRights(app::AppContext& ctx, const LibraryOptions& o) {
  app::RightsEdit edit;
  if (o.scope) edit.scope = *o.scope;
  if (o.channels) {
    std::vector<std::string> channels;
    for (std::string_view c : text::Split(*o.channels, ",")) channels.emplace_back(c);
    edit.channels = std::move(channels);
  }
  if (o.authorization_code) edit.authorization_code = *o.authorization_code;
  if (o.starts) {
    auto starts = TimeFlag(*o.starts, "--starts");
    if (!starts.ok()) return Usage(starts.status().message());
    edit.starts_at_ms.emplace(*starts);
  }
  if (o.expires) {
    auto expires = TimeFlag(*o.expires, "--expires");
    if (!expires.ok()) return Usage(expires.status().message());
    edit.expires_at_ms.emplace(*expires);
  }
  auto asset = app::SetAssetRights(ctx, storage::Scope::Everything(), o.asset_id, edit);
  if (!asset.ok()) return Fail(asset.status());
  std::cout << app::AssetToJson(*asset).dump(2) << "\n";
  return kExitOk;
}

int RunRates(app::AppContext& ctx, const LibraryOptions& o) {
  app::RatesRequest r{.platform = o.platform,
                      .followers = o.followers,
                      .niche = o.niche,
                      .engagement_rate = o.engagement_rate,
                      .min_sample = o.min_sample};
  auto estimate = app::EstimateCreatorRates(ctx, r);
  if (!estimate.ok()) return Fail(estimate.status());
  std::cout << measure::RateEstimatesToJson(*estimate).dump(2) << "\n";
  return kExitOk;
}

}  // namespace

void AddLibraryCommands(CLI::App& app, LibraryOptions& o) {
  CLI::App* library =
      app.add_subcommand("library", "the content library: assets and their usage rights");
  library->require_subcommand(1);
  CLI::App* list = library->add_subcommand("list", "list assets of verified posts, newest first");
  list->add_option("--rights", o.rights, "only assets whose rights scope is paid, organic or none")
      ->check(CLI::IsMember({"paid", "organic", "none"}));
  list->add_flag("--expiring", o.expiring, "only rights expiring within 14 days");
  list->add_flag("--usable-for-paid", o.usable_for_paid, "only assets usable in paid ads now");
  list->add_option("--kind", o.kind, "video, photo or post");
  list->add_option("--campaign", o.campaign_id, "one campaign's assets (its id)");
  list->add_option("--creator", o.creator, "one creator's assets (an id or a handle)");
  list->add_option("--limit", o.limit, "at most this many (default 100)")
      ->check(CLI::Range(1, 100'000));
  list->add_option("--format", o.format, "json (default) or csv")
      ->check(CLI::IsMember({"json", "csv"}));
  list->callback([&o] { o.command = "list"; });
  CLI::App* rights = library->add_subcommand(
      "rights", "set an asset's usage rights (the fields given; the others stay)");
  rights->add_option("asset_id", o.asset_id, "the asset's id")->required();
  rights->add_option("--scope", o.scope, "organic or paid ('' clears the rights)");
  rights->add_option("--channels", o.channels, "comma-separated: meta,tiktok,youtube,...");
  rights->add_option("--starts", o.starts, "ISO 8601 start of the term ('none' clears it)");
  rights->add_option("--expires", o.expires, "ISO 8601 expiry ('none': no end date)");
  rights->add_option("--authorization-code", o.authorization_code,
                     "the whitelisting or partnership-ad authorisation code");
  rights->callback([&o] { o.command = "rights"; });
  CLI::App* rates = app.add_subcommand(
      "rates", "estimate a post's rate (p25, p50, p75) from accepted rates or the reference");
  rates->add_option("--platform", o.platform, "instagram, tiktok, youtube, ...")->required();
  rates->add_option("--followers", o.followers, "the account's followers")
      ->required()
      ->check(CLI::Range(int64_t{0}, int64_t{10'000'000'000}));
  rates->add_option("--niche", o.niche, "a niche (beauty, fitness, ...)");
  rates->add_option("--engagement-rate", o.engagement_rate, "a share: 0.04 for 4%");
  rates->add_option("--min-sample", o.min_sample,
                    "fewest accepted rates a group needs before the reference answers (default 5)");
  rates->callback([&o] { o.command = "rates"; });
}

int RunLibrary(const config::Config& config, const LibraryOptions& o) {
  SystemClock clock;
  auto ctx = OpenContext(config, clock, {.follow_changes = false});
  if (!ctx.ok()) return Fail(ctx.status());
  if (o.command == "list") return RunList(**ctx, o);
  if (o.command == "rights") return RunRights(**ctx, o);
  return RunRates(**ctx, o);
}

}  // namespace seedcast::cli

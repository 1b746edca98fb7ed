// The `seedcast` command: parses the command line with CLI11, loads the configuration (file, then
// environment, then flags) and dispatches to the subcommands in commands.cc.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.h"
#include "config/config.h"

namespace {

using seedcast::cli::kExitFailure;
using seedcast::cli::kExitUsage;

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "Seedcast: micro-influencer product seeding and UGC campaigns.\n"
      "Settings come from a TOML config file, then the environment (SEEDCAST_DB,\n"
      "SEEDCAST_DATA_DIR, SEEDCAST_CONFIG), then these flags.",
      "seedcast"};
  app.require_subcommand(1);
  seedcast::config::ConfigFlags flags;
  app.add_option("--config", flags.config_file, "TOML config file (default: ./seedcast.toml)");
  app.add_option("--db", flags.db_url,
                 "database URL: sqlite:PATH or postgresql://... (default: sqlite in the data dir)");
  app.add_option("--data-dir", flags.data_dir, "data directory for the default SQLite database");
  app.add_option("--key-file", flags.key_file,
                 "key file of personal data (default: seedcast.key in the data dir)");

  seedcast::cli::MigrateOptions migrate;
  CLI::App* migrate_cmd = app.add_subcommand("migrate", "apply pending schema migrations");
  migrate_cmd->add_flag("--status", migrate.status_only, "only show the schema version");

  seedcast::cli::DemoOptions demo;
  CLI::App* demo_cmd = app.add_subcommand(
      "demo",
      "generate a realistic synthetic creator population, store it, summarise it, and run "
      "simulated campaign seasons on it");
  demo_cmd->add_option("--creators", demo.creators, "number of creators (default 100000)")
      ->check(CLI::Range(int64_t{0}, int64_t{100'000'000}));
  demo_cmd->add_option("--seed", demo.seed, "random seed; the same seed gives the same population");
  demo_cmd->add_flag("!--no-summary", demo.summary, "skip the summary tables");
  demo_cmd
      ->add_option("--campaigns", demo.campaigns_per_season,
                   "campaigns per simulated season (default 16; 0: no campaign season)")
      ->check(CLI::Range(0, 200));
  demo_cmd->add_option("--seasons", demo.seasons, "simulated campaign seasons (default 3)")
      ->check(CLI::Range(0, 20));

  CLI::App* import_cmd = app.add_subcommand("import", "import data from files");
  import_cmd->require_subcommand(1);
  seedcast::cli::ImportCreatorsOptions import;
  CLI::App* import_creators = import_cmd->add_subcommand(
      "creators", "import creators from a CSV, TSV or NDJSON file (upsert by platform and handle)");
  import_creators->add_option("file", import.path, "the file to import")->required();
  import_creators->add_option("--platform", import.platform,
                              "platform for rows that name none (instagram, tiktok, youtube, ...)");
  import_creators->add_option(
      "--map", import.maps, "FIELD=COLUMN: read FIELD from COLUMN (header text or 1-based number)");
  import_creators->add_option("--format", import.format, "csv, tsv or ndjson (default: guessed)")
      ->check(CLI::IsMember({"csv", "tsv", "ndjson"}));
  import_creators->add_option("--rejects", import.rejects_path,
                              "where to write rejected rows (default: FILE.rejects.tsv)");
  import_creators->add_flag("--json", import.json, "print the summary as JSON");

  CLI::App* creators_cmd = app.add_subcommand("creators", "read creators from the store");
  creators_cmd->require_subcommand(1);
  seedcast::cli::ExportCreatorsOptions export_options;
  CLI::App* export_cmd = creators_cmd->add_subcommand("export", "write every creator to stdout");
  export_cmd->add_option("--format", export_options.format, "ndjson (default) or csv")
      ->check(CLI::IsMember({"ndjson", "csv"}));
  seedcast::cli::ShowCreatorOptions show;
  CLI::App* show_cmd = creators_cmd->add_subcommand("show", "show the creators with a handle");
  show_cmd->add_option("handle", show.handle, "the handle, with or without @")->required();
  show_cmd->add_option("--platform", show.platform, "only this platform");

  seedcast::cli::SearchOptions search;
  CLI::App* search_cmd = app.add_subcommand(
      "search", "search creators: one JSON query (argument or stdin) or --queries FILE");
  search_cmd->add_option("query", search.query, "the query as JSON (see the README)");
  search_cmd->add_option("--queries", search.queries_path,
                         "a file of JSON queries, one per line ('-' for stdin); latency "
                         "percentiles go to stderr");
  search_cmd->add_option("--threads", search.threads, "threads for loading the index (default 2)")
      ->check(CLI::Range(1, 64));
  search_cmd->add_flag("!--no-lookalikes", search.lookalikes,
                       "skip lookalike profiles (less memory; lookalike queries fail)");
  search_cmd->add_flag("--stats", search.stats, "print load time and index memory to stderr");

  CLI::App* compliance_cmd =
      app.add_subcommand("compliance", "check posts against disclosure rules");
  compliance_cmd->require_subcommand(1);
  seedcast::cli::ComplianceCheckOptions compliance;
  CLI::App* check_cmd = compliance_cmd->add_subcommand(
      "check", "read posts as NDJSON on stdin; write one verdict per line, in the same order");
  check_cmd->add_option("--jurisdiction", compliance.jurisdiction, "us, uk, or a rule file's code")
      ->required();
  check_cmd->add_option("--rules", compliance.rules_dir,
                        "directory of rule files (languages.toml, <jurisdiction>.toml); default: "
                        "the built-in rules");
  check_cmd->add_option("--campaign", compliance.campaign_path,
                        "campaign JSON whose deliverables, timeline and brief each post must meet");
  check_cmd->add_option("--input", compliance.input, "NDJSON file of posts (default: stdin)");

  CLI::App* quality_cmd = app.add_subcommand("quality", "fake accounts and audience quality");
  quality_cmd->require_subcommand(1);
  seedcast::cli::QualityClassifyOptions classify;
  CLI::App* classify_cmd = quality_cmd->add_subcommand(
      "classify", "read accounts as NDJSON; write each one's fake probability and reasons");
  classify_cmd->add_option("--input", classify.input, "NDJSON file of accounts (default: stdin)");
  classify_cmd->add_option("--model", classify.model_dir,
                           "directory with account_model.json and account_model_meta.json "
                           "(default: the built-in model)");
  seedcast::cli::QualityScoreOptions score;
  CLI::App* score_cmd = quality_cmd->add_subcommand(
      "score", "score creators' audience quality (0-100) with components and reasons");
  score_cmd->add_option("--input", score.input,
                        "NDJSON of creators (export format) or accounts, with the optional "
                        "quality inputs ('-' for stdin); default: every account in the store");
  score_cmd->add_flag("--save", score.save, "store mode: save each score to its account");
  score_cmd->add_option("--gate", score.gate, "quality gate, 0-100 (default: config, else 60)")
      ->check(CLI::Range(0.0, 100.0));
  score_cmd->add_option("--model", score.model_dir,
                        "classifier model directory (default: built in)");
  seedcast::cli::QualityTrainOptions train;
  CLI::App* train_cmd = quality_cmd->add_subcommand(
      "train", "train the fake-account model on labelled NDJSON, cross-validating it");
  train_cmd->add_option("--data", train.data,
                        "labelled accounts, InstaFake fields + is_fake (default: "
                        "data/instafake/train.jsonl, from the working directory)");
  train_cmd->add_option("--out", train.out_dir, "directory for the model files")->required();
  train_cmd->add_option("--rounds", train.rounds, "boosting rounds (default 60)");
  train_cmd->add_option("--max-depth", train.max_depth, "tree depth (default 3)");
  train_cmd->add_option("--eta", train.eta, "learning rate (default 0.15)");
  train_cmd->add_option("--copies", train.copies,
                        "copies of each row with fields hidden at random (default 3)");
  train_cmd->add_option("--repeats", train.repeats,
                        "times the 5-fold cross-validation is repeated (default 5)");
  train_cmd->add_flag("--unconstrained", train.unconstrained,
                      "do not hold features to their directions (to compare)");

  seedcast::cli::ImportProductsOptions products;
  CLI::App* import_products = import_cmd->add_subcommand(
      "products", "import a brand's products from a Shopify product export (CSV)");
  import_products->add_option("file", products.path, "the CSV file")->required();
  import_products->add_option("--brand", products.brand, "the brand's name")->required();

  seedcast::cli::PlanOptions plan;
  CLI::App* plan_cmd = app.add_subcommand(
      "plan", "plan a campaign file against the store or a pool of creators (writes nothing)");
  plan_cmd->add_option("--campaign", plan.campaign_path, "campaign file (.json or .toml)")
      ->required();
  plan_cmd->add_option("--creators", plan.creators_path,
                       "NDJSON pool: creator export lines with a history object");
  plan_cmd->add_option("--threads", plan.threads, "threads for loading the index");

  CLI::App* campaign_cmd =
      app.add_subcommand("campaign", "run campaigns: plan, recruit, verify, pay");
  campaign_cmd->require_subcommand(1);
  seedcast::cli::CampaignOptions campaign;
  struct CampaignAction {
    const char* name;
    const char* help;
    const char* id_name;
  };
  const CampaignAction actions[] = {
      {"create", "create a campaign from a JSON or TOML file", nullptr},
      {"list", "list campaigns", nullptr},
      {"show", "show a campaign, its assignments and their audit log", "campaign"},
      {"plan", "plan who to recruit for the guarantee (writes nothing)", "campaign"},
      {"invite", "plan and invite the selected creators", "campaign"},
      {"report", "completions, units, invoice and payouts of a campaign", "campaign"},
      {"tick", "advance deadlines to --at (or now), remind, replace late creators", "campaign"},
      {"apply", "the creator applies", "assignment"},
      {"approve", "the brand approves (quality gate checked)", "assignment"},
      {"decline", "the creator or brand declines", "assignment"},
      {"ship", "ship a unit, or record the purchase (buy-then-reimburse)", "assignment"},
      {"deliver", "confirm delivery", "assignment"},
      {"submit-post", "submit the post (JSON) for verification", "assignment"},
      {"verify", "verify the post; completed posts are invoiced and paid", "assignment"},
      {"remove", "report the post taken down (at --at or now)", "assignment"},
      {"return", "the creator returned the product (bans them)", "assignment"},
      {"fail", "write the assignment off", "assignment"},
  };
  for (const CampaignAction& a : actions) {
    CLI::App* sub = campaign_cmd->add_subcommand(a.name, a.help);
    sub->callback([&campaign, name = std::string(a.name)] { campaign.action = name; });
    if (a.id_name != nullptr)
      sub->add_option(a.id_name, campaign.id, std::string(a.id_name) + " id")->required();
    if (std::string(a.name) == "create") {
      sub->add_option("file", campaign.file, "campaign file (.json or .toml)")->required();
    }
    if (std::string(a.name) == "submit-post") {
      sub->add_option("--post", campaign.file, "post JSON file ('-' for stdin)")->required();
    }
    sub->add_option("--actor", campaign.actor, "who does this (for the audit log)");
    sub->add_option("--reason", campaign.reason, "why (for the audit log)");
    sub->add_option("--at", campaign.at, "ISO 8601 time to run at (default: now)");
    sub->add_option("--threads", campaign.threads, "threads for loading the index");
  }

  seedcast::cli::ServeOptions serve;
  CLI::App* serve_cmd = app.add_subcommand(
      "serve", "serve the HTTP API (docs/api.md) until SIGTERM; TLS ends at a reverse proxy");
  serve_cmd->add_option("--listen", serve.listen,
                        "HOST:PORT to listen on (default 127.0.0.1:8080)");
  serve_cmd->add_option("--threads", serve.threads, "threads answering requests (default 2)")
      ->check(CLI::Range(1, 256));
  serve_cmd->add_flag("!--no-lookalikes", serve.lookalikes,
                      "skip lookalike profiles (less memory; lookalike queries fail)");
  serve_cmd->add_flag("!--no-lookalike-graph", serve.lookalike_graph,
                      "do not build the lookalike graph after the index loads (lookalikes stay "
                      "exact; about 8 GB and 10-20 minutes saved at 10M accounts)");
  serve_cmd->add_flag("!--no-access-log", serve.access_log, "no JSON access log on stderr");
  serve_cmd->add_option("--body-limit-mb", serve.body_limit_mb, "largest request body (default 64)")
      ->check(CLI::Range(uint64_t{1}, uint64_t{4096}));
  serve_cmd
      ->add_option("--request-timeout-ms", serve.request_timeout_ms,
                   "time a request may take to arrive (default 30000)")
      ->check(CLI::Range(int64_t{100}, int64_t{3'600'000}));
  serve_cmd->add_option("--web-root", serve.web_root,
                        "the built web app's directory (default: [server] web_root, else "
                        "../web/dist or ../share/seedcast/web beside the binary)");

  seedcast::cli::AccountsOptions accounts;
  seedcast::cli::AddAccountCommands(app, accounts);
  seedcast::cli::TrackingOptions tracking;
  seedcast::cli::AddTrackingCommands(app, *import_cmd, tracking);
  seedcast::cli::OutcomeOptions outcomes;
  seedcast::cli::AddOutcomeCommands(app, *import_cmd, outcomes);
  seedcast::cli::WebhooksOptions webhooks;
  seedcast::cli::AddWebhookCommands(app, webhooks);
  seedcast::cli::LibraryOptions library;
  seedcast::cli::AddLibraryCommands(app, library);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : kExitUsage;
  }

  auto config = seedcast::config::LoadConfig(flags, seedcast::config::ProcessEnv());
  if (!config.ok()) {
    std::cerr << "error: " << config.status().ToString() << "\n";
    return config.status().code() == seedcast::StatusCode::kInvalidArgument ? kExitUsage
                                                                            : kExitFailure;
  }
  // The catch-all of this edge: nothing a library throws ends the process unreported.
  try {
    if (serve_cmd->parsed()) return seedcast::cli::RunServe(*config, serve);
    if (!accounts.command.empty()) return seedcast::cli::RunAccounts(*config, accounts);
    if (!tracking.command.empty()) return seedcast::cli::RunTracking(*config, tracking);
    if (!outcomes.command.empty()) return seedcast::cli::RunOutcomes(*config, outcomes);
    if (!webhooks.action.empty()) return seedcast::cli::RunWebhooks(*config, webhooks);
    if (!library.command.empty()) return seedcast::cli::RunLibrary(*config, library);
    if (import_products->parsed()) return seedcast::cli::RunImportProducts(*config, products);
    if (plan_cmd->parsed()) return seedcast::cli::RunPlan(*config, plan);
    if (campaign_cmd->parsed()) return seedcast::cli::RunCampaign(*config, campaign);
    if (migrate_cmd->parsed()) return seedcast::cli::RunMigrate(*config, migrate);
    if (demo_cmd->parsed()) return seedcast::cli::RunDemo(*config, demo);
    if (import_creators->parsed()) return seedcast::cli::RunImportCreators(*config, import);
    if (export_cmd->parsed()) return seedcast::cli::RunExportCreators(*config, export_options);
    if (show_cmd->parsed()) return seedcast::cli::RunShowCreator(*config, show);
    if (search_cmd->parsed()) return seedcast::cli::RunSearch(*config, search);
    if (check_cmd->parsed()) return seedcast::cli::RunComplianceCheck(compliance);
    if (classify_cmd->parsed()) return seedcast::cli::RunQualityClassify(classify);
    if (train_cmd->parsed()) return seedcast::cli::RunQualityTrain(train);
    if (score_cmd->parsed()) return seedcast::cli::RunQualityScore(*config, score);
  } catch (const std::exception& e) {
    std::cerr << "error: internal error: unexpected failure: " << e.what() << "\n";
    return kExitFailure;
  }
  return kExitUsage;
}

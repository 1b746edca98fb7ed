// The `seedcast` subcommands: thin adapters over the application layer (src/app). Each takes its
// parsed options, calls the use case, prints its result and returns the process exit code: 0
// success, 1 failure (the reason printed to stderr), 2 usage error; app/errors.h maps a Status to
// its code.
#pragma once

#include <cstdint>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/context.h"
#include "app/errors.h"
#include "common/clock.h"
#include "common/status.h"
#include "config/config.h"
#include "storage/database.h"

namespace CLI {
class App;
}

namespace seedcast::cli {

using app::kExitFailure;
using app::kExitOk;
using app::kExitUsage;

// Print the reason to stderr and return the status's exit code (app/errors.h).
int Fail(const Status& s);
int Usage(const std::string& message);

// An input stream for `path`: stdin for "-", else the file, opened into `file`; null (with the
// reason printed) when the file cannot be read.
std::istream* OpenInput(const std::string& path, std::ifstream* file);

// Opens the configured database and brings its schema up to date.
Result<std::unique_ptr<storage::Database>> OpenMigrated(const config::Config& config,
                                                        const Clock& clock);

// The application context of one command (the pool is small: a command is one thread).
Result<std::unique_ptr<app::AppContext>> OpenContext(const config::Config& config,
                                                     const Clock& clock,
                                                     app::ContextOptions options = {});

struct MigrateOptions {
  bool status_only = false;
};
int RunMigrate(const config::Config& config, const MigrateOptions& options);

struct DemoOptions {
  int64_t creators = 100'000;
  uint64_t seed = 1;
  bool summary = true;
  int campaigns_per_season = 16;  // 0: no campaign season
  int seasons = 3;
};
int RunDemo(const config::Config& config, const DemoOptions& options);

struct ImportCreatorsOptions {
  std::string path;
  std::string platform;
  std::string format;             // "", csv, tsv, ndjson
  std::vector<std::string> maps;  // field=column
  std::string rejects_path;
  bool json = false;
};
int RunImportCreators(const config::Config& config, const ImportCreatorsOptions& options);

struct ExportCreatorsOptions {
  std::string format = "ndjson";
};
int RunExportCreators(const config::Config& config, const ExportCreatorsOptions& options);

struct ShowCreatorOptions {
  std::string handle;
  std::string platform;
};
int RunShowCreator(const config::Config& config, const ShowCreatorOptions& options);

struct SearchOptions {
  std::string query;         // one JSON query; read from stdin when empty and no --queries
  std::string queries_path;  // one JSON query per line; "-" for stdin
  int threads = 2;           // for loading the index
  bool lookalikes = true;
  bool stats = false;  // print load time and memory to stderr
};
int RunSearch(const config::Config& config, const SearchOptions& options);

struct ComplianceCheckOptions {
  std::string jurisdiction;   // a rule file's code: us, uk, ...
  std::string rules_dir;      // languages.toml and <jurisdiction>.toml; "" = the built-in rules
  std::string campaign_path;  // a campaign JSON file whose deliverables each post must meet
  std::string input = "-";    // NDJSON posts; "-" for stdin
};
// Writes one verdict per input line, in order, and a summary to stderr. Exit 0 when every line
// was checked (compliant or not), 2 for bad rules or campaign.
int RunComplianceCheck(const ComplianceCheckOptions& options);

struct QualityClassifyOptions {
  std::string input = "-";  // NDJSON accounts; "-" for stdin
  std::string model_dir;    // account_model.json + account_model_meta.json; "" = built in
};
int RunQualityClassify(const QualityClassifyOptions& options);

struct QualityScoreOptions {
  std::string input;           // NDJSON creators or accounts; "" = every account in the store
  std::string model_dir;       // "" = the built-in classifier
  bool save = false;           // store mode: write each score to the account (0-1)
  std::optional<double> gate;  // overrides [quality] gate
};
int RunQualityScore(const config::Config& config, const QualityScoreOptions& options);

struct QualityTrainOptions {
  // labelled NDJSON (InstaFake fields + is_fake); the default is the repository's training split
  std::string data = "data/instafake/train.jsonl";
  std::string out_dir;  // where the model and its metadata go
  int rounds = 0;       // 0: the defaults of quality::TrainOptions
  int max_depth = 0;
  double eta = 0;
  int copies = -1;
  int repeats = 0;
  bool unconstrained = false;  // let the trees ignore the features' directions (for comparison)
};
int RunQualityTrain(const QualityTrainOptions& options);

struct CampaignOptions {
  // create, list, show, plan, invite, report, tick (campaign id); apply, approve, decline, ship,
  // deliver, submit-post, verify, remove, return, fail (assignment id)
  std::string action;
  std::string file;  // create: the campaign file; submit-post: the post JSON ("-" for stdin)
  int64_t id = 0;
  std::string actor = "operator";
  std::string reason;
  std::string at;  // ISO 8601: the time the command runs at (tick advances to it)
  int threads = 2;
};
int RunCampaign(const config::Config& config, const CampaignOptions& options);

struct PlanOptions {
  std::string campaign_path;  // JSON or TOML campaign file
  std::string creators_path;  // NDJSON pool (creator export + history); "" = the store
  int threads = 2;
};
// Prints the plan without writing anything.
int RunPlan(const config::Config& config, const PlanOptions& options);

struct ImportProductsOptions {
  std::string path;  // a Shopify product export (CSV)
  std::string brand;
};
int RunImportProducts(const config::Config& config, const ImportProductsOptions& options);

struct ServeOptions {
  std::string listen = "127.0.0.1:8080";
  int threads = 2;
  bool lookalikes = true;
  bool lookalike_graph = true;  // built in the background once the index is loaded
  bool access_log = true;
  uint64_t body_limit_mb = 64;
  int64_t request_timeout_ms = 30'000;
  std::string web_root;  // the built web app; "" = [server] web_root, else next to the binary
};
// Serves the HTTP API until SIGTERM or SIGINT, then stops gracefully.
int RunServe(const config::Config& config, const ServeOptions& options);

// `import orders` and `tracking create|show` (tracking_command.cc): a brand's Shopify orders with
// their attribution, and a campaign's tracked links and discount codes.
struct TrackingOptions {
  std::string command;  // orders, create, show
  std::string path;     // orders: the export
  std::string brand;
  std::string codes_path;
  int window_days = 7;
  int64_t campaign_id = 0;
  std::string landing_url;
  std::string code_pattern = "{HANDLE}{NN}";
};
// Adds `import orders` to `import_cmd` and `tracking` to `app`; they fill `options`.
void AddTrackingCommands(CLI::App& app, CLI::App& import_cmd, TrackingOptions& options);
int RunTracking(const config::Config& config, const TrackingOptions& options);

// `import ad-report`, `import sessions`, `sessions enter`, `lift` and `report campaign|brand`
// (outcomes_command.cc): paid reuse, listing sessions, conversion lift and the reports.
struct OutcomeOptions {
  std::string command;  // ad-report, sessions, enter-sessions, lift, report-campaign, report-brand
  std::string path;
  std::string brand;
  std::string platform;           // ad-report: meta, tiktok; "" = guessed
  std::vector<std::string> maps;  // ad-report: FIELD=COLUMN
  std::string assets_path;        // ad-report: ad name -> asset code
  std::string sku;                // sessions, lift: the listing ("" = the whole shop)
  bool sku_given = false;
  std::vector<std::string> days;  // enter-sessions: DAY=SESSIONS:ORDERS
  int64_t campaign_id = 0;
  std::string campaign_from, campaign_to, baseline_from, baseline_to;
  double confidence = 0.95;
  std::string format = "json";
};
// Adds `import ad-report` and `import sessions` to `import_cmd`, and `sessions`, `lift` and
// `report` to `app`; they fill `options`.
void AddOutcomeCommands(CLI::App& app, CLI::App& import_cmd, OutcomeOptions& options);
int RunOutcomes(const config::Config& config, const OutcomeOptions& options);

// `keys`, `orgs`, `users` and `audit` (accounts_command.cc): the scripted set-up of an instance.
struct AccountsOptions {
  std::string command;  // keys, orgs, users, audit
  std::string action;   // keys: create, list, revoke, init, rotate; orgs/users: create; audit: list
  std::string role;     // keys: operator; users: a user role
  std::string org;      // an organisation's name
  std::string access = "write";
  std::string name;
  std::string email;
  std::string kind;  // audit: one kind of event
  int64_t id = 0;
  int limit = 100;
};
// Adds the commands to `app`; they fill `options`.
void AddAccountCommands(CLI::App& app, AccountsOptions& options);
// Makes the key file of personal data ([accounts] key_file) and its directory, as `keys init`
// does; kAlreadyExists when there is one (it is left unchanged).
Status MakeKeyFile(const config::Config& config, const Clock& clock);
int RunAccounts(const config::Config& config, const AccountsOptions& options);

// `webhooks` (webhooks_command.cc): subscriptions, the delivery log, replays, and one run of the
// delivery worker.
struct WebhooksOptions {
  std::string action;  // subscribe, list, disable, deliveries, replay, deliver
  std::string url;
  std::vector<std::string> events;
  std::string org;  // subscribe: an organisation's name
  int64_t id = 0;   // a subscription's (disable), a delivery's, or an event's (replay --event)
  bool replay_event = false;
  int64_t subscription_id = 0;
  int64_t event_id = 0;
  std::string state;
  int limit = 100;
  int64_t timeout_ms = 10'000;
};
void AddWebhookCommands(CLI::App& app, WebhooksOptions& options);
int RunWebhooks(const config::Config& config, const WebhooksOptions& options);

// `library list|rights` and `rates` (library_command.cc): the content library and the rate
// estimator.
struct LibraryOptions {
  std::string command;  // list, rights, rates
  // list
  std::string rights;  // paid, organic, none; "" for all
  bool expiring = false;
  bool usable_for_paid = false;
  std::string kind;
  int64_t campaign_id = 0;
  std::string creator;
  int limit = 100;
  std::string format = "json";
  // rights: the fields given change
  int64_t asset_id = 0;
  std::optional<std::string> scope;
  std::optional<std::string> channels;
  std::optional<std::string> starts;
  std::optional<std::string> expires;
  std::optional<std::string> authorization_code;
  // rates
  std::string platform;
  int64_t followers = 0;
  std::string niche;
  std::optional<double> engagement_rate;
  int min_sample = 5;
};
void AddLibraryCommands(CLI::App& app, LibraryOptions& options);
int RunLibrary(const config::Config& config, const LibraryOptions& options);

}  // namespace seedcast::cli

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

}  // namespace seedcast::cli

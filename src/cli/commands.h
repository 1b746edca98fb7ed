// The `seedcast` subcommands. Each takes its parsed options and returns the process exit code:
// 0 success, 1 failure (the reason printed to stderr), 2 usage error.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "config/config.h"

namespace seedcast::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

// Print the reason to stderr and return kExitFailure / kExitUsage.
int Fail(const Status& s);
int Usage(const std::string& message);

struct MigrateOptions {
  bool status_only = false;
};
int RunMigrate(const config::Config& config, const MigrateOptions& options);

struct DemoOptions {
  int64_t creators = 100'000;
  uint64_t seed = 1;
  bool summary = true;
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

}  // namespace seedcast::cli

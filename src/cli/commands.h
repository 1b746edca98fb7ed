// The `seedcast` subcommands. Each takes its parsed options and returns the process exit code:
// 0 success, 1 failure (the reason printed to stderr), 2 usage error.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "config/config.h"

namespace seedcast::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

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

}  // namespace seedcast::cli

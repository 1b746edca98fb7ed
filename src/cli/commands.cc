#include "cli/commands.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/progress.h"
#include "common/stats.h"
#include "common/text.h"
#include "demo/population.h"
#include "demo/season.h"
#include "demo/summary.h"
#include "fmt/format.h"
#include "ingest/creator_export.h"
#include "ingest/creator_import.h"
#include "ingest/header_map.h"
#include "model/creator_json.h"
#include "model/platform.h"
#include "search/index.h"
#include "search/loader.h"
#include "search/query.h"
#include "search/result_json.h"
#include "storage/creator_store.h"
#include "storage/migrations.h"

namespace seedcast::cli {

int Fail(const Status& s) {
  std::cerr << "error: " << s.ToString() << "\n";
  return kExitFailure;
}

int Usage(const std::string& message) {
  std::cerr << "usage error: " << message << "\n";
  return kExitUsage;
}

std::istream* OpenInput(const std::string& path, std::ifstream* file) {
  if (path == "-") return &std::cin;
  file->open(path);
  if (!*file) {
    std::cerr << "usage error: cannot read " << path << "\n";
    return nullptr;
  }
  return file;
}

Result<std::unique_ptr<storage::Database>> OpenMigrated(const config::Config& config,
                                                        const Clock& clock) {
  SEEDCAST_ASSIGN_OR_RETURN(auto db, storage::OpenDatabase(config.db_url));
  SEEDCAST_ASSIGN_OR_RETURN(int applied, storage::Migrate(*db, clock));
  if (applied > 0) std::cerr << "applied " << applied << " schema migration(s)\n";
  return db;
}

namespace {

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int RunMigrate(const config::Config& config, const MigrateOptions& options) {
  SystemClock clock;
  auto db = storage::OpenDatabase(config.db_url);
  if (!db.ok()) return Fail(db.status());
  if (!options.status_only) {
    auto applied = storage::Migrate(**db, clock);
    if (!applied.ok()) return Fail(applied.status());
    std::cout << "applied " << *applied << " migration(s)\n";
  }
  auto version = storage::SchemaVersion(**db);
  if (!version.ok()) return Fail(version.status());
  std::cout << "schema version " << *version << " of " << storage::LatestSchemaVersion() << "\n";
  for (const storage::MigrationInfo& m : storage::Migrations()) {
    std::cout << fmt::format("  {:>3} {} {}\n", m.version,
                             m.version <= *version ? "applied" : "pending", m.name);
  }
  return kExitOk;
}

int RunDemo(const config::Config& config, const DemoOptions& options) {
  if (options.creators < 0) return Usage("--creators must be 0 or more");
  SystemClock clock;
  auto db = OpenMigrated(config, clock);
  if (!db.ok()) return Fail(db.status());
  storage::CreatorStore store(**db, clock);
  std::cerr << "database: " << config.db_url << "\n";

  // Campaigns outside the demo may have booked demo creators: those are not the demo's to delete.
  auto booked = (*db)->QueryInt(
      "SELECT COUNT(*) FROM assignments a JOIN creators c ON c.id = a.creator_id JOIN campaigns "
      "k ON k.id = a.campaign_id JOIN brands b ON b.id = k.brand_id WHERE c.ref LIKE 'demo-%' "
      "AND b.name NOT LIKE 'demo: %'");
  if (!booked.ok()) return Fail(booked.status());
  if (*booked > 0) {
    return Fail(Status(StatusCode::kConflict,
                       fmt::format("{} assignment(s) of campaigns outside the demo refer to demo "
                                   "creators, so the demo population cannot be replaced; run the "
                                   "demo on another database (--db)",
                                   *booked)));
  }
  // The previous demo season refers to the previous population: it goes first.
  Status cleared = demo::DeleteDemoSeasons(**db);
  if (!cleared.ok()) return Fail(cleared.WithContext("removing the previous demo season"));
  auto removed = store.DeleteCreatorsByRefPrefix("demo-");
  if (!removed.ok()) return Fail(removed.status());
  if (*removed > 0)
    std::cerr << "replaced the previous demo population (" << *removed << " creators)\n";

  demo::PopulationGenerator generator({.creators = options.creators, .seed = options.seed});
  ProgressBar bar("generating");
  const auto start = std::chrono::steady_clock::now();
  int64_t accounts = 0;
  model::Creator creator;
  bool more = true;
  while (more) {
    Status s = storage::InTransaction(**db, [&]() -> Status {
      for (int i = 0; i < 10'000; ++i) {
        if (!generator.Next(&creator)) {
          more = false;
          break;
        }
        accounts += static_cast<int64_t>(creator.accounts.size());
        SEEDCAST_RETURN_IF_ERROR(store.InsertCreator(creator));
      }
      return Status::Ok();
    });
    if (!s.ok()) return Fail(s.WithContext("storing the demo population"));
    bar.Update(static_cast<uint64_t>(generator.generated()),
               static_cast<uint64_t>(options.creators));
  }
  bar.Finish();
  const double seconds = SecondsSince(start);
  std::cout << fmt::format(
      "Generated and stored {} creators ({} accounts) with seed {} in {:.2f} s ({:.0f} "
      "creators/s)\n\n",
      generator.generated(), accounts, options.seed, seconds,
      seconds > 0 ? static_cast<double>(generator.generated()) / seconds : 0.0);
  if (options.summary) {
    auto summary = demo::SummarizeStore(store, config.tiers, config.quality_gate);
    if (!summary.ok()) return Fail(summary.status());
    std::cout << *summary;
  }
  if (options.campaigns_per_season <= 0 || options.seasons <= 0) return kExitOk;
  const auto season_start = std::chrono::steady_clock::now();
  auto seasons = demo::RunSeasons(config.db_url, **db, config.tiers,
                                  {.seasons = options.seasons,
                                   .campaigns_per_season = options.campaigns_per_season,
                                   .seed = options.seed,
                                   .quality_gate = config.quality_gate / 100.0});
  if (!seasons.ok()) return Fail(seasons.status().WithContext("campaign season"));
  std::cout << "\n" << demo::FormatSeasons(*seasons);
  std::cout << fmt::format("({} simulated campaign seasons in {:.1f} s)\n", options.seasons,
                           SecondsSince(season_start));
  return kExitOk;
}

int RunImportCreators(const config::Config& config, const ImportCreatorsOptions& options) {
  ingest::ImportOptions import;
  import.path = options.path;
  import.rejects_path = options.rejects_path;
  import.batch_rows = config.import_batch_rows;
  if (!options.platform.empty()) {
    auto platform = model::NormalizePlatform(options.platform);
    if (!platform.ok()) return Usage("--platform: " + platform.status().message());
    import.platform = *platform;
  }
  if (options.format == "csv") import.format = ingest::FileFormat::kCsv;
  if (options.format == "tsv") import.format = ingest::FileFormat::kTsv;
  if (options.format == "ndjson") import.format = ingest::FileFormat::kNdjson;
  for (const std::string& m : options.maps) {
    size_t eq = m.find('=');
    if (eq == std::string::npos) return Usage("--map '" + m + "' must be FIELD=COLUMN");
    auto field = ingest::ParseFieldName(m.substr(0, eq));
    if (!field.ok()) return Usage("--map: " + field.status().message());
    import.mappings.emplace_back(m.substr(0, eq), m.substr(eq + 1));
  }
  SystemClock clock;
  auto db = OpenMigrated(config, clock);
  if (!db.ok()) return Fail(db.status());
  storage::CreatorStore store(**db, clock);
  ProgressBar bar("importing");
  import.on_progress = [&bar](uint64_t done, uint64_t total) { bar.Update(done, total);
};
auto summary = ingest::ImportCreators(**db, store, import);
bar.Finish();
if (!summary.ok()) return Fail(summary.status());
if (options.json) {
  std::cout << summary->ToJson().dump(2) << "\n";
} else {
  std::cout << summary->ToText();
}
return kExitOk;
}  // namespace seedcast::cli

int RunExportCreators(const config::Config& config, const ExportCreatorsOptions& options) {
  ingest::ExportFormat format = ingest::ExportFormat::kNdjson;
  if (options.format == "csv") {
    format = ingest::ExportFormat::kCsv;
  } else if (options.format != "ndjson") {
    return Usage("--format must be ndjson or csv");
  }
  SystemClock clock;
  auto db = OpenMigrated(config, clock);
  if (!db.ok()) return Fail(db.status());
  storage::CreatorStore store(**db, clock);
  std::ios::sync_with_stdio(false);
  auto written = ingest::ExportCreators(store, config.tiers, format, std::cout);
  std::cout.flush();
  if (!written.ok()) return Fail(written.status());
  std::cerr << "exported " << *written << " creators\n";
  return kExitOk;
}

int RunShowCreator(const config::Config& config, const ShowCreatorOptions& options) {
  auto handle = model::NormalizeHandle(options.handle);
  if (!handle.ok()) return Usage(handle.status().message());
  std::string platform;
  if (!options.platform.empty()) {
    auto p = model::NormalizePlatform(options.platform);
    if (!p.ok()) return Usage("--platform: " + p.status().message());
    platform = *p;
  }
  SystemClock clock;
  auto db = OpenMigrated(config, clock);
  if (!db.ok()) return Fail(db.status());
  storage::CreatorStore store(**db, clock);
  auto found = store.FindByHandle(*handle, platform);
  if (!found.ok()) return Fail(found.status());
  if (found->empty()) {
    return Fail(NotFound("no creator has the handle '" + *handle + "'" +
                         (platform.empty() ? "" : " on " + platform)));
  }
  for (const model::Creator& c : *found) {
    std::cout << model::CreatorToJson(c, config.tiers).dump(2) << "\n";
  }
  return kExitOk;
}

int RunSearch(const config::Config& config, const SearchOptions& options) {
  if (!options.query.empty() && !options.queries_path.empty()) {
    return Usage("give either a query or --queries, not both");
  }
  SystemClock clock;
  auto db = OpenMigrated(config, clock);
  if (!db.ok()) return Fail(db.status());
  const bool in_memory = config.db_url.find(":memory:") != std::string::npos;
  search::CreatorIndex index({.tiers = config.tiers, .lookalikes = options.lookalikes});
  auto loaded =
      search::LoadIndex(config.db_url, db->get(), in_memory ? 1 : options.threads, &index);
  if (!loaded.ok()) return Fail(loaded.status());
  bool graph_built = false;
  auto ensure_graph = [&] {
    if (graph_built || !options.lookalikes) return;
    const auto start = std::chrono::steady_clock::now();
    index.BuildLookalikeGraph(options.threads);
    graph_built = true;
    if (options.stats) {
      std::cerr << fmt::format("lookalike graph built in {:.1f} s\n", SecondsSince(start));
    }
  };
  if (options.stats) {
    const search::MemoryReport m = index.Memory();
    const double n = static_cast<double>(std::max<int64_t>(1, m.accounts));
    std::cerr << fmt::format(
        "index: {} accounts loaded in {:.1f} s; memory per account: {:.1f} B columns, {:.1f} B "
        "text, {:.1f} B lookalike profiles and graph\n",
        loaded->accounts, loaded->seconds, static_cast<double>(m.columns_bytes) / n,
        static_cast<double>(m.text_bytes) / n, static_cast<double>(m.lookalike_bytes) / n);
  }

  // Runs one query line; prints its result (or its error) as one JSON line.
  std::vector<double> latencies;
  int failures = 0;
  Status last_error;
  auto run = [&](const std::string& line) {
    auto query = search::ParseQueryText(line, config.tiers);
    if (query.ok() && !query->lookalike_handle.empty()) ensure_graph();
    Result<search::SearchResult> result =
        query.ok() ? index.Search(*query) : Result<search::SearchResult>(query.status());
    if (!result.ok()) {
      ++failures;
      last_error = result.status();
      std::cout << nlohmann::json{{"error", result.status().message()}}.dump() << "\n";
      return;
    }
    latencies.push_back(result->took_ms);
    std::cout << search::ResultToJson(*result).dump() << "\n";
  };

  if (options.queries_path.empty()) {
    std::string text = options.query;
    if (text.empty()) {
      std::ostringstream all;
      all << std::cin.rdbuf();
      text = all.str();
    }
    run(text);
    if (failures > 0) {
      return last_error.code() == StatusCode::kInvalidArgument ? kExitUsage : kExitFailure;
    }
    return kExitOk;
  }

  // Many queries: the index stays current while they run.
  auto follower_db = storage::OpenDatabase(config.db_url);
  std::unique_ptr<search::IndexFollower> follower;
  if (follower_db.ok() && !in_memory) {
    follower = std::make_unique<search::IndexFollower>(**follower_db, index, loaded->cursor);
    follower->Start(std::chrono::milliseconds(200), [](const Status& s) {
      std::cerr << "warning: following the store's changes failed: " << s.ToString() << "\n";
    });
  }
  std::ifstream file;
  std::istream* in = &std::cin;
  if (options.queries_path != "-") {
    file.open(options.queries_path);
    if (!file) return Fail(IoError("cannot open " + options.queries_path));
    in = &file;
  }
  int64_t count = 0;
  for (std::string line; std::getline(*in, line);) {
    if (text::Trim(line).empty()) continue;
    ++count;
    run(line);
    std::cout.flush();
  }
  if (follower) follower->Stop();
  std::cerr << fmt::format(
      "{} queries ({} failed); latency ms: p50 {:.3f}, p90 {:.3f}, p99 {:.3f}, max {:.3f}\n", count,
      failures, Percentile(latencies, 0.50), Percentile(latencies, 0.90),
      Percentile(latencies, 0.99), Percentile(latencies, 1.0));
  return failures > 0 ? kExitFailure : kExitOk;
}

}  // namespace seedcast::cli

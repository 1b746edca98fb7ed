#include "cli/commands.h"

#include <chrono>
#include <iostream>

#include "cli/progress.h"
#include "demo/population.h"
#include "demo/summary.h"
#include "fmt/format.h"
#include "ingest/creator_export.h"
#include "ingest/creator_import.h"
#include "ingest/header_map.h"
#include "model/creator_json.h"
#include "model/platform.h"
#include "storage/creator_store.h"
#include "storage/migrations.h"

namespace seedcast::cli {
namespace {

int Fail(const Status& s) {
  std::cerr << "error: " << s.ToString() << "\n";
  return kExitFailure;
}

int Usage(const std::string& message) {
  std::cerr << "usage error: " << message << "\n";
  return kExitUsage;
}

// Opens the configured database and brings its schema up to date.
Result<std::unique_ptr<storage::Database>> OpenMigrated(const config::Config& config,
                                                        const Clock& clock) {
  SEEDCAST_ASSIGN_OR_RETURN(auto db, storage::OpenDatabase(config.db_url));
  SEEDCAST_ASSIGN_OR_RETURN(int applied, storage::Migrate(*db, clock));
  if (applied > 0) std::cerr << "applied " << applied << " schema migration(s)\n";
  return db;
}

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
  if (!options.summary) return kExitOk;
  auto summary = demo::SummarizeStore(store, config.tiers);
  if (!summary.ok()) return Fail(summary.status());
  std::cout << *summary;
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

}  // namespace seedcast::cli

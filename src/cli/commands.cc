#include "cli/commands.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "app/creators.h"
#include "app/demo_accounts.h"
#include "app/guard.h"
#include "app/search.h"
#include "cli/progress.h"
#include "common/stats.h"
#include "common/text.h"
#include "demo/population.h"
#include "demo/season.h"
#include "demo/sign_ins.h"
#include "demo/summary.h"
#include "fmt/format.h"
#include "ingest/creator_export.h"
#include "ingest/creator_import.h"
#include "ingest/header_map.h"
#include "model/creator_json.h"
#include "model/platform.h"
#include "search/result_json.h"
#include "storage/creator_store.h"
#include "storage/migrations.h"

namespace seedcast::cli {

int Fail(const Status& s) {
  std::cerr << "error: " << s.ToString() << "\n";
  return app::ExitCodeOf(s) == kExitOk ? kExitFailure : app::ExitCodeOf(s);
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

Result<std::unique_ptr<app::AppContext>> OpenContext(const config::Config& config,
                                                     const Clock& clock,
                                                     app::ContextOptions options) {
  options.pool_size = 2;
  SEEDCAST_ASSIGN_OR_RETURN(auto ctx, app::AppContext::Open(config, clock, std::move(options)));
  if (ctx->migrations_applied() > 0) {
    std::cerr << "applied " << ctx->migrations_applied() << " schema migration(s)\n";
  }
  return ctx;
}

namespace {

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

constexpr std::string_view kDemoActor = "demo";
constexpr std::string_view kDemoOrg = "Demo Brand";

// Who to sign in as in the web app after a demo run (app/demo_accounts.h, demo/sign_ins.h).
struct DemoSignIns {
  std::vector<app::DemoSignIn> users;
  demo::HandedBrand brand;
  std::optional<demo::DemoCreator> creator;  // none without a population
};

// The key file (made when missing, as `keys init` does), the organisation owning the first season
// brand, and the three users with fresh passwords.
Result<DemoSignIns> MakeDemoSignIns(const config::Config& config, storage::Database& db) {
  SystemClock clock;
  const Status key = MakeKeyFile(config, clock);
  if (key.ok()) {
    std::cerr << "key file " << config.accounts.key_file
              << " made; keep a copy: personal data cannot be read without it\n";
  } else if (key.code() != StatusCode::kAlreadyExists) {
    return key.WithContext("making the key file of personal data");
  }
  SEEDCAST_ASSIGN_OR_RETURN(auto ctx, OpenContext(config, clock, {.follow_changes = false}));
  SEEDCAST_ASSIGN_OR_RETURN(const int64_t org,
                            app::EnsureOrg(*ctx, std::string(kDemoOrg), std::string(kDemoActor)));
  DemoSignIns out;
  SEEDCAST_ASSIGN_OR_RETURN(out.brand, demo::HandFirstBrandToOrg(db, org));
  std::vector<app::DemoUser> users = {
      {.email = "brand@demo.seedcast.test", .role = "owner", .org_id = org}};
  Result<demo::DemoCreator> creator = demo::PickDemoCreator(db, org);
  if (creator.ok()) {
    out.creator = *creator;
    users.push_back(
        {.email = "creator@demo.seedcast.test", .role = "creator", .creator_id = creator->id});
  } else if (creator.status().code() != StatusCode::kNotFound) {
    return creator.status();
  }
  users.push_back({.email = "operator@demo.seedcast.test", .role = "operator"});
  SEEDCAST_ASSIGN_OR_RETURN(out.users, app::RefreshDemoUsers(*ctx, users, std::string(kDemoActor)));
  return out;
}

std::string Counted(int64_t n, std::string_view thing) {
  return fmt::format("{} {}{}", n, thing, n == 1 ? "" : "s");
}

std::string FormatSignIns(const DemoSignIns& s, const std::string& db_url) {
  std::string out = fmt::format(
      "\nWeb app: run `seedcast serve` and open http://127.0.0.1:8080/\n"
      "Sign in as (the server must use this database, {}):\n",
      db_url);
  for (const app::DemoSignIn& in : s.users) {
    std::string what = "operator: runs the instance, sees everything";
    if (in.user.role == "owner") {
      what = fmt::format("brand owner of {} (its brand {} has {})", kDemoOrg, s.brand.name,
                         Counted(s.brand.campaigns, "campaign"));
    } else if (in.user.role == "creator" && s.creator) {
      what = fmt::format("creator {} (@{} on {}, {})", s.creator->name, s.creator->handle,
                         s.creator->platform, Counted(s.creator->assignments, "assignment"));
    }
    out += fmt::format("  {:<28} password {}  {}\n", in.user.email, in.password, what);
  }
  if (!s.creator) out += "  (no creator to sign in as: the demo population is empty)\n";
  out += "These passwords are new on every demo run and are shown only here.\n";
  return out;
}

// The simulated campaign seasons on the stored population, and their report.
Status RunDemoSeasons(const config::Config& config, storage::Database& db,
                      const DemoOptions& options) {
  const auto season_start = std::chrono::steady_clock::now();
  SEEDCAST_ASSIGN_OR_RETURN(std::vector<demo::SeasonOutcome> seasons,
                            demo::RunSeasons(config.db_url, db, config.tiers,
                                             {.seasons = options.seasons,
                                              .campaigns_per_season = options.campaigns_per_season,
                                              .seed = options.seed,
                                              .quality_gate = config.quality_gate / 100.0}));
  std::cout << "\n" << demo::FormatSeasons(seasons);
  std::cout << fmt::format("({} simulated campaign seasons in {:.1f} s)\n", options.seasons,
                           SecondsSince(season_start));
  return Status::Ok();
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
    return Fail(FailedPrecondition(
        "demo_creators_booked",
        fmt::format("{} assignment(s) of campaigns outside the demo refer to demo "
                    "creators, so the demo population cannot be replaced; run the "
                    "demo on another database (--db)",
                    *booked)));
  }
  // The demo's creator user is one of the previous population: it lets go of them first.
  auto released = demo::ReleaseDemoCreators(**db);
  if (!released.ok()) return Fail(released.status().WithContext("unlinking the demo's users"));
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
  if (options.campaigns_per_season > 0 && options.seasons > 0) {
    const Status ran = RunDemoSeasons(config, **db, options);
    if (!ran.ok()) return Fail(ran.WithContext("campaign season"));
  }
  // Another process could not see an in-memory database: no one could sign in to it.
  if (config.db_url.find(":memory:") != std::string::npos) return kExitOk;
  auto sign_ins = MakeDemoSignIns(config, **db);
  if (!sign_ins.ok()) return Fail(sign_ins.status().WithContext("the demo's sign-ins"));
  std::cout << FormatSignIns(*sign_ins, config.db_url) << std::flush;
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
  auto ctx = OpenContext(config, clock);
  if (!ctx.ok()) return Fail(ctx.status());
  ProgressBar bar("importing");
  import.on_progress = [&bar](uint64_t done, uint64_t total) { bar.Update(done, total);
};
auto summary = app::ImportCreators(**ctx, import);
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
  auto ctx = OpenContext(config, clock);
  if (!ctx.ok()) return Fail(ctx.status());
  std::ios::sync_with_stdio(false);
  auto written = app::ExportCreators(**ctx, format, std::cout);
  std::cout.flush();
  if (!written.ok()) return Fail(written.status());
  std::cerr << "exported " << *written << " creators\n";
  return kExitOk;
}

int RunShowCreator(const config::Config& config, const ShowCreatorOptions& options) {
  SystemClock clock;
  auto ctx = OpenContext(config, clock);
  if (!ctx.ok()) return Fail(ctx.status());
  auto found = app::FindCreators(**ctx, options.handle, options.platform);
  if (!found.ok()) return Fail(found.status());
  if (found->empty()) {
    return Fail(NotFound("no creator has the handle '" + std::string(text::Trim(options.handle)) +
                         "'" + (options.platform.empty() ? "" : " on " + options.platform)));
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
  // One query needs no follower; many queries keep the index current while they run.
  auto ctx = OpenContext(config, clock,
                         {.load_threads = options.threads,
                          .lookalikes = options.lookalikes,
                          .follow_changes = !options.queries_path.empty()});
  if (!ctx.ok()) return Fail(ctx.status());
  const Status loaded = (*ctx)->LoadIndex();
  if (!loaded.ok()) return Fail(loaded);
  if (options.stats) {
    const app::IndexInfo info = (*ctx)->index_info();
    const search::MemoryReport& m = info.memory;
    const double n = static_cast<double>(std::max<int64_t>(1, m.accounts));
    std::cerr << fmt::format(
        "index: {} accounts loaded in {:.1f} s; memory per account: {:.1f} B columns, {:.1f} B "
        "text, {:.1f} B lookalike profiles and graph\n",
        info.accounts, info.load_seconds, static_cast<double>(m.columns_bytes) / n,
        static_cast<double>(m.text_bytes) / n, static_cast<double>(m.lookalike_bytes) / n);
  }

  // Runs one query line; prints its result (or its error) as one JSON line.
  std::vector<double> latencies;
  int failures = 0;
  Status last_error;
  auto run = [&](const std::string& line) {
    Result<search::SearchResult> result = InvalidArgument("no query");
    const Status guarded = app::Guard([&] {
      result = app::SearchCreators(**ctx, line);
      return Status::Ok();
    });
    if (!guarded.ok()) result = guarded;
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
    return failures > 0 ? Fail(last_error) : kExitOk;
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
  std::cerr << fmt::format(
      "{} queries ({} failed); latency ms: p50 {:.3f}, p90 {:.3f}, p99 {:.3f}, max {:.3f}\n", count,
      failures, Percentile(latencies, 0.50), Percentile(latencies, 0.90),
      Percentile(latencies, 0.99), Percentile(latencies, 1.0));
  return failures > 0 ? kExitFailure : kExitOk;
}

}  // namespace seedcast::cli

// AppContext: everything the use cases share, owned in one place and passed to them; nothing of
// it is global. It owns the connection pool, the rule book, the fake-account classifier and the
// quality scorer, the one search index with its change-feed follower (search and planning use the
// same index), and the planning state (histories and the completion model). It borrows the clock.
// The classifier and scorer live in the QualityEngine, which locks for itself.
//
// Thread-safe: any number of use cases may run on it at once. The index is loaded once, by the
// first caller that needs it (or LoadIndex), while others wait; the follower keeps it current
// from then on. The completion model is not thread-safe (xgboost), so planning runs under a lock.
#pragma once

#include <absl/base/thread_annotations.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "app/quality.h"
#include "app/view_cache.h"
#include "campaign/planning.h"
#include "common/clock.h"
#include "common/mutex.h"
#include "common/status.h"
#include "compliance/rules.h"
#include "config/config.h"
#include "search/index.h"
#include "search/loader.h"
#include "storage/connection_pool.h"

namespace seedcast::app {

class KeyRing;

struct ContextOptions {
  int pool_size = 8;
  int64_t acquire_timeout_ms = 5'000;
  int64_t statement_timeout_ms = 30'000;
  int load_threads = 2;        // threads that load the index (1 for an in-memory database)
  bool lookalikes = true;      // keep lookalike profiles (more memory)
  bool follow_changes = true;  // follow the change feed once the index is loaded
  // Whether the first use case that needs the index loads it (and waits). A server loads it on a
  // thread of its own instead: until then, use cases that need it fail fast with kUnavailable
  // (index_loading), so no request thread waits for the load.
  bool load_index_on_demand = true;
  int64_t follow_interval_ms = 200;
  size_t view_cache_entries = 20'000;  // finished creator answers kept (0: none)
  // Whether the use cases that queue mail deliver it before they return (the command line); a
  // server delivers from a thread of its own instead (no request waits for a mail server, and
  // answers take as long whether or not a message was queued).
  bool deliver_mail_inline = true;
  std::string model_dir;               // classifier files; "" = the built-in model
  std::optional<double> quality_gate;  // 0-100; overrides the configured gate
};

struct IndexInfo {
  bool loaded = false;
  std::string load_error;  // why the last load failed, while not loaded
  int64_t accounts = 0;
  double load_seconds = 0;
  int64_t cursor = 0;     // the change-feed position applied
  int64_t feed_head = 0;  // the newest position in the store, as last polled
  // The follower's thread (a store other than in-memory, following changes):
  bool follower_running = false;
  int64_t follower_ok_age_ms = -1;  // since its last good poll; -1 before the first
  int64_t follower_failures = 0;
  bool follower_healthy = true;  // its last poll succeeded
  std::string follower_error;    // the last one, if any
  bool lookalike_graph = false;
  search::MemoryReport memory;
};

class AppContext {
 public:
  // Opens the pool and brings the schema up to date; loads the rules and the classifier. The
  // index is loaded later, on first use.
  static Result<std::unique_ptr<AppContext>> Open(const config::Config& config, const Clock& clock,
                                                  ContextOptions options);
  ~AppContext();
  AppContext(const AppContext&) = delete;
  AppContext& operator=(const AppContext&) = delete;

  const config::Config& config() const { return config_; }
  const Clock& clock() const { return clock_; }
  storage::ConnectionPool& pool() { return *pool_; }
  const compliance::RuleBook& rules() const { return *rules_; }
  const ContextOptions& options() const { return options_; }
  // Schema migrations applied when the context opened.
  int migrations_applied() const { return migrations_applied_; }
  // The quality gate, 0-1.
  double quality_gate() const;
  // The key ring of personal data, read from the key file ([accounts] key_file) on first use,
  // and again when the file has changed (checked at most once a second: a rotation run
  // elsewhere reaches this server within a second) or by ReloadKeyring; kFailedPrecondition
  // while there is none.
  Result<std::shared_ptr<const KeyRing>> keyring();
  Status ReloadKeyring();

  QualityEngine& quality() { return *quality_; }

  // The search index, loaded on the first call (unless load_index_on_demand is off: then
  // kUnavailable until LoadIndex has run).
  Result<search::CreatorIndex*> Index();
  Status LoadIndex();
  // Builds the lookalike graph once (minutes at 10M; searches go on meanwhile, and lookalike
  // queries are exact until it is in place).
  void EnsureLookalikeGraph();
  // Stops long work in the background (a graph being built) at its next check; for shutdown.
  void CancelBackgroundWork() { cancel_ = true; }
  IndexInfo index_info() const;
  // Applies the change feed now (a no-op before the index is loaded). Returns entries read.
  Result<int64_t> CatchUp();
  // Reads the newest change-feed position from the store (for index_info's lag).
  Result<int64_t> RefreshFeedHead();

  // Finished answers about creators, by creator id. Used only while something tells the cache of
  // every change: a healthy change-feed follower (its last poll succeeded), or, for an in-memory
  // store, the writes of this process, which are all there are.
  ViewCache& creator_views() { return creator_views_; }
  bool creator_views_current() const;

  // Runs `body` with the planning state over the index, one caller at a time. The histories and
  // the completion model are retrained when assignments changed since the last call.
  Status WithPlanning(const std::function<Status(campaign::PlanningContext&)>& body);

 private:
  AppContext(const config::Config& config, const Clock& clock, ContextOptions options);
  Status LoadIndexLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(index_mu_);
  bool InMemoryStore() const { return in_memory_; }
  void DropViews(std::span<const int64_t> creators, bool everything);

  const config::Config config_;
  const Clock& clock_;
  const ContextOptions options_;
  const bool in_memory_;  // an in-memory SQLite store: one connection, this process only
  std::unique_ptr<storage::ConnectionPool> pool_;
  std::unique_ptr<compliance::RuleBook> rules_;
  int migrations_applied_ = 0;

  std::unique_ptr<QualityEngine> quality_;

  mutable Mutex index_mu_;
  std::unique_ptr<search::CreatorIndex> index_ ABSL_GUARDED_BY(index_mu_);
  std::unique_ptr<storage::Database> follower_db_ ABSL_GUARDED_BY(index_mu_);
  std::unique_ptr<search::IndexFollower> follower_ ABSL_GUARDED_BY(index_mu_);
  // The same, for the cache's hot path (set once, when the index is loaded).
  std::atomic<const search::IndexFollower*> live_follower_{nullptr};
  // For an in-memory store: polled only through CatchUp, with the pool's one connection.
  std::unique_ptr<search::IndexFollower> memory_follower_ ABSL_GUARDED_BY(index_mu_);
  double load_seconds_ ABSL_GUARDED_BY(index_mu_) = 0;
  std::atomic<bool> index_loaded_{false};
  std::atomic<bool> graph_built_{false};
  std::atomic<bool> cancel_{false};
  Mutex graph_mu_;
  std::atomic<int64_t> feed_head_{0};
  mutable Mutex errors_mu_;
  Mutex keyring_mu_;
  std::shared_ptr<const KeyRing> keyring_ ABSL_GUARDED_BY(keyring_mu_);
  std::filesystem::file_time_type keyring_mtime_ ABSL_GUARDED_BY(keyring_mu_);
  int64_t keyring_checked_ms_ ABSL_GUARDED_BY(keyring_mu_) = 0;
  std::string follower_error_ ABSL_GUARDED_BY(errors_mu_);
  std::string index_error_ ABSL_GUARDED_BY(errors_mu_);
  ViewCache creator_views_;

  Mutex planning_mu_;
  std::unique_ptr<campaign::PlanningContext> planning_ ABSL_GUARDED_BY(planning_mu_);
  std::string planning_signature_ ABSL_GUARDED_BY(planning_mu_);
};

}  // namespace seedcast::app

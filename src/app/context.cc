#include "app/context.h"

#include <fmt/format.h>

#include <chrono>
#include <thread>

#include "app/secrets.h"
#include "common/clock.h"
#include "storage/migrations.h"

namespace seedcast::app {
namespace {

bool InMemory(const std::string& url) { return url.find(":memory:") != std::string::npos; }

}  // namespace

AppContext::AppContext(const config::Config& config, const Clock& clock, ContextOptions options)
    : config_(config),
      clock_(clock),
      options_(std::move(options)),
      in_memory_(InMemory(config_.db_url)),
      creator_views_(options_.view_cache_entries) {}

AppContext::~AppContext() {
  cancel_ = true;
  MutexLock lock(&index_mu_);
  if (follower_) follower_->Stop();
}

Result<std::unique_ptr<AppContext>> AppContext::Open(const config::Config& config,
                                                     const Clock& clock, ContextOptions options) {
  std::unique_ptr<AppContext> ctx(new AppContext(config, clock, std::move(options)));
  SEEDCAST_ASSIGN_OR_RETURN(
      ctx->pool_,
      storage::ConnectionPool::Open({.url = config.db_url,
                                     .max_connections = ctx->options_.pool_size,
                                     .acquire_timeout_ms = ctx->options_.acquire_timeout_ms,
                                     .statement_timeout_ms = ctx->options_.statement_timeout_ms}));
  {
    SEEDCAST_ASSIGN_OR_RETURN(storage::ConnectionPool::Lease db,
                              ctx->pool_->Acquire(storage::Intent::kWrite));
    SEEDCAST_ASSIGN_OR_RETURN(ctx->migrations_applied_, storage::Migrate(*db, clock));
  }
  SEEDCAST_ASSIGN_OR_RETURN(compliance::RuleBook rules, compliance::BuiltInRules());
  ctx->rules_ = std::make_unique<compliance::RuleBook>(std::move(rules));
  Result<std::unique_ptr<QualityEngine>> engine = QualityEngine::Load(
      ctx->options_.model_dir, ctx->options_.quality_gate.value_or(config.quality_gate));
  if (!engine.ok()) return engine.status().WithField("model");
  ctx->quality_ = std::move(engine).value();
  return ctx;
}

Result<std::shared_ptr<const KeyRing>> AppContext::keyring() {
  constexpr int64_t kCheckEveryMs = 1'000;
  const int64_t now = SteadyNowMs();
  {
    MutexLock lock(&keyring_mu_);
    if (keyring_ && now - keyring_checked_ms_ < kCheckEveryMs) return keyring_;
  }
  std::error_code ec;
  const auto mtime = std::filesystem::last_write_time(config_.accounts.key_file, ec);
  {
    MutexLock lock(&keyring_mu_);
    if (keyring_ && !ec && mtime == keyring_mtime_) {
      keyring_checked_ms_ = now;
      return keyring_;
    }
  }
  SEEDCAST_RETURN_IF_ERROR(ReloadKeyring());
  MutexLock lock(&keyring_mu_);
  return keyring_;
}

Status AppContext::ReloadKeyring() {
  std::error_code ec;
  const auto mtime = std::filesystem::last_write_time(config_.accounts.key_file, ec);
  Result<KeyRing> loaded = KeyRing::Load(config_.accounts.key_file);
  if (!loaded.ok()) {
    if (loaded.status().code() == StatusCode::kNotFound) {
      return FailedPrecondition("no_key_file",
                                "personal data needs a key file; make one with `seedcast keys "
                                "init` (it is looked for at " +
                                    config_.accounts.key_file + ")");
    }
    return loaded.status();
  }
  auto ring = std::make_shared<const KeyRing>(std::move(loaded).value());
  MutexLock lock(&keyring_mu_);
  keyring_ = std::move(ring);
  keyring_mtime_ = mtime;
  keyring_checked_ms_ = SteadyNowMs();
  return Status::Ok();
}

double AppContext::quality_gate() const {
  return options_.quality_gate.value_or(config_.quality_gate) / 100.0;
}

Status AppContext::LoadIndexLocked() {
  auto index = std::make_unique<search::CreatorIndex>(
      search::IndexOptions{.tiers = config_.tiers, .lookalikes = options_.lookalikes});
  SEEDCAST_ASSIGN_OR_RETURN(storage::ConnectionPool::Lease db, pool_->Acquire());
  SEEDCAST_ASSIGN_OR_RETURN(
      search::LoadStats loaded,
      search::LoadIndex(config_.db_url, &*db, in_memory_ ? 1 : options_.load_threads,
                        campaign::CampaignBookings(), index.get()));
  load_seconds_ = loaded.seconds;
  feed_head_ = loaded.cursor;
  if (in_memory_) {
    // One connection is the whole database: its changes are applied through the pool's
    // connection, by CatchUp.
    memory_follower_ = std::make_unique<search::IndexFollower>(*db, *index, loaded.cursor,
                                                               campaign::CampaignBookings());
    memory_follower_->OnCreatorsChanged(
        [this](std::span<const int64_t> ids, bool everything) { DropViews(ids, everything); });
    index_ = std::move(index);
    return Status::Ok();
  }
  // The index is kept only once its follower exists: a failure here leaves nothing half set up.
  SEEDCAST_ASSIGN_OR_RETURN(follower_db_, storage::OpenDatabase(config_.db_url));
  follower_ = std::make_unique<search::IndexFollower>(*follower_db_, *index, loaded.cursor,
                                                      campaign::CampaignBookings());
  follower_->OnCreatorsChanged(
      [this](std::span<const int64_t> ids, bool everything) { DropViews(ids, everything); });
  index_ = std::move(index);
  live_follower_ = follower_.get();
  if (options_.follow_changes) {
    follower_->Start(
        std::chrono::milliseconds(options_.follow_interval_ms),
        [this](const Status& error) {
          // A poll that failed part way may have missed telling the cache: it starts afresh,
          // and is not used until a poll succeeds again.
          creator_views_.Clear();
          MutexLock lock(&errors_mu_);
          follower_error_ = error.ToString();
        },
        [url = config_.db_url] { return storage::OpenDatabase(url); });
  }
  return Status::Ok();
}

bool AppContext::creator_views_current() const {
  if (!index_loaded_) return false;
  if (InMemoryStore()) return true;
  const search::IndexFollower* follower = live_follower_.load();
  return options_.follow_changes && follower != nullptr && follower->healthy();
}

void AppContext::DropViews(std::span<const int64_t> creators, bool everything) {
  if (everything) {
    creator_views_.Clear();
  } else {
    creator_views_.Invalidate(creators);
  }
}

Status AppContext::LoadIndex() {
  MutexLock lock(&index_mu_);
  if (!index_) {
    const Status loaded = LoadIndexLocked();
    MutexLock error_lock(&errors_mu_);
    index_error_ = loaded.ok() ? "" : loaded.ToString();
    SEEDCAST_RETURN_IF_ERROR(loaded);
    index_loaded_ = true;
  }
  return Status::Ok();
}

Result<search::CreatorIndex*> AppContext::Index() {
  if (!index_loaded_ && !options_.load_index_on_demand) {
    return Status(StatusCode::kUnavailable, "the search index is still loading; retry shortly")
        .WithReason("index_loading");
  }
  SEEDCAST_RETURN_IF_ERROR(LoadIndex());
  MutexLock lock(&index_mu_);
  return index_.get();
}

void AppContext::EnsureLookalikeGraph() {
  if (graph_built_ || !options_.lookalikes) return;
  MutexLock lock(&graph_mu_);
  if (graph_built_) return;
  if (!LoadIndex().ok()) return;
  Result<search::CreatorIndex*> index = Index();
  if (!index.ok()) return;
  graph_built_ = (*index)->BuildLookalikeGraph(options_.load_threads, &cancel_);
}

IndexInfo AppContext::index_info() const {
  IndexInfo info;
  info.loaded = index_loaded_;
  info.lookalike_graph = graph_built_;
  info.feed_head = feed_head_;
  if (!info.loaded) {
    MutexLock error_lock(&errors_mu_);
    info.load_error = index_error_;
    return info;
  }
  MutexLock lock(&index_mu_);
  info.accounts = index_->size();
  info.load_seconds = load_seconds_;
  if (follower_ && options_.follow_changes) {
    info.follower_running = true;
    const int64_t ok_ms = follower_->last_ok_ms();
    info.follower_ok_age_ms = ok_ms == 0 ? -1 : SteadyNowMs() - ok_ms;
    info.follower_failures = follower_->failures();
    info.follower_healthy = follower_->healthy();
    MutexLock error_lock(&errors_mu_);
    info.follower_error = follower_error_;
  }
  info.cursor = follower_          ? follower_->cursor()
                : memory_follower_ ? memory_follower_->cursor()
                                   : feed_head_.load();
  info.memory = index_->Memory();
  return info;
}

Result<int64_t> AppContext::RefreshFeedHead() {
  SEEDCAST_ASSIGN_OR_RETURN(storage::ConnectionPool::Lease db, pool_->Acquire());
  SEEDCAST_ASSIGN_OR_RETURN(int64_t head,
                            db->QueryInt("SELECT COALESCE(MAX(seq), 0) FROM index_changes"));
  feed_head_ = head;
  return head;
}

Result<int64_t> AppContext::CatchUp() {
  if (!index_loaded_) return 0;
  SEEDCAST_ASSIGN_OR_RETURN(const int64_t head, RefreshFeedHead());
  MutexLock lock(&index_mu_);
  if (memory_follower_ != nullptr) {
    // An in-memory store: follow it through a pooled connection, here.
    SEEDCAST_ASSIGN_OR_RETURN(storage::ConnectionPool::Lease db, pool_->Acquire());
    return memory_follower_->PollOnce(*db);
  }
  if (!options_.follow_changes) return follower_->PollOnce();
  // The follower's thread applies the feed; wait (bounded) until it has reached the head.
  for (int i = 0; i < 300 && follower_->cursor() < head; ++i) {
    index_mu_.Unlock();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    index_mu_.Lock();
  }
  if (follower_->cursor() < head) {
    return Status(
        StatusCode::kDeadlineExceeded,
        fmt::format("the index is at change {} of {} after 3 s", follower_->cursor(), head));
  }
  return head;
}

Status AppContext::WithPlanning(const std::function<Status(campaign::PlanningContext&)>& body) {
  SEEDCAST_ASSIGN_OR_RETURN(search::CreatorIndex * index, Index());
  MutexLock lock(&planning_mu_);
  {
    // The lease goes back before `body` runs: a one-connection pool (in-memory SQLite) has
    // nothing else to lend it.
    SEEDCAST_ASSIGN_OR_RETURN(storage::ConnectionPool::Lease db, pool_->Acquire());
    // What the histories depend on: every assignment's latest change.
    std::string signature;
    SEEDCAST_RETURN_IF_ERROR(db->Query(
        "SELECT COUNT(*), COALESCE(MAX(updated_at_ms), 0), COALESCE(MAX(id), 0) FROM assignments",
        {}, [&signature](const storage::Row& r) {
          signature = fmt::format("{}:{}:{}", r.Int(0), r.Int(1), r.Int(2));
          return Status::Ok();
        }));
    if (!planning_ || signature != planning_signature_) {
      SEEDCAST_ASSIGN_OR_RETURN(
          planning_, campaign::LoadPlanning(*db, clock_, *index, config_.tiers, quality_gate()));
      planning_signature_ = signature;
    }
  }
  return body(*planning_);
}

}  // namespace seedcast::app

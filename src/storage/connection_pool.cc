#include "storage/connection_pool.h"

#include <fmt/format.h>

#include <utility>

namespace seedcast::storage {

ConnectionPool::Lease::Lease(Lease&& other) noexcept
    : pool_(std::exchange(other.pool_, nullptr)),
      db_(std::move(other.db_)),
      writer_(other.writer_) {}

ConnectionPool::Lease::~Lease() {
  if (pool_ != nullptr) pool_->Return(std::move(db_), writer_);
}

ConnectionPool::ConnectionPool(PoolOptions options, Backend backend)
    : options_(std::move(options)), backend_(backend) {}

ConnectionPool::~ConnectionPool() = default;

Result<std::unique_ptr<ConnectionPool>> ConnectionPool::Open(PoolOptions options) {
  if (options.url.find(":memory:") != std::string::npos) options.max_connections = 1;
  if (options.max_connections < 1) {
    return InvalidArgument("a connection pool needs at least one connection").WithField("threads");
  }
  SEEDCAST_ASSIGN_OR_RETURN(std::unique_ptr<Database> first, OpenDatabase(options.url));
  SEEDCAST_RETURN_IF_ERROR(first->SetStatementTimeout(options.statement_timeout_ms));
  const Backend backend = first->backend();
  std::unique_ptr<ConnectionPool> pool(new ConnectionPool(std::move(options), backend));
  MutexLock lock(&pool->mu_);
  pool->idle_.push_back(std::move(first));
  pool->open_ = 1;
  return pool;
}

Result<std::unique_ptr<Database>> ConnectionPool::Connect() {
  SEEDCAST_ASSIGN_OR_RETURN(std::unique_ptr<Database> db, OpenDatabase(options_.url));
  SEEDCAST_RETURN_IF_ERROR(db->SetStatementTimeout(options_.statement_timeout_ms));
  return db;
}

Result<ConnectionPool::Lease> ConnectionPool::Acquire(Intent intent) {
  return AcquireWithin(intent, options_.acquire_timeout_ms);
}

std::optional<ConnectionPool::Lease> ConnectionPool::TryAcquire(Intent intent) {
  Result<Lease> lease = AcquireWithin(intent, 0);
  if (!lease.ok()) return std::nullopt;
  return std::move(lease).value();
}

Result<ConnectionPool::Lease> ConnectionPool::AcquireWithin(Intent intent, int64_t timeout_ms) {
  const bool writer = intent == Intent::kWrite && backend_ == Backend::kSqlite;
  std::unique_ptr<Database> db;
  bool must_open = false;
  {
    MutexLock lock(&mu_);
    auto ready = [this, writer]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      const bool slot = !idle_.empty() || open_ < options_.max_connections;
      return slot && (!writer || !writer_busy_);
    };
    if (!ready()) {
      if (timeout_ms <= 0) return Status(StatusCode::kResourceExhausted, "no connection is free");
      ++waits_;
      const bool got = free_.WaitFor(std::chrono::milliseconds(timeout_ms), [&]() {
        mu_.AssertHeld();  // WaitFor calls the predicate with the lock held
        return ready();
      });
      if (!got) {
        ++timeouts_;
        return Status(StatusCode::kResourceExhausted,
                      fmt::format("every database connection ({}) stayed busy for {} ms",
                                  options_.max_connections, timeout_ms))
            .WithReason("pool_exhausted");
      }
    }
    if (writer) writer_busy_ = true;
    ++in_use_;
    if (!idle_.empty()) {
      db = std::move(idle_.back());
      idle_.pop_back();
      if (!db->Alive()) {
        db.reset();
        ++reconnects_;
        must_open = true;
      }
    } else {
      ++open_;
      must_open = true;
    }
  }
  if (must_open) {
    Result<std::unique_ptr<Database>> opened = Connect();
    if (!opened.ok()) {
      MutexLock lock(&mu_);
      --open_;
      --in_use_;
      if (writer) writer_busy_ = false;
      free_.SignalAll();
      return opened.status();
    }
    db = std::move(opened).value();
  }
  return Lease(this, std::move(db), writer);
}

void ConnectionPool::Return(std::unique_ptr<Database> db, bool writer) {
  MutexLock lock(&mu_);
  free_.SignalAll();
  --in_use_;
  if (writer) writer_busy_ = false;
  if (db != nullptr && db->Alive()) {
    idle_.push_back(std::move(db));
  } else {
    --open_;
  }
}

PoolStats ConnectionPool::stats() const {
  MutexLock lock(&mu_);
  return {.open = open_,
          .in_use = in_use_,
          .max = options_.max_connections,
          .waits = waits_,
          .timeouts = timeouts_,
          .reconnects = reconnects_};
}

}  // namespace seedcast::storage

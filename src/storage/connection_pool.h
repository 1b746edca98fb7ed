// ConnectionPool: a bounded set of Database connections shared by the threads of a server.
//
// Acquire() hands out a Lease, which returns its connection when destroyed. When every connection
// is in use, Acquire waits up to the acquire timeout and then fails with kResourceExhausted. A
// connection found broken (Database::Alive false, e.g. PostgreSQL restarted) is dropped and a new
// one opened in its place. Every connection gets the statement timeout.
//
// SQLite has one writer at a time: a lease taken with Intent::kWrite also holds the pool's single
// write slot, so writers queue here (with the acquire timeout) rather than spinning on SQLite's
// busy handler. An in-memory SQLite database is one connection (each would be a database of its
// own), so its pool has size 1.
//
// Thread-safe. The pool must outlive its leases.
#pragma once

#include <absl/base/thread_annotations.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/mutex.h"
#include "common/status.h"
#include "storage/database.h"

namespace seedcast::storage {

struct PoolOptions {
  std::string url;
  int max_connections = 8;
  int64_t acquire_timeout_ms = 5'000;
  int64_t statement_timeout_ms = 30'000;  // 0: none
};

struct PoolStats {
  int open = 0;       // connections that exist
  int in_use = 0;     // handed out
  int max = 0;        // the bound
  int64_t waits = 0;  // acquires that had to wait
  int64_t timeouts = 0;
  int64_t reconnects = 0;
};

enum class Intent { kRead, kWrite };

class ConnectionPool {
 public:
  class Lease {
   public:
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();
    Database& operator*() const { return *db_; }
    Database* operator->() const { return db_.get(); }
    Database& db() const { return *db_; }

   private:
    friend class ConnectionPool;
    Lease(ConnectionPool* pool, std::unique_ptr<Database> db, bool writer)
        : pool_(pool), db_(std::move(db)), writer_(writer) {}
    ConnectionPool* pool_;
    std::unique_ptr<Database> db_;
    bool writer_;
  };

  // Opens one connection to check the URL; the rest are opened as they are needed.
  static Result<std::unique_ptr<ConnectionPool>> Open(PoolOptions options);
  ~ConnectionPool();
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  Result<Lease> Acquire(Intent intent = Intent::kRead);
  // The same without waiting: nullopt when no connection (or the write slot) is free now.
  std::optional<Lease> TryAcquire(Intent intent);
  PoolStats stats() const;
  const std::string& url() const { return options_.url; }
  Backend backend() const { return backend_; }

 private:
  explicit ConnectionPool(PoolOptions options, Backend backend);
  Result<std::unique_ptr<Database>> Connect();
  Result<Lease> AcquireWithin(Intent intent, int64_t timeout_ms);
  void Return(std::unique_ptr<Database> db, bool writer);

  const PoolOptions options_;
  const Backend backend_;
  mutable Mutex mu_;
  CondVar free_{&mu_};  // a connection or the write slot came back
  std::vector<std::unique_ptr<Database>> idle_ ABSL_GUARDED_BY(mu_);
  int open_ ABSL_GUARDED_BY(mu_) = 0;
  int in_use_ ABSL_GUARDED_BY(mu_) = 0;
  bool writer_busy_ ABSL_GUARDED_BY(mu_) = false;
  int64_t waits_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t timeouts_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t reconnects_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace seedcast::storage

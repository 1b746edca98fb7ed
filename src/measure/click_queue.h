// ClickQueue: the clicks of tracked-link redirects, held in a bounded queue in memory and written
// by a thread of its own in batches (links.h WriteClicks), so that a redirect never waits for the
// store: the request thread only appends under a lock.
//
// A batch is written when `batch` clicks are waiting or `flush_interval_ms` has passed. A batch
// that fails to write (the store away) is kept and tried again at the next interval while it fits
// in the queue. What is lost, and counted in stats():
//   - clicks arriving while the queue holds `capacity` clicks (the store has been away long);
//   - on a crash, the clicks not yet written: at most one interval's worth, or `batch`.
// Destruction (a graceful stop) writes everything still queued first.
//
// Owns its thread; borrows the pool and clock, which must outlive it. Thread-safe.
#pragma once

#include <cstdint>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/mutex.h"
#include "measure/links.h"
#include "storage/connection_pool.h"

namespace seedcast::measure {

// The nice value of the writing thread (Linux: per thread): below the request threads.
inline constexpr int kWriterNice = 10;

struct ClickQueueOptions {
  size_t capacity = 100'000;
  size_t batch = 2'000;
  int64_t flush_interval_ms = 250;
  bool background = true;  // false: no thread; the owner calls Flush (tests)
};

struct ClickQueueStats {
  int64_t queued = 0;   // waiting now
  int64_t written = 0;  // since start
  int64_t dropped = 0;  // refused: the queue was full
  int64_t failed_writes = 0;
};

class ClickQueue {
 public:
  ClickQueue(storage::ConnectionPool& pool, const Clock& clock, ClickQueueOptions options = {});
  ~ClickQueue();
  ClickQueue(const ClickQueue&) = delete;
  ClickQueue& operator=(const ClickQueue&) = delete;

  // Queues a click; false (and counted as dropped) when the queue is full.
  bool Add(Click click);
  // Writes every click queued now; on failure they stay queued.
  Status Flush();
  ClickQueueStats stats() const;

 private:
  void Run();
  Status WriteBatch(std::vector<Click>& batch);

  storage::ConnectionPool& pool_;
  const Clock& clock_;
  const ClickQueueOptions options_;
  Mutex write_mu_;  // one batch written at a time (the thread, or Flush)
  mutable Mutex mu_;
  CondVar wake_{&mu_};
  std::vector<Click> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  ClickQueueStats stats_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;
};

}  // namespace seedcast::measure

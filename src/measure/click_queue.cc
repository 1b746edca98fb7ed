#include "measure/click_queue.h"

#include <sys/resource.h>
#include <unistd.h>

#include <iostream>

namespace seedcast::measure {

ClickQueue::ClickQueue(storage::ConnectionPool& pool, const Clock& clock, ClickQueueOptions options)
    : pool_(pool), clock_(clock), options_(options) {
  if (options_.background) thread_ = std::thread([this] { Run(); });
}

ClickQueue::~ClickQueue() {
  {
    MutexLock lock(&mu_);
    stopping_ = true;
  }
  wake_.SignalAll();
  if (thread_.joinable()) thread_.join();
  if (Status s = Flush(); !s.ok()) {
    std::cerr << "error: clicks not written at shutdown: " << s.ToString() << "\n";
  }
}

bool ClickQueue::Add(Click click) {
  bool wake = false;
  {
    MutexLock lock(&mu_);
    if (queue_.size() >= options_.capacity) {
      ++stats_.dropped;
      return false;
    }
    queue_.push_back(std::move(click));
    wake = queue_.size() == options_.batch;
  }
  if (wake) wake_.SignalAll();
  return true;
}

Status ClickQueue::WriteBatch(std::vector<Click>& batch) {
  Result<storage::ConnectionPool::Lease> db = pool_.Acquire(storage::Intent::kWrite);
  Status written =
      db.ok() ? WriteClicks(**db, batch, AgentClassifier::BuiltIn(), clock_.NowMs()) : db.status();
  MutexLock lock(&mu_);
  if (written.ok()) {
    stats_.written += static_cast<int64_t>(batch.size());
    return written;
  }
  ++stats_.failed_writes;
  // Kept for the next try, ahead of newer clicks, as far as the queue has room.
  const size_t room = options_.capacity > queue_.size() ? options_.capacity - queue_.size() : 0;
  const size_t kept = std::min(room, batch.size());
  stats_.dropped += static_cast<int64_t>(batch.size() - kept);
  queue_.insert(queue_.begin(), std::make_move_iterator(batch.begin()),
                std::make_move_iterator(batch.begin() + static_cast<std::ptrdiff_t>(kept)));
  return written;
}

Status ClickQueue::Flush() {
  MutexLock writing(&write_mu_);
  std::vector<Click> batch;
  {
    MutexLock lock(&mu_);
    batch.swap(queue_);
  }
  if (batch.empty()) return Status::Ok();
  return WriteBatch(batch);
}

void ClickQueue::Run() {
  // Background work: under load the redirects' threads come first. Classifying agents and
  // writing a batch takes milliseconds of a core; at normal priority it delays the requests that
  // share that core (measured: bench/results/redirect.md).
  (void)setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), kWriterNice);
  for (;;) {
    {
      MutexLock lock(&mu_);
      wake_.WaitFor(std::chrono::milliseconds(options_.flush_interval_ms),
                    [this]() ABSL_NO_THREAD_SAFETY_ANALYSIS {
                      return stopping_ || queue_.size() >= options_.batch;
                    });
      if (stopping_) return;  // the destructor writes what is left
    }
    if (Status s = Flush(); !s.ok()) {
      std::cerr << "error: writing clicks (kept for the next try): " << s.ToString() << "\n";
    }
  }
}

ClickQueueStats ClickQueue::stats() const {
  MutexLock lock(&mu_);
  ClickQueueStats out = stats_;
  out.queued = static_cast<int64_t>(queue_.size());
  return out;
}

}  // namespace seedcast::measure

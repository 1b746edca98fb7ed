#include "search/query_pool.h"

#include <atomic>
#include <boost/asio/post.hpp>
#include <memory>

#include "common/mutex.h"

namespace seedcast::search {
namespace {

// One part handed to the pool: whoever claims it first runs it.
struct Handoff {
  explicit Handoff(const std::function<void()>& w) : work(&w) {}
  const std::function<void()>* work;
  std::atomic<bool> claimed{false};
  Mutex mu;
  CondVar done_cv{&mu};
  bool done ABSL_GUARDED_BY(mu) = false;
};

}  // namespace

QueryPool::QueryPool(int threads) : threads_(std::max(0, threads)) {
  if (threads_ > 0) pool_.emplace(static_cast<size_t>(threads_));
}

QueryPool::~QueryPool() {
  if (pool_) pool_->join();
}

void QueryPool::RunBoth(const std::function<void()>& here, const std::function<void()>& there) {
  if (threads_ == 0) {
    here();
    there();
    return;
  }
  auto handoff = std::make_shared<Handoff>(there);
  boost::asio::post(*pool_, [handoff] {
    if (handoff->claimed.exchange(true)) return;  // the query ran it already
    (*handoff->work)();
    MutexLock lock(&handoff->mu);
    handoff->done = true;
    handoff->done_cv.SignalAll();
  });
  here();
  if (!handoff->claimed.exchange(true)) {
    there();  // no pool thread got to it: the caller's own thread is free now
    return;
  }
  MutexLock lock(&handoff->mu);
  while (!handoff->done_cv.WaitFor(std::chrono::milliseconds(1000), [&] {
    handoff->mu.AssertHeld();  // WaitFor calls the predicate with the lock held
    return handoff->done;
  })) {
  }
}

}  // namespace seedcast::search

// QueryPool: the threads that share the large scans of queries. It is made once, with the index;
// no thread is started per query. A query hands one part of its work to the pool and does the
// other itself; if no pool thread has picked that part up by the time the query is done with its
// own, the query runs it too. So a busy pool slows a query down to one thread, never below.
//
// Thread-safe: any number of queries may share one pool.
#pragma once

#include <boost/asio/thread_pool.hpp>
#include <functional>
#include <optional>

namespace seedcast::search {

class QueryPool {
 public:
  // `threads` pool threads (0: every part runs on the calling thread).
  explicit QueryPool(int threads);
  ~QueryPool();
  QueryPool(const QueryPool&) = delete;
  QueryPool& operator=(const QueryPool&) = delete;

  // Runs `here` on the calling thread and `there` on a pool thread (or, failing one, here after
  // `here`); returns when both are done. Neither may throw.
  void RunBoth(const std::function<void()>& here, const std::function<void()>& there);

  int threads() const { return threads_; }

 private:
  const int threads_;
  std::optional<boost::asio::thread_pool> pool_;  // none with 0 threads
};

}  // namespace seedcast::search

#include "search/query_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace seedcast::search {
namespace {

TEST(QueryPoolTest, RunsBothPartsOnceWithOrWithoutThreads) {
  for (int threads : {0, 1, 2}) {
    QueryPool pool(threads);
    int here = 0;
    int there = 0;
    pool.RunBoth([&] { ++here; }, [&] { ++there; });
    EXPECT_EQ(here, 1) << threads;
    EXPECT_EQ(there, 1) << threads;
  }
}

TEST(QueryPoolTest, ManyCallersAtOnceEachGetBothPartsDone) {
  QueryPool pool(1);
  std::atomic<int64_t> sum{0};
  std::vector<std::thread> callers;
  callers.reserve(6);
  for (int t = 0; t < 6; ++t) {
    callers.emplace_back([&] {
      for (int i = 0; i < 500; ++i) {
        int64_t mine = 0;
        int64_t theirs = 0;
        pool.RunBoth([&] { mine = 1; }, [&] { theirs = 2; });
        // Both parts are done when RunBoth returns: what they wrote is visible here.
        sum += mine + theirs;
      }
    });
  }
  for (std::thread& c : callers) c.join();
  EXPECT_EQ(sum, 6 * 500 * 3);
}

// A busy pool never leaves a query waiting: the caller runs the part nobody picked up.
TEST(QueryPoolTest, ACallerTakesBackThePartABusyPoolHasNotStarted) {
  QueryPool pool(1);
  std::atomic<bool> started{false};
  std::atomic<bool> release{false};
  std::thread holder([&] {
    pool.RunBoth(
        [&] {
          while (!started) std::this_thread::yield();
        },
        [&] {
          started = true;  // the pool's only thread is here until released
          while (!release) std::this_thread::yield();
        });
  });
  while (!started) std::this_thread::yield();
  const std::thread::id caller = std::this_thread::get_id();
  std::thread::id ran_on;
  pool.RunBoth([] {}, [&] { ran_on = std::this_thread::get_id(); });
  EXPECT_EQ(ran_on, caller);
  release = true;
  holder.join();
}

}  // namespace
}  // namespace seedcast::search

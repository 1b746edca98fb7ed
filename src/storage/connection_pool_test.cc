// ConnectionPool: the bound, the acquire timeout, the single SQLite writer, reconnects, the
// statement timeout, and many threads sharing it (also run under ThreadSanitizer).
#include "storage/connection_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "storage/migrations.h"

namespace seedcast::storage {
namespace {

std::string TempUrl(const std::string& name) {
  const auto path =
      std::filesystem::temp_directory_path() / (name + "-" + std::to_string(::getpid()) + ".db");
  std::filesystem::remove(path);
  return "sqlite:" + path.string();
}

TEST(ConnectionPoolTest, BoundedWithAnAcquireTimeout) {
  auto pool = ConnectionPool::Open(
      {.url = TempUrl("pool-bound"), .max_connections = 2, .acquire_timeout_ms = 50});
  ASSERT_TRUE(pool.ok()) << pool.status().ToString();
  auto a = (*pool)->Acquire();
  auto b = (*pool)->Acquire();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ((*pool)->stats().in_use, 2);
  const auto start = std::chrono::steady_clock::now();
  auto c = (*pool)->Acquire();
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(45));
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(c.status().reason(), "pool_exhausted");
  EXPECT_FALSE((*pool)->TryAcquire(Intent::kRead).has_value());
  { auto released = std::move(*a); }
  EXPECT_TRUE((*pool)->TryAcquire(Intent::kRead).has_value());
  EXPECT_EQ((*pool)->stats().timeouts, 1);
}

TEST(ConnectionPoolTest, SqliteHasOneWriterAtATime) {
  auto pool = ConnectionPool::Open(
      {.url = TempUrl("pool-writer"), .max_connections = 4, .acquire_timeout_ms = 50});
  ASSERT_TRUE(pool.ok());
  auto writer = (*pool)->Acquire(Intent::kWrite);
  ASSERT_TRUE(writer.ok());
  EXPECT_FALSE((*pool)->TryAcquire(Intent::kWrite).has_value());
  EXPECT_TRUE((*pool)->TryAcquire(Intent::kRead).has_value());  // readers are not held up
}

TEST(ConnectionPoolTest, StatementsPastTheTimeoutFail) {
  auto pool = ConnectionPool::Open({.url = TempUrl("pool-timeout"), .statement_timeout_ms = 50});
  ASSERT_TRUE(pool.ok());
  auto db = (*pool)->Acquire();
  ASSERT_TRUE(db.ok());
  // A query that runs for seconds without a timeout.
  auto slow = (*db)->QueryInt(
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000000) "
      "SELECT COUNT(*) FROM n");
  ASSERT_FALSE(slow.ok());
  EXPECT_EQ(slow.status().code(), StatusCode::kDeadlineExceeded);
  EXPECT_TRUE((*db)->QueryInt("SELECT 1").ok());  // the connection is still usable
}

TEST(ConnectionPoolTest, ManyThreadsShareIt) {
  const std::string url = TempUrl("pool-threads");
  auto pool = ConnectionPool::Open({.url = url, .max_connections = 3, .acquire_timeout_ms = 5000});
  ASSERT_TRUE(pool.ok());
  {
    auto db = (*pool)->Acquire(Intent::kWrite);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->ExecuteScript("CREATE TABLE t (v INTEGER)").ok());
  }
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  threads.reserve(6);
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        auto db = (*pool)->Acquire(i % 5 == 0 ? Intent::kWrite : Intent::kRead);
        if (!db.ok()) {
          ++failures;
          continue;
        }
        Status s = i % 5 == 0 ? (*db)->Execute("INSERT INTO t VALUES (?)", {int64_t{t}})
                              : (*db)->QueryInt("SELECT COUNT(*) FROM t").status();
        if (!s.ok()) ++failures;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  const PoolStats stats = (*pool)->stats();
  EXPECT_LE(stats.open, 3);
  EXPECT_EQ(stats.in_use, 0);
  auto db = (*pool)->Acquire();
  ASSERT_TRUE(db.ok());
  EXPECT_EQ(*(*db)->QueryInt("SELECT COUNT(*) FROM t"), 60);
}

TEST(ConnectionPoolTest, AnInMemoryDatabaseIsOneConnection) {
  auto pool = ConnectionPool::Open({.url = "sqlite::memory:", .max_connections = 8});
  ASSERT_TRUE(pool.ok());
  EXPECT_EQ((*pool)->stats().max, 1);
}

}  // namespace
}  // namespace seedcast::storage

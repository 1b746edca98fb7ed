// Mutex, MutexLock and CondVar: std::mutex and std::condition_variable with clang's
// thread-safety annotations (checked by -Wthread-safety in the clang-tidy run), on the model of
// LevelDB's port::Mutex. They sit on pthreads, which ThreadSanitizer understands; a prebuilt
// absl::Mutex is not instrumented, so TSan would see its critical sections as races.
#pragma once

#include <absl/base/thread_annotations.h>

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace seedcast {

class ABSL_LOCKABLE Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void Lock() ABSL_EXCLUSIVE_LOCK_FUNCTION() { mu_.lock(); }
  void Unlock() ABSL_UNLOCK_FUNCTION() { mu_.unlock(); }
  // Tells the analysis the lock is held where it cannot see so (a lambda run under it).
  void AssertHeld() ABSL_ASSERT_EXCLUSIVE_LOCK() {}

 private:
  friend class CondVar;
  std::mutex mu_;
};

class ABSL_SCOPED_LOCKABLE MutexLock {
 public:
  explicit MutexLock(Mutex* mu) ABSL_EXCLUSIVE_LOCK_FUNCTION(mu) : mu_(mu) { mu_->Lock(); }
  ~MutexLock() ABSL_UNLOCK_FUNCTION() { mu_->Unlock(); }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

 private:
  Mutex* mu_;
};

// Waits on a Mutex the caller holds.
class CondVar {
 public:
  explicit CondVar(Mutex* mu) : mu_(mu) {}
  // Waits until `ready()` or `timeout`; returns ready(). The mutex is held again on return.
  template <typename Predicate>
  bool WaitFor(std::chrono::milliseconds timeout, Predicate ready) {
    std::unique_lock<std::mutex> lock(mu_->mu_, std::adopt_lock);
    const bool got = cv_.wait_for(lock, timeout, ready);
    lock.release();
    return got;
  }
  void SignalAll() { cv_.notify_all(); }

 private:
  Mutex* mu_;
  std::condition_variable cv_;
};

}  // namespace seedcast

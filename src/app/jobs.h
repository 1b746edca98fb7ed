// Jobs: long operations (a large import, scoring the whole store, an export) run in the
// background with their progress in the store, so any server can answer GET /v1/jobs/{id}.
//
// JobRunner runs them on a fixed pool of threads (no thread per job). Thread-safe. Destroying it
// waits for the running jobs to end; queued ones are marked failed.
#pragma once

#include <atomic>
#include <boost/asio/thread_pool.hpp>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "app/context.h"

namespace seedcast::app {

struct JobInfo {
  int64_t id = 0;
  std::string kind;
  std::string state;  // queued, running, succeeded, failed
  int64_t done = 0;
  int64_t total = 0;
  nlohmann::ordered_json result;  // when succeeded
  std::string error;              // when failed
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
};

// What a job's body reports its progress through.
using JobProgress = std::function<void(int64_t done, int64_t total)>;
using JobBody = std::function<Result<nlohmann::ordered_json>(const JobProgress&)>;

class JobRunner {
 public:
  JobRunner(AppContext& ctx, int threads);
  ~JobRunner();
  JobRunner(const JobRunner&) = delete;
  JobRunner& operator=(const JobRunner&) = delete;

  // Stores the job as queued and runs it on the pool; returns its id.
  Result<int64_t> Submit(const std::string& kind, JobBody body);

 private:
  void Run(int64_t id, const JobBody& body);

  AppContext& ctx_;
  std::atomic<bool> stopping_{false};
  boost::asio::thread_pool pool_;
};

// A job by id (from any server); NotFound when there is none.
Result<JobInfo> GetJob(AppContext& ctx, int64_t id);
nlohmann::ordered_json JobToJson(const JobInfo& job);

}  // namespace seedcast::app

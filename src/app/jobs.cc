#include "app/jobs.h"

#include <fmt/format.h>

#include <boost/asio/post.hpp>
#include <chrono>

#include "app/guard.h"
#include "common/iso_time.h"

namespace seedcast::app {
namespace {

using storage::ConnectionPool;
using storage::Intent;
using storage::Row;

constexpr int64_t kProgressEveryMs = 250;

Status SetState(AppContext& ctx, int64_t id, std::string_view state, std::string_view result,
                std::string_view error) {
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire(Intent::kWrite));
  return db->Execute(
      "UPDATE jobs SET state = ?, result = ?, error = ?, updated_at_ms = ? WHERE id = ?",
      {state, result, error, ctx.clock().NowMs(), id});
}

}  // namespace

JobRunner::JobRunner(AppContext& ctx, int threads) : ctx_(ctx), pool_(threads) {}

JobRunner::~JobRunner() {
  stopping_ = true;
  pool_.join();
}

Result<int64_t> JobRunner::Submit(const std::string& kind, JobBody body) {
  int64_t id = 0;
  {
    SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx_.pool().Acquire(Intent::kWrite));
    const int64_t now = ctx_.clock().NowMs();
    SEEDCAST_ASSIGN_OR_RETURN(
        id, db->Insert("INSERT INTO jobs (kind, state, created_at_ms, updated_at_ms) VALUES (?, "
                       "'queued', ?, ?)",
                       {std::string_view(kind), now, now}));
  }
  boost::asio::post(pool_, [this, id, body = std::move(body)] { Run(id, body); });
  return id;
}

void JobRunner::Run(int64_t id, const JobBody& body) {
  if (stopping_) {
    (void)SetState(ctx_, id, "failed", "", "the server stopped before the job started");
    return;
  }
  (void)SetState(ctx_, id, "running", "", "");
  auto last = std::chrono::steady_clock::now() - std::chrono::hours(1);
  const JobProgress progress = [&](int64_t done, int64_t total) {
    const auto now = std::chrono::steady_clock::now();
    if (now - last < std::chrono::milliseconds(kProgressEveryMs)) return;
    last = now;
    // Never wait: the job's own body may hold the (SQLite) write slot.
    std::optional<ConnectionPool::Lease> db = ctx_.pool().TryAcquire(Intent::kWrite);
    if (!db) return;
    (void)(*db)->Execute("UPDATE jobs SET done = ?, total = ?, updated_at_ms = ? WHERE id = ?",
                         {done, total, ctx_.clock().NowMs(), id});
  };
  Result<nlohmann::ordered_json> result = Internal("the job did not run");
  const Status guarded = Guard([&] {
    result = body(progress);
    return Status::Ok();
  });
  if (!guarded.ok()) result = guarded;
  if (result.ok()) {
    // A job is done when what it wrote is searchable here (bounded: CatchUp gives up after 3 s).
    (void)ctx_.CatchUp();
    (void)SetState(ctx_, id, "succeeded", result->dump(), "");
  } else {
    (void)SetState(ctx_, id, "failed", "", result.status().ToString());
  }
}

Result<JobInfo> GetJob(AppContext& ctx, int64_t id) {
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire());
  std::optional<JobInfo> job;
  SEEDCAST_RETURN_IF_ERROR(db->Query(
      "SELECT id, kind, state, done, total, result, error, created_at_ms, updated_at_ms FROM jobs "
      "WHERE id = ?",
      {id}, [&job](const Row& r) {
        JobInfo j;
        j.id = r.Int(0);
        j.kind = r.Text(1);
        j.state = r.Text(2);
        j.done = r.Int(3);
        j.total = r.Int(4);
        if (!r.Text(5).empty()) {
          j.result = nlohmann::ordered_json::parse(r.Text(5), nullptr, false);
        }
        j.error = r.Text(6);
        j.created_at_ms = r.Int(7);
        j.updated_at_ms = r.Int(8);
        job = std::move(j);
        return Status::Ok();
      }));
  if (!job) return NotFound(fmt::format("no job has id {}", id));
  return std::move(*job);
}

nlohmann::ordered_json JobToJson(const JobInfo& job) {
  nlohmann::ordered_json j = {{"id", job.id},
                              {"kind", job.kind},
                              {"state", job.state},
                              {"done", job.done},
                              {"total", job.total},
                              {"created_at", FormatIsoTime(job.created_at_ms)},
                              {"updated_at", FormatIsoTime(job.updated_at_ms)}};
  if (job.state == "succeeded") j["result"] = job.result;
  if (job.state == "failed") j["error"] = job.error;
  return j;
}

}  // namespace seedcast::app

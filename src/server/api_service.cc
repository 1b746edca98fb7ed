// Routes of the service itself and of the engines that need no campaign: health, readiness,
// metrics, the OpenAPI document, search, quality, compliance and jobs.
#include <fmt/format.h>

#include "app/compliance.h"
#include "app/jobs.h"
#include "app/quality.h"
#include "app/search.h"
#include "search/result_json.h"
#include "server/api_util.h"
#include "server/dispatcher.h"
#include "server/openapi.h"

namespace seedcast::server {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

Result<Response> Health(HandlerContext&, Request&) { return Ok({{"status", "ok"}}); }

Result<Response> Ready(HandlerContext& c, Request&) {
  ordered_json checks;
  bool database = false;
  {
    Result<storage::ConnectionPool::Lease> db = c.app.pool().Acquire();
    database = db.ok() && (*db)->QueryInt("SELECT 1").ok();
  }  // returned before the index is asked (an in-memory pool has one connection)
  const app::IndexInfo index = c.app.index_info();
  checks["database"] = database ? "ok" : "unreachable";
  checks["index"] = index.loaded               ? "ok"
                    : index.load_error.empty() ? "loading"
                                               : "failed (retrying): " + index.load_error;
  // A follower that has not polled successfully for a while leaves the index stale: the load
  // balancer should send searches elsewhere.
  constexpr int64_t kStaleMs = 5'000;
  // Only failures count: a long poll (a large import elsewhere) is slow, not stale.
  const bool follower_failing =
      index.follower_running && !index.follower_healthy &&
      (index.follower_ok_age_ms < 0 || index.follower_ok_age_ms > kStaleMs);
  if (index.follower_running) {
    checks["follower"] = follower_failing ? "failing: " + index.follower_error : "ok";
  }
  const bool ready = database && index.loaded && !follower_failing;
  return Ok({{"status", ready ? "ready" : "not ready"}, {"checks", checks}}, ready ? 200 : 503);
}

Result<Response> MetricsText(HandlerContext& c, Request&) {
  (void)c.app.RefreshFeedHead();  // for the lag; an unreachable store leaves the last value
  const app::IndexInfo index = c.app.index_info();
  const storage::PoolStats pool = c.app.pool().stats();
  std::map<std::string, std::pair<std::string, double>> gauges = {
      {"seedcast_index_accounts", {"Accounts in the search index.", index.accounts}},
      {"seedcast_index_loaded", {"1 once the search index is loaded.", index.loaded ? 1 : 0}},
      {"seedcast_index_lookalike_graph",
       {"1 once the lookalike graph is built (lookalikes are exact before).",
        index.lookalike_graph ? 1 : 0}},
      {"seedcast_index_memory_bytes",
       {"Memory of the search index.",
        static_cast<double>(index.memory.columns_bytes + index.memory.text_bytes +
                            index.memory.lookalike_bytes)}},
      {"seedcast_follower_lag_changes",
       {"Change-feed entries in the store not yet applied to the index.",
        static_cast<double>(std::max<int64_t>(0, index.feed_head - index.cursor))}},
      {"seedcast_follower_failures",
       {"Change-feed polls that failed.", static_cast<double>(index.follower_failures)}},
      {"seedcast_follower_seconds_since_ok",
       {"Seconds since the follower last polled the change feed successfully (-1: not yet).",
        index.follower_ok_age_ms < 0 ? -1.0 : static_cast<double>(index.follower_ok_age_ms) / 1e3}},
      {"seedcast_follower_cursor",
       {"The change-feed position the index has applied.", static_cast<double>(index.cursor)}},
      {"seedcast_pool_connections_in_use", {"Database connections handed out.", pool.in_use}},
      {"seedcast_pool_connections_open", {"Database connections open.", pool.open}},
      {"seedcast_pool_connections_max", {"The pool's bound.", pool.max}},
      {"seedcast_pool_acquire_timeouts",
       {"Acquires that timed out (all connections busy).", static_cast<double>(pool.timeouts)}},
      {"seedcast_creator_view_hits",
       {"GETs of a creator answered from the view cache.",
        static_cast<double>(c.app.creator_views().hits())}},
      {"seedcast_creator_view_misses",
       {"GETs of a creator that read the store.",
        static_cast<double>(c.app.creator_views().misses())}},
  };
  Response r;
  r.content_type = "text/plain; version=0.0.4";
  r.body = c.metrics.Render(gauges);
  return r;
}

Result<Response> OpenApiDocument(HandlerContext&, Request&) {
  Response r;
  r.body = std::string(OpenApiJson());
  return r;
}

Result<Response> Search(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(json body, JsonObjectBody(r));
  SEEDCAST_ASSIGN_OR_RETURN(search::SearchResult result, app::SearchCreators(c.app, r.body));
  return Ok(search::ResultToJson(result));
}

// The "accounts" list of a quality request, each as the JSON line the engine reads.
Result<std::vector<std::string>> AccountLines(const Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(json body, JsonObjectBody(r));
  SEEDCAST_RETURN_IF_ERROR(OnlyFields(body, {"accounts"}));
  if (!body.contains("accounts") || !body["accounts"].is_array()) {
    return InvalidArgument("field 'accounts' must be a list of accounts").WithField("accounts");
  }
  if (body["accounts"].size() > 10'000) {
    return InvalidArgument("at most 10000 accounts per request; score the store as a job")
        .WithField("accounts");
  }
  std::vector<std::string> lines;
  for (const json& a : body["accounts"]) lines.push_back(a.dump());
  return lines;
}

Result<Response> Classify(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(std::vector<std::string> lines, AccountLines(r));
  SEEDCAST_ASSIGN_OR_RETURN(std::vector<app::ClassifiedAccount> results,
                            c.app.quality().Classify(lines, 1));
  ordered_json out = ordered_json::array();
  for (const app::ClassifiedAccount& a : results) out.push_back(app::ClassifiedToJson(a));
  return Ok({{"threshold", c.app.quality().threshold()}, {"results", out}});
}

Result<Response> Score(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(std::vector<std::string> lines, AccountLines(r));
  app::ScoreCounts counts;
  ordered_json out = ordered_json::array();
  for (size_t i = 0; i < lines.size(); ++i) {
    for (ordered_json& j :
         c.app.quality().ScoreLine(lines[i], static_cast<int64_t>(i) + 1, &counts)) {
      j["index"] = j["line"].get<int64_t>() - 1;
      j.erase("line");
      out.push_back(std::move(j));
    }
  }
  return Ok({{"gate", c.app.quality().gate()},
             {"scored", counts.scored},
             {"passed", counts.passed},
             {"errors", counts.bad_lines},
             {"results", out}});
}

Result<Response> ScoreStoreJob(HandlerContext& c, Request& r) {
  bool save = false;
  if (!r.body.empty()) {
    SEEDCAST_ASSIGN_OR_RETURN(json body, JsonObjectBody(r));
    SEEDCAST_RETURN_IF_ERROR(OnlyFields(body, {"save"}));
    if (body.contains("save")) {
      if (!body["save"].is_boolean())
        return InvalidArgument("'save' must be true or false").WithField("save");
      save = body["save"].get<bool>();
    }
  }
  app::AppContext& app = c.app;
  SEEDCAST_ASSIGN_OR_RETURN(
      int64_t id,
      c.jobs.Submit("score_store",
                    [&app, save](const app::JobProgress& progress) -> Result<ordered_json> {
                      SEEDCAST_ASSIGN_OR_RETURN(
                          app::ScoreCounts counts,
                          app::ScoreStore(app, {.save = save, .on_progress = progress}));
                      return ordered_json{
                          {"scored", counts.scored}, {"passed", counts.passed}, {"saved", save}};
                    }));
  Response resp = Ok({{"job_id", id}, {"href", fmt::format("/v1/jobs/{}", id)}}, 202);
  resp.headers.emplace_back("Location", fmt::format("/v1/jobs/{}", id));
  return resp;
}

Result<Response> Compliance(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(json body, JsonObjectBody(r));
  SEEDCAST_RETURN_IF_ERROR(OnlyFields(body, {"jurisdiction", "campaign", "post", "posts"}));
  SEEDCAST_ASSIGN_OR_RETURN(std::string jurisdiction, StringField(body, "jurisdiction"));
  if (jurisdiction.empty()) {
    return InvalidArgument("field 'jurisdiction' is required (us, uk)").WithField("jurisdiction");
  }
  std::string campaign;
  if (body.contains("campaign")) {
    if (!body["campaign"].is_object()) {
      return InvalidArgument("'campaign' must be a campaign object").WithField("campaign");
    }
    campaign = body["campaign"].dump();
  }
  json posts = json::array();
  if (body.contains("post")) posts.push_back(body["post"]);
  if (body.contains("posts")) {
    if (!body["posts"].is_array())
      return InvalidArgument("'posts' must be a list").WithField("posts");
    for (const json& p : body["posts"]) posts.push_back(p);
  }
  if (posts.empty()) return InvalidArgument("give 'post' or 'posts'").WithField("posts");
  SEEDCAST_ASSIGN_OR_RETURN(std::unique_ptr<app::PostChecker> checker,
                            app::PostChecker::Create(c.app.rules(), jurisdiction, campaign));
  ordered_json verdicts = ordered_json::array();
  int64_t n = 0;
  for (const json& p : posts) {
    std::string line;
    checker->CheckLine(p.dump(), ++n, &line);
    verdicts.push_back(ordered_json::parse(line));
  }
  const app::CheckCounts& counts = checker->counts();
  return Ok({{"jurisdiction", checker->jurisdiction_name()},
             {"checked", counts.posts},
             {"compliant", counts.compliant},
             {"malformed", counts.malformed},
             {"verdicts", verdicts}});
}

Result<Response> Job(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(int64_t id, IdParam(r, "id"));
  SEEDCAST_ASSIGN_OR_RETURN(app::JobInfo job, app::GetJob(c.app, id));
  ordered_json j = app::JobToJson(job);
  if (job.state == "succeeded" && job.result.is_object() && job.result.contains("file")) {
    j["result"].erase("file");
    j["result_href"] = fmt::format("/v1/jobs/{}/result", id);
  }
  return Ok(j);
}

Result<Response> JobResult(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(int64_t id, IdParam(r, "id"));
  SEEDCAST_ASSIGN_OR_RETURN(app::JobInfo job, app::GetJob(c.app, id));
  if (job.state != "succeeded" || !job.result.is_object() || !job.result.contains("file")) {
    return FailedPrecondition("no_result_file",
                              fmt::format("job {} is {} and has no result file", id, job.state));
  }
  Response resp;
  resp.content_type = job.result.value("content_type", "application/octet-stream");
  resp.file_path = job.result["file"].get<std::string>();
  return resp;
}

}  // namespace

void AddServiceRoutes(Router& router) {
  router.Add({"GET", "/healthz", kPublicRead, Health});
  router.Add({"GET", "/readyz", kPublicRead, Ready});
  router.Add({"GET", "/metrics", kPublicRead, MetricsText});
  router.Add({"GET", "/openapi.json", kPublicRead, OpenApiDocument});
  router.Add({"POST", "/v1/search", {Who::kBrand}, Search});
  router.Add({"POST", "/v1/quality/classify", {Who::kBrand}, Classify});
  router.Add({"POST", "/v1/quality/score", {Who::kBrand}, Score});
  router.Add({"POST", "/v1/quality/score-store", {Who::kOperator, true}, ScoreStoreJob});
  router.Add({"POST", "/v1/compliance/check", {Who::kSignedIn}, Compliance});
  router.Add({"GET", "/v1/jobs/{id}", {Who::kOperator}, Job});
  router.Add({"GET", "/v1/jobs/{id}/result", {Who::kOperator}, JobResult});
}

}  // namespace seedcast::server

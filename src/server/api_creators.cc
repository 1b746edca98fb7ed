// Creator routes: list by cursor (or find by handle), get, create or update, import an uploaded
// file with its rejects report, and export as a job whose result is a file.
#include <fmt/format.h>

#include <filesystem>
#include <fstream>

#include "app/creators.h"
#include "common/text.h"
#include "model/creator_json.h"
#include "server/api_util.h"
#include "server/dispatcher.h"

namespace seedcast::server {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

// Bodies up to this size import in the request; larger ones run as a job.
constexpr size_t kSyncImportBytes = 4u << 20;
constexpr int kRejectsShown = 1000;

Result<Response> List(HandlerContext& c, Request& r) {
  const auto handle = r.query.find("handle");
  if (handle != r.query.end()) {
    const auto platform = r.query.find("platform");
    SEEDCAST_ASSIGN_OR_RETURN(std::vector<model::Creator> found,
                              app::FindCreators(c.app, handle->second,
                                                platform == r.query.end() ? "" : platform->second));
    json items = json::array();
    for (const model::Creator& cr : found)
      items.push_back(model::CreatorToJson(cr, c.app.config().tiers));
    return Json(200, json{{"items", items}, {"next_after", nullptr}}.dump());
  }
  SEEDCAST_ASSIGN_OR_RETURN(int64_t after, IntQuery(r, "after", 0, 0, INT64_MAX));
  SEEDCAST_ASSIGN_OR_RETURN(int64_t limit, IntQuery(r, "limit", 50, 1, 1000));
  SEEDCAST_ASSIGN_OR_RETURN(app::CreatorPage page,
                            app::ListCreators(c.app, after, static_cast<int>(limit)));
  json items = json::array();
  for (const model::Creator& cr : page.creators) {
    items.push_back(model::CreatorToJson(cr, c.app.config().tiers));
  }
  json j = {{"items", items}, {"next_after", nullptr}};
  if (page.next_after) j["next_after"] = *page.next_after;
  return Json(200, j.dump());
}

Result<Response> Get(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(int64_t id, IdParam(r, "id"));
  SEEDCAST_ASSIGN_OR_RETURN(std::shared_ptr<const app::View> view, app::GetCreatorView(c.app, id));
  Response resp = Json(200, view->body);
  resp.headers.emplace_back("ETag", view->etag);
  return resp;
}

// The rejects report of an import: its TSV lines as {line, reason}.
json RejectsOf(const ingest::ImportSummary& s) {
  json out = json::array();
  if (s.rejects_path.empty()) return out;
  std::ifstream in(s.rejects_path);
  std::string line;
  std::getline(in, line);  // the header
  while (std::getline(in, line) && static_cast<int>(out.size()) < kRejectsShown) {
    const std::vector<std::string_view> cells = text::Split(line, "\t");
    if (cells.size() < 2) continue;
    out.push_back({{"line", std::string(cells[0])}, {"reason", std::string(cells[1])}});
  }
  return out;
}

Result<ingest::ImportOptions> ImportOptionsOf(const Request& r, const std::string& path) {
  ingest::ImportOptions o;
  o.path = path;
  o.rejects_path = path + ".rejects.tsv";
  for (const auto& [key, value] : r.query) {
    if (key == "platform") {
      o.platform = value;
    } else if (key == "format") {
      if (value == "csv") o.format = ingest::FileFormat::kCsv;
      if (value == "tsv") o.format = ingest::FileFormat::kTsv;
      if (value == "ndjson") o.format = ingest::FileFormat::kNdjson;
      if (!o.format)
        return InvalidArgument("format must be csv, tsv or ndjson").WithField("format");
    } else if (key == "map") {
      const size_t eq = value.find('=');
      if (eq == std::string::npos)
        return InvalidArgument("map must be FIELD=COLUMN").WithField("map");
      o.mappings.emplace_back(value.substr(0, eq), value.substr(eq + 1));
    } else {
      return InvalidArgument("unknown parameter '" + key + "' (platform, format, map)")
          .WithField(key);
    }
  }
  return o;
}

ordered_json SummaryJson(const ingest::ImportSummary& s) {
  ordered_json j = ordered_json::parse(s.ToJson().dump());
  j.erase("path");
  j.erase("rejects_path");
  j["rejects"] = RejectsOf(s);
  return j;
}

Result<Response> Import(HandlerContext& c, Request& r) {
  if (r.body.empty())
    return InvalidArgument("the body (the file to import) is empty").WithField("body");
  const std::string content_type = r.Header("content-type");
  const std::string extension = content_type.find("ndjson") != std::string::npos ? ".ndjson"
                                : content_type.find("tab-separated") != std::string::npos ? ".tsv"
                                                                                          : ".csv";
  SEEDCAST_ASSIGN_OR_RETURN(SpooledBody spooled, SpooledBody::Write(r.body, extension));
  SEEDCAST_ASSIGN_OR_RETURN(ingest::ImportOptions options, ImportOptionsOf(r, spooled.path()));
  if (r.body.size() <= kSyncImportBytes && !r.query.contains("async")) {
    SEEDCAST_ASSIGN_OR_RETURN(ingest::ImportSummary summary, app::ImportCreators(c.app, options));
    return Ok(SummaryJson(summary));
  }
  app::AppContext& app = c.app;
  auto file = std::make_shared<SpooledBody>(std::move(spooled));
  SEEDCAST_ASSIGN_OR_RETURN(
      int64_t id,
      c.jobs.Submit("import_creators",
                    [&app, file, options](const app::JobProgress& p) -> Result<ordered_json> {
                      ingest::ImportOptions o = options;
                      o.on_progress = [&p](uint64_t done, uint64_t total) {
                        p(static_cast<int64_t>(done), static_cast<int64_t>(total));
                      };
                      SEEDCAST_ASSIGN_OR_RETURN(ingest::ImportSummary summary,
                                                app::ImportCreators(app, o));
                      return SummaryJson(summary);
                    }));
  Response resp = Ok({{"job_id", id}, {"href", fmt::format("/v1/jobs/{}", id)}}, 202);
  resp.headers.emplace_back("Location", fmt::format("/v1/jobs/{}", id));
  return resp;
}

// One creator in the export format: stored (created, or updated by platform and handle).
Result<Response> Upsert(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(json body, JsonObjectBody(r));
  if (!body.contains("accounts") || !body["accounts"].is_array() || body["accounts"].empty()) {
    return InvalidArgument("a creator needs 'accounts': a list of accounts").WithField("accounts");
  }
  SEEDCAST_ASSIGN_OR_RETURN(SpooledBody spooled, SpooledBody::Write(body.dump() + "\n", ".ndjson"));
  SEEDCAST_ASSIGN_OR_RETURN(ingest::ImportOptions options,
                            ImportOptionsOf(Request{}, spooled.path()));
  options.format = ingest::FileFormat::kNdjson;
  SEEDCAST_ASSIGN_OR_RETURN(ingest::ImportSummary summary, app::ImportCreators(c.app, options));
  if (summary.rejected > 0) {
    const json rejects = RejectsOf(summary);
    const std::string reason =
        rejects.empty() ? "the creator was rejected" : rejects[0]["reason"].get<std::string>();
    return InvalidArgument(reason).WithReason("invalid_creator");
  }
  const json& first = body["accounts"][0];
  const std::string handle = first.contains("handle") && first["handle"].is_string()
                                 ? first["handle"].get<std::string>()
                                 : "";
  const std::string platform = first.contains("platform") && first["platform"].is_string()
                                   ? first["platform"].get<std::string>()
                                   : "";
  SEEDCAST_ASSIGN_OR_RETURN(std::vector<model::Creator> stored,
                            app::FindCreators(c.app, handle, platform));
  if (stored.empty()) return Internal("the stored creator could not be read back");
  Response resp = Json(summary.created > 0 ? 201 : 200,
                       model::CreatorToJson(stored.front(), c.app.config().tiers).dump());
  resp.headers.emplace_back("Location", fmt::format("/v1/creators/{}", stored.front().id));
  return resp;
}

Result<Response> Export(HandlerContext& c, Request& r) {
  const auto f = r.query.find("format");
  const std::string format = f == r.query.end() ? "ndjson" : f->second;
  if (format != "ndjson" && format != "csv") {
    return InvalidArgument("format must be ndjson or csv").WithField("format");
  }
  app::AppContext& app = c.app;
  SEEDCAST_ASSIGN_OR_RETURN(
      int64_t id,
      c.jobs.Submit(
          "export_creators", [&app, format](const app::JobProgress&) -> Result<ordered_json> {
            const std::filesystem::path dir = std::filesystem::temp_directory_path();
            const std::string path =
                (dir / fmt::format("seedcast-export-{}.{}", app.clock().NowMs(), format)).string();
            std::ofstream out(path, std::ios::binary);
            SEEDCAST_ASSIGN_OR_RETURN(
                int64_t n, app::ExportCreators(app,
                                               format == "csv" ? ingest::ExportFormat::kCsv
                                                               : ingest::ExportFormat::kNdjson,
                                               out));
            out.close();
            if (!out) return IoError("writing the export failed");
            return ordered_json{
                {"creators", n},
                {"format", format},
                {"file", path},
                {"content_type", format == "csv" ? "text/csv" : "application/x-ndjson"}};
          }));
  Response resp = Ok({{"job_id", id}, {"href", fmt::format("/v1/jobs/{}", id)}}, 202);
  resp.headers.emplace_back("Location", fmt::format("/v1/jobs/{}", id));
  return resp;
}

}  // namespace

void AddCreatorRoutes(Router& router) {
  router.Add({"GET", "/v1/creators", {Who::kBrand}, List});
  router.Add({"POST", "/v1/creators", {Who::kOperator, true}, Upsert});
  router.Add({"GET", "/v1/creators/{id}", {Who::kBrand}, Get});
  router.Add({"POST", "/v1/creators/import", {Who::kOperator, true}, Import});
  router.Add({"POST", "/v1/creators/export", {Who::kOperator, true}, Export});
}

}  // namespace seedcast::server

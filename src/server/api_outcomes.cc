// Outcome routes: ad-platform reports (a CSV body, or JSON with the CSV and an asset mapping),
// listing sessions (a sessions report, or entered days), conversion lift, and the campaign and
// brand reports as JSON, CSV or HTML. Each handler reads its input, calls app/outcomes.h and
// answers the JSON the CLI prints; an uploaded file is spooled to a temporary file for the
// file-based readers, and its temporary name never appears in an answer.
#include <fmt/format.h>

#include "app/outcomes.h"
#include "ingest/creator_export.h"
#include "ingest/numbers.h"
#include "server/api_util.h"
#include "server/dispatcher.h"

namespace seedcast::server {
namespace {

using nlohmann::json;

// The query as a JSON object, so the body helpers (OnlyFields, StringField) check it too.
Result<json> QueryOf(const Request& r, std::initializer_list<std::string_view> known) {
  json q(r.query);
  SEEDCAST_RETURN_IF_ERROR(OnlyFields(q, known));
  return q;
}

Result<std::string> BrandOf(const json& j) {
  SEEDCAST_ASSIGN_OR_RETURN(std::string brand, StringField(j, "brand"));
  if (brand.empty()) return InvalidArgument("the brand's name is required").WithField("brand");
  return brand;
}

// A reader's failure with the spooled file's name replaced by what the caller sent.
Status Renamed(const Status& s, const std::string& path, const std::string& name) {
  std::string message = s.message();
  for (size_t at; !path.empty() && (at = message.find(path)) != std::string::npos;) {
    message.replace(at, path.size(), name);
  }
  Status out(s.code(), message);
  if (!s.reason().empty()) out = out.WithReason(s.reason());
  if (!s.field().empty()) out = out.WithField(s.field());
  return out;
}

// A JSON body's "assets", {"ad name": "SCA-12" or 12}, as the mapping file ReadAssetMapping
// reads (a header line, then ad name and asset id).
Result<std::string> AssetMappingCsv(const json& assets) {
  if (!assets.is_object()) {
    return InvalidArgument("'assets' maps ad names to asset codes (SCA-12) or ids")
        .WithField("assets");
  }
  std::string csv = "ad name,asset\n";
  for (const auto& [name, asset] : assets.items()) {
    int64_t id = 0;
    if (asset.is_string()) id = measure::AssetIdInName(asset.get<std::string>());
    if (asset.is_number_integer()) id = asset.get<int64_t>();
    if (id <= 0) {
      return InvalidArgument(fmt::format("assets: '{}' is not an asset code (SCA-12) or id for "
                                         "the ad '{}'",
                                         asset.dump(), name))
          .WithField("assets." + name);
    }
    csv += ingest::CsvField(name) + "," + std::to_string(id) + "\n";
  }
  return csv;
}

// The report and its mapping from the body: the CSV itself, or (a JSON content type)
// {"csv": "...", "assets": {...}}.
struct AdReportBody {
  std::string csv;
  std::string assets_csv;  // "" without a mapping
};
Result<AdReportBody> AdReportBodyOf(const Request& r) {
  if (r.body.empty()) {
    return InvalidArgument("the body (an ad report CSV) is empty").WithField("body");
  }
  if (r.Header("content-type").find("json") == std::string::npos) return AdReportBody{r.body, ""};
  SEEDCAST_ASSIGN_OR_RETURN(json body, JsonObjectBody(r));
  SEEDCAST_RETURN_IF_ERROR(OnlyFields(body, {"csv", "assets"}));
  AdReportBody out;
  SEEDCAST_ASSIGN_OR_RETURN(out.csv, StringField(body, "csv"));
  if (out.csv.empty()) return InvalidArgument("'csv' (the ad report) is required").WithField("csv");
  if (body.contains("assets")) {
    SEEDCAST_ASSIGN_OR_RETURN(out.assets_csv, AssetMappingCsv(body["assets"]));
  }
  return out;
}

Result<Response> ImportAdReport(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(json q, QueryOf(r, {"brand", "platform", "map"}));
  SEEDCAST_ASSIGN_OR_RETURN(std::string brand, BrandOf(q));
  measure::AdReportOptions options;
  SEEDCAST_ASSIGN_OR_RETURN(std::string platform, StringField(q, "platform"));
  if (!platform.empty()) {
    SEEDCAST_ASSIGN_OR_RETURN(options.platform, measure::ParseAdPlatform(platform));
  }
  for (const auto& [key, value] : r.query_list) {
    if (key == "map") options.maps.push_back(value);
  }
  if (options.maps.empty() && r.query.contains("map")) options.maps.push_back(r.query.at("map"));
  SEEDCAST_ASSIGN_OR_RETURN(AdReportBody body, AdReportBodyOf(r));
  SEEDCAST_ASSIGN_OR_RETURN(SpooledBody report, SpooledBody::Write(body.csv, ".csv"));
  std::optional<SpooledBody> mapping;
  if (!body.assets_csv.empty()) {
    SEEDCAST_ASSIGN_OR_RETURN(SpooledBody file, SpooledBody::Write(body.assets_csv, ".csv"));
    mapping.emplace(std::move(file));
    options.assets_path = mapping->path();
  }
  Result<app::AdReportImport> imported =
      app::ImportAdReport(c.app, r.scope, report.path(), brand, options);
  if (!imported.ok()) {
    return Renamed(Renamed(imported.status(), report.path(), "the report"), options.assets_path,
                   "assets");
  }
  return Ok(app::AdReportImportToJson(*imported));
}

Result<Response> ImportSessions(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(json q, QueryOf(r, {"brand", "product"}));
  app::SessionsTarget target;
  SEEDCAST_ASSIGN_OR_RETURN(target.brand, BrandOf(q));
  SEEDCAST_ASSIGN_OR_RETURN(target.sku, StringField(q, "product"));
  if (r.body.empty()) {
    return InvalidArgument("the body (a sessions report CSV) is empty").WithField("body");
  }
  SEEDCAST_ASSIGN_OR_RETURN(SpooledBody file, SpooledBody::Write(r.body, ".csv"));
  Result<app::SessionsResult> imported = app::ImportSessions(c.app, r.scope, file.path(), target);
  if (!imported.ok()) return Renamed(imported.status(), file.path(), "the report");
  return Ok(app::SessionsToJson(*imported));
}

// Entered days stay a hand-sized list; a longer history is a sessions report.
constexpr size_t kMaxEnteredDays = 366;

Result<measure::DaySessions> EnteredDay(const json& d, size_t i) {
  const std::string where = fmt::format("days[{}]", i);
  if (!d.is_object()) {
    return InvalidArgument(where + " must be {\"day\", \"sessions\", \"orders\"}").WithField(where);
  }
  SEEDCAST_RETURN_IF_ERROR(OnlyFields(d, {"day", "sessions", "orders"}, where));
  measure::DaySessions out;
  SEEDCAST_ASSIGN_OR_RETURN(out.day, StringField(d, "day"));
  for (const char* name : {"sessions", "orders"}) {
    if (!d.contains(name) || !d[name].is_number_integer() || d[name].get<int64_t>() < 0) {
      return InvalidArgument(fmt::format("{}.{} must be a whole number, 0 or more", where, name))
          .WithField(fmt::format("{}.{}", where, name));
    }
  }
  out.sessions = d["sessions"].get<int64_t>();
  out.orders = d["orders"].get<int64_t>();
  if (Status s = measure::CheckDaySessions(out); !s.ok()) {
    return InvalidArgument(where + ": " + s.message()).WithField(where + "." + s.field());
  }
  return out;
}

Result<Response> EnterSessions(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(json body, JsonObjectBody(r));
  SEEDCAST_RETURN_IF_ERROR(OnlyFields(body, {"brand", "product", "days"}));
  app::SessionsTarget target;
  SEEDCAST_ASSIGN_OR_RETURN(target.brand, BrandOf(body));
  SEEDCAST_ASSIGN_OR_RETURN(target.sku, StringField(body, "product"));
  if (!body.contains("days") || !body["days"].is_array() || body["days"].empty() ||
      body["days"].size() > kMaxEnteredDays) {
    return InvalidArgument(
               fmt::format("'days' is a list of 1 to {} days ({{\"day\": \"2026-05-01\", "
                           "\"sessions\": 1200, \"orders\": 30}})",
                           kMaxEnteredDays))
        .WithField("days");
  }
  std::vector<measure::DaySessions> days;
  for (size_t i = 0; i < body["days"].size(); ++i) {
    SEEDCAST_ASSIGN_OR_RETURN(measure::DaySessions d, EnteredDay(body["days"][i], i));
    days.push_back(std::move(d));
  }
  SEEDCAST_ASSIGN_OR_RETURN(app::SessionsResult stored,
                            app::EnterSessions(c.app, r.scope, target, days));
  return Ok(app::SessionsToJson(stored));
}

Result<Response> Lift(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(
      json q, QueryOf(r, {"brand", "campaign_id", "product", "campaign_from", "campaign_to",
                          "baseline_from", "baseline_to", "confidence"}));
  app::LiftRequest request;
  SEEDCAST_ASSIGN_OR_RETURN(request.campaign_id, IntQuery(r, "campaign_id", 0, 1, INT64_MAX));
  SEEDCAST_ASSIGN_OR_RETURN(request.brand, StringField(q, "brand"));
  if (request.brand.empty() == (request.campaign_id == 0)) {
    return InvalidArgument("give either 'brand' (a brand's name) or 'campaign_id'")
        .WithField("brand");
  }
  SEEDCAST_ASSIGN_OR_RETURN(std::string sku, StringField(q, "product"));
  if (q.contains("product") || request.campaign_id == 0) request.sku = sku;
  measure::LiftWindows& w = request.windows;
  SEEDCAST_ASSIGN_OR_RETURN(w.campaign_from, StringField(q, "campaign_from"));
  SEEDCAST_ASSIGN_OR_RETURN(w.campaign_to, StringField(q, "campaign_to"));
  SEEDCAST_ASSIGN_OR_RETURN(w.baseline_from, StringField(q, "baseline_from"));
  SEEDCAST_ASSIGN_OR_RETURN(w.baseline_to, StringField(q, "baseline_to"));
  if (w.baseline_from.empty() != w.baseline_to.empty()) {
    return InvalidArgument("give both baseline_from and baseline_to, or neither")
        .WithField(w.baseline_from.empty() ? "baseline_from" : "baseline_to");
  }
  SEEDCAST_ASSIGN_OR_RETURN(std::string confidence, StringField(q, "confidence"));
  if (!confidence.empty()) {
    Result<ingest::ParsedNumber> level =
        ingest::ParseNumber(confidence, ingest::NumberKind::kDecimal);
    if (!level.ok() || level->percent || level->value < 0.5 || level->value > 0.999) {
      return InvalidArgument(fmt::format("confidence '{}' is not from 0.5 to 0.999", confidence))
          .WithField("confidence");
    }
    request.options.confidence = level->value;
  }
  SEEDCAST_ASSIGN_OR_RETURN(measure::LiftView lift, app::Lift(c.app, r.scope, request));
  return Ok(measure::LiftViewToJson(lift));
}

// A report in the ?format asked for (json by default).
Result<Response> Rendered(const json& q, const nlohmann::ordered_json& report) {
  SEEDCAST_ASSIGN_OR_RETURN(std::string format, StringField(q, "format", "json"));
  Response resp;
  SEEDCAST_ASSIGN_OR_RETURN(resp.body, app::RenderReport(report, format, &resp.content_type));
  return resp;
}

// The campaign report with its measurement figures (the one the CLI prints).
Result<Response> CampaignReport(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(json q, QueryOf(r, {"format"}));
  SEEDCAST_ASSIGN_OR_RETURN(int64_t id, IdParam(r, "id"));
  SEEDCAST_ASSIGN_OR_RETURN(nlohmann::ordered_json report,
                            app::CampaignReportJson(c.app, r.scope, id));
  return Rendered(q, report);
}

Result<Response> BrandReport(HandlerContext& c, Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(json q, QueryOf(r, {"brand", "format"}));
  SEEDCAST_ASSIGN_OR_RETURN(std::string brand, BrandOf(q));
  SEEDCAST_ASSIGN_OR_RETURN(nlohmann::ordered_json report,
                            app::BrandReportJson(c.app, r.scope, brand));
  return Rendered(q, report);
}

}  // namespace

void AddOutcomeRoutes(Router& router) {
  router.Add({"POST", "/v1/ad-reports/import", {Who::kBrand, true}, ImportAdReport});
  router.Add({"POST", "/v1/sessions/import", {Who::kBrand, true}, ImportSessions});
  router.Add({"POST", "/v1/sessions", {Who::kBrand, true}, EnterSessions});
  router.Add({"GET", "/v1/lift", {Who::kBrand}, Lift});
  router.Add({"GET", "/v1/campaigns/{id}/report", {Who::kBrand}, CampaignReport});
  router.Add({"GET", "/v1/reports/brand", {Who::kBrand}, BrandReport});
}

}  // namespace seedcast::server

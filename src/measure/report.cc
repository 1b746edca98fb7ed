#include "measure/report.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "campaign/campaign_json.h"
#include "common/iso_time.h"
#include "measure/sessions.h"

namespace seedcast::measure {
namespace {

using nlohmann::ordered_json;
using storage::Row;

Result<int64_t> DayMs(const std::string& day, const char* field) {
  auto ms = ParseIsoTimeMs(day);
  if (!ms.ok() || day.size() != 10) {
    return InvalidArgument(fmt::format("{}: '{}' is not a day (YYYY-MM-DD)", field, day))
        .WithField(field);
  }
  return *ms;
}

std::string DayOf(int64_t ms) { return FormatIsoTime(ms).substr(0, 10); }

// The verified posts of a campaign still up, with their account's platform and followers.
Result<std::vector<PostMetrics>> CampaignPosts(storage::Database& db, int64_t campaign_id) {
  std::vector<PostMetrics> out;
  SEEDCAST_RETURN_IF_ERROR(db.Query(
      "SELECT p.payload, COALESCE(ac.platform, ''), ac.followers FROM posts p JOIN assignments a "
      "ON a.id = p.assignment_id LEFT JOIN accounts ac ON ac.id = COALESCE(p.account_id, "
      "a.account_id) WHERE a.campaign_id = ? AND p.verified_at_ms IS NOT NULL AND "
      "p.removed_at_ms IS NULL ORDER BY p.id",
      {campaign_id}, [&out](const Row& r) {
        std::optional<int64_t> followers;
        if (!r.IsNull(2)) followers = r.Int(2);
        out.push_back(PostMetricsOfJson(r.Text(0), std::string(r.Text(1)), followers));
        return Status::Ok();
      }));
  return out;
}

Result<int64_t> UsableAssets(storage::Database& db, int64_t campaign_id,
                             const std::vector<std::string>& kinds) {
  int64_t n = 0;
  const std::set<std::string> usable(kinds.begin(), kinds.end());
  SEEDCAST_RETURN_IF_ERROR(
      db.Query("SELECT kind FROM assets WHERE campaign_id = ?", {campaign_id}, [&](const Row& r) {
        n += usable.contains(std::string(r.Text(0))) ? 1 : 0;
        return Status::Ok();
      }));
  return n;
}

ordered_json TrackingToJson(const std::vector<CreatorTracking>& all) {
  ordered_json creators = ordered_json::array();
  int64_t clicks = 0;
  int64_t unique = 0;
  int64_t orders = 0;
  int64_t revenue = 0;
  for (const CreatorTracking& t : all) {
    clicks += t.clicks;
    unique += t.unique_clicks;
    orders += t.orders;
    revenue += t.revenue_cents;
    creators.push_back({{"creator_id", t.creator_id},
                        {"assignment_id", t.assignment_id},
                        {"link_code", t.link_code},
                        {"clicks", t.clicks},
                        {"unique_clicks", t.unique_clicks},
                        {"orders", t.orders},
                        {"revenue_cents", t.revenue_cents}});
  }
  return {{"tracked", !all.empty()}, {"clicks", clicks},         {"unique_clicks", unique},
          {"orders", orders},        {"revenue_cents", revenue}, {"by_creator", creators}};
}

ordered_json MeasuresToJson(const CampaignMeasures& m) {
  return {{"kpis", FiguresToJson(m.kpis)},
          {"paid", AdBreakdownToJson(m.paid)},
          {"tracking", TrackingToJson(m.tracking)},
          {"lift", m.lift ? LiftViewToJson(*m.lift) : ordered_json(nullptr)}};
}

std::string CsvCell(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string Scalar(const ordered_json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

void CsvLine(std::string& out, const std::string& section, const std::string& key,
             const std::string& metric, const ordered_json& value, const std::string& formula) {
  out += fmt::format("{},{},{},{},{}\r\n", CsvCell(section), CsvCell(key), CsvCell(metric),
                     CsvCell(Scalar(value)), CsvCell(formula));
}

// The scalar members of an object as lines of `section`.
void CsvObject(std::string& out, const std::string& section, const std::string& key,
               const ordered_json& j) {
  for (const auto& [name, value] : j.items()) {
    if (value.is_primitive()) CsvLine(out, section, key, name, value, "");
  }
}

void CsvMeasurement(std::string& out, const std::string& key, const ordered_json& m) {
  for (const ordered_json& f : m["kpis"]) {
    CsvLine(out, "kpi", key, f["id"].get<std::string>(), f["value"],
            f["formula"].get<std::string>());
  }
  CsvObject(out, "paid", key, m["paid"]["totals"]);
  for (const char* by : {"by_asset", "by_creator", "by_hook", "by_format"}) {
    for (const ordered_json& g : m["paid"][by]) {
      CsvObject(out, "paid." + std::string(by).substr(3), key + "/" + Scalar(g["key"]), g);
    }
  }
  CsvObject(out, "tracking", key, m["tracking"]);
  if (m["lift"].is_object()) {
    const ordered_json& l = m["lift"];
    for (const char* part : {"difference", "relative_lift"}) {
      for (const char* bound : {"value", "lower", "upper"}) {
        CsvLine(out, "lift", key, std::string(part) + "." + bound, l["result"][part][bound],
                "lift.newcombe");
      }
    }
    CsvLine(out, "lift", key, "verdict", l["result"]["verdict"], "");
  }
}

}  // namespace

Result<LiftView> MeasureLift(storage::Database& db, const storage::Scope& scope, int64_t brand_id,
                             const std::string& sku, LiftWindows w, const LiftOptions& options) {
  SEEDCAST_ASSIGN_OR_RETURN(int64_t from, DayMs(w.campaign_from, "campaign_from"));
  SEEDCAST_ASSIGN_OR_RETURN(int64_t to, DayMs(w.campaign_to, "campaign_to"));
  if (to < from) {
    return InvalidArgument("the campaign window ends before it starts").WithField("campaign_to");
  }
  if (w.baseline_from.empty() && w.baseline_to.empty()) {
    const int64_t days = (to - from) / kDayMs + 1;
    w.baseline_to = DayOf(from - kDayMs);
    w.baseline_from = DayOf(from - days * kDayMs);
  }
  SEEDCAST_ASSIGN_OR_RETURN(int64_t bfrom, DayMs(w.baseline_from, "baseline_from"));
  SEEDCAST_ASSIGN_OR_RETURN(int64_t bto, DayMs(w.baseline_to, "baseline_to"));
  if (bto < bfrom) {
    return InvalidArgument("the baseline window ends before it starts").WithField("baseline_to");
  }
  // The two rates are compared as independent samples: a day in both windows would count twice.
  if (bfrom <= to && from <= bto) {
    return InvalidArgument(fmt::format("the baseline window ({} to {}) overlaps the campaign "
                                       "window ({} to {})",
                                       w.baseline_from, w.baseline_to, w.campaign_from,
                                       w.campaign_to))
        .WithField("baseline_from");
  }
  LiftView v{.brand_id = brand_id, .sku = sku, .windows = w};
  SEEDCAST_ASSIGN_OR_RETURN(Proportion campaign,
                            SumSessions(db, scope, brand_id, sku, w.campaign_from, w.campaign_to));
  SEEDCAST_ASSIGN_OR_RETURN(Proportion baseline,
                            SumSessions(db, scope, brand_id, sku, w.baseline_from, w.baseline_to));
  SEEDCAST_ASSIGN_OR_RETURN(v.result, ComputeLift(campaign, baseline, options));
  return v;
}

Result<CampaignMeasures> MeasureCampaign(storage::Database& db, const storage::Scope& scope,
                                         const campaign::CampaignReport& report,
                                         const config::KpiSettings& settings) {
  CampaignMeasures m;
  const int64_t id = report.campaign.id;
  KpiInputs in{.cost_cents = report.invoiced_cents + report.reimbursement_billed_cents};
  SEEDCAST_ASSIGN_OR_RETURN(in.usable_assets, UsableAssets(db, id, settings.usable_asset_kinds));
  SEEDCAST_ASSIGN_OR_RETURN(in.posts, CampaignPosts(db, id));
  SEEDCAST_ASSIGN_OR_RETURN(m.tracking, CampaignTracking(db, id));
  in.tracked = !m.tracking.empty();
  for (const CreatorTracking& t : m.tracking) {
    in.clicks += t.clicks;
    in.unique_clicks += t.unique_clicks;
    in.revenue_cents += t.revenue_cents;
  }
  m.kpis = ComputeKpis(in, settings);
  SEEDCAST_ASSIGN_OR_RETURN(std::vector<AdRow> rows, LoadAdRows(db, scope, {.campaign_id = id}));
  m.paid = SummariseAds(rows);
  const campaign::CampaignSpec& spec = report.campaign.spec;
  if (spec.starts_at_ms && spec.ends_at_ms && *spec.ends_at_ms >= *spec.starts_at_ms) {
    SEEDCAST_ASSIGN_OR_RETURN(LiftView lift,
                              MeasureLift(db, scope, report.campaign.brand_id, report.product.sku,
                                          {.campaign_from = DayOf(*spec.starts_at_ms),
                                           .campaign_to = DayOf(*spec.ends_at_ms)}));
    if (lift.result.campaign.trials + lift.result.baseline.trials > 0) m.lift = std::move(lift);
  }
  return m;
}

ordered_json LiftViewToJson(const LiftView& v) {
  return {{"brand_id", v.brand_id},
          {"sku", v.sku},
          {"campaign_window", {v.windows.campaign_from, v.windows.campaign_to}},
          {"baseline_window", {v.windows.baseline_from, v.windows.baseline_to}},
          {"result", LiftToJson(v.result)}};
}

ordered_json CampaignReportToJson(const campaign::CampaignReport& report,
                                  const CampaignMeasures& measures) {
  ordered_json j = campaign::ReportToJson(report);
  j["kind"] = "campaign";
  j["measurement"] = MeasuresToJson(measures);
  return j;
}

ordered_json BrandReportToJson(const BrandReport& r) {
  ordered_json campaigns = ordered_json::array();
  for (size_t i = 0; i < r.campaigns.size(); ++i) {
    campaigns.push_back(CampaignReportToJson(r.campaigns[i], r.measures[i]));
  }
  return {{"kind", "brand"},
          {"brand_id", r.brand_id},
          {"name", r.name},
          {"paid", AdBreakdownToJson(r.paid)},
          {"campaigns", campaigns}};
}

std::string ReportToCsv(const ordered_json& report) {
  std::string out = "section,key,metric,value,formula\r\n";
  if (report.value("kind", "") == "brand") {
    const std::string key = "brand/" + std::to_string(report["brand_id"].get<int64_t>());
    CsvLine(out, "brand", key, "name", report["name"], "");
    CsvMeasurement(out, key,
                   {{"kpis", ordered_json::array()},
                    {"paid", report["paid"]},
                    {"tracking", ordered_json::object()},
                    {"lift", nullptr}});
    for (const ordered_json& c : report["campaigns"]) {
      const std::string ckey = "campaign/" + std::to_string(c["campaign_id"].get<int64_t>());
      CsvObject(out, "campaign", ckey, c);
      CsvMeasurement(out, ckey, c["measurement"]);
    }
    return out;
  }
  const std::string key = "campaign/" + std::to_string(report["campaign_id"].get<int64_t>());
  CsvObject(out, "campaign", key, report);
  CsvMeasurement(out, key, report["measurement"]);
  return out;
}

}  // namespace seedcast::measure

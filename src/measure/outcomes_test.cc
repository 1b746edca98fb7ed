// Outcomes, driven by declarative cases: ad reports (testdata/ad_report_cases/: a report file in,
// the import summary with per-asset, creator, hook and format metrics out, on SQLite and
// PostgreSQL), KPI formulas against figures worked out by hand (testdata/kpi_cases.jsonl), the
// lift interval against published and hand-computed values (testdata/lift_cases.jsonl); and the
// stored sessions, scopes and report forms on both backends.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/clock.h"
#include "config/config.h"
#include "measure/ad_metrics.h"
#include "measure/ad_report.h"
#include "measure/kpis.h"
#include "measure/lift.h"
#include "measure/report.h"
#include "measure/report_html.h"
#include "measure/sessions.h"
#include "storage/testing/test_database.h"

namespace seedcast::measure {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

constexpr int64_t kNow = 1'790'000'000'000;

std::filesystem::path TestData() {
  const char* root = std::getenv("SEEDCAST_SOURCE_DIR");  // NOLINT(concurrency-mt-unsafe)
  EXPECT_NE(root, nullptr) << "SEEDCAST_SOURCE_DIR is not set (ctest sets it)";
  return std::filesystem::path(root == nullptr ? "." : root) / "src/measure/testdata";
}

std::vector<json> ReadJsonl(const std::filesystem::path& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in) << path;
  std::vector<json> out;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) out.push_back(json::parse(line));
  }
  return out;
}

// Every member of `expected` is in `actual` with the same value (numbers within 1e-6 relative,
// or the case's last decimal); arrays have the same length and match item by item.
void ExpectSubset(const json& expected, const json& actual, const std::string& path) {
  if (expected.is_object()) {
    ASSERT_TRUE(actual.is_object()) << path << ": " << actual.dump();
    for (const auto& [key, value] : expected.items()) {
      ASSERT_TRUE(actual.contains(key)) << path << "." << key << " missing in " << actual.dump();
      ExpectSubset(value, actual[key], std::string(path).append(".").append(key));
    }
  } else if (expected.is_array()) {
    ASSERT_TRUE(actual.is_array()) << path;
    ASSERT_EQ(expected.size(), actual.size()) << path << ": " << actual.dump();
    for (size_t i = 0; i < expected.size(); ++i) {
      ExpectSubset(expected[i], actual[i], path + "[" + std::to_string(i) + "]");
    }
  } else if (expected.is_number() && actual.is_number()) {
    EXPECT_NEAR(expected.get<double>(), actual.get<double>(),
                std::max(1e-6, std::abs(expected.get<double>()) * 1e-6) + 5e-5)
        << path;
  } else {
    EXPECT_EQ(expected, actual) << path;
  }
}

class OutcomesTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto created = storage::testing::TestDatabase::Create(GetParam(), clock_);
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    test_db_ = std::move(created).value();
    // A brand with one campaign and three assets: SCA-1 and SCA-2 Ana's videos, SCA-3 Ben's photo.
    brand_id_ = Insert("INSERT INTO brands (name, created_at_ms) VALUES ('Glow Co', 1)");
    campaign_id_ = Insert(
        "INSERT INTO campaigns (brand_id, name, goal, compensation, target_completions, "
        "created_at_ms) VALUES (" +
        std::to_string(brand_id_) + ", 'Spring', 'ugc', 'gifted', 3, 1)");
    const int64_t ana =
        Insert("INSERT INTO creators (name, created_at_ms, updated_at_ms) VALUES ('Ana', 1, 1)");
    const int64_t ben =
        Insert("INSERT INTO creators (name, created_at_ms, updated_at_ms) VALUES ('Ben', 1, 1)");
    AddAsset(ana, "video", "problem-solution");
    AddAsset(ana, "video", "unboxing");
    AddAsset(ben, "photo", "review");
    ASSERT_TRUE(db().Execute("UPDATE assets SET code = 'SCA-' || id").ok());
  }

  int64_t Insert(const std::string& sql) {
    auto id = db().Insert(sql, {});
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : 0;
  }

  void AddAsset(int64_t creator, const std::string& kind, const std::string& hook) {
    Insert(
        "INSERT INTO assets (campaign_id, creator_id, kind, uri, created_at_ms, hook, format) "
        "VALUES (" +
        std::to_string(campaign_id_) + ", " + std::to_string(creator) + ", '" + kind +
        "', 'https://cdn.example/a', 1, '" + hook + "', '" + kind + "')");
  }

  storage::Database& db() { return test_db_->db(); }

  FakeClock clock_{kNow};
  std::unique_ptr<storage::testing::TestDatabase> test_db_;
  int64_t brand_id_ = 0;
  int64_t campaign_id_ = 0;
};

TEST_P(OutcomesTest, AdReportCases) {
  int cases = 0;
  for (const auto& dir : std::filesystem::directory_iterator(TestData() / "ad_report_cases")) {
    SCOPED_TRACE(dir.path().filename().string());
    std::ifstream in(dir.path() / "case.json");
    const json c = json::parse(in);
    AdReportOptions options;
    if (c.contains("platform"))
      options.platform = *ParseAdPlatform(c["platform"].get<std::string>());
    if (c.contains("map")) options.maps = c["map"].get<std::vector<std::string>>();
    if (c.contains("assets")) options.assets_path = dir.path() / c["assets"].get<std::string>();
    Result<AdImportResult> result = InvalidArgument("not run");
    for (int i = 0; i < c.value("imports", 1); ++i) {
      result = ImportAdReport(db(), brand_id_, 0, dir.path() / "report.csv", options, clock_);
      ASSERT_TRUE(result.ok()) << result.status().ToString();
    }
    ExpectSubset(c["expect"], json::parse(AdImportToJson(*result).dump()), "");
    if (c.contains("stored_rows")) {
      auto n = db().QueryInt("SELECT COUNT(*) FROM ad_rows WHERE brand_id = ?", {brand_id_});
      ASSERT_TRUE(n.ok());
      EXPECT_EQ(*n, c["stored_rows"].get<int64_t>());
    }
    ASSERT_TRUE(db().Execute("DELETE FROM ad_rows").ok());
    ++cases;
  }
  EXPECT_GE(cases, 3);
}

TEST_P(OutcomesTest, StoredRowsAreScopedAndLinkedToTheCampaign) {
  const auto dir = TestData() / "ad_report_cases/meta_basic";
  ASSERT_TRUE(ImportAdReport(db(), brand_id_, 0, dir / "report.csv", {}, clock_).ok());
  auto all = LoadAdRows(db(), storage::Scope::Everything(), {.brand_id = brand_id_});
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_EQ(all->size(), 3U);
  auto of_campaign = LoadAdRows(db(), storage::Scope::Everything(), {.campaign_id = campaign_id_});
  ASSERT_TRUE(of_campaign.ok());
  ASSERT_EQ(of_campaign->size(), 2U);  // the ad without a code is the brand's, not the campaign's
  EXPECT_EQ((*of_campaign)[0].creator_name, "Ana");
  EXPECT_EQ((*of_campaign)[1].hook, "unboxing");
  auto other_org = LoadAdRows(db(), storage::Scope::Org(999), {.brand_id = brand_id_});
  ASSERT_TRUE(other_org.ok());
  EXPECT_TRUE(other_org->empty());
  // An asset of another organisation does not link.
  const int64_t org = Insert("INSERT INTO orgs (name, created_at_ms) VALUES ('Other', 1)");
  auto foreign = ImportAdReport(db(), brand_id_, org, dir / "report.csv", {}, clock_);
  ASSERT_TRUE(foreign.ok()) << foreign.status().ToString();
  EXPECT_EQ(foreign->unlinked, 3);
  EXPECT_EQ(foreign->warnings.size(), 2U);
}

TEST_P(OutcomesTest, SessionsImportAndLift) {
  SessionsImport info;
  const SessionsKey key{.brand_id = brand_id_, .sku = "GLOW-30"};
  auto imported =
      ImportSessions(db(), key, TestData() / "sessions/conversion_over_time.csv", clock_);
  ASSERT_TRUE(imported.ok()) << imported.status().ToString();
  EXPECT_EQ(imported->stored, 14);
  EXPECT_EQ(imported->orders_from, "Sessions converted");
  ASSERT_EQ(imported->rejects.size(), 2U);
  EXPECT_EQ(imported->rejects[0].line, 16);
  EXPECT_EQ(imported->rejects[1].line, 17);
  EXPECT_NE(imported->rejects[1].reason.find("20 orders but 10 sessions"), std::string::npos);
  // Re-import replaces the days.
  ASSERT_TRUE(
      ImportSessions(db(), key, TestData() / "sessions/conversion_over_time.csv", clock_).ok());
  auto rows = db().QueryInt("SELECT COUNT(*) FROM listing_sessions");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(*rows, 14);

  auto lift = MeasureLift(db(), storage::Scope::Everything(), brand_id_, "GLOW-30",
                          {.campaign_from = "2026-05-01", .campaign_to = "2026-05-07"});
  ASSERT_TRUE(lift.ok()) << lift.status().ToString();
  EXPECT_EQ(lift->windows.baseline_from, "2026-04-24");
  EXPECT_EQ(lift->windows.baseline_to, "2026-04-30");
  EXPECT_EQ(lift->result.campaign.trials, 1050);
  EXPECT_EQ(lift->result.campaign.successes, 42);
  EXPECT_EQ(lift->result.baseline.successes, 21);
  EXPECT_EQ(lift->result.verdict, kVerdictLift);
  auto hidden = MeasureLift(db(), storage::Scope::Org(999), brand_id_, "GLOW-30",
                            {.campaign_from = "2026-05-01", .campaign_to = "2026-05-07"});
  ASSERT_TRUE(hidden.ok());
  EXPECT_EQ(hidden->result.campaign.trials, 0);
  EXPECT_EQ(hidden->result.verdict, kVerdictTooLittle);
  EXPECT_FALSE(MeasureLift(db(), storage::Scope::Everything(), brand_id_, "GLOW-30",
                           {.campaign_from = "2026-05-07", .campaign_to = "2026-05-01"})
                   .ok());

  auto rate_only = ReadSessionsReport(TestData() / "sessions/rate_only.csv", &info);
  ASSERT_TRUE(rate_only.ok()) << rate_only.status().ToString();
  ASSERT_EQ(rate_only->size(), 2U);
  EXPECT_EQ((*rate_only)[0].orders, 30);  // 1,200 x 2.5%
  EXPECT_EQ((*rate_only)[1].orders, 10);  // 800 x 1.25 (percent)
  EXPECT_EQ(info.orders_from, "conversion rate");
}

TEST_P(OutcomesTest, CampaignReportFormsKeepTheCampaignFields) {
  ASSERT_TRUE(ImportAdReport(db(), brand_id_, 0,
                             TestData() / "ad_report_cases/meta_basic/report.csv", {}, clock_)
                  .ok());
  campaign::CampaignReport base;
  base.campaign.id = campaign_id_;
  base.campaign.brand_id = brand_id_;
  base.campaign.spec.name = "Spring <launch> & \"more\"";
  base.invoiced_cents = 30000;
  auto m = MeasureCampaign(db(), storage::Scope::Everything(), base, config::KpiSettings{});
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  const ordered_json j = CampaignReportToJson(base, *m);
  EXPECT_EQ(j["invoiced_cents"], 30000);  // the fields the web page reads stay
  EXPECT_EQ(j["measurement"]["paid"]["totals"]["ads"], 2);
  EXPECT_EQ(j["measurement"]["kpis"][0]["id"], "cost_per_asset");
  EXPECT_EQ(j["measurement"]["kpis"][0]["value"], 10000);  // 30000 / 3 usable assets
  const std::string csv = ReportToCsv(j);
  EXPECT_NE(csv.find("kpi,campaign/" + std::to_string(campaign_id_) +
                     ",cost_per_asset,10000,cost_cents / usable_assets\r\n"),
            std::string::npos)
      << csv;
  EXPECT_NE(csv.find("paid.asset,campaign/" + std::to_string(campaign_id_) + "/SCA-1,ctr,0.02"),
            std::string::npos);
  const std::string html = ReportToHtml(j);
  EXPECT_NE(html.find("Spring &lt;launch&gt; &amp; &quot;more&quot;"), std::string::npos);
  EXPECT_EQ(html.find("<launch>"), std::string::npos);
  EXPECT_NE(html.find("<svg"), std::string::npos);
  for (const char* external : {"<script", "src=", "href=", "@import", "url("}) {
    EXPECT_EQ(html.find(external), std::string::npos) << external;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, OutcomesTest, ::testing::Values("sqlite", "postgres"));

TEST(KpiCases, FormulasMatchHandWorkedFigures) {
  for (const json& c : ReadJsonl(TestData() / "kpi_cases.jsonl")) {
    SCOPED_TRACE(c["name"].get<std::string>());
    auto config = config::ApplyToml({}, c.value("toml", ""), "case");
    if (c.contains("error")) {
      ASSERT_FALSE(config.ok());
      EXPECT_NE(config.status().message().find(c["error"].get<std::string>()), std::string::npos)
          << config.status().message();
      continue;
    }
    ASSERT_TRUE(config.ok()) << config.status().ToString();
    const json& i = c["inputs"];
    KpiInputs in{.cost_cents = i.value("cost_cents", int64_t{0}),
                 .usable_assets = i.value("usable_assets", int64_t{0}),
                 .tracked = i.value("tracked", false),
                 .revenue_cents = i.value("revenue_cents", int64_t{0}),
                 .clicks = i.value("clicks", int64_t{0}),
                 .unique_clicks = i.value("unique_clicks", int64_t{0})};
    for (const json& p : i.value("posts", json::array())) {
      std::optional<int64_t> followers;
      if (p.contains("followers")) followers = p["followers"].get<int64_t>();
      in.posts.push_back(PostMetricsOfJson(p.dump(), p["platform"], followers));
    }
    json figures = json::object();
    for (const Figure& f : ComputeKpis(in, config->kpi)) {
      figures[f.id] = json::parse(FigureToJson(f).dump())["value"];
    }
    ExpectSubset(c["expect"], figures, "");
  }
}

TEST(LiftCases, IntervalsMatchKnownValues) {
  for (const json& c : ReadJsonl(TestData() / "lift_cases.jsonl")) {
    SCOPED_TRACE(c["name"].get<std::string>());
    LiftOptions options;
    const json o = c.value("options", json::object());
    options.confidence = o.value("confidence", options.confidence);
    options.min_sessions = o.value("min_sessions", options.min_sessions);
    options.min_orders = o.value("min_orders", options.min_orders);
    auto r = ComputeLift({c["campaign"][0], c["campaign"][1]}, {c["baseline"][0], c["baseline"][1]},
                         options);
    if (c.contains("error")) {
      ASSERT_FALSE(r.ok());
      EXPECT_EQ(r.status().message(), c["error"].get<std::string>());
      continue;
    }
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    const json j = json::parse(LiftToJson(*r).dump());
    const json flat = {{"difference", j["difference"]["value"]},
                       {"lower", j["difference"]["lower"]},
                       {"upper", j["difference"]["upper"]},
                       {"relative_lift", j["relative_lift"]["value"]},
                       {"relative_lower", j["relative_lift"]["lower"]},
                       {"relative_upper", j["relative_lift"]["upper"]},
                       {"verdict", j["verdict"]}};
    // Published intervals have 4 decimals: compare to half a unit of the last one.
    for (const auto& [key, value] : c["expect"].items()) {
      if (value.is_number()) {
        EXPECT_NEAR(value.get<double>(), flat[key].get<double>(), 5e-5) << key;
      } else {
        EXPECT_EQ(value, flat[key]) << key;
      }
    }
  }
}

}  // namespace
}  // namespace seedcast::measure

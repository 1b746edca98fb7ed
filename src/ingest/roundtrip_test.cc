// Export then import: a demo population written as NDJSON or CSV and read into an empty store gives
// the same creators and accounts (ids aside).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <tuple>

#include "demo/population.h"
#include "ingest/creator_export.h"
#include "ingest/creator_import.h"
#include "model/creator_json.h"
#include "storage/testing/test_database.h"

namespace seedcast::ingest {
namespace {

namespace fs = std::filesystem;

class RoundTripTest : public ::testing::TestWithParam<ExportFormat> {
 protected:
  std::unique_ptr<storage::testing::TestDatabase> Open() {
    auto created = storage::testing::TestDatabase::Create("sqlite", clock_);
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return std::move(created).value();
  }
  // Every creator as JSON without the store's ids, in ref order.
  static std::vector<nlohmann::json> Snapshot(storage::CreatorStore& store) {
    std::vector<nlohmann::json> out;
    EXPECT_TRUE(store
                    .ForEachCreator([&](const model::Creator& c) {
                      nlohmann::json j = model::CreatorToJson(c, model::TierScheme::Default());
                      j.erase("id");
                      for (auto& a : j["accounts"]) a.erase("id");
                      // Account order within a creator carries no meaning (imports write in key
                      // order).
                      std::sort(j["accounts"].begin(), j["accounts"].end(),
                                [](const nlohmann::json& a, const nlohmann::json& b) {
                                  return std::tie(a["platform"], a["handle"]) <
                                         std::tie(b["platform"], b["handle"]);
                                });
                      out.push_back(j);
                      return Status::Ok();
                    })
                    .ok());
    std::sort(out.begin(), out.end(),
              [](const nlohmann::json& a, const nlohmann::json& b) { return a["ref"] < b["ref"]; });
    return out;
  }
  FakeClock clock_{1'700'000'000'000};
};

TEST_P(RoundTripTest, ExportedCreatorsImportToTheSameCreators) {
  auto source = Open();
  storage::CreatorStore source_store(source->db(), clock_);
  demo::PopulationGenerator generator({.creators = 400, .seed = 3});
  model::Creator c;
  ASSERT_TRUE(storage::InTransaction(source->db(), [&]() -> Status {
                while (generator.Next(&c)) SEEDCAST_RETURN_IF_ERROR(source_store.InsertCreator(c));
                return Status::Ok();
              }).ok());

  const std::string file =
      (fs::temp_directory_path() / ("seedcast-roundtrip-" + std::to_string(getpid()) +
                                    (GetParam() == ExportFormat::kCsv ? ".csv" : ".ndjson")))
          .string();
  {
    std::ofstream out(file);
    auto written = ExportCreators(source_store, model::TierScheme::Default(), GetParam(), out);
    ASSERT_TRUE(written.ok()) << written.status().ToString();
    EXPECT_EQ(*written, 400);
  }
  auto target = Open();
  storage::CreatorStore target_store(target->db(), clock_);
  ImportOptions options;
  options.path = file;
  auto summary = ImportCreators(target->db(), target_store, options);
  fs::remove(file);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->rejected, 0) << summary->ToText();
  EXPECT_EQ(summary->created, *source_store.CountAccounts());

  std::vector<nlohmann::json> before = Snapshot(source_store);
  std::vector<nlohmann::json> after = Snapshot(target_store);
  ASSERT_EQ(before.size(), after.size());
  for (size_t i = 0; i < before.size(); ++i) {
    ASSERT_EQ(before[i], after[i]) << "creator " << i;
  }
}

INSTANTIATE_TEST_SUITE_P(Formats, RoundTripTest,
                         ::testing::Values(ExportFormat::kNdjson, ExportFormat::kCsv),
                         [](const ::testing::TestParamInfo<ExportFormat>& p) {
                           return p.param == ExportFormat::kCsv ? "csv" : "ndjson";
                         });

}  // namespace
}  // namespace seedcast::ingest

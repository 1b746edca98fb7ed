// Declarative import cases: each folder under testdata/import_cases holds
//   input.*                 the file to import
//   args                    optional: one option per line (--platform X, --map field=column)
//   expected_accounts.ndjson  the stored accounts, each found by its handle (and platform, when
//   given);
//                             only the keys given are compared, plus "creator" (name, ref, country,
//                             language, accounts)
//   expected_rejects.tsv    optional: "LINE<TAB>text the reason contains", one per rejected record
//   expected_summary.json   optional: summary fields to compare (created, updated, skipped, ...)
//   expected_notes.txt      optional: one text per line that some note of the summary contains
//   expected_error          optional: the import must fail, storing nothing, with this text
// Every case is imported twice, on SQLite and on PostgreSQL: the second import must create nothing.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/text.h"
#include "ingest/creator_import.h"
#include "model/creator_json.h"
#include "storage/testing/test_database.h"

namespace seedcast::ingest {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

fs::path CasesDir() {
  const char* root = std::getenv("SEEDCAST_SOURCE_DIR");  // NOLINT(concurrency-mt-unsafe)
  return fs::path(root != nullptr ? root : ".") / "src/ingest/testdata/import_cases";
}

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream s(text);
  std::string line;
  while (std::getline(s, line)) {
    if (!text::Trim(line).empty()) out.push_back(line);
  }
  return out;
}

// Every key of `expected` must be in `actual` with an equal value (numbers within 1e-9).
void ExpectSubset(const json& expected, const json& actual, const std::string& where) {
  if (expected.is_object()) {
    ASSERT_TRUE(actual.is_object()) << where << ": expected an object, got " << actual.dump();
    for (const auto& [k, v] : expected.items()) {
      ASSERT_TRUE(actual.contains(k)) << where << ": missing key " << k << " in " << actual.dump();
      std::string path = where;
      path.append(".").append(k);
      ExpectSubset(v, actual[k], path);
    }
  } else if (expected.is_number() && actual.is_number()) {
    EXPECT_NEAR(expected.get<double>(), actual.get<double>(), 1e-9) << where;
  } else {
    EXPECT_EQ(expected, actual) << where;
  }
}

struct Case {
  std::string name;
  fs::path dir;
  fs::path input;
};

std::vector<Case> AllCases() {
  std::vector<Case> cases;
  for (const auto& entry : fs::directory_iterator(CasesDir())) {
    if (!entry.is_directory()) continue;
    Case c{entry.path().filename().string(), entry.path(), {}};
    for (const auto& f : fs::directory_iterator(entry.path())) {
      if (f.path().stem() == "input") c.input = f.path();
    }
    cases.push_back(c);
  }
  std::sort(cases.begin(), cases.end(),
            [](const Case& a, const Case& b) { return a.name < b.name; });
  return cases;
}

class ImportCasesTest : public ::testing::TestWithParam<std::string> {
 protected:
  FakeClock clock_{1'700'000'000'000};
};

ImportOptions OptionsFor(const Case& c, const fs::path& rejects) {
  ImportOptions o;
  o.path = c.input.string();
  o.rejects_path = rejects.string();
  o.batch_rows = 3;  // several batches even in small files
  if (fs::exists(c.dir / "args")) {
    for (const std::string& line : Lines(ReadFile(c.dir / "args"))) {
      std::string_view l = text::Trim(line);
      size_t space = l.find(' ');
      std::string flag(l.substr(0, space));
      std::string value(text::Trim(l.substr(space + 1)));
      if (flag == "--platform") o.platform = value;
      if (flag == "--map") {
        size_t eq = value.find('=');
        o.mappings.emplace_back(value.substr(0, eq), value.substr(eq + 1));
      }
    }
  }
  return o;
}

TEST_P(ImportCasesTest, EveryCase) {
  std::vector<Case> cases = AllCases();
  ASSERT_GE(cases.size(), 8U) << "cases are read from " << CasesDir();
  for (const Case& c : cases) {
    SCOPED_TRACE("case " + c.name + " on " + GetParam());
    ASSERT_FALSE(c.input.empty()) << "no input file";
    auto test_db = storage::testing::TestDatabase::Create(GetParam(), clock_);
    ASSERT_TRUE(test_db.ok()) << test_db.status().ToString();
    storage::Database& db = (*test_db)->db();
    storage::CreatorStore store(db, clock_);
    fs::path rejects = fs::temp_directory_path() / ("seedcast-case-" + std::to_string(getpid()) +
                                                    "-" + c.name + ".rejects.tsv");
    fs::remove(rejects);
    ImportOptions options = OptionsFor(c, rejects);
    auto summary = ImportCreators(db, store, options);

    if (fs::exists(c.dir / "expected_error")) {
      std::string want(text::Trim(ReadFile(c.dir / "expected_error")));
      ASSERT_FALSE(summary.ok()) << "the import should fail with: " << want;
      EXPECT_NE(summary.status().message().find(want), std::string::npos)
          << summary.status().message();
      EXPECT_EQ(*store.CountAccounts(), 0);
      continue;
    }
    ASSERT_TRUE(summary.ok()) << summary.status().ToString();

    // Stored accounts.
    std::vector<json> actual;
    ASSERT_TRUE(store
                    .ForEachCreator([&](const model::Creator& cr) {
                      for (const model::Account& a : cr.accounts) {
                        json j = model::AccountToJson(a, model::TierScheme::Default());
                        j["creator"] = {{"name", cr.name},
                                        {"ref", cr.ref},
                                        {"country", cr.country},
                                        {"language", cr.language},
                                        {"accounts", cr.accounts.size()}};
                        actual.push_back(j);
                      }
                      return Status::Ok();
                    })
                    .ok());
    std::vector<std::string> expected_lines = Lines(ReadFile(c.dir / "expected_accounts.ndjson"));
    ASSERT_EQ(actual.size(), expected_lines.size()) << summary->ToText();
    for (size_t i = 0; i < expected_lines.size(); ++i) {
      json want = json::parse(expected_lines[i]);
      auto found = std::find_if(actual.begin(), actual.end(), [&want](const json& a) {
        return a["handle"] == want["handle"] &&
               (!want.contains("platform") || a["platform"] == want["platform"]);
      });
      ASSERT_NE(found, actual.end()) << "no stored account for " << want.dump();
      ExpectSubset(want, *found, "account " + std::to_string(i + 1));
    }

    // Rejects: line and reason.
    std::vector<std::string> expected_rejects;
    if (fs::exists(c.dir / "expected_rejects.tsv")) {
      expected_rejects = Lines(ReadFile(c.dir / "expected_rejects.tsv"));
    }
    EXPECT_EQ(summary->rejected, static_cast<int64_t>(expected_rejects.size()))
        << summary->ToText();
    std::vector<std::string> written;
    if (fs::exists(rejects)) {
      written = Lines(ReadFile(rejects));
      ASSERT_FALSE(written.empty());
      written.erase(written.begin());  // header
    }
    ASSERT_EQ(written.size(), expected_rejects.size());
    for (size_t i = 0; i < written.size(); ++i) {
      std::vector<std::string_view> want = text::Split(expected_rejects[i], "\t");
      ASSERT_EQ(want.size(), 2U) << expected_rejects[i];
      EXPECT_TRUE(written[i].starts_with(std::string(want[0]) + "\t")) << written[i];
      EXPECT_NE(written[i].find(want[1]), std::string::npos)
          << "reject " << written[i] << " should mention " << want[1];
    }
    if (fs::exists(c.dir / "expected_summary.json")) {
      ExpectSubset(json::parse(ReadFile(c.dir / "expected_summary.json")), summary->ToJson(),
                   "summary");
    }

    if (fs::exists(c.dir / "expected_notes.txt")) {
      for (const std::string& want : Lines(ReadFile(c.dir / "expected_notes.txt"))) {
        const bool noted = std::any_of(
            summary->notes.begin(), summary->notes.end(),
            [&want](const std::string& n) { return n.find(want) != std::string::npos; });
        EXPECT_TRUE(noted) << "no note says '" << want << "':\n" << summary->ToText();
      }
    }

    // Importing the same file again updates; it creates nothing.
    auto again = ImportCreators(db, store, options);
    ASSERT_TRUE(again.ok()) << again.status().ToString();
    EXPECT_EQ(again->created, 0);
    EXPECT_EQ(again->updated, summary->created + summary->updated);
    EXPECT_EQ(*store.CountAccounts(), static_cast<int64_t>(actual.size()));
    fs::remove(rejects);
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, ImportCasesTest, ::testing::Values("sqlite", "postgres"),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

}  // namespace
}  // namespace seedcast::ingest

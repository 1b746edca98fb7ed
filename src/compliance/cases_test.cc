// Runs the declarative compliance cases in testdata/disclosure_cases.jsonl: each line is a post
// (or a raw input line), a jurisdiction, optionally a campaign, and the verdict expected; a case's
// "language" is checked against the verdict JSON's language object (null, or the fields given,
// "note" as a part of the note).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "compliance/caption_language.h"
#include "compliance/checker.h"
#include "compliance/post_json.h"

namespace seedcast::compliance {
namespace {

using nlohmann::json;

// The verdict's "language" as AppendVerdictJson writes it, against the case's expectation.
void ExpectLanguage(const Verdict& verdict, const json& expected) {
  std::string line;
  AppendVerdictJson("null", verdict, &line);
  const json actual = json::parse(line).at("language");
  if (expected.is_null()) {
    EXPECT_TRUE(actual.is_null()) << actual.dump();
    return;
  }
  ASSERT_TRUE(actual.is_object()) << line;
  for (const auto& [key, value] : expected.items()) {
    if (key == "note") {
      EXPECT_NE(actual.value("note", "").find(value.get<std::string>()), std::string::npos)
          << actual.dump();
    } else {
      EXPECT_EQ(actual.value(key, json()), value) << key << " in " << actual.dump();
    }
  }
}

std::vector<json> LoadCases() {
  const char* root = std::getenv("SEEDCAST_SOURCE_DIR");  // NOLINT(concurrency-mt-unsafe)
  const std::filesystem::path path = std::filesystem::path(root != nullptr ? root : ".") /
                                     "src/compliance/testdata/disclosure_cases.jsonl";
  std::ifstream in(path);
  std::vector<json> cases;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line.starts_with("//")) continue;
    cases.push_back(json::parse(line));
  }
  return cases;
}

class ComplianceCases : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    Result<RuleBook> rules = BuiltInRules();
    ASSERT_TRUE(rules.ok()) << rules.status().ToString();
    rules_ = new RuleBook(std::move(*rules));  // NOLINT(cppcoreguidelines-owning-memory)
  }
  static void TearDownTestSuite() {
    delete rules_;  // NOLINT(cppcoreguidelines-owning-memory)
    rules_ = nullptr;
  }
  static RuleBook* rules_;
};
RuleBook* ComplianceCases::rules_ = nullptr;

TEST_F(ComplianceCases, EveryCaseGetsItsVerdict) {
  const std::vector<json> cases = LoadCases();
  ASSERT_GE(cases.size(), 200U);
  PostReader reader;
  int with_spans = 0;
  int with_language = 0;
  for (const json& c : cases) {
    const std::string name = c.at("name");
    SCOPED_TRACE(name);
    Result<const Jurisdiction*> jurisdiction =
        rules_->Find(c.at("jurisdiction").get<std::string>());
    ASSERT_TRUE(jurisdiction.ok());
    std::optional<Requirements> requirements;
    if (c.contains("campaign")) {
      Result<Requirements> r = ParseRequirements(c["campaign"].dump());
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      requirements = std::move(*r);
    }
    const std::string line = c.contains("line") ? c["line"].get<std::string>() : c["post"].dump();
    Post post;
    std::string id_json;
    const Status read = reader.Read(line, &post, &id_json);
    Verdict verdict;
    if (read.ok()) {
      Checker checker(*rules_, **jurisdiction, requirements ? &*requirements : nullptr);
      verdict = checker.Check(post);
    } else {
      verdict = InvalidInputVerdict(post.id, read.message());
    }
    if (c.contains("id_json")) {
      EXPECT_EQ(id_json, c["id_json"].get<std::string>());
    }

    std::vector<std::string> codes;
    for (const Finding& f : verdict.findings) {
      codes.push_back(f.code);
      EXPECT_FALSE(f.message.empty()) << f.code;
      EXPECT_FALSE(f.fix.empty()) << f.code;
    }
    std::sort(codes.begin(), codes.end());
    codes.erase(std::unique(codes.begin(), codes.end()), codes.end());
    EXPECT_EQ(codes, c.at("codes").get<std::vector<std::string>>());
    EXPECT_EQ(verdict.compliant, c.at("compliant").get<bool>());
    if (c.contains("language")) {
      ExpectLanguage(verdict, c["language"]);
      ++with_language;
    }

    if (c.contains("spans")) {
      for (const auto& item : c["spans"].items()) {
        const std::string& code = item.key();
        const json& span = item.value();
        auto it = std::find_if(verdict.findings.begin(), verdict.findings.end(),
                               [&](const Finding& f) { return f.code == code && f.span; });
        ASSERT_NE(it, verdict.findings.end()) << "no span for " << code;
        EXPECT_EQ(it->span->start, span[0].get<uint32_t>()) << code;
        EXPECT_EQ(it->span->end, span[1].get<uint32_t>()) << code;
        ++with_spans;
      }
    }
  }
  EXPECT_GE(with_spans, 8);
  EXPECT_GE(with_language, 30);
}

// Each finding's span text is the caption's own text at those code points.
TEST_F(ComplianceCases, SpanTextIsTheCaptionAtThoseCodePoints) {
  const Jurisdiction& us = **rules_->Find("us");
  Checker checker(*rules_, us);
  Post post;
  post.platform = "instagram";
  post.relationship = Relationship::kPaid;
  post.caption = "Café ☕ morning with @glowco " + std::string(120, 'x') + " #AD";
  const Verdict v = checker.Check(post);
  ASSERT_EQ(v.findings.size(), 1U);
  ASSERT_TRUE(v.findings[0].span);
  EXPECT_EQ(v.findings[0].span->text, "#AD");
  EXPECT_EQ(v.findings[0].span->start, 28U + 120U + 1U);
  EXPECT_NE(v.findings[0].fix.find("#AD"), std::string::npos);
}

// The fix names a term in the post's language.
TEST_F(ComplianceCases, FixSuggestsATermInThePostsLanguage) {
  Checker checker(*rules_, **rules_->Find("uk"));
  Post post;
  post.relationship = Relationship::kPaid;
  post.language = "de";
  post.caption = "Mein neues Serum";
  const Verdict v = checker.Check(post);
  ASSERT_EQ(v.findings.size(), 1U);
  EXPECT_EQ(v.findings[0].code, "disclosure_missing");
  EXPECT_NE(v.findings[0].fix.find("#werbung"), std::string::npos) << v.findings[0].fix;
}

// Without a language, the fix names a term in the language detected, and the verdict says which.
TEST_F(ComplianceCases, FixSuggestsATermInTheDetectedLanguage) {
  Checker checker(*rules_, **rules_->Find("uk"));
  Post post;
  post.relationship = Relationship::kPaid;
  post.caption =
      "Mein Wohnzimmer hat endlich neue Vorhänge bekommen, alles verlinkt in meiner Bio und in "
      "der Story";
  const Verdict v = checker.Check(post);
  ASSERT_EQ(v.findings.size(), 1U);
  EXPECT_NE(v.findings[0].fix.find("#werbung"), std::string::npos) << v.findings[0].fix;
  ASSERT_TRUE(v.language);
  EXPECT_EQ(v.language->code, "de");
  EXPECT_TRUE(v.language->detected);
  EXPECT_GE(v.language->percent, kSurePercent);
  EXPECT_EQ(v.language->accepted, std::vector<std::string>{"de"});
}

}  // namespace
}  // namespace seedcast::compliance

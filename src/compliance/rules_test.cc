#include "compliance/rules.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "compliance/checker.h"

namespace seedcast::compliance {
namespace {

constexpr std::string_view kLanguages = R"(
[en]
ad = ["ad"]
gifted = ["gifted"]
unclear = ["spon"]
negations = ["not"]
)";

TEST(Rules, BuiltInRulesHaveBothJurisdictionsAndSixLanguagesBesideEnglish) {
  Result<RuleBook> book = BuiltInRules();
  ASSERT_TRUE(book.ok()) << book.status().ToString();
  EXPECT_TRUE(book->Find("us").ok());
  EXPECT_TRUE(book->Find("uk").ok());
  for (const char* lang : {"en", "es", "de", "fr", "it", "pt", "nl"}) {
    EXPECT_GE(book->vocabulary.LanguageIndex(lang), 0) << lang;
  }
  EXPECT_EQ((*book->Find("us"))->VisibleChars("instagram"), 125);
  EXPECT_EQ((*book->Find("uk"))->VisibleChars("tiktok"), 100);
  EXPECT_FALSE(book->Find("fr").ok());
  EXPECT_NE(book->Find("fr").status().message().find("us"), std::string::npos);
}

// A new jurisdiction is a file: no code.
TEST(Rules, AJurisdictionIsAddedAsAFile) {
  const std::string au = R"(
jurisdiction = "au"
name = "Australia"
buried_run = 4
[visible_chars]
instagram = 90
[clear]
paid = ["ad"]
gifted_required = ["ad", "gifted"]
gifted_unsolicited = ["ad", "gifted"]
affiliate = ["ad"]
)";
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("seedcast_rules_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "languages.toml") << kLanguages;
  std::ofstream(dir / "au.toml") << au;
  Result<RuleBook> book = LoadRules(dir.string());
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(book.ok()) << book.status().ToString();
  Result<const Jurisdiction*> j = book->Find("au");
  ASSERT_TRUE(j.ok());
  EXPECT_EQ((*j)->buried_run, 4);
  EXPECT_EQ((*j)->VisibleChars("instagram"), 90);
  EXPECT_EQ((*j)->VisibleChars("tiktok"), 100);  // the default

  Checker checker(*book, **j);
  Post post;
  post.platform = "instagram";
  post.relationship = Relationship::kGiftedRequired;
  post.caption = "#gifted new serum";
  EXPECT_TRUE(checker.Check(post).compliant);
  post.caption = std::string(88, 'x') + " #gifted";  // past the 90 visible characters
  EXPECT_FALSE(checker.Check(post).compliant);
  post.caption = "serum #a #b #gifted";  // a run of 3 is not buried when buried_run is 4
  EXPECT_TRUE(checker.Check(post).compliant);
}

TEST(Rules, BadRuleFilesAreRejectedWithTheReason) {
  auto parse = [](std::string_view jurisdiction) {
    return ParseRules(kLanguages, {{"xx.toml", std::string(jurisdiction)}});
  };
  // A [clear] table with every relationship, paid cleared by `paid_family`.
  auto clear_table = [](std::string_view paid_family) {
    return "[clear]\npaid = [\"" + std::string(paid_family) +
           "\"]\ngifted_required = [\"ad\"]\ngifted_unsolicited = [\"ad\"]\naffiliate = [\"ad\"]\n";
  };
  ASSERT_TRUE(parse(clear_table("ad")).ok());
  Result<RuleBook> unknown_family = parse(clear_table("sponsored"));
  ASSERT_FALSE(unknown_family.ok());
  EXPECT_NE(unknown_family.status().message().find("\"sponsored\""), std::string::npos);

  Result<RuleBook> missing = parse("[clear]\npaid = [\"ad\"]\n");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("gifted_required"), std::string::npos);

  Result<RuleBook> unclear_as_clear = parse(clear_table("unclear"));
  ASSERT_FALSE(unclear_as_clear.ok());
  EXPECT_NE(unclear_as_clear.status().message().find("not a disclosure family"), std::string::npos);

  Result<RuleBook> syntax = parse("[clear\n");
  ASSERT_FALSE(syntax.ok());
  EXPECT_NE(syntax.status().message().find("xx.toml"), std::string::npos);

  // Vocabularies that are wrong on their own, with a valid jurisdiction beside them.
  const std::map<std::string, std::string> valid = {{"xx.toml", clear_table("ad")}};
  Result<RuleBook> empty_term = ParseRules("[en]\nad = [\"\"]\n", valid);
  ASSERT_FALSE(empty_term.ok());
  EXPECT_NE(empty_term.status().message().find("has no words"), std::string::npos);
  Result<RuleBook> no_english = ParseRules("[es]\nad = [\"publicidad\"]\n", valid);
  ASSERT_FALSE(no_english.ok());
  EXPECT_NE(no_english.status().message().find("[en]"), std::string::npos);
}

}  // namespace
}  // namespace seedcast::compliance

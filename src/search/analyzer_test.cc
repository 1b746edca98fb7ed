#include "search/analyzer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "search/query.h"

namespace seedcast::search {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

std::vector<std::string> Terms(std::string_view text, std::string_view language = "en") {
  Analyzer a;
  std::vector<std::string> out;
  a.Analyze(text, language, &out);
  return out;
}

TEST(AnalyzerTest, StemsWordsSoInflectionsMeet) {
  Analyzer a;
  auto query = a.AnalyzeQuery("recipe");
  ASSERT_EQ(query.size(), 1U);
  // Some form of the query word is a term of the document ("RECIPES" stems like "recipe").
  const auto doc = Terms("Easy vegan RECIPES tonight");
  EXPECT_TRUE(std::any_of(
      query[0].forms.begin(), query[0].forms.end(),
      [&doc](const std::string& f) { return std::find(doc.begin(), doc.end(), f) != doc.end(); }));
  EXPECT_THAT(doc, Not(Contains("recipes")));  // stemmed, not kept as written
  EXPECT_THAT(Terms("Easy vegan RECIPES tonight"), Contains("vegan"));
  // Spanish words are stemmed as Spanish: "recetas" and "receta" meet.
  EXPECT_EQ(Terms("recetas", "es"), Terms("receta", "es"));
}

TEST(AnalyzerTest, HashtagsInAnyScriptAreTermsAndWords) {
  auto terms = Terms("新しいスキンケア #スキンケア and #SkinCare", "ja");
  EXPECT_THAT(terms, Contains("#スキンケア"));
  EXPECT_THAT(terms, Contains("#skincare"));
  // Japanese runs become bigrams, so a query word inside a longer run still matches.
  EXPECT_THAT(terms, Contains("スキ"));
  EXPECT_THAT(Terms("#맛집 투어", "ko"), Contains("#맛집"));
  // A bare '#' or one before punctuation is no hashtag.
  EXPECT_THAT(Terms("# ## #!"), ::testing::IsEmpty());
}

TEST(AnalyzerTest, FoldsCaseAndCompatibilityForms) {
  // Full-width letters and a precomposed accent fold to the same term as plain text.
  EXPECT_EQ(Terms("ＣＡＦÉ", "fr"), Terms("café", "fr"));
  EXPECT_EQ(Terms("Straße", "de"), Terms("STRASSE", "de"));
}

TEST(AnalyzerTest, MalformedUtf8EndsAWordWithoutCrashing) {
  std::string bad = "good\xff\xfeword";
  auto terms = Terms(bad);
  EXPECT_THAT(terms, Contains("good"));
  EXPECT_THAT(terms, Contains("word"));
}

TEST(QueryTest, ParsesEveryField) {
  auto q = ParseQueryText(
      R"({"platforms":["IG"],"tiers":["micro"],"followers":{"min":10000,"max":50000},
          "engagement_rate":{"min":0.02},"niches":["skincare","food"],"niches_match":"all",
          "countries":["United States"],"languages":["English"],
          "audience":{"countries":{"US":0.4},"genders":{"female":0.6},"ages":{"18-24":0.3}},
          "quality":{"min":0.7},"rate_cents":{"max":50000},
          "available":{"from":"2026-12-01","to":"2026-12-31"},"text":"vegan","sort":"fit",
          "limit":50,"offset":50,"facets":["tier","niche"]})",
      model::TierScheme::Default());
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  EXPECT_EQ(q->platforms, std::vector<std::string>{"instagram"});
  EXPECT_EQ(q->niches, (std::vector<std::string>{"beauty", "food"}));
  EXPECT_TRUE(q->all_niches);
  EXPECT_EQ(q->countries, std::vector<std::string>{"US"});
  EXPECT_EQ(q->languages, std::vector<std::string>{"en"});
  EXPECT_EQ(q->audience.size(), 3U);
  EXPECT_EQ(q->sort, SortBy::kFit);
  ASSERT_TRUE(q->available.has_value());
  EXPECT_EQ(q->available->first, 1'796'083'200'000);  // 2026-12-01T00:00:00Z
  EXPECT_EQ(q->available->second - q->available->first, 31LL * 86'400'000 - 1);
  EXPECT_EQ(q->facets.size(), 2U);
}

TEST(QueryTest, ErrorsNameTheField) {
  const auto tiers = model::TierScheme::Default();
  auto message = [&tiers](std::string_view text) {
    auto q = ParseQueryText(text, tiers);
    return q.ok() ? std::string("ok") : q.status().message();
  };
  EXPECT_THAT(message(R"({"platfroms":["instagram"]})"),
              HasSubstr("unknown query field 'platfroms'"));
  EXPECT_THAT(message(R"({"audience":{"countries":{"US":40}}})"),
              HasSubstr("audience.countries.US"));
  EXPECT_THAT(message(R"({"followers":{"min":5,"max":1}})"), HasSubstr("min is greater than max"));
  EXPECT_THAT(message(R"({"tiers":["giga"]})"), HasSubstr("unknown tier 'giga'"));
  EXPECT_THAT(message(R"({"limit":100000})"), HasSubstr("'limit'"));
  EXPECT_THAT(message(R"({"sort":"relevance"})"), HasSubstr("needs \"text\""));
  EXPECT_THAT(message(R"({"available":{"from":"2026-02-30","to":"2026-03-01"}})"),
              HasSubstr("not a calendar date"));
  EXPECT_THAT(message("[1,2]"), HasSubstr("JSON object"));
  EXPECT_THAT(message("{"), HasSubstr("not valid JSON"));
  EXPECT_THAT(message(R"({"niches":["basket weaving"]})"), HasSubstr("unknown niche"));
  EXPECT_EQ(message(R"({"platforms":["instagram"]})"), "ok");
}

}  // namespace
}  // namespace seedcast::search

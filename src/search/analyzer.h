// Analyzer: turns bios, captions and query text into index terms.
//
// - Words are NFKC case-folded (utf8proc), so "Café", "CAFÉ" and "ｃａｆé" are one term.
// - A word is stemmed with the Snowball stemmer of the account's language when there is one
//   (English when the language is unknown); words of other languages are kept as written.
// - Chinese and Japanese runs, written without spaces, become overlapping character bigrams.
// - "#hashtag" in any script becomes the term "#hashtag" (folded, not stemmed) and also the word
//   "hashtag", so a search for "skincare" finds "#skincare" while "#skincare" finds only the tag.
//
// An Analyzer holds Snowball stemmers, which are not thread-safe: use one per thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace seedcast::text {
class Stemmers;
}  // namespace seedcast::text

namespace seedcast::search {

// One word of a query with every form it can take in the index (its stem in each language, the
// word itself). A document matches the word when it holds any of the forms.
struct QueryWord {
  std::string text;                // as folded, for reasons ("vegan", "#skincare")
  std::vector<std::string> forms;  // distinct, sorted
};

class Analyzer {
 public:
  Analyzer();
  ~Analyzer();
  Analyzer(const Analyzer&) = delete;
  Analyzer& operator=(const Analyzer&) = delete;

  // Appends the terms of `text`, written in `language` (ISO 639-1, may be empty), to `terms`.
  void Analyze(std::string_view text, std::string_view language, std::vector<std::string>* terms);

  // The words of a query. Duplicates are dropped.
  std::vector<QueryWord> AnalyzeQuery(std::string_view text);

 private:
  std::unique_ptr<text::Stemmers> stemmers_;
};

}  // namespace seedcast::search

#include "search/analyzer.h"

#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <map>

#include "common/stemmer.h"
#include "common/text.h"

namespace seedcast::search {
namespace {

using text::IsUnspacedScript;
using text::IsWordCodePoint;

std::string Fold(std::string_view word) {
  return text::FoldCase(word, {.drop_ignorable = true}).value_or(std::string(word));
}

// A span of word characters, with whether it is all in an unspaced script.
struct Span {
  std::string_view text;
  bool hashtag = false;
};

// Splits text into words and hashtags. Malformed UTF-8 bytes end a word.
template <typename Emit>
void Scan(std::string_view text, Emit emit) {
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  const auto size = static_cast<utf8proc_ssize_t>(text.size());
  utf8proc_ssize_t i = 0;
  utf8proc_ssize_t start = -1;
  bool hashtag = false;
  bool unspaced_run = false;
  auto flush = [&](utf8proc_ssize_t end) {
    if (start >= 0 && end > start) {
      emit(Span{text.substr(static_cast<size_t>(start), static_cast<size_t>(end - start)), hashtag},
           unspaced_run);
    }
    start = -1;
    hashtag = false;
  };
  while (i < size) {
    utf8proc_int32_t c = 0;
    utf8proc_ssize_t len = utf8proc_iterate(p + i, size - i, &c);
    if (len <= 0) {
      flush(i);
      ++i;
      continue;
    }
    if (IsWordCodePoint(c)) {
      const bool unspaced = IsUnspacedScript(c);
      // Outside hashtags, a change between spaced and unspaced scripts starts a new word.
      if (start >= 0 && !hashtag && unspaced != unspaced_run) flush(i);
      if (start < 0) {
        start = i;
        unspaced_run = unspaced;
      }
    } else {
      flush(i);
      if (c == '#' && i + len < size) {
        utf8proc_int32_t next = 0;
        if (utf8proc_iterate(p + i + len, size - i - len, &next) > 0 && IsWordCodePoint(next)) {
          start = i + len;
          hashtag = true;
          unspaced_run = false;
        }
      }
    }
    i += len;
  }
  flush(size);
}

// Overlapping two-character pieces of an unspaced run ("京都の旅" -> 京都, 都の, の旅).
void Bigrams(const std::string& run, std::vector<std::string>* out) {
  std::vector<size_t> starts;
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(run.data());
  const auto size = static_cast<utf8proc_ssize_t>(run.size());
  for (utf8proc_ssize_t i = 0; i < size;) {
    utf8proc_int32_t c = 0;
    utf8proc_ssize_t len = utf8proc_iterate(p + i, size - i, &c);
    if (len <= 0) break;
    starts.push_back(static_cast<size_t>(i));
    i += len;
  }
  starts.push_back(run.size());
  if (starts.size() <= 2) {
    out->push_back(run);
    return;
  }
  for (size_t k = 0; k + 2 < starts.size(); ++k) {
    out->push_back(run.substr(starts[k], starts[k + 2] - starts[k]));
  }
}

}  // namespace

Analyzer::Analyzer() : stemmers_(std::make_unique<text::Stemmers>()) {}
Analyzer::~Analyzer() = default;

void Analyzer::Analyze(std::string_view text, std::string_view language,
                       std::vector<std::string>* terms) {
  sb_stemmer* stemmer = stemmers_->For(language);
  // Latin-script words in a language without a stemmer are most often English.
  sb_stemmer* fallback = stemmer != nullptr ? stemmer : stemmers_->For("en");
  Scan(text, [&](const Span& span, bool unspaced) {
    std::string word = Fold(span.text);
    if (word.empty()) return;
    if (span.hashtag) terms->push_back("#" + word);
    if (unspaced && !span.hashtag) {
      Bigrams(word, terms);
      return;
    }
    const bool ascii =
        std::all_of(word.begin(), word.end(), [](char ch) { return (ch & 0x80) == 0; });
    terms->push_back(stemmers_->Stem(stemmer != nullptr || !ascii ? stemmer : fallback, word));
  });
}

std::vector<QueryWord> Analyzer::AnalyzeQuery(std::string_view text) {
  std::vector<QueryWord> out;
  auto add = [&out](std::string display, std::vector<std::string> forms) {
    std::sort(forms.begin(), forms.end());
    forms.erase(std::unique(forms.begin(), forms.end()), forms.end());
    for (const QueryWord& w : out) {
      if (w.forms == forms) return;
    }
    out.push_back({std::move(display), std::move(forms)});
  };
  Scan(text, [&](const Span& span, bool unspaced) {
    std::string word = Fold(span.text);
    if (word.empty()) return;
    if (span.hashtag) {
      add("#" + word, {"#" + word});
      return;
    }
    if (unspaced) {
      std::vector<std::string> grams;
      Bigrams(word, &grams);
      for (std::string& g : grams) add(g, {g});
      return;
    }
    std::vector<std::string> forms = {word};
    for (std::string_view code : text::Stemmers::Languages()) {
      forms.push_back(stemmers_->Stem(stemmers_->For(code), word));
    }
    add(word, std::move(forms));
  });
  return out;
}

}  // namespace seedcast::search

#include "search/analyzer.h"

#include <libstemmer.h>
#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <map>

namespace seedcast::search {
namespace {

// ISO 639-1 codes and the Snowball algorithm for each.
constexpr std::array<std::pair<std::string_view, const char*>, 22> kSnowball = {{
    {"en", "english"}, {"es", "spanish"},   {"pt", "portuguese"}, {"de", "german"},
    {"fr", "french"},  {"it", "italian"},   {"nl", "dutch"},      {"sv", "swedish"},
    {"da", "danish"},  {"no", "norwegian"}, {"fi", "finnish"},    {"tr", "turkish"},
    {"ru", "russian"}, {"hu", "hungarian"}, {"ro", "romanian"},   {"id", "indonesian"},
    {"ar", "arabic"},  {"el", "greek"},     {"ga", "irish"},      {"lt", "lithuanian"},
    {"ne", "nepali"},  {"ta", "tamil"},
}};

bool IsWordChar(utf8proc_int32_t c) {
  if (c < 0x80) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }
  switch (utf8proc_category(c)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
    case UTF8PROC_CATEGORY_PC:
      return true;
    default:
      return false;
  }
}

// Han, Hiragana, Katakana: scripts written without spaces between words.
bool IsUnspaced(utf8proc_int32_t c) {
  return (c >= 0x3040 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) ||
         (c >= 0x31F0 && c <= 0x31FF) || (c >= 0xFF66 && c <= 0xFF9D);
}

// NFKC case folding; ASCII takes a fast path.
std::string Fold(std::string_view word) {
  if (std::all_of(word.begin(), word.end(), [](char ch) { return (ch & 0x80) == 0; })) {
    std::string out(word);
    for (char& ch : out) {
      if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    }
    return out;
  }
  utf8proc_uint8_t* folded = nullptr;
  const utf8proc_ssize_t n = utf8proc_map(
      reinterpret_cast<const utf8proc_uint8_t*>(word.data()),
      static_cast<utf8proc_ssize_t>(word.size()), &folded,
      static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
                                     UTF8PROC_CASEFOLD | UTF8PROC_IGNORE));
  if (n < 0) return std::string(word);
  std::string out(reinterpret_cast<char*>(folded), static_cast<size_t>(n));
  std::free(folded);  // NOLINT(cppcoreguidelines-no-malloc): utf8proc allocates with malloc
  return out;
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
    if (IsWordChar(c)) {
      const bool unspaced = IsUnspaced(c);
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
        if (utf8proc_iterate(p + i + len, size - i - len, &next) > 0 && IsWordChar(next)) {
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

struct Analyzer::Stemmers {
  std::map<std::string, sb_stemmer*, std::less<>> by_language;
  ~Stemmers() {
    for (auto& [lang, s] : by_language) sb_stemmer_delete(s);
  }
  sb_stemmer* For(std::string_view language) {
    if (language.empty()) language = "en";
    auto it = by_language.find(language);
    if (it != by_language.end()) return it->second;
    sb_stemmer* s = nullptr;
    for (const auto& [code, algorithm] : kSnowball) {
      if (code == language) s = sb_stemmer_new(algorithm, "UTF_8");
    }
    by_language.emplace(std::string(language), s);
    return s;
  }
  std::string Stem(sb_stemmer* s, const std::string& word) {
    if (s == nullptr) return word;
    const sb_symbol* out = sb_stemmer_stem(s, reinterpret_cast<const sb_symbol*>(word.data()),
                                           static_cast<int>(word.size()));
    if (out == nullptr) return word;
    return std::string(reinterpret_cast<const char*>(out),
                       static_cast<size_t>(sb_stemmer_length(s)));
  }
};

Analyzer::Analyzer() : stemmers_(std::make_unique<Stemmers>()) {}
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
    for (const auto& [code, algorithm] : kSnowball) {
      forms.push_back(stemmers_->Stem(stemmers_->For(code), word));
    }
    add(word, std::move(forms));
  });
  return out;
}

}  // namespace seedcast::search

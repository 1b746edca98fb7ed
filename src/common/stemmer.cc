#include "common/stemmer.h"

#include <libstemmer.h>

#include <array>
#include <memory>
#include <utility>

namespace seedcast::text {
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

}  // namespace

Stemmers::~Stemmers() {
  for (auto& [language, stemmer] : by_language_) sb_stemmer_delete(stemmer);
}

const std::vector<std::string_view>& Stemmers::Languages() {
  static const std::vector<std::string_view> kLanguages = [] {
    std::vector<std::string_view> out;
    out.reserve(kSnowball.size());
    for (const auto& [code, algorithm] : kSnowball) out.push_back(code);
    return out;
  }();
  return kLanguages;
}

sb_stemmer* Stemmers::For(std::string_view language) {
  if (language.empty()) language = "en";
  auto it = by_language_.find(language);
  if (it != by_language_.end()) return it->second;
  sb_stemmer* stemmer = nullptr;
  for (const auto& [code, algorithm] : kSnowball) {
    if (code == language) stemmer = sb_stemmer_new(algorithm, "UTF_8");
  }
  by_language_.emplace(std::string(language), stemmer);
  return stemmer;
}

Stemmers::Cache& Stemmers::CacheFor(const sb_stemmer* stemmer) {
  for (auto& [owner, cache] : caches_) {
    if (owner == stemmer) return *cache;
  }
  return *caches_.emplace_back(stemmer, std::make_unique<Cache>()).second;
}

std::string Stemmers::Stem(sb_stemmer* stemmer, std::string_view word) {
  if (stemmer == nullptr) return std::string(word);
  Cache& cache = CacheFor(stemmer);
  if (auto it = cache.find(absl::string_view(word.data(), word.size())); it != cache.end())
    return it->second;
  const sb_symbol* out = sb_stemmer_stem(stemmer, reinterpret_cast<const sb_symbol*>(word.data()),
                                         static_cast<int>(word.size()));
  std::string stem = out == nullptr ? std::string(word)
                                    : std::string(reinterpret_cast<const char*>(out),
                                                  static_cast<size_t>(sb_stemmer_length(stemmer)));
  // Bounded: a pathological stream of distinct words starts the cache afresh.
  constexpr size_t kMaxCached = 200'000;
  if (cache.size() >= kMaxCached) cache.clear();
  cache.emplace(std::string(word), stem);
  return stem;
}

}  // namespace seedcast::text

// Snowball stemmers by language (libstemmer): "recipes" and "recipe" share the stem "recip".
// Stemmers opens each language's stemmer on first use and owns them, and remembers recent stems
// (words repeat: a bulk load stems the same few hundred thousand words millions of times). Not
// thread-safe (Snowball stemmers keep state): use one per thread.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/text.h"

struct sb_stemmer;

namespace seedcast::text {

class Stemmers {
 public:
  Stemmers() = default;
  ~Stemmers();
  Stemmers(const Stemmers&) = delete;
  Stemmers& operator=(const Stemmers&) = delete;

  // ISO 639-1 codes that have a stemmer.
  static const std::vector<std::string_view>& Languages();

  // The stemmer for `language` (ISO 639-1; "" means English), or null when there is none.
  sb_stemmer* For(std::string_view language);

  // `word` (folded UTF-8) stemmed; unchanged when `stemmer` is null.
  std::string Stem(sb_stemmer* stemmer, std::string_view word);

 private:
  using Cache = std::unordered_map<std::string, std::string, StringHash, std::equal_to<>>;
  std::map<std::string, sb_stemmer*, std::less<>> by_language_;
  std::unordered_map<const sb_stemmer*, Cache> cache_;
};

}  // namespace seedcast::text

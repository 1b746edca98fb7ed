// Snowball stemmers by language (libstemmer): "recipes" and "recipe" share the stem "recip".
// Stemmers opens each language's stemmer on first use and owns them, and remembers recent stems
// (words repeat: a bulk load stems the same few hundred thousand words millions of times). Not
// thread-safe (Snowball stemmers keep state): use one per thread.
#pragma once

#include <absl/container/flat_hash_map.h>

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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
  using Cache = absl::flat_hash_map<std::string, std::string>;
  std::map<std::string, sb_stemmer*, std::less<>> by_language_;
  Cache& CacheFor(const sb_stemmer* stemmer);
  // One per stemmer used; a handful, so found by a linear scan (a hash lookup per word cost more).
  std::vector<std::pair<const sb_stemmer*, std::unique_ptr<Cache>>> caches_;
};

}  // namespace seedcast::text

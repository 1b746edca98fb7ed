// NicheTaxonomy: the fixed list of niches Seedcast files creators under, with the aliases and
// misspellings found in real exports ("fasion", "mommy blogger", "fashion 0.5").
//
// Immutable after construction; thread-safe.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace seedcast::model {

enum class NicheMatchKind { kExact, kAlias, kCorrected, kUnknown };

struct NicheMatch {
  std::string niche;  // canonical name; empty when kUnknown
  NicheMatchKind kind = NicheMatchKind::kUnknown;
};

// The default taxonomy's niches, in the order that fixes their bit positions in the search index
// (bit i is niche i) and their dimensions in lookalike vectors: the one definition of the layout.
inline constexpr std::array<std::string_view, 22> kDefaultNiches = {
    "fashion", "beauty",     "travel",    "family",    "food",  "interior",
    "fitness", "pet",        "tech",      "gaming",    "music", "sports",
    "outdoor", "wellness",   "finance",   "education", "art",   "photography",
    "comedy",  "automotive", "lifestyle", "other"};
inline constexpr size_t kNicheCount = kDefaultNiches.size();
static_assert(kNicheCount <= 32, "niches are bits of a 32-bit mask");

class NicheTaxonomy {
 public:
  // The default taxonomy: the niches of the reference creator sample plus common product niches.
  static const NicheTaxonomy& Default();

  // Resolves one label. Order: exact name, alias, then a unique close spelling (edit distance 1 for
  // short words, 2 for words of 7+ letters). Numbers and punctuation in the label are ignored.
  NicheMatch Resolve(std::string_view label) const;

  // Splits a cell such as "Fashion, Beauty | travel" on , ; | / and resolves each part.
  std::vector<NicheMatch> ResolveList(std::string_view cell) const;

  const std::vector<std::string>& niches() const { return niches_; }
  bool Contains(std::string_view niche) const;

 private:
  NicheTaxonomy(std::vector<std::string> niches,
                std::unordered_map<std::string, std::string> aliases);
  NicheMatch ResolveNormalized(const std::string& label) const;

  std::vector<std::string> niches_;
  std::unordered_map<std::string, std::string> aliases_;  // normalised alias -> niche
};

}  // namespace seedcast::model

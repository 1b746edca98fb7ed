#include "model/niches.h"

#include <algorithm>

#include "common/text.h"

namespace seedcast::model {

const NicheTaxonomy& NicheTaxonomy::Default() {
  static const NicheTaxonomy kDefault(
      std::vector<std::string>(kDefaultNiches.begin(), kDefaultNiches.end()),
      {
          {"style", "fashion"},
          {"outfit", "fashion"},
          {"ootd", "fashion"},
          {"clothing", "fashion"},
          {"apparel", "fashion"},
          {"streetwear", "fashion"},
          {"fashion blogger", "fashion"},
          {"makeup", "beauty"},
          {"make up", "beauty"},
          {"skincare", "beauty"},
          {"skin care", "beauty"},
          {"cosmetics", "beauty"},
          {"hair", "beauty"},
          {"nails", "beauty"},
          {"beauty blogger", "beauty"},
          {"travel blogger", "travel"},
          {"traveling", "travel"},
          {"travelling", "travel"},
          {"wanderlust", "travel"},
          {"tourism", "travel"},
          {"parenting", "family"},
          {"mom", "family"},
          {"mum", "family"},
          {"mommy", "family"},
          {"mommy blogger", "family"},
          {"dad", "family"},
          {"kids", "family"},
          {"baby", "family"},
          {"parents", "family"},
          {"cooking", "food"},
          {"recipes", "food"},
          {"recipe", "food"},
          {"foodie", "food"},
          {"baking", "food"},
          {"food drink", "food"},
          {"restaurants", "food"},
          {"drinks", "food"},
          {"home", "interior"},
          {"home decor", "interior"},
          {"decor", "interior"},
          {"interior design", "interior"},
          {"interiors", "interior"},
          {"diy", "interior"},
          {"gym", "fitness"},
          {"workout", "fitness"},
          {"training", "fitness"},
          {"health fitness", "fitness"},
          {"bodybuilding", "fitness"},
          {"yoga", "fitness"},
          {"pets", "pet"},
          {"dogs", "pet"},
          {"dog", "pet"},
          {"cats", "pet"},
          {"cat", "pet"},
          {"animals", "pet"},
          {"technology", "tech"},
          {"gadgets", "tech"},
          {"electronics", "tech"},
          {"games", "gaming"},
          {"esports", "gaming"},
          {"gamer", "gaming"},
          {"musician", "music"},
          {"dance", "music"},
          {"sport", "sports"},
          {"football", "sports"},
          {"soccer", "sports"},
          {"running", "sports"},
          {"outdoors", "outdoor"},
          {"hiking", "outdoor"},
          {"camping", "outdoor"},
          {"health", "wellness"},
          {"mental health", "wellness"},
          {"money", "finance"},
          {"investing", "finance"},
          {"business", "finance"},
          {"learning", "education"},
          {"science", "education"},
          {"books", "education"},
          {"design", "art"},
          {"illustration", "art"},
          {"artist", "art"},
          {"photographer", "photography"},
          {"humor", "comedy"},
          {"humour", "comedy"},
          {"entertainment", "comedy"},
          {"cars", "automotive"},
          {"auto", "automotive"},
          {"lifestyle blogger", "lifestyle"},
          {"blogger", "lifestyle"},
          {"misc", "other"},
          {"general", "other"},
      });
  return kDefault;
}

NicheTaxonomy::NicheTaxonomy(std::vector<std::string> niches,
                             std::unordered_map<std::string, std::string> aliases)
    : niches_(std::move(niches)), aliases_(std::move(aliases)) {}

bool NicheTaxonomy::Contains(std::string_view niche) const {
  return std::find(niches_.begin(), niches_.end(), niche) != niches_.end();
}

NicheMatch NicheTaxonomy::ResolveNormalized(const std::string& label) const {
  if (Contains(label)) return {label, NicheMatchKind::kExact};
  if (auto it = aliases_.find(label); it != aliases_.end()) {
    return {it->second, NicheMatchKind::kAlias};
  }
  if (label.size() < 4) return {};
  const int limit = label.size() >= 7 ? 2 : 1;
  std::string best;
  int best_distance = limit + 1;
  bool tie = false;
  auto consider = [&](const std::string& candidate, const std::string& niche) {
    int d = text::EditDistance(label, candidate, limit);
    if (d < best_distance) {
      best_distance = d;
      best = niche;
      tie = false;
    } else if (d == best_distance && d <= limit && best != niche) {
      tie = true;
    }
  };
  for (const std::string& n : niches_) consider(n, n);
  for (const auto& [alias, niche] : aliases_) consider(alias, niche);
  if (best_distance <= limit && !tie) return {best, NicheMatchKind::kCorrected};
  return {};
}

NicheMatch NicheTaxonomy::Resolve(std::string_view label) const {
  std::string normalized = text::NormalizeLabel(label);
  // Drop words that are numbers ("fashion 0.5" -> "fashion").
  std::string words;
  for (std::string_view w : text::Split(normalized, " ")) {
    if (std::all_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; })) continue;
    if (!words.empty()) words.push_back(' ');
    words.append(w);
  }
  if (words.empty()) return {};
  NicheMatch whole = ResolveNormalized(words);
  if (whole.kind != NicheMatchKind::kUnknown) return whole;
  // "Fashion & Style Blogger": the first word that resolves on its own.
  for (std::string_view w : text::Split(words, " ")) {
    NicheMatch part = ResolveNormalized(std::string(w));
    if (part.kind == NicheMatchKind::kExact || part.kind == NicheMatchKind::kAlias) {
      return {part.niche, NicheMatchKind::kAlias};
    }
  }
  return whole;
}

std::vector<NicheMatch> NicheTaxonomy::ResolveList(std::string_view cell) const {
  std::vector<NicheMatch> out;
  for (std::string_view part : text::Split(cell, ",;|/")) out.push_back(Resolve(part));
  return out;
}

}  // namespace seedcast::model

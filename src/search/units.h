// The integer units the search index keeps fractions in: engagement rates in millionths, shares
// and scores in basis points.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <map>
#include <string>

namespace seedcast::search {

inline uint32_t Micro(double f) { return static_cast<uint32_t>(std::llround(f * 1e6)); }
inline uint16_t Basis(double f) { return static_cast<uint16_t>(std::llround(f * 1e4)); }

// Writes each share in `shares` (0..1, as model::Audience validates them) whose name is among
// `names` to `out` at the name's position, in basis points. The map is walked rather than
// searched: it holds a few entries, and a search would build a key string per name.
template <typename Names>
void PlaceShares(const std::map<std::string, double>& shares, const Names& names, uint16_t* out) {
  for (const auto& [name, value] : shares) {
    auto it = std::find(std::begin(names), std::end(names), name);
    if (it != std::end(names)) out[it - std::begin(names)] = Basis(value);
  }
}

}  // namespace seedcast::search

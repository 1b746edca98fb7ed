// Text helpers shared by every subsystem: UTF-8 validation and normalisation (through utf8proc),
// trimming and splitting. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace seedcast::text {

// Hashes std::string keys so that unordered containers (with std::equal_to<>) can be searched by
// string_view without building a string.
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

bool IsValidUtf8(std::string_view s);

// Unicode NFC, or nullopt when `s` is not valid UTF-8.
std::optional<std::string> Nfc(std::string_view s);

struct FoldOptions {
  bool strip_accents = false;   // "Publicité" -> "publicite"
  bool drop_ignorable = false;  // zero-width spaces and joiners, soft hyphens
};

// NFKC + case folding (so "＃Followers" and "#followers" agree), or nullopt for invalid UTF-8.
std::optional<std::string> FoldCase(std::string_view s, FoldOptions options = {});

// A code point that belongs inside a word in any script: letters, combining marks, digits and
// the connector "_".
bool IsWordCodePoint(int32_t c);

// Han, Hiragana, Katakana: scripts written without spaces between words.
bool IsUnspacedScript(int32_t c);

// Case-folds, then keeps only letters and digits (any script), joining the words with one space:
// "Followers\ncount (#)" -> "followers count". Used to compare labels written by different tools.
std::string NormalizeLabel(std::string_view s);

// Removes ASCII whitespace, NBSP and the UTF-8 byte-order mark from both ends.
std::string_view Trim(std::string_view s);

std::vector<std::string_view> Split(std::string_view s, std::string_view separators);

// Number of Unicode code points (s must be valid UTF-8).
size_t CodePointCount(std::string_view s);

std::string AsciiLower(std::string_view s);

// Damerau-Levenshtein distance (optimal string alignment) over bytes, capped at `limit + 1`.
int EditDistance(std::string_view a, std::string_view b, int limit);

}  // namespace seedcast::text

// Caption tokenizer for the compliance checks: splits a caption into words, hashtags and mentions
// in any script, and keeps for each where it sits in the caption as written.
//
// - Positions are Unicode code points of the caption as given, because that is what a platform
//   counts when it cuts a caption at "more".
// - Each token's text is folded for comparison: NFKC (so "＃ａｄ" is "#ad"), case folding, accents
//   removed ("publicité" = "publicite"), zero-width characters dropped.
// - "#" and "@" in their full-width and small forms start hashtags and mentions too.
// - Runs of Chinese and Japanese text, written without spaces, are one token flagged `unspaced`:
//   terms of those scripts are looked for inside it.
// - Consecutive hashtags (only white space between them) form a run; each hashtag knows its place
//   in its run and the run's length, which the buried-disclosure rule needs.
//
// Pure functions over caller-owned buffers; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace seedcast::compliance {

enum class TokenKind : uint8_t { kWord, kHashtag, kMention };

struct Token {
  uint32_t folded_begin = 0;  // [folded_begin, folded_end) in TokenizedText::folded
  uint32_t folded_end = 0;
  uint32_t start = 0;  // [start, end) in code points of the caption, "#" or "@" included
  uint32_t end = 0;
  uint32_t byte_start = 0;  // the same span in bytes
  uint32_t byte_end = 0;
  uint32_t sentence = 0;  // index of the sentence the token is in
  uint16_t run_pos = 0;   // hashtags: place in the run of consecutive hashtags (0 = first)
  uint16_t run_len = 0;   // hashtags: length of that run
  TokenKind kind = TokenKind::kWord;
  bool unspaced = false;
};

struct TokenizedText {
  std::string folded;  // every token's folded text, back to back
  std::vector<Token> tokens;
  uint32_t code_points = 0;

  std::string_view Text(const Token& t) const {
    return std::string_view(folded).substr(t.folded_begin, t.folded_end - t.folded_begin);
  }
};

// Tokenizes `caption` into `out` (cleared first; reuse it to avoid allocations). Bytes that are
// not valid UTF-8 separate tokens and count as one code point each.
void Tokenize(std::string_view caption, TokenizedText* out);

// The folded form of a term or word, as Tokenize folds token text.
std::string FoldWord(std::string_view word);

}  // namespace seedcast::compliance

#include "compliance/tokenizer.h"

#include <utf8proc.h>

#include "common/text.h"

namespace seedcast::compliance {
namespace {

bool IsHashSign(int32_t c) { return c == '#' || c == 0xFF03 || c == 0xFE5F; }
bool IsAtSign(int32_t c) { return c == '@' || c == 0xFF20 || c == 0xFE6B; }

bool IsSpace(int32_t c) {
  if (c == ' ' || (c >= '\t' && c <= '\r')) return true;
  if (c < 0x80) return false;
  const utf8proc_category_t cat = utf8proc_category(c);
  return cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL || cat == UTF8PROC_CATEGORY_ZP;
}

// Zero-width joiners and spaces, soft hyphens: invisible, so they neither start nor end a word.
bool IsFormat(int32_t c) { return c >= 0x80 && utf8proc_category(c) == UTF8PROC_CATEGORY_CF; }

bool EndsSentenceAlone(int32_t c) {
  return c == '\n' || c == 0x3002 || c == 0xFF01 || c == 0xFF1F || c == 0xFF0E || c == 0x2029;
}
bool EndsSentenceBeforeSpace(int32_t c) { return c == '.' || c == '!' || c == '?' || c == 0x2026; }

// Decodes the code point at byte `i`; invalid bytes decode as -1 with length 1.
int32_t Decode(std::string_view s, size_t i, size_t* len) {
  utf8proc_int32_t c = 0;
  const utf8proc_ssize_t n =
      utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i),
                       static_cast<utf8proc_ssize_t>(s.size() - i), &c);
  if (n <= 0) {
    *len = 1;
    return -1;
  }
  *len = static_cast<size_t>(n);
  return c;
}

void AppendFolded(std::string_view word, std::string* out) {
  bool ascii = true;
  for (char ch : word) ascii = ascii && (static_cast<unsigned char>(ch) < 0x80);
  if (ascii) {
    for (char ch : word) {
      out->push_back(ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch);
    }
    return;
  }
  std::optional<std::string> folded =
      text::FoldCase(word, {.strip_accents = true, .drop_ignorable = true});
  out->append(folded ? *folded : std::string(word));
}

}  // namespace

std::string FoldWord(std::string_view word) {
  std::string out;
  AppendFolded(word, &out);
  return out;
}

void Tokenize(std::string_view caption, TokenizedText* out) {
  out->folded.clear();
  out->tokens.clear();
  uint32_t cp = 0;
  uint32_t sentence = 0;
  bool gap_only_space = true;  // since the last token ended
  bool in_token = false;
  Token cur;
  size_t word_byte_start = 0;  // first byte of the token's text, after any "#" or "@"

  auto flush = [&](size_t byte_end) {
    if (!in_token) return;
    in_token = false;
    cur.end = cp;
    cur.byte_end = static_cast<uint32_t>(byte_end);
    cur.folded_begin = static_cast<uint32_t>(out->folded.size());
    AppendFolded(caption.substr(word_byte_start, byte_end - word_byte_start), &out->folded);
    cur.folded_end = static_cast<uint32_t>(out->folded.size());
    if (cur.folded_end == cur.folded_begin) return;  // only invisible characters
    if (cur.kind == TokenKind::kHashtag && !out->tokens.empty() &&
        out->tokens.back().kind == TokenKind::kHashtag && gap_only_space) {
      const uint16_t prev = out->tokens.back().run_pos;  // saturates on absurd runs
      cur.run_pos = prev == UINT16_MAX ? prev : static_cast<uint16_t>(prev + 1);
    }
    out->tokens.push_back(cur);
    gap_only_space = true;
  };

  size_t i = 0;
  while (i < caption.size()) {
    size_t len = 0;
    const int32_t c = Decode(caption, i, &len);
    const bool word = c >= 0 && text::IsWordCodePoint(c);
    if (word) {
      const bool unspaced = text::IsUnspacedScript(c);
      if (in_token && cur.kind == TokenKind::kWord && unspaced != cur.unspaced) flush(i);
      if (!in_token) {
        in_token = true;
        cur = Token{};
        cur.start = cp;
        cur.byte_start = static_cast<uint32_t>(i);
        cur.sentence = sentence;
        cur.unspaced = unspaced;
        word_byte_start = i;
      } else if (unspaced) {
        cur.unspaced = true;
      }
    } else if (in_token && IsFormat(c)) {
      // stays inside the word
    } else {
      size_t next_len = 0;
      const int32_t next = i + len < caption.size() ? Decode(caption, i + len, &next_len) : -1;
      const bool next_is_word = next >= 0 && text::IsWordCodePoint(next);
      // "@glow.co": a dot between word characters stays inside a mention.
      const bool mention_dot =
          in_token && cur.kind == TokenKind::kMention && c == '.' && next_is_word;
      if (!mention_dot) {
        flush(i);
        if ((IsHashSign(c) || IsAtSign(c)) && next_is_word) {
          in_token = true;
          cur = Token{};
          cur.kind = IsHashSign(c) ? TokenKind::kHashtag : TokenKind::kMention;
          cur.start = cp;
          cur.byte_start = static_cast<uint32_t>(i);
          cur.sentence = sentence;
          word_byte_start = i + len;
        } else {
          if (c < 0 || !IsSpace(c)) gap_only_space = false;
          if (c >= 0 && (EndsSentenceAlone(c) ||
                         (EndsSentenceBeforeSpace(c) && (next < 0 || !next_is_word)))) {
            ++sentence;
          }
        }
      }
    }
    i += len;
    ++cp;
  }
  flush(caption.size());
  out->code_points = cp;

  // Each run's length, written back to its hashtags.
  for (size_t k = out->tokens.size(); k-- > 0;) {
    Token& t = out->tokens[k];
    if (t.kind != TokenKind::kHashtag) continue;
    const bool last_of_run = k + 1 == out->tokens.size() ||
                             out->tokens[k + 1].kind != TokenKind::kHashtag ||
                             out->tokens[k + 1].run_pos == 0;
    const uint16_t own_len =
        t.run_pos == UINT16_MAX ? t.run_pos : static_cast<uint16_t>(t.run_pos + 1);
    t.run_len = last_of_run ? own_len : out->tokens[k + 1].run_len;
  }
}

}  // namespace seedcast::compliance

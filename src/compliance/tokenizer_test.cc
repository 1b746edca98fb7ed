#include "compliance/tokenizer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace seedcast::compliance {
namespace {

struct Seen {
  std::string text;
  TokenKind kind;
  uint32_t start;
  uint32_t end;
};

std::vector<Seen> Tokens(std::string_view caption) {
  TokenizedText t;
  Tokenize(caption, &t);
  std::vector<Seen> out;
  for (const Token& tok : t.tokens) {
    out.push_back({std::string(t.Text(tok)), tok.kind, tok.start, tok.end});
  }
  return out;
}

TEST(Tokenizer, WordsHashtagsAndMentionsWithCodePointSpans) {
  const std::vector<Seen> t = Tokens("Olá @glow.co! #Ad");
  ASSERT_EQ(t.size(), 3U);
  EXPECT_EQ(t[0].text, "ola");
  EXPECT_EQ(t[0].end, 3U);
  EXPECT_EQ(t[1].text, "glow.co");
  EXPECT_EQ(t[1].kind, TokenKind::kMention);
  EXPECT_EQ(t[1].start, 4U);
  EXPECT_EQ(t[1].end, 12U);
  EXPECT_EQ(t[2].text, "ad");
  EXPECT_EQ(t[2].kind, TokenKind::kHashtag);
  EXPECT_EQ(t[2].start, 14U);
  EXPECT_EQ(t[2].end, 17U);
}

TEST(Tokenizer, FullWidthAndZeroWidthFoldAway) {
  const std::vector<Seen> t = Tokens("＃ＡＤ #a\u200bd");
  ASSERT_EQ(t.size(), 2U);
  EXPECT_EQ(t[0].text, "ad");
  EXPECT_EQ(t[0].kind, TokenKind::kHashtag);
  EXPECT_EQ(t[0].end, 3U);
  EXPECT_EQ(t[1].text, "ad");
  EXPECT_EQ(t[1].end, 8U);  // the zero-width space counts as a code point of the caption
}

TEST(Tokenizer, HashtagRunsAndSentences) {
  TokenizedText t;
  Tokenize("Hi. #a #b\n#c and #d #e", &t);
  ASSERT_EQ(t.tokens.size(), 7U);
  EXPECT_EQ(t.tokens[1].run_pos, 0);
  EXPECT_EQ(t.tokens[1].run_len, 3);
  EXPECT_EQ(t.tokens[3].run_pos, 2);
  EXPECT_EQ(t.tokens[3].run_len, 3);
  EXPECT_EQ(t.tokens[5].run_len, 2);  // "and" broke the run
  EXPECT_EQ(t.tokens[0].sentence, 0U);
  EXPECT_EQ(t.tokens[1].sentence, 1U);
  EXPECT_EQ(t.tokens[4].sentence, 2U);  // the newline ends a sentence
  EXPECT_EQ(t.code_points, 22U);
}

TEST(Tokenizer, UnspacedScriptsAreOneFlaggedToken) {
  TokenizedText t;
  Tokenize("这是广告 ok", &t);
  ASSERT_EQ(t.tokens.size(), 2U);
  EXPECT_TRUE(t.tokens[0].unspaced);
  EXPECT_EQ(t.Text(t.tokens[0]), "这是广告");
  EXPECT_FALSE(t.tokens[1].unspaced);
}

TEST(Tokenizer, InvalidBytesSeparateWords) {
  const std::vector<Seen> t =
      Tokens(std::string("ab\xff"
                         "cd"));
  ASSERT_EQ(t.size(), 2U);
  EXPECT_EQ(t[1].text, "cd");
  EXPECT_EQ(t[1].start, 3U);
}

TEST(Tokenizer, AbsurdHashtagRunsSaturate) {
  std::string caption;
  for (int k = 0; k < 70'000; ++k) caption += "#t ";
  TokenizedText t;
  Tokenize(caption, &t);
  ASSERT_EQ(t.tokens.size(), 70'000U);
  EXPECT_EQ(t.tokens.back().run_pos, UINT16_MAX);
  EXPECT_EQ(t.tokens.front().run_len, UINT16_MAX);
  EXPECT_EQ(t.tokens[1].run_pos, 1);
}

}  // namespace
}  // namespace seedcast::compliance

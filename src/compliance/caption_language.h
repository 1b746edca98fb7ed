// Which vocabulary languages a post's disclosure may be written in (internal to the checker): the
// post's own language when it gives one, else the language CLD2 detects in the caption's words,
// with the rule for unsure answers that CaptionLanguage (checker.h) states.
//
// A LanguageChooser keeps a scratch buffer: one per Checker, not thread-safe. The Vocabulary must
// outlive it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "compliance/checker.h"
#include "compliance/rules.h"
#include "compliance/tokenizer.h"

namespace seedcast::compliance {

// Detection reads at most this much of the caption's words: enough for CLD2 to be reliable on
// ordinary captions, and it bounds the time a long caption costs (docs/performance.md).
inline constexpr size_t kDetectBytes = 64;
// A detected language is sure when CLD2 calls it reliable, it holds this share of the examined
// text, and CLD2 scored at least this many bytes of letters.
inline constexpr int kSurePercent = 80;
inline constexpr int kSureTextBytes = 40;

// "es-MX" -> "es", "zh-Hant" -> "zh", "DE" -> "de".
std::string BaseLanguage(std::string_view language);

struct LanguageDecision {
  int primary = 0;        // vocabulary index: fixes suggest a term of this language
  uint64_t accepted = 0;  // bit per vocabulary index: terms of these languages count
  bool supported = true;  // false: the post's language has no vocabulary (language_not_supported)
  std::string label;      // how messages name the post's language: "es", "de, detected", "de or en"
  CaptionLanguage report;
};

class LanguageChooser {
 public:
  explicit LanguageChooser(const Vocabulary& vocabulary);

  // `tokens` is `post.caption` tokenized.
  void Choose(const Post& post, const TokenizedText& tokens, LanguageDecision* out);

 private:
  void Given(const Post& post, LanguageDecision* out) const;
  void Detected(const Post& post, const TokenizedText& tokens, LanguageDecision* out);
  void Accept(int language, LanguageDecision* out) const;

  const Vocabulary& vocabulary_;
  int english_ = 0;
  std::vector<std::string> names_;  // English names of the vocabulary's languages
  std::string words_;               // the words handed to the detector
};

}  // namespace seedcast::compliance

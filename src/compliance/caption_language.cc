#include "compliance/caption_language.h"

#include <fmt/format.h>

#include <cassert>

#include "compliance/language_detector.h"

namespace seedcast::compliance {
namespace {

uint64_t Bit(int language) { return uint64_t{1} << language; }

// The longest prefix of `word` of at most `room` bytes that ends between two code points.
std::string_view Prefix(std::string_view word, size_t room) {
  if (word.size() <= room) return word;
  size_t end = room;
  while (end > 0 && (static_cast<unsigned char>(word[end]) & 0xC0) == 0x80) --end;
  return word.substr(0, end);
}

// The caption's words, hashtags and mentions left out (they are often English, or brand names, in
// a caption of any language), up to kDetectBytes.
void CollectWords(std::string_view caption, const TokenizedText& tokens, std::string* out) {
  out->clear();
  for (const Token& t : tokens.tokens) {
    if (t.kind != TokenKind::kWord) continue;
    if (!out->empty()) out->push_back(' ');
    const std::string_view word = caption.substr(t.byte_start, t.byte_end - t.byte_start);
    const size_t room = kDetectBytes > out->size() ? kDetectBytes - out->size() : 0;
    out->append(Prefix(word, room));
    if (word.size() >= room) break;
  }
}

// Why a detected language is not sure enough to stand alone.
std::string_view Unsure(int percent, bool reliable, int text_bytes) {
  if (text_bytes < kSureTextBytes) return "short caption";
  if (!reliable) return "not reliable";
  return percent < kSurePercent ? "mixed languages" : "";
}

}  // namespace

std::string BaseLanguage(std::string_view language) {
  std::string out;
  for (char ch : language) {
    if (ch == '-' || ch == '_') break;
    out.push_back(ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch);
  }
  return out;
}

LanguageChooser::LanguageChooser(const Vocabulary& vocabulary)
    : vocabulary_(vocabulary), english_(vocabulary.LanguageIndex("en")) {
  assert(english_ >= 0);  // ParseRules requires an [en] table
  names_.reserve(vocabulary_.languages.size());
  for (const std::string& code : vocabulary_.languages) names_.push_back(LanguageName(code));
  words_.reserve(kDetectBytes);
}

void LanguageChooser::Choose(const Post& post, const TokenizedText& tokens, LanguageDecision* out) {
  out->supported = true;
  out->report = CaptionLanguage{};
  if (post.language.empty()) {
    Detected(post, tokens, out);
  } else {
    Given(post, out);
  }
  for (size_t k = 0; k < vocabulary_.languages.size(); ++k) {
    if ((out->accepted & Bit(static_cast<int>(k))) != 0) {
      out->report.accepted.push_back(vocabulary_.languages[k]);
    }
  }
}

void LanguageChooser::Accept(int language, LanguageDecision* out) const {
  out->primary = language;
  out->accepted = Bit(language);
  out->label = vocabulary_.languages[static_cast<size_t>(language)];
}

void LanguageChooser::Given(const Post& post, LanguageDecision* out) const {
  out->report.code = BaseLanguage(post.language);
  const int language = vocabulary_.LanguageIndex(out->report.code);
  out->supported = language >= 0;
  Accept(language >= 0 ? language : english_, out);
}

void LanguageChooser::Detected(const Post& post, const TokenizedText& tokens,
                               LanguageDecision* out) {
  CollectWords(post.caption, tokens, &words_);
  const DetectedLanguage d = DetectLanguage(words_);
  CaptionLanguage& r = out->report;
  r.detected = true;
  r.code = BaseLanguage(d.code);
  r.percent = d.percent;
  r.reliable = d.reliable;
  Accept(english_, out);
  if (r.code.empty()) {
    // Nothing says which language the post is in, so no term is in the wrong one.
    const size_t n = vocabulary_.languages.size();
    out->accepted = n >= 64 ? ~uint64_t{0} : Bit(static_cast<int>(n)) - 1;
    r.note =
        "no language detected in the caption: accepted a clear disclosure term in any language "
        "with a vocabulary";
    return;
  }
  const int language = vocabulary_.LanguageIndex(r.code);
  const std::string_view unsure = Unsure(d.percent, d.reliable, d.text_bytes);
  if (unsure.empty()) {
    if (language < 0) {
      out->supported = false;
      r.note = fmt::format("no disclosure vocabulary for {} (detected): accepted an English term",
                           r.code);
      return;
    }
    Accept(language, out);
    out->label = fmt::format("{}, detected", r.code);
    return;
  }
  const bool english_only = language < 0 || language == english_;
  r.note = fmt::format(
      "language unsure (detected {}, {}%, {}): accepted an English{} disclosure term", r.code,
      d.percent, unsure, english_only ? "" : " or " + names_[static_cast<size_t>(language)]);
  if (english_only) return;
  out->primary = language;
  out->accepted |= Bit(language);
  out->label = fmt::format("{} or en", r.code);
}

}  // namespace seedcast::compliance

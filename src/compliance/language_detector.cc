#include "compliance/language_detector.h"

// compact_lang_det.h names FILE without including <cstdio>.
#include <cstdio>
// clang-format off
#include <cld2/public/compact_lang_det.h>
#include <cld2/public/encodings.h>
// clang-format on

#include <array>
#include <climits>
#include <cstdlib>

#include "common/text.h"

namespace seedcast::compliance {
namespace {

// Freeing a block that glibc served by mmap raises its mmap threshold to the block's size and its
// trim threshold to twice that (mallopt(3)); after that, CLD2's scratch stays with the process.
void KeepScratchInHeapOnce() {
  static const bool kDone = [] {
    constexpr size_t kBlockBytes = size_t{512} << 10;
    void* volatile block = std::malloc(kBlockBytes);  // NOLINT(*-no-malloc): glibc's own knob
    std::free(block);                                 // NOLINT(*-no-malloc)
    return true;
  }();
  (void)kDone;
}

}  // namespace

DetectedLanguage DetectLanguage(std::string_view text) {
  KeepScratchInHeapOnce();
  DetectedLanguage out;
  if (text.empty()) return out;
  const CLD2::CLDHints hints{.content_language_hint = nullptr,
                             .tld_hint = nullptr,
                             .encoding_hint = CLD2::UNKNOWN_ENCODING,
                             .language_hint = CLD2::UNKNOWN_LANGUAGE};
  std::array<CLD2::Language, 3> top{};
  std::array<int, 3> percent{};
  std::array<double, 3> scores{};
  int text_bytes = 0;
  bool reliable = false;
  int valid_bytes = 0;
  const int length = text.size() > INT_MAX ? INT_MAX : static_cast<int>(text.size());
  const CLD2::Language language = CLD2::ExtDetectLanguageSummaryCheckUTF8(
      text.data(), length, /*is_plain_text=*/true, &hints, /*flags=*/0, top.data(), percent.data(),
      scores.data(), /*resultchunkvector=*/nullptr, &text_bytes, &reliable, &valid_bytes);
  if (language == CLD2::UNKNOWN_LANGUAGE) return out;
  out.code = CLD2::LanguageCode(language);
  // The summary language is usually top[0]; CLD2 may prefer the second over English.
  for (size_t k = 0; k < top.size(); ++k) {
    if (top[k] == language) {
      out.percent = percent[k];
      break;
    }
  }
  out.reliable = reliable;
  out.text_bytes = text_bytes;
  return out;
}

std::string LanguageName(std::string_view code) {
  std::string key(code);
  const CLD2::Language language = CLD2::GetLanguageFromName(key.c_str());
  if (language == CLD2::UNKNOWN_LANGUAGE) return key;
  // CLD2 writes most names in capitals ("GERMAN"), a few not ("Japanese").
  std::string name = text::AsciiLower(CLD2::LanguageName(language));
  if (!name.empty() && name[0] >= 'a' && name[0] <= 'z')
    name[0] = static_cast<char>(name[0] - 'a' + 'A');
  return name;
}

}  // namespace seedcast::compliance

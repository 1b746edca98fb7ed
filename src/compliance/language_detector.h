// Which language a piece of text is written in, by CLD2 (Compact Language Detector 2, Debian's
// libcld2). The one place that includes CLD2's headers.
//
// CLD2 allocates about 170 KB of scratch on every call and frees it before returning. Under glibc's
// default heap trimming (free memory past 128 KB at the top of the heap goes back to the kernel)
// each call would hand that memory back and fault it in again: about 20 µs a call instead of 1-4.
// The first call therefore raises glibc's trim threshold to 1 MiB the way glibc does by itself once
// a program frees a block of 512 KB (mallopt(3), "dynamic mmap threshold"), which nearly every
// long-running process has done anyway; other allocators are not affected.
//
// Stateless apart from that one-time adjustment; thread-safe (CLD2 is).
#pragma once

#include <string>
#include <string_view>

namespace seedcast::compliance {

struct DetectedLanguage {
  std::string_view code;  // CLD2's code, static: "de", "zh-Hant", "pt"; "" when none was found
  int percent = 0;        // share of the examined letters in that language, 0 to 100
  bool reliable = false;  // CLD2's own verdict: the language is clearly ahead of the next
  int text_bytes = 0;     // letters (and the spaces between them) CLD2 scored
};

// `text` is plain text, not HTML; bytes that are not valid UTF-8 end what is examined.
DetectedLanguage DetectLanguage(std::string_view text);

// The English name of a language CLD2 knows by `code` ("de" -> "German"); the code itself when
// CLD2 does not know it.
std::string LanguageName(std::string_view code);

}  // namespace seedcast::compliance

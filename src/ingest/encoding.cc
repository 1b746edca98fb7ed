#include "ingest/encoding.h"

#include <unicode/ucsdet.h>
#include <unicode/unistr.h>
#include <utf8proc.h>

#include <algorithm>
#include <memory>
#include <optional>

namespace seedcast::ingest {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

struct Utf8Census {
  int multibyte = 0;  // valid sequences of two or more bytes
  int invalid = 0;    // bytes that start no valid sequence
};

Utf8Census CountUtf8(std::string_view s) {
  Utf8Census c;
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  auto left = static_cast<utf8proc_ssize_t>(s.size());
  while (left > 0) {
    if (*p < 0x80) {
      ++p;
      --left;
      continue;
    }
    utf8proc_int32_t cp = 0;
    utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
    if (n <= 0) {
      if (left > 3) ++c.invalid;  // a sequence cut by the end of the sample is not an error
      n = 1;
    } else {
      ++c.multibyte;
    }
    p += n;
    left -= n;
  }
  return c;
}

// UTF-16 without a byte-order mark: ASCII text has a NUL in every other byte.
std::optional<std::string> Utf16ByNuls(std::string_view head) {
  const size_t n = std::min<size_t>(head.size(), 4096) & ~size_t{1};
  if (n < 8) return std::nullopt;
  size_t even = 0;
  size_t odd = 0;
  for (size_t i = 0; i < n; i += 2) {
    even += head[i] == '\0' ? 1 : 0;
    odd += head[i + 1] == '\0' ? 1 : 0;
  }
  const size_t pairs = n / 2;
  if (odd * 10 > pairs * 3 && even * 20 < pairs) return "UTF-16LE";
  if (even * 10 > pairs * 3 && odd * 20 < pairs) return "UTF-16BE";
  return std::nullopt;
}

// ICU's best guess among the code pages it knows; Latin-1 is read as Windows-1252, its superset
// for the printable range, as browsers do.
std::string DetectLegacy(std::string_view head) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UCharsetDetector, decltype(&ucsdet_close)> detector(ucsdet_open(&status),
                                                                      &ucsdet_close);
  if (U_FAILURE(status)) return "windows-1252";
  const auto length = static_cast<int32_t>(std::min<size_t>(head.size(), 1 << 20));
  ucsdet_setText(detector.get(), head.data(), length, &status);
  int32_t found = 0;
  const UCharsetMatch** matches = ucsdet_detectAll(detector.get(), &found, &status);
  for (int32_t i = 0; U_SUCCESS(status) && i < found; ++i) {
    std::string name = ucsdet_getName(matches[i], &status);
    if (U_FAILURE(status) || name.starts_with("UTF") || name.starts_with("ISO-2022")) continue;
    return name == "ISO-8859-1" ? "windows-1252" : name;
  }
  return "windows-1252";
}

}  // namespace

std::string Encoding::Describe() const {
  if (bom) return name + " (byte-order mark)";
  if (guess) return name + " (detected)";
  return name;
}

Encoding DetectEncoding(std::string_view head) {
  if (head.starts_with("\xEF\xBB\xBF")) return {"UTF-8", true, false};
  if (head.starts_with("\xFF\xFE")) return {"UTF-16LE", true, false};
  if (head.starts_with("\xFE\xFF")) return {"UTF-16BE", true, false};
  if (auto utf16 = Utf16ByNuls(head)) return {*utf16, false, true};
  const Utf8Census census = CountUtf8(head);
  if (census.invalid == 0 || census.multibyte >= census.invalid) return {"UTF-8", false, false};
  return {DetectLegacy(head), false, true};
}

Result<std::string> DecodeToUtf8(std::string_view bytes, const Encoding& encoding) {
  if (encoding.bom) bytes.remove_prefix(encoding.name == "UTF-8" ? 3 : 2);
  if (bytes.size() > (size_t{1} << 30)) {
    return InvalidArgument("the file is in " + encoding.name +
                           " and larger than 1 GB: convert it to UTF-8 first");
  }
  icu::UnicodeString text(bytes.data(), static_cast<int32_t>(bytes.size()), encoding.name.c_str());
  if (text.isBogus()) return InvalidArgument("cannot decode the file as " + encoding.name);
  // Single-byte converters substitute U+001A for an undefined byte, or pass it through as a C1
  // control (0x81 in Windows-1252): neither is text, so both are reported as U+FFFD.
  if (!encoding.name.starts_with("UTF")) {
    for (int32_t i = 0; i < text.length(); ++i) {
      const char16_t c = text.charAt(i);
      if (c == 0x1A || (c >= 0x80 && c <= 0x9F)) text.setCharAt(i, 0xFFFD);
    }
  }
  std::string out;
  text.toUTF8String(out);
  return out;
}

int RepairUtf8(std::string* s) {
  std::string out;
  int replaced = 0;
  const auto* begin = reinterpret_cast<const utf8proc_uint8_t*>(s->data());
  const auto* p = begin;
  auto left = static_cast<utf8proc_ssize_t>(s->size());
  while (left > 0) {
    utf8proc_int32_t cp = 0;
    utf8proc_ssize_t n = *p < 0x80 ? 1 : utf8proc_iterate(p, left, &cp);
    if (n <= 0) {
      if (replaced == 0) out.assign(s->data(), static_cast<size_t>(p - begin));
      out.append(kReplacement);
      ++replaced;
      n = 1;
    } else if (replaced > 0) {
      out.append(reinterpret_cast<const char*>(p), static_cast<size_t>(n));
    }
    p += n;
    left -= n;
  }
  if (replaced > 0) *s = std::move(out);
  return replaced;
}

int CountReplacements(std::string_view s) {
  int n = 0;
  for (size_t at = s.find(kReplacement); at != std::string_view::npos;
       at = s.find(kReplacement, at + kReplacement.size())) {
    ++n;
  }
  return n;
}

}  // namespace seedcast::ingest

#include "common/text.h"

#include <simdjson.h>
#include <unicode/normalizer2.h>
#include <utf8proc.h>

#include <algorithm>
#include <cstdlib>
#include <memory>

namespace seedcast::text {
namespace {

struct FreeDeleter {
  void operator()(utf8proc_uint8_t* p) const {
    std::free(p);
  }  // NOLINT(cppcoreguidelines-no-malloc)
};

std::optional<std::string> Map(std::string_view s, int options) {
  utf8proc_uint8_t* out = nullptr;
  utf8proc_ssize_t n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(s.data()),
                                    static_cast<utf8proc_ssize_t>(s.size()), &out,
                                    static_cast<utf8proc_option_t>(options));
  std::unique_ptr<utf8proc_uint8_t, FreeDeleter> owned(out);
  if (n < 0) return std::nullopt;
  return std::string(reinterpret_cast<const char*>(out), static_cast<size_t>(n));
}

bool IsAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

}  // namespace

bool IsValidUtf8(std::string_view s) {
  return IsAscii(s) || simdjson::validate_utf8(s.data(), s.size());
}

std::optional<std::string> Nfc(std::string_view s) {
  if (IsAscii(s)) return std::string(s);
  // Most text arrives already in NFC; ICU's quick check confirms that without remapping.
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_SUCCESS(status) && IsValidUtf8(s) &&
      nfc->isNormalizedUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())), status) &&
      U_SUCCESS(status)) {
    return std::string(s);
  }
  return Map(s, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
}

std::optional<std::string> FoldCase(std::string_view s, FoldOptions options) {
  if (IsAscii(s)) return AsciiLower(s);
  int flags = UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD;
  if (options.strip_accents) flags |= UTF8PROC_STRIPMARK;
  if (options.drop_ignorable) flags |= UTF8PROC_IGNORE;
  return Map(s, flags);
}

bool IsWordCodePoint(int32_t c) {
  if (c < 0x80) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }
  switch (utf8proc_category(c)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
    case UTF8PROC_CATEGORY_PC:
      return true;
    default:
      return false;
  }
}

bool IsUnspacedScript(int32_t c) {
  return (c >= 0x3040 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) ||
         (c >= 0x31F0 && c <= 0x31FF) || (c >= 0xFF66 && c <= 0xFF9D);
}

std::string NormalizeLabel(std::string_view s) {
  std::optional<std::string> folded = FoldCase(s);
  if (!folded) return {};
  std::string out;
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(folded->data());
  auto left = static_cast<utf8proc_ssize_t>(folded->size());
  bool pending_space = false;
  while (left > 0) {
    utf8proc_int32_t cp = 0;
    utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
    if (n <= 0) break;
    utf8proc_category_t cat = utf8proc_category(cp);
    bool keep = (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
                (cat >= UTF8PROC_CATEGORY_MN && cat <= UTF8PROC_CATEGORY_ME) ||
                cat == UTF8PROC_CATEGORY_ND;
    if (keep) {
      if (pending_space && !out.empty()) out.push_back(' ');
      pending_space = false;
      out.append(reinterpret_cast<const char*>(p), static_cast<size_t>(n));
    } else {
      pending_space = true;
    }
    p += n;
    left -= n;
  }
  return out;
}

std::string_view Trim(std::string_view s) {
  auto strip_front = [&s]() {
    if (s.starts_with("\xEF\xBB\xBF") || s.starts_with("\xC2\xA0")) {
      s.remove_prefix(s.starts_with("\xEF") ? 3 : 2);
      return true;
    }
    if (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' ||
                       s.front() == '\n' || s.front() == '\v' || s.front() == '\f')) {
      s.remove_prefix(1);
      return true;
    }
    return false;
  };
  auto strip_back = [&s]() {
    if (s.ends_with("\xC2\xA0")) {
      s.remove_suffix(2);
      return true;
    }
    if (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' ||
                       s.back() == '\n' || s.back() == '\v' || s.back() == '\f')) {
      s.remove_suffix(1);
      return true;
    }
    return false;
  };
  while (strip_front()) {
  }
  while (strip_back()) {
  }
  return s;
}

std::vector<std::string_view> Split(std::string_view s, std::string_view separators) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find_first_of(separators, start);
    if (end == std::string_view::npos) end = s.size();
    std::string_view part = Trim(s.substr(start, end - start));
    if (!part.empty()) parts.push_back(part);
    start = end + 1;
  }
  return parts;
}

size_t CodePointCount(std::string_view s) {
  return static_cast<size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

int EditDistance(std::string_view a, std::string_view b, int limit) {
  const auto la = static_cast<int>(a.size());
  const auto lb = static_cast<int>(b.size());
  if (std::abs(la - lb) > limit) return limit + 1;
  // Three rolling rows are enough for the optimal-string-alignment variant.
  std::vector<int> prev2(lb + 1);
  std::vector<int> prev(lb + 1);
  std::vector<int> cur(lb + 1);
  for (int j = 0; j <= lb; ++j) prev[j] = j;
  for (int i = 1; i <= la; ++i) {
    cur[0] = i;
    int row_min = cur[0];
    for (int j = 1; j <= lb; ++j) {
      int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        cur[j] = std::min(cur[j], prev2[j - 2] + 1);
      }
      row_min = std::min(row_min, cur[j]);
    }
    if (row_min > limit) return limit + 1;
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return std::min(prev[lb], limit + 1);
}

}  // namespace seedcast::text

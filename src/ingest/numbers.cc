#include "ingest/numbers.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <string>

#include "common/text.h"

namespace seedcast::ingest {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// True when `s` is groups of 1-3 digits then (sep + 3 digits)+, e.g. "1,234,567".
bool IsGrouped(std::string_view s, char sep) {
  size_t first = s.find(sep);
  if (first == std::string_view::npos || first == 0 || first > 3) return false;
  for (size_t i = 0; i < first; ++i) {
    if (!IsDigit(s[i])) return false;
  }
  size_t pos = first;
  while (pos < s.size()) {
    if (s[pos] != sep || pos + 4 > s.size()) return false;
    for (size_t i = pos + 1; i < pos + 4; ++i) {
      if (!IsDigit(s[i])) return false;
    }
    pos += 4;
  }
  return true;
}

// "2.28E+11", "1e6": a plain decimal mantissa and an exponent of one to three digits.
std::optional<double> ParseScientific(const std::string& s) {
  const size_t e = s.find_first_of("eE");
  if (e == std::string::npos || e == 0 || e + 1 >= s.size()) return std::nullopt;
  size_t digits_from = e + 1;
  if (s[digits_from] == '+' || s[digits_from] == '-') ++digits_from;
  const size_t exponent_digits = s.size() - digits_from;
  if (exponent_digits == 0 || exponent_digits > 3) return std::nullopt;
  int dots = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i == e || (i == e + 1 && digits_from == e + 2)) continue;
    if (s[i] == '.' && i < e) {
      ++dots;
      continue;
    }
    if (!IsDigit(s[i])) return std::nullopt;
  }
  if (dots > 1 || s[0] == '.' || s[e - 1] == '.') return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

Status NotANumber(std::string_view text) {
  return InvalidArgument("'" + std::string(text) + "' is not a number");
}

}  // namespace

Result<ParsedNumber> ParseNumber(std::string_view text, NumberKind kind) {
  std::string s;
  s.reserve(text.size());
  std::string_view t = text::Trim(text);
  // Drop currency marks and inner spaces (ASCII, NBSP and narrow NBSP used as group separators).
  for (std::string_view prefix : {"USD", "usd", "US$", "EUR", "eur", "GBP", "gbp"}) {
    if (t.starts_with(prefix)) t.remove_prefix(prefix.size());
  }
  for (size_t i = 0; i < t.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(t[i]);
    if (c == ' ' || c == '$' || c == '\'' || c == '_') continue;
    if (t.substr(i).starts_with("\xC2\xA0") || t.substr(i).starts_with("\xC2\xA3")) {  // NBSP, £
      ++i;
      continue;
    }
    if (t.substr(i).starts_with("\xE2\x80\xAF") || t.substr(i).starts_with("\xE2\x82\xAC")) {
      i += 2;  // narrow NBSP, €
      continue;
    }
    s.push_back(static_cast<char>(c));
  }
  ParsedNumber out;
  if (!s.empty() && s.back() == '%') {
    out.percent = true;
    s.pop_back();
  }
  double multiplier = 1;
  if (!s.empty()) {
    char suffix = s.back();
    if (suffix == 'k' || suffix == 'K') multiplier = 1e3;
    if (suffix == 'm' || suffix == 'M') multiplier = 1e6;
    if (suffix == 'b' || suffix == 'B') multiplier = 1e9;
    if (multiplier != 1) s.pop_back();
  }
  if (s.empty() || (out.percent && multiplier != 1)) return NotANumber(text);
  bool negative = s.front() == '-';
  if (negative || s.front() == '+') s.erase(0, 1);
  if (auto scientific = ParseScientific(s)) {
    out.value = (negative ? -*scientific : *scientific) * multiplier;
    return out;
  }

  const size_t commas = std::count(s.begin(), s.end(), ',');
  const size_t dots = std::count(s.begin(), s.end(), '.');
  if (commas > 0 && dots > 0) {
    // Both: the later one is the decimal separator ("1,234.5" or "1.234,5").
    char decimal = s.rfind(',') > s.rfind('.') ? ',' : '.';
    char group = decimal == ',' ? '.' : ',';
    std::string cleaned;
    for (char c : s) {
      if (c == group) continue;
      cleaned.push_back(c == decimal ? '.' : c);
    }
    s = cleaned;
  } else if (commas > 0) {
    if (IsGrouped(s, ',') && (commas > 1 || kind == NumberKind::kCount || multiplier == 1)) {
      std::erase(s, ',');
    } else if (commas == 1) {
      s[s.find(',')] = '.';
    } else {
      return NotANumber(text);
    }
  } else if (dots > 1 || (dots == 1 && kind == NumberKind::kCount && multiplier == 1 &&
                          !out.percent && IsGrouped(s, '.'))) {
    if (!IsGrouped(s, '.')) return NotANumber(text);
    std::erase(s, '.');
  }
  for (char c : s) {
    if (!IsDigit(c) && c != '.') return NotANumber(text);
  }
  if (s == ".") return NotANumber(text);
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || !std::isfinite(v)) return NotANumber(text);
  out.value = (negative ? -v : v) * multiplier;
  return out;
}

Result<int64_t> ParseCount(std::string_view text) {
  SEEDCAST_ASSIGN_OR_RETURN(ParsedNumber n, ParseNumber(text, NumberKind::kCount));
  if (n.percent) return InvalidArgument("'" + std::string(text) + "' is a percentage, not a count");
  if (n.value < 0) return InvalidArgument("'" + std::string(text) + "' is negative");
  if (n.value > 1e15) return InvalidArgument("'" + std::string(text) + "' is too large");
  double rounded = std::round(n.value);
  if (std::abs(rounded - n.value) > 1e-6 * std::max(1.0, n.value) && n.value < 1e3) {
    return InvalidArgument("'" + std::string(text) + "' is not a whole number");
  }
  return static_cast<int64_t>(rounded);
}

Result<double> ParseFraction(std::string_view text, bool percent_scale) {
  SEEDCAST_ASSIGN_OR_RETURN(ParsedNumber n, ParseNumber(text, NumberKind::kDecimal));
  double v = (n.percent || percent_scale) ? n.value / 100.0 : n.value;
  if (v < 0 || v > 1) {
    return InvalidArgument("'" + std::string(text) + "' is outside 0..100%");
  }
  return v;
}

Result<int64_t> ParseMoneyCents(std::string_view text) {
  SEEDCAST_ASSIGN_OR_RETURN(ParsedNumber n, ParseNumber(text, NumberKind::kDecimal));
  if (n.percent) return InvalidArgument("'" + std::string(text) + "' is a percentage, not money");
  if (n.value < 0) return InvalidArgument("'" + std::string(text) + "' is negative");
  return static_cast<int64_t>(std::llround(n.value * 100));
}

bool IsMissingValue(std::string_view text) {
  std::string_view trimmed = text::Trim(text);
  if (trimmed.empty() || trimmed.size() > 7) return false;  // the longest marker is "#div/0!"
  std::string t = text::AsciiLower(trimmed);
  static constexpr std::array<std::string_view, 16> kMissing = {
      "nan", "nan%", "n/a", "na",      "n.a.",    "#n/a",         "null",         "none",
      "-",   "--",   "?",   "#value!", "#div/0!", "\xE2\x80\x94", "\xE2\x80\x93", "inf"};
  return std::find(kMissing.begin(), kMissing.end(), t) != kMissing.end();
}

Result<bool> ParseBool(std::string_view text) {
  std::string t = text::AsciiLower(text::Trim(text));
  static constexpr std::array<std::string_view, 6> kTrue = {"true", "yes", "y", "1", "x", "t"};
  static constexpr std::array<std::string_view, 5> kFalse = {"false", "no", "n", "0", "f"};
  for (std::string_view v : kTrue) {
    if (t == v) return true;
  }
  for (std::string_view v : kFalse) {
    if (t == v) return false;
  }
  return InvalidArgument("'" + std::string(text) + "' is not yes/no or true/false");
}

}  // namespace seedcast::ingest

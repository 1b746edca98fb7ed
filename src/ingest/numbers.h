// Parsing of the numbers found in real creator exports: "60.3M", "30.8K", "1,234", "1 234", "1.234"
// (a European thousands separator), "3.2%", "3,2 %", "$1,200", "USD 250", "2.28E+11". Pure
// functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "common/status.h"

namespace seedcast::ingest {

struct ParsedNumber {
  double value = 0;
  bool percent = false;  // the text carried a % sign; `value` is as written (3.2 for "3.2%")
};

enum class NumberKind {
  kCount,    // a whole number: "1.234" and "1,234" are thousands separators
  kDecimal,  // a real number: "1,5" is a decimal comma, "1.5" a decimal point
};

// Fails with a message naming the text when it is not a number.
Result<ParsedNumber> ParseNumber(std::string_view text, NumberKind kind);

// A non-negative whole count, K/M/B suffixes expanded: "60.3M" -> 60300000.
Result<int64_t> ParseCount(std::string_view text);

// A share or rate as a fraction. `percent_scale` says the column is written in percent, so "3.2" is
// 3.2%; a "%" sign always means percent. "3.2%" -> 0.032.
Result<double> ParseFraction(std::string_view text, bool percent_scale);

// An amount of money in cents: "$250" -> 25000, "1.2k" -> 120000, "€ 99,50" -> 9950.
Result<int64_t> ParseMoneyCents(std::string_view text);

// The markers exports write for "no value": "NaN", "NaN%", "N/A", "null", "-", an em dash. A cell
// holding one is read as empty.
bool IsMissingValue(std::string_view text);

// yes/no, true/false, y/n, 1/0, x (checked).
Result<bool> ParseBool(std::string_view text);

}  // namespace seedcast::ingest

// Discount codes: one per assignment, unique within its brand (a shop's codes are one namespace),
// made from a pattern, or imported from a file when the brand issued them itself.
//
// A pattern is text with tokens in braces:
//   {HANDLE}  the creator's handle, upper-cased, letters and digits only, at most 12
//   {N...}    as many random digits as there are Ns ({NN}: two)
//   {X...}    as many random letters and digits as there are Xs, without the look-alikes 0 O 1 I
// e.g. "{HANDLE}{NN}" (ANNAGLOW37) or "SEED-{XXXX}" (SEED-K7QF). The made code must be 3 to 40
// characters of A-Z, 0-9, '-' and '_'. When it is taken, another random draw is tried; a pattern
// without random tokens gets a number appended (ANNA2, ANNA3, ...).
//
// Codes are matched in orders case-insensitively (by the upper-cased `code_key`).
//
// Free functions over a caller's connection; thread-compatible like the connection.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "campaign/shopify_import.h"
#include "common/status.h"
#include "storage/database.h"

namespace seedcast::measure {

inline constexpr std::string_view kDefaultCodePattern = "{HANDLE}{NN}";

struct DiscountCode {
  int64_t id = 0;
  int64_t brand_id = 0;
  std::string code;
  int64_t creator_id = 0;
  int64_t assignment_id = 0;  // 0: imported for a creator without naming an assignment
  std::string source;         // generated, imported
};

// The key codes are matched by: trimmed and upper-cased (ASCII).
std::string CodeKey(std::string_view code);

// A uniform draw below `bound` (libsodium's randombytes_uniform by default; tests fix it).
using RandomBelow = std::function<uint32_t(uint32_t bound)>;

// One expansion of `pattern`; an unknown token, or a result that is not a valid code, is an
// InvalidArgument naming it (field code_pattern).
Result<std::string> ExpandCodePattern(std::string_view pattern, std::string_view handle,
                                      const RandomBelow& random = {});

struct NewCode {
  int64_t org_id = 0;
  int64_t brand_id = 0;
  int64_t creator_id = 0;
  int64_t assignment_id = 0;
  std::string handle;
  std::string pattern{kDefaultCodePattern};
};
// Makes and stores the code of an assignment; kAlreadyExists (code_exists) when it has one.
Result<DiscountCode> IssueCode(storage::Database& db, const NewCode& request, int64_t now_ms,
                               const RandomBelow& random = {});
Result<std::optional<DiscountCode>> CodeOfAssignment(storage::Database& db, int64_t assignment_id);

struct CodeImportReport {
  int64_t rows = 0;
  int64_t registered = 0;  // new codes
  int64_t unchanged = 0;   // already registered to the same creator
  std::vector<campaign::ImportReject> rejects;
};
// Registers codes issued outside Seedcast from a CSV of two columns, code and creator handle (a
// header row naming them is skipped). The creator is found by handle (any platform, '@' ignored);
// the code is tied to the creator's newest assignment in the brand's campaigns, if any. A row
// whose handle is unknown, or whose code belongs to another creator, is rejected with its line.
Result<CodeImportReport> ImportCodes(storage::Database& db, int64_t brand_id, int64_t org_id,
                                     const std::string& path, int64_t now_ms);

}  // namespace seedcast::measure

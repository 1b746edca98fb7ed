// The compliance use case: posts (one JSON object a line) checked against a jurisdiction's
// disclosure rules and, optionally, a campaign's deliverables; one verdict per post, in order.
//
// A PostChecker borrows the rule book; it keeps parse buffers, so one per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "compliance/checker.h"
#include "compliance/post_json.h"
#include "compliance/rules.h"

namespace seedcast::app {

struct CheckCounts {
  int64_t posts = 0;
  int64_t compliant = 0;
  int64_t malformed = 0;
};

class PostChecker {
 public:
  // `jurisdiction`: a rule file's code (us, uk); `campaign_json`: a campaign file whose
  // deliverables, timeline and brief each post must meet ("" for none).
  static Result<std::unique_ptr<PostChecker>> Create(const compliance::RuleBook& rules,
                                                     const std::string& jurisdiction,
                                                     std::string_view campaign_json);

  // Checks one line and appends its verdict (one JSON line, no newline) to `out`.
  void CheckLine(std::string_view line, int64_t line_number, std::string* out);
  const CheckCounts& counts() const { return counts_; }
  const std::string& jurisdiction_name() const { return jurisdiction_->name; }

 private:
  PostChecker(const compliance::RuleBook& rules, const compliance::Jurisdiction& jurisdiction,
              std::optional<compliance::Requirements> requirements);

  const compliance::Jurisdiction* jurisdiction_;
  std::optional<compliance::Requirements> requirements_;
  compliance::Checker checker_;
  compliance::PostReader reader_;
  CheckCounts counts_;
};

}  // namespace seedcast::app

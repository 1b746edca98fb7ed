#include "app/compliance.h"

#include <fmt/format.h>

#include "app/guard.h"

namespace seedcast::app {

PostChecker::PostChecker(const compliance::RuleBook& rules,
                         const compliance::Jurisdiction& jurisdiction,
                         std::optional<compliance::Requirements> requirements)
    : jurisdiction_(&jurisdiction),
      requirements_(std::move(requirements)),
      checker_(rules, jurisdiction, requirements_ ? &*requirements_ : nullptr) {}

Result<std::unique_ptr<PostChecker>> PostChecker::Create(const compliance::RuleBook& rules,
                                                         const std::string& jurisdiction,
                                                         std::string_view campaign_json) {
  Result<const compliance::Jurisdiction*> found = rules.Find(jurisdiction);
  if (!found.ok()) return found.status().WithField("jurisdiction");
  std::optional<compliance::Requirements> requirements;
  if (!campaign_json.empty()) {
    Result<compliance::Requirements> parsed = compliance::ParseRequirements(campaign_json);
    if (!parsed.ok()) return parsed.status().WithField("campaign");
    requirements = std::move(*parsed);
  }
  return std::unique_ptr<PostChecker>(new PostChecker(rules, **found, std::move(requirements)));
}

void PostChecker::CheckLine(std::string_view line, int64_t line_number, std::string* out) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  ++counts_.posts;
  compliance::Post post;
  std::string id_json = "null";
  compliance::Verdict verdict;
  Status read = Guard([&] { return reader_.Read(line, &post, &id_json); });
  if (read.ok()) {
    read = Guard([&] {
      verdict = checker_.Check(post);
      return Status::Ok();
    });
  }
  if (!read.ok()) {
    verdict = compliance::InvalidInputVerdict(
        post.id, fmt::format("line {}: {}", line_number, read.message()));
    ++counts_.malformed;
  }
  counts_.compliant += verdict.compliant ? 1 : 0;
  compliance::AppendVerdictJson(id_json, verdict, out);
}

}  // namespace seedcast::app

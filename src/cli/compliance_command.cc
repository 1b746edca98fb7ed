// `seedcast compliance check`: posts as NDJSON in, one verdict per line out, in the same order.
#include <fmt/format.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "compliance/checker.h"
#include "compliance/post_json.h"
#include "compliance/rules.h"

namespace seedcast::cli {

int RunComplianceCheck(const ComplianceCheckOptions& options) {
  Result<compliance::RuleBook> rules = options.rules_dir.empty()
                                           ? compliance::BuiltInRules()
                                           : compliance::LoadRules(options.rules_dir);
  if (!rules.ok()) return Usage(rules.status().ToString());
  Result<const compliance::Jurisdiction*> jurisdiction = rules->Find(options.jurisdiction);
  if (!jurisdiction.ok()) return Usage(jurisdiction.status().message());

  std::optional<compliance::Requirements> requirements;
  if (!options.campaign_path.empty()) {
    std::ifstream in(options.campaign_path);
    if (!in) return Usage(fmt::format("cannot read campaign file {}", options.campaign_path));
    std::stringstream text;
    text << in.rdbuf();
    Result<compliance::Requirements> parsed = compliance::ParseRequirements(text.str());
    if (!parsed.ok()) {
      return Usage(fmt::format("{}: {}", options.campaign_path, parsed.status().message()));
    }
    requirements = std::move(*parsed);
  }

  std::ifstream file;
  std::istream* input = OpenInput(options.input, &file);
  if (input == nullptr) return kExitUsage;
  std::istream& in = *input;

  compliance::Checker checker(*rules, **jurisdiction, requirements ? &*requirements : nullptr);
  compliance::PostReader reader;
  compliance::Post post;
  std::string id_json;
  std::string line;
  std::string out;
  int64_t lines = 0;
  int64_t compliant = 0;
  int64_t malformed = 0;
  while (std::getline(in, line)) {
    ++lines;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const Status read = reader.Read(line, &post, &id_json);
    compliance::Verdict verdict =
        read.ok() ? checker.Check(post)
                  : compliance::InvalidInputVerdict(
                        post.id, fmt::format("line {}: {}", lines, read.message()));
    malformed += read.ok() ? 0 : 1;
    compliant += verdict.compliant ? 1 : 0;
    compliance::AppendVerdictJson(id_json, verdict, &out);
    out.push_back('\n');
    if (out.size() > (1U << 16)) {
      std::fwrite(out.data(), 1, out.size(), stdout);
      out.clear();
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
  std::cerr << fmt::format("{} posts checked under {}: {} compliant, {} not, {} malformed\n", lines,
                           (*jurisdiction)->name, compliant, lines - compliant - malformed,
                           malformed);
  return kExitOk;
}

}  // namespace seedcast::cli

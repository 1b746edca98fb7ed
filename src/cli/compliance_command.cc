// `seedcast compliance check`: posts as NDJSON in, one verdict per line out, in the same order.
#include <fmt/format.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/compliance.h"
#include "cli/commands.h"

namespace seedcast::cli {

int RunComplianceCheck(const ComplianceCheckOptions& options) {
  Result<compliance::RuleBook> rules = options.rules_dir.empty()
                                           ? compliance::BuiltInRules()
                                           : compliance::LoadRules(options.rules_dir);
  if (!rules.ok()) return Usage(rules.status().ToString());
  std::string campaign;
  if (!options.campaign_path.empty()) {
    std::ifstream in(options.campaign_path);
    if (!in) return Usage(fmt::format("cannot read campaign file {}", options.campaign_path));
    std::stringstream text;
    text << in.rdbuf();
    campaign = text.str();
  }
  auto checker = app::PostChecker::Create(*rules, options.jurisdiction, campaign);
  if (!checker.ok()) {
    return Usage(checker.status().field() == "campaign"
                     ? fmt::format("{}: {}", options.campaign_path, checker.status().message())
                     : checker.status().message());
  }
  std::ifstream file;
  std::istream* input = OpenInput(options.input, &file);
  if (input == nullptr) return kExitUsage;
  std::string out;
  int64_t lines = 0;
  for (std::string line; std::getline(*input, line);) {
    (*checker)->CheckLine(line, ++lines, &out);
    out.push_back('\n');
    if (out.size() > (1U << 16)) {
      std::fwrite(out.data(), 1, out.size(), stdout);
      out.clear();
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
  const app::CheckCounts& c = (*checker)->counts();
  std::cerr << fmt::format("{} posts checked under {}: {} compliant, {} not, {} malformed\n",
                           c.posts, (*checker)->jurisdiction_name(), c.compliant,
                           c.posts - c.compliant - c.malformed, c.malformed);
  return kExitOk;
}

}  // namespace seedcast::cli

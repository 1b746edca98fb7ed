// For tests: the declarative case files of src/measure/testdata, one JSON value per line ("//"
// lines are comments), found through SEEDCAST_SOURCE_DIR (the source tree; "." without it).
// Header-only so that each test binary takes it without a library of its own. A missing file reads
// as no cases, which the drivers' minimum counts catch. Not for production code; thread-compatible.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace seedcast::measure::testing {

inline std::vector<nlohmann::json> ReadCaseLines(std::string_view file) {
  const char* root = std::getenv("SEEDCAST_SOURCE_DIR");  // NOLINT(concurrency-mt-unsafe)
  const std::filesystem::path path =
      std::filesystem::path(root != nullptr ? root : ".") / "src/measure/testdata" / file;
  std::ifstream in(path);
  std::vector<nlohmann::json> lines;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line.starts_with("//")) continue;
    lines.push_back(nlohmann::json::parse(line));
  }
  return lines;
}

}  // namespace seedcast::measure::testing

#include "server/openapi.h"

#include <utility>
#include <vector>

namespace seedcast::server {

// Generated from docs/openapi.json by CMake (seedcast_embed_files).
std::vector<std::pair<std::string_view, std::string_view>> OpenApiFiles();

std::string_view OpenApiJson() {
  static const std::string_view kDocument = OpenApiFiles().front().second;
  return kDocument;
}

}  // namespace seedcast::server

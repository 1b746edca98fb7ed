// The OpenAPI 3.1 document of the API (docs/openapi.json, compiled in), served at /openapi.json.
#pragma once

#include <string_view>

namespace seedcast::server {

std::string_view OpenApiJson();

}  // namespace seedcast::server

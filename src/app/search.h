// The search use case: a query in the documented JSON format against the context's index
// (loaded on first use; the lookalike graph is built on the first lookalike query).
#pragma once

#include <string_view>

#include "app/context.h"
#include "search/index.h"

namespace seedcast::app {

Result<search::SearchResult> SearchCreators(AppContext& ctx, std::string_view query_json);

}  // namespace seedcast::app

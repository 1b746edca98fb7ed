// The JSON form of search results, shared by the CLI and (later) the HTTP API.
#pragma once

#include <nlohmann/json.hpp>

#include "search/index.h"

namespace seedcast::search {

// {"total", "results": [{creator_id, account_id, handle, platform, followers, engagement_rate,
// tier, score, reasons}], "facets": {"tier": [{"value", "count"}], ...}, "took_ms", "notes"}.
nlohmann::ordered_json ResultToJson(const SearchResult& result);

}  // namespace seedcast::search

// Creator use cases: find, get, list by cursor, import (a file, or a request body spooled to one)
// and export, over an AppContext.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "app/context.h"
#include "ingest/creator_export.h"
#include "ingest/creator_import.h"
#include "model/creator.h"

namespace seedcast::app {

// The creators with a handle (with or without @), on one platform or on any.
Result<std::vector<model::Creator>> FindCreators(AppContext& ctx, const std::string& handle,
                                                 const std::string& platform);
// NotFound when there is no such creator.
Result<model::Creator> GetCreator(AppContext& ctx, int64_t creator_id);
// The creator as JSON (model::CreatorToJson) with its ETag, from the context's view cache when it
// is there and current.
Result<std::shared_ptr<const View>> GetCreatorView(AppContext& ctx, int64_t creator_id);

struct CreatorPage {
  std::vector<model::Creator> creators;
  std::optional<int64_t> next_after;  // pass as `after` for the next page; none at the end
};
Result<CreatorPage> ListCreators(AppContext& ctx, int64_t after_id, int limit);

// Imports a file (see ingest::ImportOptions); the batch size comes from the configuration. The
// view cache is emptied afterwards (what changed is not listed).
Result<ingest::ImportSummary> ImportCreators(AppContext& ctx, ingest::ImportOptions options);

// Writes every creator to `out`; returns how many.
Result<int64_t> ExportCreators(AppContext& ctx, ingest::ExportFormat format, std::ostream& out);

}  // namespace seedcast::app

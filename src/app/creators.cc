#include "app/creators.h"

#include "app/private_data.h"
#include "model/creator_json.h"
#include "model/platform.h"
#include "storage/creator_store.h"

namespace seedcast::app {

using storage::ConnectionPool;
using storage::Intent;

Result<std::vector<model::Creator>> FindCreators(AppContext& ctx, const std::string& handle,
                                                 const std::string& platform) {
  Result<std::string> normal = model::NormalizeHandle(handle);
  if (!normal.ok()) return normal.status().WithField("handle");
  std::string on;
  if (!platform.empty()) {
    Result<std::string> p = model::NormalizePlatform(platform);
    if (!p.ok()) return p.status().WithField("platform");
    on = *p;
  }
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire());
  storage::CreatorStore store(*db, ctx.clock());
  return store.FindByHandle(*normal, on);
}

Result<model::Creator> GetCreator(AppContext& ctx, int64_t creator_id) {
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire());
  storage::CreatorStore store(*db, ctx.clock());
  SEEDCAST_ASSIGN_OR_RETURN(std::optional<model::Creator> found, store.GetCreator(creator_id));
  if (!found) return NotFound("no creator has id " + std::to_string(creator_id));
  return std::move(*found);
}

Result<std::shared_ptr<const View>> GetCreatorView(AppContext& ctx, int64_t creator_id) {
  const bool cached = ctx.creator_views_current();
  ViewCache& views = ctx.creator_views();
  if (cached) {
    if (std::shared_ptr<const View> found = views.Find(creator_id)) return found;
  }
  const uint64_t generation = views.Generation(creator_id);
  SEEDCAST_ASSIGN_OR_RETURN(model::Creator creator, GetCreator(ctx, creator_id));
  auto view = std::make_shared<View>();
  view->body = model::CreatorToJson(creator, ctx.config().tiers).dump();
  view->etag = ETagOf(view->body);
  if (cached) views.Put(creator_id, generation, view);
  return std::shared_ptr<const View>(std::move(view));
}

Result<CreatorPage> ListCreators(AppContext& ctx, int64_t after_id, int limit) {
  if (limit < 1 || limit > 1000) {
    return InvalidArgument("limit must be 1 to 1000").WithField("limit");
  }
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire());
  storage::CreatorStore store(*db, ctx.clock());
  CreatorPage page;
  // One more than asked tells whether another page follows.
  SEEDCAST_ASSIGN_OR_RETURN(page.creators, store.CreatorsAfter(after_id, limit + 1));
  if (static_cast<int>(page.creators.size()) > limit) {
    page.creators.resize(static_cast<size_t>(limit));
    page.next_after = page.creators.back().id;
  }
  return page;
}

Result<ingest::ImportSummary> ImportCreators(AppContext& ctx, ingest::ImportOptions options) {
  options.batch_rows = ctx.config().import_batch_rows;
  // Personal columns go to the sealed store when there is a key file to seal them with.
  if (ctx.keyring().ok()) {
    options.store_personal = [&ctx](storage::Database& db, int64_t creator_id,
                                    const std::map<std::string, std::string>& personal) {
      return StoreContact(ctx, db, creator_id, personal);
    };
  }
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire(Intent::kWrite));
  storage::CreatorStore store(*db, ctx.clock());
  Result<ingest::ImportSummary> summary = ingest::ImportCreators(*db, store, options);
  ctx.creator_views().Clear();  // whatever the import got to, even if it failed part way
  return summary;
}

Result<int64_t> ExportCreators(AppContext& ctx, ingest::ExportFormat format, std::ostream& out) {
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire());
  storage::CreatorStore store(*db, ctx.clock());
  return ingest::ExportCreators(store, ctx.config().tiers, format, out);
}

}  // namespace seedcast::app

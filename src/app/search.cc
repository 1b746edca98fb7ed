#include "app/search.h"

#include "search/query.h"

namespace seedcast::app {

Result<search::SearchResult> SearchCreators(AppContext& ctx, std::string_view query_json) {
  SEEDCAST_ASSIGN_OR_RETURN(search::Query query,
                            search::ParseQueryText(std::string(query_json), ctx.config().tiers));
  SEEDCAST_ASSIGN_OR_RETURN(search::CreatorIndex * index, ctx.Index());
  return index->Search(query);
}

}  // namespace seedcast::app

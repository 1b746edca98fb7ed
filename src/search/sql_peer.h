// The same queries in SQL, for checking the engine against a database and benchmarking it against
// one (SQLite, DuckDB). The peer schema flattens accounts into three tables:
//
//   peer_accounts(account_id, creator_id, platform, handle, followers, tier, er, quality,
//                 rate_cents, country, language, female, male, other,
//                 age_13_17, age_18_24, age_25_34, age_35_44, age_45_54, age_55)
//   peer_niches(account_id, niche)
//   peer_audience(account_id, country, share)
//
// Filters, facets and the deterministic sorts (followers, engagement rate) translate; text,
// lookalikes, fit and availability do not.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "common/status.h"
#include "model/creator.h"
#include "model/tiers.h"
#include "search/query.h"
#include "storage/database.h"

namespace seedcast::search {

struct PeerSql {
  std::string count;                                        // one row: the total
  std::string top;                                          // account_id of the page, in order
  std::vector<std::pair<std::string, std::string>> facets;  // facet name -> (value, count) rows
};

Result<PeerSql> QueryToSql(const Query& q);

// CREATE TABLE and CREATE INDEX statements of the peer schema.
std::string PeerSchemaSql(bool with_indexes);

// Copies every account of `source` into the peer tables of `peer` (created, with indexes).
Status FillPeerDatabase(storage::Database& source, storage::Database& peer,
                        const model::TierScheme& tiers);

}  // namespace seedcast::search

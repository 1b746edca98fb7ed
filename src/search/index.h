// CreatorIndex: the in-memory discovery index over creator accounts.
//
// One slot per account, with the fields that filters, sorts and facets read stored column by
// column in compact form (counts as 32-bit, shares in basis points, rates in cents), roaring
// bitmaps per platform, tier, country, language and niche, range bitmaps over the numeric columns
// and audience shares (RangeBitmaps), a BM25 text index (TextIndex), and lookalike profiles with
// an HNSW graph (hnswlib) of their vectors. Values are kept exactly where the store's are exact:
// engagement rates to 1e-6, shares and quality to 1e-4.
//
// Thread-safe: any number of searches run together; an update waits for them and they for it
// (one reader-writer lock, its rules checked by clang's -Wthread-safety). Updates touch only the
// account's own slot (no rebuild). A large scan shares its work with the index's QueryPool, made
// once with the index: no thread is started per query.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/mutex.h"
#include "common/status.h"
#include "model/creator.h"
#include "model/tiers.h"
#include "search/lookalike.h"
#include "search/query.h"

namespace seedcast::search {

class TextIndex;
class QueryPool;
namespace internal {
struct Columns;
}  // namespace internal

// An account as the index needs it. `terms` is the analysed bio and captions (see Analyzer).
struct AccountDoc {
  int64_t account_id = 0;
  int64_t creator_id = 0;
  std::string platform;
  std::string handle;
  int64_t followers = 0;
  std::optional<double> engagement_rate;
  std::optional<double> quality_score;
  std::optional<int64_t> rate_cents;  // the lowest listed rate
  std::vector<std::string> niches;
  std::string country;
  std::string language;
  model::Audience audience;
  std::vector<std::string> terms;
};

// A booking that makes a creator unavailable from `from_ms` to `to_ms` (inclusive).
struct Booking {
  int64_t campaign_id = 0;
  int64_t from_ms = 0;
  int64_t to_ms = 0;
};

struct Hit {
  int64_t creator_id = 0;
  int64_t account_id = 0;
  std::string handle;
  std::string platform;
  int64_t followers = 0;
  std::optional<double> engagement_rate;
  std::string tier;
  double score = 0;
  std::vector<std::string> reasons;
};

struct SearchResult {
  int64_t total = 0;
  std::vector<Hit> hits;
  // facet name -> (value, count), by count descending then value.
  std::vector<std::pair<std::string, std::vector<std::pair<std::string, int64_t>>>> facets;
  std::vector<std::string> notes;  // how the query ran, when it matters (e.g. approximate search)
  double took_ms = 0;
};

struct MemoryReport {
  int64_t accounts = 0;
  int64_t columns_bytes = 0;  // filter, sort and facet fields, handles, id maps, bitmaps
  int64_t text_bytes = 0;
  int64_t lookalike_bytes = 0;
};

struct IndexOptions {
  model::TierScheme tiers = model::TierScheme::Default();
  bool lookalikes = true;  // keep lookalike profiles and the HNSW graph
  // Threads one filtered query may use when it has many candidates (the scan is split by slot
  // range and merged); 1 keeps every query on the calling thread.
  int query_threads = 2;
  uint64_t parallel_scan_min = 200'000;  // candidates below this scan on one thread
  // A result above 1/divisor of all accounts takes its facet counts from bitmap intersections;
  // a smaller one is counted slot by slot (sparse bitmaps intersect by merging, which costs
  // more than reading the slots).
  uint64_t bitmap_facets_divisor = 16;
};

class CreatorIndex {
 public:
  explicit CreatorIndex(IndexOptions options = {});
  ~CreatorIndex();
  CreatorIndex(const CreatorIndex&) = delete;
  CreatorIndex& operator=(const CreatorIndex&) = delete;

  // Adds or replaces the account `doc.account_id`.
  void Upsert(const AccountDoc& doc);
  // The same for many accounts under one lock (bulk loads from several threads). The range
  // bitmaps are not kept current by batches: queries scan without them until
  // RebuildRangeBitmaps.
  void UpsertBatch(std::span<const AccountDoc> docs);
  // Builds the range bitmaps (follower, engagement, quality, rate and audience-share bands) from
  // the columns with `threads` threads, after a bulk load. Single upserts keep them current.
  void RebuildRangeBitmaps(int threads);
  // The creator of an account the index has held (nullopt for one it never had).
  std::optional<int64_t> CreatorOf(int64_t account_id) const;
  // Removes an account and returns its creator; unknown ids are ignored (nullopt).
  std::optional<int64_t> Remove(int64_t account_id);
  // Replaces a creator's bookings.
  void SetBookings(int64_t creator_id, std::vector<Booking> bookings);

  // Room for `accounts` accounts with ids up to `max_account_id`, before a bulk load (growing
  // the columns as accounts arrive copies them several times).
  void Reserve(size_t accounts, int64_t max_account_id);
  // Releases spare capacity after a bulk load.
  void ShrinkToFit();

  // Builds the HNSW graph over every account with `threads` threads, holding the lock only to
  // copy the profiles and to put the graph in place: searches and updates go on meanwhile.
  // Accounts upserted later join it one by one. Until it is built, lookalike queries use exact
  // search. Gives up when `cancel` turns true; false then.
  bool BuildLookalikeGraph(int threads, const std::atomic<bool>* cancel = nullptr);

  Result<SearchResult> Search(const Query& query) const;

  // Lookalikes of an account, for measuring recall: exact (every account) and approximate (HNSW).
  std::vector<int64_t> ExactLookalikes(int64_t account_id, int k) const;
  std::vector<int64_t> ApproximateLookalikes(int64_t account_id, int k) const;
  // The cosine of two accounts' lookalike vectors; nullopt when either has none.
  std::optional<float> LookalikeSimilarity(int64_t a, int64_t b) const;

  int64_t size() const;
  MemoryReport Memory() const;
  const model::TierScheme& tiers() const { return options_.tiers; }

 private:
  IndexOptions options_;
  // What an upsert derives from the document alone, computed before taking the lock.
  struct Prepared {
    uint32_t niches = 0;                      // taxonomy bits
    std::optional<LookalikeProfile> profile;  // when lookalikes are kept
  };
  Prepared Prepare(const AccountDoc& doc) const;
  void UpsertLocked(const AccountDoc& doc, const Prepared& prepared)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  mutable SharedMutex mu_;
  // The pointers are set once, at construction; what they point to is guarded.
  const std::unique_ptr<internal::Columns> columns_ ABSL_PT_GUARDED_BY(mu_);
  const std::unique_ptr<TextIndex> text_ ABSL_PT_GUARDED_BY(mu_);
  const std::unique_ptr<LookalikeIndex> lookalike_ ABSL_PT_GUARDED_BY(mu_);
  std::unordered_map<int64_t, std::vector<Booking>> bookings_ ABSL_GUARDED_BY(mu_);
  const std::unique_ptr<QueryPool> pool_;  // thread-safe by itself
};

}  // namespace seedcast::search

// ViewCache: finished representations (a JSON body and its ETag) by id, so a repeated GET is
// answered without the store. An entry is dropped when the id changes: by a write through this
// process (the use case that wrote says so) or by the change feed (the index follower reports the
// creators whose rows changed, whichever process wrote them). So an answer is at most one follower
// poll older than the store.
//
// Invalidation wins over a fill that raced it: a fill carries the generation read before its data
// was, and is dropped if its shard was invalidated since.
//
// Thread-safe: sharded, each shard under its own lock.
#pragma once

#include <absl/container/flat_hash_map.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "common/mutex.h"

namespace seedcast::app {

struct View {
  std::string body;
  std::string etag;  // a strong validator of `body`
};

// The strong ETag of a representation: a quoted BLAKE2b digest prefix.
std::string ETagOf(std::string_view body);

class ViewCache {
 public:
  // Holds at most about `capacity` entries (0 disables it).
  explicit ViewCache(size_t capacity);

  std::shared_ptr<const View> Find(int64_t id);
  // Read before reading what a view is built from; pass to Put.
  uint64_t Generation(int64_t id);
  // Keeps `view` unless `id`'s shard was invalidated after `generation` was read.
  void Put(int64_t id, uint64_t generation, std::shared_ptr<const View> view);
  void Invalidate(std::span<const int64_t> ids);
  void Clear();

  // Lookups answered from the cache, and not.
  int64_t hits() const { return hits_; }
  int64_t misses() const { return misses_; }

 private:
  static constexpr size_t kShards = 16;
  struct Shard {
    Mutex mu;
    uint64_t generation ABSL_GUARDED_BY(mu) = 0;
    absl::flat_hash_map<int64_t, std::shared_ptr<const View>> views ABSL_GUARDED_BY(mu);
  };
  Shard& ShardOf(int64_t id) { return shards_[static_cast<uint64_t>(id) % kShards]; }

  const size_t shard_capacity_;
  std::array<Shard, kShards> shards_;
  std::atomic<int64_t> hits_{0};
  std::atomic<int64_t> misses_{0};
};

}  // namespace seedcast::app

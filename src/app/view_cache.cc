#include "app/view_cache.h"

#include "app/keys.h"

namespace seedcast::app {

std::string ETagOf(std::string_view body) { return "\"" + HashHex(body).substr(0, 32) + "\""; }

ViewCache::ViewCache(size_t capacity)
    : shard_capacity_(capacity == 0 ? 0 : (capacity + kShards - 1) / kShards) {}

std::shared_ptr<const View> ViewCache::Find(int64_t id) {
  Shard& s = ShardOf(id);
  std::shared_ptr<const View> found;
  {
    MutexLock lock(&s.mu);
    auto it = s.views.find(id);
    if (it != s.views.end()) found = it->second;
  }
  ++(found ? hits_ : misses_);
  return found;
}

uint64_t ViewCache::Generation(int64_t id) {
  Shard& s = ShardOf(id);
  MutexLock lock(&s.mu);
  return s.generation;
}

void ViewCache::Put(int64_t id, uint64_t generation, std::shared_ptr<const View> view) {
  if (shard_capacity_ == 0) return;
  Shard& s = ShardOf(id);
  MutexLock lock(&s.mu);
  if (s.generation != generation) return;
  // Full: one entry goes (whichever the table holds first; good enough for a bounded cache).
  if (s.views.size() >= shard_capacity_ && !s.views.contains(id)) s.views.erase(s.views.begin());
  s.views[id] = std::move(view);
}

void ViewCache::Invalidate(std::span<const int64_t> ids) {
  for (int64_t id : ids) {
    Shard& s = ShardOf(id);
    MutexLock lock(&s.mu);
    ++s.generation;
    s.views.erase(id);
  }
}

void ViewCache::Clear() {
  for (Shard& s : shards_) {
    MutexLock lock(&s.mu);
    ++s.generation;
    s.views.clear();
  }
}

}  // namespace seedcast::app

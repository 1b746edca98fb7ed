#include "search/range_bitmaps.h"

#include <algorithm>
#include <array>

namespace seedcast::search {

RangeBitmaps::RangeBitmaps(std::vector<uint32_t> grid)
    : grid_(std::move(grid)), at_least_(grid_.size()), equal_(grid_.size()) {}

std::optional<size_t> RangeBitmaps::Floor(uint32_t v) const {
  auto it = std::upper_bound(grid_.begin(), grid_.end(), v);
  if (it == grid_.begin()) return std::nullopt;
  return static_cast<size_t>(it - grid_.begin()) - 1;
}

std::optional<size_t> RangeBitmaps::Ceil(uint32_t v) const {
  auto it = std::lower_bound(grid_.begin(), grid_.end(), v);
  if (it == grid_.end()) return std::nullopt;
  return static_cast<size_t>(it - grid_.begin());
}

void RangeBitmaps::Add(uint32_t slot, uint32_t value) {
  for (size_t i = 0; i < grid_.size() && grid_[i] <= value; ++i) {
    at_least_[i].add(slot);
    if (grid_[i] == value) equal_[i].add(slot);
  }
}

void RangeBitmaps::Remove(uint32_t slot, uint32_t value) {
  for (size_t i = 0; i < grid_.size() && grid_[i] <= value; ++i) {
    at_least_[i].remove(slot);
    if (grid_[i] == value) equal_[i].remove(slot);
  }
}

void RangeBitmaps::Clear() {
  at_least_.assign(grid_.size(), Roaring());
  equal_.assign(grid_.size(), Roaring());
  pending_at_least_.assign(grid_.size(), {});
  pending_equal_.assign(grid_.size(), {});
}

namespace {
// Moves the buffered slots into `map`.
void Flush(std::vector<uint32_t>& pending, Roaring& map) {
  map.addMany(pending.size(), pending.data());
  pending.clear();
}
}  // namespace

void RangeBitmaps::Append(uint32_t slot, uint32_t value) {
  constexpr size_t kChunk = size_t{1} << 16;  // a container's worth
  for (size_t i = 0; i < grid_.size() && grid_[i] <= value; ++i) {
    pending_at_least_[i].push_back(slot);
    if (pending_at_least_[i].size() == kChunk) Flush(pending_at_least_[i], at_least_[i]);
    if (grid_[i] == value) {
      pending_equal_[i].push_back(slot);
      if (pending_equal_[i].size() == kChunk) Flush(pending_equal_[i], equal_[i]);
    }
  }
}

void RangeBitmaps::Finish() {
  for (size_t i = 0; i < grid_.size(); ++i) {
    Flush(pending_at_least_[i], at_least_[i]);
    Flush(pending_equal_[i], equal_[i]);
  }
  pending_at_least_ = {};
  pending_equal_ = {};
  for (std::vector<Roaring>* maps : {&at_least_, &equal_}) {
    for (Roaring& r : *maps) {
      r.runOptimize();
      r.shrinkToFit();
    }
  }
}

void RangeBitmaps::Absorb(const RangeBitmaps& other) {
  for (size_t i = 0; i < grid_.size(); ++i) {
    at_least_[i] |= other.at_least_[i];
    equal_[i] |= other.equal_[i];
  }
}

int64_t RangeBitmaps::Bytes() const {
  int64_t b = static_cast<int64_t>(grid_.capacity() * sizeof(uint32_t));
  for (const std::vector<Roaring>* maps : {&at_least_, &equal_}) {
    for (const Roaring& r : *maps) b += static_cast<int64_t>(r.getSizeInBytes());
  }
  return b;
}

void BitmapPlan::AddRange(const RangeBitmaps& ranges, std::optional<uint32_t> lo,
                          std::optional<uint32_t> hi) {
  if (lo) {
    if (std::optional<size_t> i = ranges.Floor(*lo)) {
      include.push_back(&ranges.AtLeast(*i));
      if (ranges.grid()[*i] != *lo) exact = false;
    } else {
      exact = false;
    }
  }
  if (hi) {
    if (std::optional<size_t> i = ranges.Ceil(*hi)) {
      // Values >= the grid value are out, except those equal to hi itself.
      const bool on_grid = ranges.grid()[*i] == *hi;
      exclude.push_back({&ranges.AtLeast(*i), on_grid ? &ranges.Equal(*i) : nullptr});
      if (!on_grid) exact = false;
    } else {
      exact = false;
    }
  }
}

Roaring BitmapPlan::Apply(const Roaring& base) const {
  std::vector<const Roaring*> all = include;
  all.push_back(&base);
  std::sort(all.begin(), all.end(),
            [](const Roaring* a, const Roaring* b) { return a->cardinality() < b->cardinality(); });
  Roaring r = all.size() > 1 ? *all[0] & *all[1] : *all[0];
  for (size_t i = 2; i < all.size() && !r.isEmpty(); ++i) r &= *all[i];
  for (const Exclusion& e : exclude) {
    if (r.isEmpty()) break;
    if (e.keep != nullptr && !e.keep->isEmpty()) {
      Roaring kept = r & *e.keep;
      r -= *e.out;
      r |= kept;
    } else {
      r -= *e.out;
    }
  }
  return r;
}

}  // namespace seedcast::search

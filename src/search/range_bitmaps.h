// RangeBitmaps: cumulative bitmaps over one integer column, for range filters and top-k.
//
// For each value g of a fixed ascending grid it keeps the slots whose value is at least g, and
// the slots whose value is exactly g. A bound that falls on the grid becomes one bitmap
// operation; a bound between grid values narrows to the nearest grid values, and the caller
// checks the slots in between one by one. Grids are round numbers (1,000 / 2,500 / 5,000
// followers, 1% engagement, 10% audience share), the values people type.
//
// Not thread-safe: CreatorIndex locks around it.
#pragma once

#include <cstdint>
#include <optional>
#include <roaring/roaring.hh>
#include <vector>

namespace seedcast::search {

class RangeBitmaps {
 public:
  RangeBitmaps() = default;
  explicit RangeBitmaps(std::vector<uint32_t> grid);

  const std::vector<uint32_t>& grid() const { return grid_; }
  // Whether the column can be unknown: its grid starts at 0, and only known values are added, so
  // AtLeast(0) is the set of slots with a known value.
  bool tracks_known() const { return !grid_.empty() && grid_.front() == 0; }
  const Roaring& AtLeast(size_t i) const { return at_least_[i]; }
  const Roaring& Equal(size_t i) const { return equal_[i]; }

  // The index of the largest grid value <= v, and of the smallest grid value >= v.
  std::optional<size_t> Floor(uint32_t v) const;
  std::optional<size_t> Ceil(uint32_t v) const;

  void Add(uint32_t slot, uint32_t value);
  void Remove(uint32_t slot, uint32_t value);

  // Rebuilding from scratch: Clear(), then Append() each slot's value in ascending slot order
  // (buffered, added a container's worth at a time), then Finish().
  void Clear();
  void Append(uint32_t slot, uint32_t value);
  void Finish();
  // Adds the slots of `other`, a set over the same grid built from other slots.
  void Absorb(const RangeBitmaps& other);

  int64_t Bytes() const;

 private:
  std::vector<uint32_t> grid_;
  std::vector<Roaring> at_least_, equal_;
  std::vector<std::vector<uint32_t>> pending_at_least_, pending_equal_;  // while rebuilding
};

// The slots a set of bitmap conditions leaves: the intersection of `include`, minus each
// `exclude.out` except the slots in `exclude.keep`. Starts from `base` when nothing is included.
struct BitmapPlan {
  struct Exclusion {
    const Roaring* out;
    const Roaring* keep;  // may be null
  };
  std::vector<const Roaring*> include;
  std::vector<Exclusion> exclude;
  bool exact = true;  // false: some condition was only narrowed, slots must still be checked

  // Adds lo <= value <= hi on `ranges` (column units). `lo` of nullopt is no lower bound, `hi`
  // of nullopt no upper bound.
  void AddRange(const RangeBitmaps& ranges, std::optional<uint32_t> lo, std::optional<uint32_t> hi);
  bool empty() const { return include.empty() && exclude.empty(); }
  Roaring Apply(const Roaring& base) const;
};

}  // namespace seedcast::search

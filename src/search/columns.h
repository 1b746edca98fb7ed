// The search index's storage, shared by the files of the query path (index.cc, filters.cc,
// gather.cc, explain.cc); not part of the search library's interface. Accounts live in slots: one
// row of packed fields per slot, further columns by slot, bitmaps of slots per categorical value,
// and range bitmaps over the numeric columns and audience shares.
//
// Not thread-safe by itself: CreatorIndex guards it with its lock.
#pragma once

#include <absl/container/flat_hash_map.h>

#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <roaring/roaring.hh>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/tiers.h"
#include "search/index.h"
#include "search/range_bitmaps.h"

namespace seedcast::search::internal {

constexpr uint32_t kNoValue32 = std::numeric_limits<uint32_t>::max();
constexpr uint16_t kNoValue16 = std::numeric_limits<uint16_t>::max();
constexpr uint32_t kNoSlot = std::numeric_limits<uint32_t>::max();

// Fractions are kept as integers (search/units.h). Bounds convert so that `stored >= bound` holds
// exactly when `value >= bound` does, for values with at most that many decimals.
inline int64_t MinBound(double f, double scale) {
  return static_cast<int64_t>(std::ceil(f * scale - 1e-6));
}
inline int64_t MaxBound(double f, double scale) {
  return static_cast<int64_t>(std::floor(f * scale + 1e-6));
}

// Strings <-> small codes, for the categorical columns.
class Dictionary {
 public:
  uint16_t Code(const std::string& name) {
    auto [it, inserted] = codes_.try_emplace(name, static_cast<uint16_t>(names_.size()));
    if (inserted) names_.push_back(name);
    return it->second;
  }
  std::optional<uint16_t> Find(const std::string& name) const {
    auto it = codes_.find(name);
    return it == codes_.end() ? std::nullopt : std::optional<uint16_t>(it->second);
  }
  const std::string& Name(uint16_t code) const { return names_[code]; }
  size_t size() const { return names_.size(); }

 private:
  std::vector<std::string> names_;
  absl::flat_hash_map<std::string, uint16_t> codes_;
};

// Bit i set for niche i of model::kDefaultNiches, the one layout (other names are ignored).
uint32_t NicheBits(const std::vector<std::string>& niches);

// The position of a tier in the scheme (its bitmap and column code).
uint8_t TierCode(const model::TierScheme& scheme, const std::string& name);

struct AudienceShare {
  uint16_t code = 0;   // country dictionary code
  uint16_t share = 0;  // basis points
};

// The grids of the range bitmaps, in column units: round numbers, the bounds people type. A column
// that can be unknown starts at 0, so its first bitmap is "known".
// Followers and engagement, the two sort keys, have finer grids: top-k by either ranks only the
// slots above the tightest grid value that still leaves k (see Filters::TopCandidates).
const std::vector<uint32_t>& FollowerGrid();
const std::vector<uint32_t>& EngagementGrid();    // millionths
const std::vector<uint32_t>& QualityGrid();       // basis points
const std::vector<uint32_t>& RateGrid();          // cents
const std::vector<uint32_t>& CountryShareGrid();  // basis points; coarser: many countries
const std::vector<uint32_t>& ShareGrid();         // basis points, for audience shares

// Bookings by creator.
using BookingMap = std::unordered_map<int64_t, std::vector<Booking>>;

// Range bitmaps over the numeric columns and the audience shares: a filtered query whose bounds
// fall on the grids is answered with bitmap operations alone (no slot is read), and top-k by
// followers or engagement reads only the slots above a threshold.
struct RangeIndex {
  RangeBitmaps followers{FollowerGrid()}, engagement{EngagementGrid()}, quality{QualityGrid()},
      rate{RateGrid()};
  std::array<RangeBitmaps, 3> genders;  // female, male, other
  std::vector<RangeBitmaps> ages;       // by model::AgeBands()
  std::vector<RangeBitmaps> countries;  // by country code
  // False after a bulk load until Rebuild: the bitmaps are then not used, nor kept current.
  bool ready = true;

  RangeIndex() : ages(model::AgeBands().size(), RangeBitmaps(ShareGrid())) {
    genders.fill(RangeBitmaps(ShareGrid()));
  }
  RangeBitmaps& Country(uint16_t code) {
    while (countries.size() <= code) countries.emplace_back(CountryShareGrid());
    return countries[code];
  }
  // Calls f on every range bitmap set of `self` (a RangeIndex, const or not).
  template <typename Self, typename F>
  static void ForEach(Self& self, const F& f) {
    for (auto* r : {&self.followers, &self.engagement, &self.quality, &self.rate}) f(*r);
    for (auto& r : self.genders) f(r);
    for (auto& r : self.ages) f(r);
    for (auto& r : self.countries) f(r);
  }
  int64_t Bytes() const {
    int64_t b = 0;
    ForEach(*this, [&b](const RangeBitmaps& r) { b += r.Bytes(); });
    return b;
  }
};

struct Columns {
  // By slot.
  std::vector<int64_t> account_id;
  std::vector<int64_t> creator_id;
  // The fields every filtered query reads (ranking and facets), packed in one 16-byte row so a
  // slot costs one cache line, not one per column.
  struct Row {
    uint32_t followers = 0;
    uint32_t er_micro = kNoValue32;  // kNoValue32 when unknown
    uint32_t niches = 0;             // bit i: taxonomy niche i
    uint16_t country = 0;
    uint8_t platform = 0;
    uint8_t tier = 0;
  };
  static_assert(sizeof(Row) == 16);
  std::vector<Row> rows;
  std::vector<uint16_t> quality;     // basis points; kNoValue16 when unknown
  std::vector<uint32_t> rate_cents;  // kNoValue32 when unknown
  std::vector<uint16_t> language;
  std::vector<std::array<uint16_t, 3>> genders;  // female, male, other; basis points
  std::vector<std::array<uint16_t, 6>> ages;     // basis points, by model::AgeBands()
  std::vector<uint32_t> audience_at;             // into audience_pool
  std::vector<uint8_t> audience_count;
  std::vector<AudienceShare> audience_pool;
  std::vector<uint32_t> handle_at;  // into handle_pool, NUL-terminated
  std::string handle_pool;
  // Lookups.
  std::vector<uint32_t> slot_by_id;    // account id -> slot (kNoSlot when none)
  std::vector<uint32_t> handle_table;  // open addressing: slot + 1, 0 = empty
  size_t handle_entries = 0;           // non-empty places in handle_table
  Roaring live;
  std::vector<Roaring> by_platform, by_tier, by_country, by_language, by_niche;
  Dictionary platforms, countries, languages;
  RangeIndex ranges;

  uint32_t size() const { return static_cast<uint32_t>(account_id.size()); }
  // The slot of an account (removed ones keep theirs), and the live slots with a handle.
  std::optional<uint32_t> SlotOf(int64_t id) const;
  std::vector<uint32_t> SlotsByHandle(std::string_view handle) const;
  std::string_view Handle(uint32_t slot) const { return handle_pool.c_str() + handle_at[slot]; }

  static uint64_t HashHandle(std::string_view h) { return std::hash<std::string_view>{}(h); }
  // Entries stay when an account is removed (its id keeps the slot) or renamed (lookups compare
  // the slot's current handle, so the old entry no longer matches). The table is at most half full.
  void InsertHandle(uint32_t slot) {
    ReserveHandles(handle_entries + 1);
    PlaceHandle(slot);
  }
  void ReserveHandles(size_t entries) {
    if (entries * 2 <= handle_table.size()) return;
    std::vector<uint32_t> old = std::move(handle_table);
    handle_table.assign(std::max<size_t>(1024, std::bit_ceil(entries * 2)), 0);
    handle_entries = 0;
    for (uint32_t s : old) {
      if (s != 0) PlaceHandle(s - 1);
    }
  }
  void PlaceHandle(uint32_t slot) {
    const size_t mask = handle_table.size() - 1;
    for (size_t i = HashHandle(Handle(slot)) & mask;; i = (i + 1) & mask) {
      if (handle_table[i] == slot + 1) return;
      if (handle_table[i] == 0) {
        handle_table[i] = slot + 1;
        ++handle_entries;
        return;
      }
    }
  }

  Roaring& Bitmap(std::vector<Roaring>& maps, size_t code) {
    if (maps.size() <= code) maps.resize(code + 1);
    return maps[code];
  }
  void Unlink(uint32_t slot) {
    by_platform[rows[slot].platform].remove(slot);
    by_tier[rows[slot].tier].remove(slot);
    by_country[rows[slot].country].remove(slot);
    by_language[language[slot]].remove(slot);
    for (uint32_t bits = rows[slot].niches; bits != 0; bits &= bits - 1) {
      by_niche[static_cast<size_t>(__builtin_ctz(bits))].remove(slot);
    }
    live.remove(slot);
    if (ranges.ready)
      EachRangeValue(slot, ranges, [slot](RangeBitmaps& r, uint32_t v) { r.Remove(slot, v); });
  }
  void Link(uint32_t slot) {
    Bitmap(by_platform, rows[slot].platform).add(slot);
    Bitmap(by_tier, rows[slot].tier).add(slot);
    Bitmap(by_country, rows[slot].country).add(slot);
    Bitmap(by_language, language[slot]).add(slot);
    for (uint32_t bits = rows[slot].niches; bits != 0; bits &= bits - 1) {
      Bitmap(by_niche, static_cast<size_t>(__builtin_ctz(bits))).add(slot);
    }
    live.add(slot);
    if (ranges.ready) {
      EachRangeValue(slot, ranges, [slot](RangeBitmaps& r, uint32_t v) { r.Add(slot, v); });
    }
  }
  // Calls f(its range bitmaps in `into`, value) for each value of `slot` a range index holds.
  template <typename F>
  void EachRangeValue(uint32_t slot, RangeIndex& into, const F& f) {
    const Row& row = rows[slot];
    f(into.followers, row.followers);
    if (row.er_micro != kNoValue32) f(into.engagement, row.er_micro);
    if (quality[slot] != kNoValue16) f(into.quality, quality[slot]);
    if (rate_cents[slot] != kNoValue32) f(into.rate, rate_cents[slot]);
    for (size_t g = 0; g < 3; ++g) f(into.genders[g], genders[slot][g]);
    for (size_t a = 0; a < into.ages.size(); ++a) f(into.ages[a], ages[slot][a]);
    const AudienceShare* shares = audience_pool.data() + audience_at[slot];
    for (uint8_t i = 0; i < audience_count[slot]; ++i) {
      f(into.Country(shares[i].code), shares[i].share);
    }
  }
  // Rebuilds every range bitmap from the columns. Each of `threads` threads (at load time) fills a
  // range index of its own from a band of slots (bands start on roaring container boundaries, so
  // the parts never share a container); the parts are then merged.
  void RebuildRanges(int threads);
  uint16_t AudienceShareOf(uint32_t slot, uint16_t country_code) const {
    const AudienceShare* a = audience_pool.data() + audience_at[slot];
    for (uint8_t i = 0; i < audience_count[slot]; ++i) {
      if (a[i].code == country_code) return a[i].share;
    }
    return 0;
  }
  uint16_t GenderShare(uint32_t slot, const std::string& g) const {
    return genders[slot][g == "female" ? 0 : g == "male" ? 1 : 2];
  }
  uint16_t AgeShare(uint32_t slot, const std::string& band) const {
    const auto& bands = model::AgeBands();
    size_t i = static_cast<size_t>(std::find(bands.begin(), bands.end(), band) - bands.begin());
    return i < bands.size() ? ages[slot][i] : 0;
  }

  int64_t Bytes() const;
};

}  // namespace seedcast::search::internal

#include "search/columns.h"

#include <algorithm>
#include <thread>

#include "model/niches.h"

namespace seedcast::search::internal {

uint32_t NicheBits(const std::vector<std::string>& niches) {
  const auto& all = model::kDefaultNiches;
  uint32_t mask = 0;
  for (const std::string& n : niches) {
    auto it = std::find(all.begin(), all.end(), n);
    if (it != all.end()) mask |= 1U << (it - all.begin());
  }
  return mask;
}

uint8_t TierCode(const model::TierScheme& scheme, const std::string& name) {
  const auto& tiers = scheme.tiers();
  return static_cast<uint8_t>(
      std::find_if(tiers.begin(), tiers.end(),
                   [&name](const model::Tier& t) { return t.name == name; }) -
      tiers.begin());
}

const std::vector<uint32_t>& FollowerGrid() {
  static const std::vector<uint32_t> grid = [] {
    std::vector<uint32_t> g;
    for (uint32_t decade = 1'000; decade <= 10'000'000; decade *= 10) {
      for (uint32_t tenths : {10, 15, 20, 25, 30, 40, 50, 60, 75, 80}) {
        if (decade * tenths / 10 <= 100'000'000) g.push_back(decade * tenths / 10);
      }
    }
    return g;
  }();
  return grid;
}
const std::vector<uint32_t>& EngagementGrid() {  // millionths
  static const std::vector<uint32_t> grid = {0,       2'500,   5'000,   7'500,   10'000, 12'500,
                                             15'000,  17'500,  20'000,  25'000,  30'000, 35'000,
                                             40'000,  45'000,  50'000,  60'000,  70'000, 80'000,
                                             100'000, 120'000, 150'000, 200'000, 300'000};
  return grid;
}
const std::vector<uint32_t>& QualityGrid() {  // basis points
  static const std::vector<uint32_t> grid = {0,     1'000, 2'000, 3'000, 4'000, 5'000, 5'500, 6'000,
                                             6'500, 7'000, 7'500, 8'000, 8'500, 9'000, 9'500};
  return grid;
}
const std::vector<uint32_t>& RateGrid() {  // cents
  static const std::vector<uint32_t> grid = {0,       1'000,   2'000,   2'500,    5'000,
                                             10'000,  20'000,  25'000,  50'000,   100'000,
                                             200'000, 250'000, 500'000, 1'000'000};
  return grid;
}
const std::vector<uint32_t>& CountryShareGrid() {  // basis points; coarser: many countries
  static const std::vector<uint32_t> grid = {1'000, 2'000, 3'000, 4'000, 5'000, 7'500};
  return grid;
}
const std::vector<uint32_t>& ShareGrid() {  // basis points, for audience shares
  static const std::vector<uint32_t> grid = {1'000, 2'000, 2'500, 3'000, 4'000, 5'000,
                                             6'000, 7'000, 7'500, 8'000, 9'000};
  return grid;
}

void Columns::RebuildRanges(int threads) {
  const uint32_t n = size();
  const bool all_live = live.cardinality() == n;  // the usual case right after a load
  const auto parts = static_cast<uint32_t>(std::max(1, threads));
  const uint32_t band = ((n / parts) | 0xFFFFU) + 1;  // a multiple of 65,536
  std::vector<RangeIndex> built(parts);
  auto fill = [&](uint32_t part) {
    RangeIndex& into = built[part];
    if (countries.size() > 0) into.Country(static_cast<uint16_t>(countries.size() - 1));
    RangeIndex::ForEach(into, [](RangeBitmaps& r) { r.Clear(); });
    const uint64_t end = std::min<uint64_t>(n, uint64_t{band} * (part + 1));
    for (uint64_t s = uint64_t{band} * part; s < end; ++s) {
      const auto slot = static_cast<uint32_t>(s);
      if (!all_live && !live.contains(slot)) continue;
      EachRangeValue(slot, into, [slot](RangeBitmaps& r, uint32_t v) { r.Append(slot, v); });
    }
    RangeIndex::ForEach(into, [](RangeBitmaps& r) { r.Finish(); });
  };
  std::vector<std::thread> pool;
  for (uint32_t part = 1; part < parts; ++part) pool.emplace_back(fill, part);
  fill(0);
  for (std::thread& t : pool) t.join();
  for (const RangeIndex& part : built) {  // the same sets in every part, in the same order
    if (!part.countries.empty()) built[0].Country(static_cast<uint16_t>(part.countries.size() - 1));
  }
  std::vector<RangeBitmaps*> merged;
  RangeIndex::ForEach(built[0], [&merged](RangeBitmaps& r) { merged.push_back(&r); });
  for (uint32_t part = 1; part < parts; ++part) {
    size_t i = 0;
    RangeIndex::ForEach(built[part], [&](const RangeBitmaps& r) { merged[i++]->Absorb(r); });
  }
  ranges = std::move(built[0]);
  ranges.ready = true;
}

int64_t Columns::Bytes() const {
  auto cap = [](const auto& v) {
    return static_cast<int64_t>(v.capacity() *
                                sizeof(typename std::decay_t<decltype(v)>::value_type));
  };
  int64_t b = cap(account_id) + cap(creator_id) + cap(rows) + cap(quality) + cap(rate_cents) +
              cap(language) + cap(genders) + cap(ages) + cap(audience_at) + cap(audience_count) +
              cap(audience_pool) + cap(handle_at) + static_cast<int64_t>(handle_pool.capacity()) +
              cap(slot_by_id) + cap(handle_table);
  b += static_cast<int64_t>(live.getSizeInBytes()) + ranges.Bytes();
  for (const auto* maps : {&by_platform, &by_tier, &by_country, &by_language, &by_niche}) {
    for (const Roaring& r : *maps) b += static_cast<int64_t>(r.getSizeInBytes());
  }
  return b;
}

std::optional<uint32_t> Columns::SlotOf(int64_t id) const {
  const Columns& c = *this;
  if (id < 0 || static_cast<uint64_t>(id) >= c.slot_by_id.size()) return std::nullopt;
  uint32_t slot = c.slot_by_id[static_cast<size_t>(id)];
  return slot == kNoSlot ? std::nullopt : std::optional<uint32_t>(slot);
}

std::vector<uint32_t> Columns::SlotsByHandle(std::string_view handle) const {
  const Columns& c = *this;
  std::vector<uint32_t> out;
  if (c.handle_table.empty()) return out;
  const size_t mask = c.handle_table.size() - 1;
  for (size_t i = Columns::HashHandle(handle) & mask; c.handle_table[i] != 0; i = (i + 1) & mask) {
    const uint32_t slot = c.handle_table[i] - 1;
    if (c.live.contains(slot) && c.Handle(slot) == handle) out.push_back(slot);
  }
  return out;
}

}  // namespace seedcast::search::internal

#include "search/index.h"

#include <absl/container/flat_hash_map.h>
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <chrono>
#include <cmath>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <roaring/roaring.hh>
#include <thread>

#include "model/benchmarks.h"
#include "model/niches.h"
#include "search/lookalike.h"
#include "search/range_bitmaps.h"
#include "search/text_index.h"
#include "search/units.h"

namespace seedcast::search {
namespace {

constexpr uint32_t kNoValue32 = std::numeric_limits<uint32_t>::max();
constexpr uint16_t kNoValue16 = std::numeric_limits<uint16_t>::max();
constexpr uint32_t kNoSlot = std::numeric_limits<uint32_t>::max();

// Fractions are kept as integers (search/units.h). Bounds convert so that `stored >= bound` holds
// exactly when `value >= bound` does, for values with at most that many decimals.
int64_t MinBound(double f, double scale) {
  return static_cast<int64_t>(std::ceil(f * scale - 1e-6));
}
int64_t MaxBound(double f, double scale) {
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
uint32_t NicheBits(const std::vector<std::string>& niches) {
  const auto& all = model::kDefaultNiches;
  uint32_t mask = 0;
  for (const std::string& n : niches) {
    auto it = std::find(all.begin(), all.end(), n);
    if (it != all.end()) mask |= 1U << (it - all.begin());
  }
  return mask;
}

// The position of a tier in the scheme (its bitmap and column code).
uint8_t TierCode(const model::TierScheme& scheme, const std::string& name) {
  const auto& tiers = scheme.tiers();
  return static_cast<uint8_t>(
      std::find_if(tiers.begin(), tiers.end(),
                   [&name](const model::Tier& t) { return t.name == name; }) -
      tiers.begin());
}

struct AudienceShare {
  uint16_t code = 0;   // country dictionary code
  uint16_t share = 0;  // basis points
};

std::string Percent(double f) { return fmt::format("{:.1f}%", f * 100); }
std::string Percent(uint32_t basis) { return Percent(basis / 1e4); }
std::string Thousands(int64_t n) {
  std::string digits = std::to_string(n);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) {
    digits.insert(static_cast<size_t>(i), ",");
  }
  return digits;
}
std::string Dollars(int64_t cents) {
  return fmt::format("${:.2f}", static_cast<double>(cents) / 100);
}

// The grids of the range bitmaps, in column units: round numbers, the bounds people type. A column
// that can be unknown starts at 0, so its first bitmap is "known".
// Followers and engagement, the two sort keys, have finer grids: top-k by either ranks only the
// slots above the tightest grid value that still leaves k (see TopCandidates).
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

}  // namespace

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

struct CreatorIndex::Columns {
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
  // Rebuilds every range bitmap from the columns. Each of `threads` threads fills a range index
  // of its own from a band of slots (bands start on roaring container boundaries, so the parts
  // never share a container); the parts are then merged.
  void RebuildRanges(int threads) {
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
      if (!part.countries.empty())
        built[0].Country(static_cast<uint16_t>(part.countries.size() - 1));
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

  int64_t Bytes() const {
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
};

CreatorIndex::CreatorIndex(IndexOptions options)
    : options_(std::move(options)),
      columns_(std::make_unique<Columns>()),
      text_(std::make_unique<TextIndex>()),
      lookalike_(options_.lookalikes ? std::make_unique<LookalikeIndex>() : nullptr) {}

CreatorIndex::~CreatorIndex() = default;

std::optional<uint32_t> CreatorIndex::SlotOf(int64_t account_id) const {
  const Columns& c = *columns_;
  if (account_id < 0 || static_cast<uint64_t>(account_id) >= c.slot_by_id.size())
    return std::nullopt;
  uint32_t slot = c.slot_by_id[static_cast<size_t>(account_id)];
  return slot == kNoSlot ? std::nullopt : std::optional<uint32_t>(slot);
}

std::vector<uint32_t> CreatorIndex::SlotsByHandle(std::string_view handle) const {
  const Columns& c = *columns_;
  std::vector<uint32_t> out;
  if (c.handle_table.empty()) return out;
  const size_t mask = c.handle_table.size() - 1;
  for (size_t i = Columns::HashHandle(handle) & mask; c.handle_table[i] != 0; i = (i + 1) & mask) {
    const uint32_t slot = c.handle_table[i] - 1;
    if (c.live.contains(slot) && c.Handle(slot) == handle) out.push_back(slot);
  }
  return out;
}

CreatorIndex::Prepared CreatorIndex::Prepare(const AccountDoc& doc) const {
  Prepared p{.niches = NicheBits(doc.niches)};
  if (lookalike_) p.profile = MakeLookalikeProfile(p.niches, doc.audience, HashtagBits(doc.terms));
  return p;
}

void CreatorIndex::Upsert(const AccountDoc& doc) {
  const Prepared prepared = Prepare(doc);
  std::unique_lock lock(mu_);
  UpsertLocked(doc, prepared);
}

void CreatorIndex::UpsertBatch(std::span<const AccountDoc> docs) {
  std::vector<Prepared> prepared;
  prepared.reserve(docs.size());
  for (const AccountDoc& doc : docs) prepared.push_back(Prepare(doc));
  std::unique_lock lock(mu_);
  columns_->ranges.ready = false;  // RebuildRangeBitmaps builds them once, after the load
  for (size_t i = 0; i < docs.size(); ++i) UpsertLocked(docs[i], prepared[i]);
}

void CreatorIndex::UpsertLocked(const AccountDoc& doc, const Prepared& prepared) {
  Columns& c = *columns_;
  std::optional<uint32_t> existing = SlotOf(doc.account_id);
  uint32_t slot = 0;
  if (existing) {
    slot = *existing;
    if (c.live.contains(slot)) c.Unlink(slot);
  } else {
    slot = c.size();
    c.account_id.push_back(doc.account_id);
    c.creator_id.push_back(0);
    c.rows.emplace_back();
    c.quality.push_back(kNoValue16);
    c.rate_cents.push_back(kNoValue32);
    c.language.push_back(0);
    c.genders.push_back({});
    c.ages.push_back({});
    c.audience_at.push_back(0);
    c.audience_count.push_back(0);
    c.handle_at.push_back(0);
    if (c.slot_by_id.size() <= static_cast<size_t>(doc.account_id)) {
      c.slot_by_id.resize(
          std::max(static_cast<size_t>(doc.account_id) + 1, c.slot_by_id.size() * 3 / 2), kNoSlot);
    }
    c.slot_by_id[static_cast<size_t>(doc.account_id)] = slot;
  }
  if (!existing || c.Handle(slot) != doc.handle) {  // new, or renamed
    c.handle_at[slot] = static_cast<uint32_t>(c.handle_pool.size());
    c.handle_pool.append(doc.handle);
    c.handle_pool.push_back('\0');
    c.InsertHandle(slot);
  }
  c.creator_id[slot] = doc.creator_id;
  c.rows[slot].followers =
      static_cast<uint32_t>(std::clamp<int64_t>(doc.followers, 0, kNoValue32 - 1));
  c.rows[slot].er_micro = doc.engagement_rate ? Micro(*doc.engagement_rate) : kNoValue32;
  c.quality[slot] = doc.quality_score ? Basis(*doc.quality_score) : kNoValue16;
  c.rate_cents[slot] =
      doc.rate_cents
          ? static_cast<uint32_t>(std::clamp<int64_t>(*doc.rate_cents, 0, kNoValue32 - 1))
          : kNoValue32;
  c.rows[slot].platform = static_cast<uint8_t>(c.platforms.Code(doc.platform));
  c.rows[slot].tier = TierCode(options_.tiers, options_.tiers.TierFor(doc.followers));
  c.rows[slot].country = c.countries.Code(doc.country);
  c.language[slot] = c.languages.Code(doc.language);
  c.rows[slot].niches = prepared.niches;
  const auto& a = doc.audience;
  c.genders[slot] = {};
  PlaceShares(a.genders, std::array<std::string_view, 3>{"female", "male", "other"},
              c.genders[slot].data());
  c.ages[slot] = {};
  PlaceShares(a.ages, model::AgeBands(), c.ages[slot].data());
  c.audience_at[slot] = static_cast<uint32_t>(c.audience_pool.size());
  c.audience_count[slot] = static_cast<uint8_t>(std::min<size_t>(a.countries.size(), 255));
  size_t n = 0;
  for (const auto& [code, share] : a.countries) {
    if (n++ == 255) break;
    c.audience_pool.push_back({c.countries.Code(code), Basis(share)});
  }
  c.Link(slot);
  text_->Set(slot, doc.terms);
  if (lookalike_) lookalike_->Set(slot, *prepared.profile);
}

std::optional<int64_t> CreatorIndex::Remove(int64_t account_id) {
  std::unique_lock lock(mu_);
  std::optional<uint32_t> slot = SlotOf(account_id);
  if (!slot || !columns_->live.contains(*slot)) return std::nullopt;
  columns_->Unlink(*slot);
  text_->Remove(*slot);
  if (lookalike_) lookalike_->Remove(*slot);
  return columns_->creator_id[*slot];
}

void CreatorIndex::SetBookings(int64_t creator_id, std::vector<Booking> bookings) {
  std::unique_lock lock(mu_);
  if (bookings.empty()) {
    bookings_.erase(creator_id);
  } else {
    bookings_[creator_id] = std::move(bookings);
  }
}

void CreatorIndex::Reserve(size_t accounts, int64_t max_account_id) {
  std::unique_lock lock(mu_);
  Columns& c = *columns_;
  c.account_id.reserve(accounts);
  c.creator_id.reserve(accounts);
  c.rows.reserve(accounts);
  c.quality.reserve(accounts);
  c.rate_cents.reserve(accounts);
  c.language.reserve(accounts);
  c.genders.reserve(accounts);
  c.ages.reserve(accounts);
  c.audience_at.reserve(accounts);
  c.audience_count.reserve(accounts);
  c.handle_at.reserve(accounts);
  c.ReserveHandles(accounts);
  if (max_account_id >= 0 && c.slot_by_id.size() <= static_cast<size_t>(max_account_id)) {
    c.slot_by_id.resize(static_cast<size_t>(max_account_id) + 1, kNoSlot);
  }
  if (lookalike_) lookalike_->Reserve(accounts);
}

void CreatorIndex::ShrinkToFit() {
  std::unique_lock lock(mu_);
  Columns& c = *columns_;
  for (auto* v : {&c.account_id, &c.creator_id}) v->shrink_to_fit();
  for (auto* v : {&c.rate_cents, &c.audience_at, &c.handle_at, &c.slot_by_id}) v->shrink_to_fit();
  for (auto* v : {&c.language, &c.quality}) v->shrink_to_fit();
  c.rows.shrink_to_fit();
  c.audience_count.shrink_to_fit();
  c.genders.shrink_to_fit();
  c.ages.shrink_to_fit();
  c.audience_pool.shrink_to_fit();
  c.handle_pool.shrink_to_fit();
  c.live.runOptimize();
  for (auto* maps : {&c.by_platform, &c.by_tier, &c.by_country, &c.by_language, &c.by_niche}) {
    for (Roaring& r : *maps) r.runOptimize();
  }
  text_->ShrinkToFit();
}

void CreatorIndex::RebuildRangeBitmaps(int threads) {
  std::unique_lock lock(mu_);
  columns_->RebuildRanges(threads);
}

void CreatorIndex::BuildLookalikeGraph(int threads) {
  std::unique_lock lock(mu_);
  if (lookalike_) lookalike_->BuildGraph(threads);
}

int64_t CreatorIndex::size() const {
  std::shared_lock lock(mu_);
  return static_cast<int64_t>(columns_->live.cardinality());
}

MemoryReport CreatorIndex::Memory() const {
  std::shared_lock lock(mu_);
  return {static_cast<int64_t>(columns_->live.cardinality()), columns_->Bytes(),
          text_->MemoryBytes(), lookalike_ ? lookalike_->MemoryBytes() : 0};
}

std::vector<int64_t> CreatorIndex::ExactLookalikes(int64_t account_id, int k) const {
  std::shared_lock lock(mu_);
  std::vector<int64_t> out;
  auto slot = SlotOf(account_id);
  if (!lookalike_ || !slot || lookalike_->Get(*slot) == nullptr) return out;
  const uint32_t self = *slot;
  for (const auto& [s, sim] : lookalike_->Exact(*lookalike_->Get(self), static_cast<size_t>(k),
                                                [self](uint32_t x) { return x != self; })) {
    out.push_back(columns_->account_id[s]);
  }
  return out;
}

std::vector<int64_t> CreatorIndex::ApproximateLookalikes(int64_t account_id, int k) const {
  std::shared_lock lock(mu_);
  std::vector<int64_t> out;
  auto slot = SlotOf(account_id);
  if (!lookalike_ || !slot || lookalike_->Get(*slot) == nullptr) return out;
  for (const auto& [s, sim] :
       lookalike_->Approximate(*lookalike_->Get(*slot), static_cast<size_t>(k) + 1)) {
    if (s != *slot && out.size() < static_cast<size_t>(k)) out.push_back(columns_->account_id[s]);
  }
  return out;
}

std::optional<float> CreatorIndex::LookalikeSimilarity(int64_t a, int64_t b) const {
  std::shared_lock lock(mu_);
  auto slot_a = SlotOf(a);
  auto slot_b = SlotOf(b);
  if (!lookalike_ || !slot_a || !slot_b) return std::nullopt;
  const LookalikeProfile* pa = lookalike_->Get(*slot_a);
  const LookalikeProfile* pb = lookalike_->Get(*slot_b);
  if (pa == nullptr || pb == nullptr) return std::nullopt;
  return Similarity(*pa, *pb);
}

// Runs one query against the columns. Lives only for the query, under the shared lock.
struct CreatorIndex::Executor {
  const CreatorIndex& index;
  const Columns& c;
  const Query& q;
  // Bounds, in the columns' units.
  int64_t followers_min = 0, followers_max = std::numeric_limits<int64_t>::max();
  int64_t er_min = -1, er_max = std::numeric_limits<int64_t>::max();
  int64_t quality_min = -1;
  int64_t rate_min = -1, rate_max = std::numeric_limits<int64_t>::max();
  struct AudienceBound {
    const AudienceMin* spec;
    int64_t min_basis;
    uint16_t country_code;  // for country bounds; kNoValue16 when the country is unknown here
  };
  std::vector<AudienceBound> audience;
  uint32_t niche_mask = 0;  // the requested niches
  // Set by Candidates: every slot of the candidates passes the filters (no Passes() needed).
  bool exact = false;

  Executor(const CreatorIndex& i, const Query& query) : index(i), c(*i.columns_), q(query) {
    if (q.followers.min) followers_min = MinBound(*q.followers.min, 1);
    if (q.followers.max) followers_max = MaxBound(*q.followers.max, 1);
    if (q.engagement_rate.min) er_min = MinBound(*q.engagement_rate.min, 1e6);
    if (q.engagement_rate.max) er_max = MaxBound(*q.engagement_rate.max, 1e6);
    if (q.quality_min) quality_min = MinBound(*q.quality_min, 1e4);
    if (q.rate_cents.min) rate_min = MinBound(*q.rate_cents.min, 1);
    if (q.rate_cents.max) rate_max = MaxBound(*q.rate_cents.max, 1);
    niche_mask = NicheBits(q.niches);
    for (const AudienceMin& a : q.audience) {
      uint16_t code = kNoValue16;
      if (a.kind == AudienceKind::kCountry) code = c.countries.Find(a.key).value_or(kNoValue16);
      audience.push_back({&a, MinBound(a.min, 1e4), code});
    }
  }

  // The categorical filters as one bitmap; nullopt when there are none (every live slot). A
  // follower range also narrows by the tiers it overlaps (tiers are follower bands), so a range
  // query scans only those bands.
  // The result points into the index or to `storage`; null means every live slot.
  const Roaring* Candidates(Roaring* storage) {
    // Each group is one bitmap of the index, or the union of several (owned).
    std::vector<const Roaring*> groups;
    std::vector<std::unique_ptr<Roaring>> owned;
    static const Roaring kEmpty;
    auto any_of_codes = [&](const std::vector<Roaring>& maps, const std::vector<uint16_t>& codes) {
      std::vector<const Roaring*> parts;
      for (uint16_t code : codes) {
        if (code < maps.size()) parts.push_back(&maps[code]);
      }
      std::sort(parts.begin(), parts.end());
      parts.erase(std::unique(parts.begin(), parts.end()), parts.end());  // a value named twice
      if (parts.empty()) {
        groups.push_back(&kEmpty);  // a value the index has never seen matches nothing
      } else if (parts.size() == 1) {
        groups.push_back(parts[0]);
      } else {
        owned.push_back(std::make_unique<Roaring>(Roaring::fastunion(parts.size(), parts.data())));
        groups.push_back(owned.back().get());
      }
    };
    auto any_of = [&](const std::vector<Roaring>& maps, const std::vector<std::string>& values,
                      const auto& code_of) {
      if (values.empty()) return;
      std::vector<uint16_t> codes;
      for (const std::string& v : values) {
        if (std::optional<uint16_t> code = code_of(v)) codes.push_back(*code);
      }
      any_of_codes(maps, codes);
    };
    auto in = [](const Dictionary& d) { return [&d](const std::string& v) { return d.Find(v); }; };
    any_of(c.by_platform, q.platforms, in(c.platforms));
    any_of(c.by_country, q.countries, in(c.countries));
    any_of(c.by_language, q.languages, in(c.languages));
    const model::TierScheme& scheme = index.options_.tiers;
    any_of(c.by_tier, q.tiers, [&scheme](const std::string& t) -> std::optional<uint16_t> {
      return TierCode(scheme, t);
    });
    // (The range bitmaps, when built, answer follower ranges themselves.)
    if (!c.ranges.ready &&
        (followers_min > 0 || followers_max != std::numeric_limits<int64_t>::max())) {
      const auto& tiers = scheme.tiers();  // sorted by lower bound
      std::vector<uint16_t> codes;
      for (size_t i = 0; i < tiers.size(); ++i) {
        const int64_t low = tiers[i].min_followers;
        const int64_t high = i + 1 < tiers.size() ? tiers[i + 1].min_followers - 1
                                                  : std::numeric_limits<int64_t>::max();
        if (low <= followers_max && followers_min <= high)
          codes.push_back(static_cast<uint16_t>(i));
      }
      if (codes.size() < tiers.size()) any_of_codes(c.by_tier, codes);
    }
    auto niche_code = [](const std::string& n) -> std::optional<uint16_t> {
      return static_cast<uint16_t>(std::countr_zero(NicheBits({n})));
    };
    if (q.all_niches) {
      for (const std::string& n : q.niches) any_of(c.by_niche, {n}, niche_code);
    } else {
      any_of(c.by_niche, q.niches, niche_code);
    }
    BitmapPlan plan = RangePlan();
    exact = plan.exact;
    if (!plan.empty()) {
      // The categorical groups join the range bitmaps in one intersection, smallest first.
      plan.include.insert(plan.include.end(), groups.begin(), groups.end());
      *storage = plan.Apply(c.live);
      return storage;
    }
    if (groups.empty()) return nullptr;
    std::sort(groups.begin(), groups.end(), [](const Roaring* a, const Roaring* b) {
      return a->cardinality() < b->cardinality();
    });
    if (groups.size() == 1) {
      if (owned.empty()) return groups[0];
      *storage = std::move(*owned.front());
      return storage;
    }
    *storage = *groups[0] & *groups[1];
    for (size_t i = 2; i < groups.size() && !storage->isEmpty(); ++i) *storage &= *groups[i];
    return storage;
  }

  // The range and audience filters as range bitmaps. Not exact when a bound falls between grid
  // values, when availability matters, or when the bitmaps are not built: the slots left must
  // then still pass Passes().
  BitmapPlan RangePlan() const {
    BitmapPlan plan;
    const RangeIndex& r = c.ranges;
    if (!r.ready) {
      plan.exact = false;
      return plan;
    }
    if (q.available && !index.bookings_.empty()) plan.exact = false;
    constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
    // Column-unit bounds. On a column that can be unknown, the filter also requires a known value.
    auto bounds = [&plan](const RangeBitmaps& ranges, int64_t lo, int64_t hi) {
      constexpr int64_t kTop = kNoValue32 - 1;  // the largest stored value
      const bool nullable = ranges.tracks_known();
      std::optional<uint32_t> low, high;
      if (lo > 0 || (nullable && lo == 0)) {
        low = static_cast<uint32_t>(std::min(lo, kTop));
        if (lo > kTop) plan.exact = false;
      } else if (nullable) {
        low = 0;
      }
      if (hi < kTop) {
        high = static_cast<uint32_t>(std::max<int64_t>(hi, 0));
        if (hi < 0) plan.exact = false;
      }
      plan.AddRange(ranges, low, high);
    };
    if (followers_min > 0 || followers_max != kMax)
      bounds(r.followers, followers_min, followers_max);
    if (er_min >= 0 || er_max != kMax) bounds(r.engagement, std::max<int64_t>(er_min, 0), er_max);
    if (quality_min >= 0) bounds(r.quality, quality_min, kMax);
    if (rate_min >= 0 || rate_max != kMax) bounds(r.rate, std::max<int64_t>(rate_min, 0), rate_max);
    static const Roaring kNone;
    const auto& bands = model::AgeBands();
    for (const AudienceBound& a : audience) {
      if (a.min_basis <= 0) continue;
      const RangeBitmaps* shares = nullptr;
      switch (a.spec->kind) {
        case AudienceKind::kCountry:
          if (a.country_code != kNoValue16 && a.country_code < r.countries.size())
            shares = &r.countries[a.country_code];
          break;
        case AudienceKind::kGender:
          shares = &r.genders[a.spec->key == "female" ? 0 : a.spec->key == "male" ? 1 : 2];
          break;
        case AudienceKind::kAge: {
          auto it = std::find(bands.begin(), bands.end(), a.spec->key);
          if (it != bands.end()) shares = &r.ages[static_cast<size_t>(it - bands.begin())];
          break;
        }
      }
      if (shares == nullptr) {
        plan.include.push_back(&kNone);  // no account has a share of it
      } else {
        bounds(*shares, a.min_basis, kMax);
      }
    }
    return plan;
  }

  // The range, audience and availability filters of one slot.
  bool Passes(uint32_t s) const {
    if (c.rows[s].followers < followers_min || c.rows[s].followers > followers_max) return false;
    if (er_min >= 0 || er_max != std::numeric_limits<int64_t>::max()) {
      if (c.rows[s].er_micro == kNoValue32 || c.rows[s].er_micro < er_min ||
          c.rows[s].er_micro > er_max)
        return false;
    }
    if (quality_min >= 0 && (c.quality[s] == kNoValue16 || c.quality[s] < quality_min))
      return false;
    if (rate_min >= 0 || rate_max != std::numeric_limits<int64_t>::max()) {
      if (c.rate_cents[s] == kNoValue32 || c.rate_cents[s] < rate_min || c.rate_cents[s] > rate_max)
        return false;
    }
    for (const AudienceBound& a : audience) {
      if (ShareOf(s, a) < a.min_basis) return false;
    }
    if (q.available && !index.bookings_.empty()) {
      auto it = index.bookings_.find(c.creator_id[s]);
      if (it != index.bookings_.end()) {
        for (const Booking& b : it->second) {
          if (b.from_ms <= q.available->second && q.available->first <= b.to_ms) return false;
        }
      }
    }
    return true;
  }

  int64_t ShareOf(uint32_t s, const AudienceBound& a) const {
    switch (a.spec->kind) {
      case AudienceKind::kCountry:
        return a.country_code == kNoValue16 ? 0 : c.AudienceShareOf(s, a.country_code);
      case AudienceKind::kGender:
        return c.GenderShare(s, a.spec->key);
      case AudienceKind::kAge:
        return c.AgeShare(s, a.spec->key);
    }
    return 0;
  }

  // The slots of `pool` that can be among its first `keep` in the query's order: for followers
  // and engagement, those beyond the tightest grid value that still leaves `keep` of them (ties
  // are on the same side of a grid value, so nothing the full order would rank higher is left
  // out). Other orders need every slot. Points to `pool` or `storage`.
  const Roaring* TopCandidates(const Roaring& pool, size_t keep, Roaring* storage) const {
    const RangeBitmaps* ranges = q.sort == SortBy::kFollowers        ? &c.ranges.followers
                                 : q.sort == SortBy::kEngagementRate ? &c.ranges.engagement
                                                                     : nullptr;
    if (ranges == nullptr || !c.ranges.ready) return &pool;
    const size_t n = ranges->grid().size();
    // Engagement can be unknown: such slots rank last either way, so only known ones can be
    // narrowed to.
    const bool nullable = ranges->tracks_known();
    // Counts fall as the grid value rises: binary search for the highest (descending order) or
    // lowest (ascending) grid value that leaves at least `keep` slots.
    if (!q.ascending) {
      size_t lo = 0, hi = n;  // AtLeast(i) leaves >= keep for every i < lo, < keep from hi on
      while (lo < hi) {
        const size_t mid = (lo + hi) / 2;
        if (pool.and_cardinality(ranges->AtLeast(mid)) >= keep) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      if (lo == 0) return &pool;
      *storage = pool & ranges->AtLeast(lo - 1);
      return storage;
    }
    Roaring known_storage;
    const Roaring* known = &pool;
    if (nullable) {
      known_storage = pool & ranges->AtLeast(0);
      known = &known_storage;
    }
    const uint64_t known_count = known->cardinality();
    // Below AtLeast(i) there are known_count - |known ∩ AtLeast(i)| slots, rising with i.
    size_t lo = nullable ? 1 : 0, hi = n;  // first i leaving >= keep below it, or n
    while (lo < hi) {
      const size_t mid = (lo + hi) / 2;
      if (known_count - known->and_cardinality(ranges->AtLeast(mid)) >= keep) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    if (lo == n) return &pool;
    *storage = *known - ranges->AtLeast(lo);
    return storage;
  }

  struct FitParts {
    double engagement = 0, quality = 0, audience = 0, niche = 0, total = 0;
  };
  FitParts Fit(uint32_t s) const {
    FitParts f;
    const std::string& platform = c.platforms.Name(c.rows[s].platform);
    if (c.rows[s].er_micro != kNoValue32) {
      const double ratio =
          c.rows[s].er_micro / 1e6 / model::EngagementBenchmark(platform, c.rows[s].followers);
      f.engagement = std::min(ratio, 2.0) / 2.0;
    }
    f.quality = c.quality[s] == kNoValue16 ? 0.5 : c.quality[s] / 1e4;
    if (audience.empty()) {
      f.audience = 0.5;
    } else {
      double sum = 0;
      for (const AudienceBound& a : audience) {
        const double want = static_cast<double>(std::max<int64_t>(a.min_basis, 1));
        sum += std::min(1.0, static_cast<double>(ShareOf(s, a)) / (2 * want));
      }
      f.audience = sum / static_cast<double>(audience.size());
    }
    if (q.niches.empty()) {
      f.niche = std::popcount(c.rows[s].niches) > 0 ? 1.0 / std::popcount(c.rows[s].niches) : 0.0;
    } else {
      f.niche = static_cast<double>(std::popcount(c.rows[s].niches & niche_mask)) /
                static_cast<double>(q.niches.size());
    }
    const FitWeights& w = q.weights;
    f.total = w.engagement * f.engagement + w.quality * f.quality + w.audience * f.audience +
              w.niche * f.niche;
    return f;
  }
};

Result<SearchResult> CreatorIndex::Search(const Query& q) const {
  const auto start = std::chrono::steady_clock::now();
  std::shared_lock lock(mu_);
  const Columns& c = *columns_;
  Executor ex(*this, q);
  SearchResult result;

  // Where the relevance scores come from.
  std::vector<QueryWord> words;
  std::vector<TextMatch> text_matches;
  const bool has_text = !q.text.empty();
  if (has_text) {
    thread_local Analyzer analyzer;
    words = analyzer.AnalyzeQuery(q.text);
    if (words.empty()) return InvalidArgument("query field 'text': no words to search for");
    text_matches = text_->Search(words, q.all_words);
  }
  std::optional<uint32_t> target;
  std::string target_handle;
  if (!q.lookalike_handle.empty()) {
    if (!lookalike_)
      return FailedPrecondition("lookalikes_off", "lookalikes are off in this index");
    std::vector<uint32_t> slots = SlotsByHandle(q.lookalike_handle);
    for (uint32_t s : slots) {
      if (!q.lookalike_platform.empty() &&
          c.platforms.Name(c.rows[s].platform) != q.lookalike_platform)
        continue;
      if (!target || c.rows[s].followers > c.rows[*target].followers) target = s;
    }
    if (!target) return NotFound("lookalike: no account @" + q.lookalike_handle + " in the index");
    target_handle =
        "@" + q.lookalike_handle + " (" + c.platforms.Name(c.rows[*target].platform) + ")";
  }

  Roaring candidate_storage;
  const Roaring* candidates = ex.Candidates(&candidate_storage);
  auto accept = [&](uint32_t s) {
    if (candidates ? !candidates->contains(s) : !c.live.contains(s)) return false;
    return ex.exact || ex.Passes(s);
  };

  // Matching slots with their relevance (text score, or lookalike similarity).
  struct Match {
    uint32_t slot;
    float relevance;
    uint32_t words;
  };
  std::vector<Match> matches;
  if (target) {
    const LookalikeProfile& v = *lookalike_->Get(*target);
    const uint32_t self = *target;
    std::unordered_map<uint32_t, const TextMatch*> by_slot;
    for (const TextMatch& m : text_matches) by_slot.emplace(m.slot, &m);
    auto accept_similar = [&](uint32_t s) {
      return s != self && accept(s) && (!has_text || by_slot.count(s) > 0);
    };
    const size_t want = static_cast<size_t>(q.offset) + static_cast<size_t>(q.limit);
    const uint64_t pool = candidates ? candidates->cardinality() : c.live.cardinality();
    std::vector<std::pair<uint32_t, float>> near;
    // A selective filter leaves few accounts: scan them exactly. Otherwise ask the graph for
    // enough neighbours that `want` of them pass the filters.
    const bool exact = !lookalike_->has_graph() || pool <= 50'000 || has_text;
    if (exact) {
      near = lookalike_->Exact(v, want, accept_similar);
      result.notes.push_back("lookalike: exact search");
    } else {
      const double pass =
          std::max(0.001, static_cast<double>(pool) /
                              static_cast<double>(std::max<uint64_t>(1, c.live.cardinality())));
      size_t k = std::min<size_t>(
          static_cast<size_t>(static_cast<double>(want + 1) / pass * 1.5) + 16, 20'000);
      for (const auto& [s, sim] : lookalike_->Approximate(v, k)) {
        if (near.size() < want && accept_similar(s)) near.emplace_back(s, sim);
      }
      result.notes.push_back("lookalike: approximate (HNSW), " + std::to_string(k) +
                             " neighbours checked");
    }
    for (const auto& [s, sim] : near) {
      auto it = by_slot.find(s);
      matches.push_back({s, sim, it == by_slot.end() ? 0U : it->second->words});
    }
    // Lookalike totals count the nearest neighbours returned, not the whole filtered population.
    result.notes.push_back("lookalike: total counts the neighbours found, up to offset + limit");
  } else if (has_text) {
    for (const TextMatch& m : text_matches) {
      if (accept(m.slot)) matches.push_back({m.slot, m.score, m.words});
    }
  }

  // Facets and the top results, gathered in one or more partial scans and merged.
  const bool want_facets = !q.facets.empty();
  const size_t keep = static_cast<size_t>(q.offset) + static_cast<size_t>(q.limit);
  struct Ranked {
    double key;
    uint32_t slot;
    float relevance;
    uint32_t words;
  };
  // The ordering: key descending (ascending with order=asc), then account id ascending.
  auto better = [&](const Ranked& a, const Ranked& b) {
    if (a.key != b.key) return q.ascending ? a.key < b.key : a.key > b.key;
    return c.account_id[a.slot] < c.account_id[b.slot];
  };
  auto sort_key = [&](uint32_t s, float relevance) -> double {
    switch (q.sort) {
      case SortBy::kRelevance:
        return relevance;
      case SortBy::kFollowers:
        return c.rows[s].followers;
      case SortBy::kEngagementRate:
        // Unknown rates rank last in either order.
        return c.rows[s].er_micro == kNoValue32 ? (q.ascending ? 1e18 : -1.0)
                                                : static_cast<double>(c.rows[s].er_micro);
      case SortBy::kFit:
        return ex.Fit(s).total;
    }
    return 0;
  };
  struct Partial {
    int64_t total = 0;
    std::vector<int64_t> tier_counts, niche_counts, country_counts, platform_counts;
    std::vector<Ranked> heap;  // the worst kept result at the front
  };
  auto new_partial = [&] {
    Partial p;
    p.tier_counts.assign(options_.tiers.tiers().size(), 0);
    p.niche_counts.assign(32, 0);
    p.country_counts.assign(c.countries.size(), 0);
    p.platform_counts.assign(c.platforms.size(), 0);
    return p;
  };
  auto keep_best = [&](std::vector<Ranked>& heap, const Ranked& r) {
    if (heap.size() < keep) {
      heap.push_back(r);
      std::push_heap(heap.begin(), heap.end(), better);
    } else if (better(r, heap.front())) {
      std::pop_heap(heap.begin(), heap.end(), better);
      heap.back() = r;
      std::push_heap(heap.begin(), heap.end(), better);
    }
  };
  // Keeps `s` if it belongs among the first `keep` in the query's order.
  auto rank = [&](Partial& p, uint32_t s, float relevance, uint32_t word_bits) {
    if (keep > 0) keep_best(p.heap, Ranked{sort_key(s, relevance), s, relevance, word_bits});
  };
  auto consider = [&](Partial& p, uint32_t s, float relevance, uint32_t word_bits) {
    ++p.total;
    if (want_facets) {
      ++p.tier_counts[c.rows[s].tier];
      ++p.country_counts[c.rows[s].country];
      ++p.platform_counts[c.rows[s].platform];
      for (uint32_t bits = c.rows[s].niches; bits != 0; bits &= bits - 1)
        ++p.niche_counts[static_cast<size_t>(__builtin_ctz(bits))];
    }
    rank(p, s, relevance, word_bits);
  };
  // Rows are read in slot order but far apart in a sparse pool: scans fetch the row this many
  // slots ahead.
  constexpr size_t kPrefetchAhead = 16;
  // What a scan does with each slot of its pool.
  enum class Scan {
    kFilter,  // check the filters; count, facet and rank the slots that pass
    kCount,   // every slot passes: count, facet and rank it
    kRank,    // rank only (the count and facets come from bitmaps)
  };
  // The slots of `pool` in [from, to), read in blocks.
  auto scan = [&](const Roaring& pool, uint32_t from, uint32_t to, Scan mode, Partial& p) {
    roaring_uint32_iterator_t* it = roaring_create_iterator(&pool.roaring);
    std::array<uint32_t, 256> block{};
    if (roaring_move_uint32_iterator_equalorlarger(it, from)) {
      for (;;) {
        const uint32_t n = roaring_read_uint32_iterator(it, block.data(), block.size());
        if (n == 0) break;
        bool done = false;
        for (uint32_t k = 0; k < n; ++k) {
          const uint32_t s = block[k];
          if (s >= to) {
            done = true;
            break;
          }
          if (k + kPrefetchAhead < n) __builtin_prefetch(&c.rows[block[k + kPrefetchAhead]]);
          if (mode == Scan::kRank) {
            rank(p, s, 0, 0);
          } else if (mode == Scan::kCount || ex.Passes(s)) {
            consider(p, s, 0, 0);
          }
        }
        if (done) break;
      }
    }
    roaring_free_uint32_iterator(it);
  };
  // The same over the whole pool, split in two halves on two threads when it is large.
  auto scan_all = [&](const Roaring& pool, Scan mode, Partial& all) {
    const uint64_t count = pool.cardinality();
    // Splitting pays for the second thread only when there is much to scan.
    const bool split = options_.query_threads > 1 && count >= options_.parallel_scan_min;
    if (!split) {
      scan(pool, 0, std::numeric_limits<uint32_t>::max(), mode, all);
      return;
    }
    uint32_t middle = 0;
    pool.select(static_cast<uint32_t>(count / 2), &middle);
    Partial second = new_partial();
    std::thread helper(
        [&] { scan(pool, middle, std::numeric_limits<uint32_t>::max(), mode, second); });
    scan(pool, 0, middle, mode, all);
    helper.join();
    all.total += second.total;
    for (auto [mine, theirs] : {std::pair{&all.tier_counts, &second.tier_counts},
                                std::pair{&all.niche_counts, &second.niche_counts},
                                std::pair{&all.country_counts, &second.country_counts},
                                std::pair{&all.platform_counts, &second.platform_counts}}) {
      for (size_t i = 0; i < mine->size(); ++i) (*mine)[i] += (*theirs)[i];
    }
    for (const Ranked& r : second.heap) keep_best(all.heap, r);
  };

  // Facet counts of a large result from its bitmap: each facet value's count is |pool ∩ its
  // bitmap|, and the values are shared between two threads.
  auto count_facets = [&](const Roaring& pool, Partial& p) {
    std::vector<std::pair<const Roaring*, int64_t*>> values;
    auto add = [&](Facet f, const std::vector<Roaring>& maps, std::vector<int64_t>& counts) {
      if (std::find(q.facets.begin(), q.facets.end(), f) == q.facets.end()) return;
      for (size_t i = 0; i < maps.size() && i < counts.size(); ++i) {
        values.emplace_back(&maps[i], &counts[i]);
      }
    };
    add(Facet::kTier, c.by_tier, p.tier_counts);
    add(Facet::kNiche, c.by_niche, p.niche_counts);
    add(Facet::kCountry, c.by_country, p.country_counts);
    add(Facet::kPlatform, c.by_platform, p.platform_counts);
    auto count_from = [&pool, &values](size_t first, size_t stride) {
      for (size_t i = first; i < values.size(); i += stride) {
        *values[i].second = static_cast<int64_t>(pool.and_cardinality(*values[i].first));
      }
    };
    if (options_.query_threads > 1 && values.size() > 1) {
      std::thread helper(count_from, 1, 2);
      count_from(0, 2);
      helper.join();
    } else {
      count_from(0, 1);
    }
  };
  // A result above this many slots takes its facets from bitmaps (sparse bitmaps intersect by
  // merging, which costs more than reading the slots).
  const uint64_t bitmap_facets_min = c.live.cardinality() / options_.bitmap_facets_divisor;

  Partial all = new_partial();
  if (target || (has_text && (!want_facets || matches.size() < bitmap_facets_min))) {
    for (size_t i = 0; i < matches.size(); ++i) {
      if (i + kPrefetchAhead < matches.size()) {
        __builtin_prefetch(&c.rows[matches[i + kPrefetchAhead].slot]);
      }
      const Match& m = matches[i];
      consider(all, m.slot, m.relevance, m.words);
    }
  } else if (has_text) {
    // Many matches: facets from the bitmap of the matching slots; ranked without the per-slot
    // facet counting.
    Roaring matched;
    std::vector<uint32_t> slots(matches.size());
    for (size_t i = 0; i < matches.size(); ++i) slots[i] = matches[i].slot;
    matched.addMany(slots.size(), slots.data());
    all.total = static_cast<int64_t>(matches.size());
    count_facets(matched, all);
    for (const Match& m : matches) rank(all, m.slot, m.relevance, m.words);
  } else if (!ex.exact) {
    scan_all(candidates ? *candidates : c.live, Scan::kFilter, all);
  } else {
    // Every candidate passes. A small result is counted and ranked slot by slot. A large one
    // (bitmap containers, where intersections are word operations) takes its total and facets
    // from bitmap counts, and only the slots that can reach the page are ranked.
    const Roaring& pool = candidates ? *candidates : c.live;
    const uint64_t count = pool.cardinality();
    if (count < bitmap_facets_min) {
      scan_all(pool, Scan::kCount, all);
    } else {
      all.total = static_cast<int64_t>(count);
      if (want_facets) count_facets(pool, all);
      if (keep > 0) {
        Roaring narrowed;
        scan_all(*ex.TopCandidates(pool, keep, &narrowed), Scan::kRank, all);
      }
    }
  }
  result.total = all.total;
  std::vector<Ranked>& heap = all.heap;
  const std::vector<int64_t>& tier_counts = all.tier_counts;
  const std::vector<int64_t>& niche_counts = all.niche_counts;
  const std::vector<int64_t>& country_counts = all.country_counts;
  const std::vector<int64_t>& platform_counts = all.platform_counts;
  std::sort_heap(heap.begin(), heap.end(), better);

  // Hits with their reasons.
  const auto& tiers = options_.tiers.tiers();
  const auto& niche_names = model::kDefaultNiches;
  for (size_t i = static_cast<size_t>(q.offset); i < heap.size(); ++i) {
    const Ranked& r = heap[i];
    const uint32_t s = r.slot;
    Hit h;
    h.account_id = c.account_id[s];
    h.creator_id = c.creator_id[s];
    h.handle = std::string(c.Handle(s));
    h.platform = c.platforms.Name(c.rows[s].platform);
    h.followers = c.rows[s].followers;
    if (c.rows[s].er_micro != kNoValue32) h.engagement_rate = c.rows[s].er_micro / 1e6;
    h.tier = tiers[c.rows[s].tier].name;
    auto& why = h.reasons;
    if (!q.platforms.empty()) why.push_back("platform " + h.platform);
    if (!q.tiers.empty()) why.push_back("tier " + h.tier);
    if (!q.followers.empty()) why.push_back("followers " + Thousands(h.followers) + " in range");
    if (!q.engagement_rate.empty())
      why.push_back("engagement " + Percent(*h.engagement_rate) + " in range");
    if (!q.niches.empty()) {
      std::string matched;
      for (uint32_t bits = c.rows[s].niches & ex.niche_mask; bits != 0; bits &= bits - 1) {
        matched += matched.empty() ? "" : ", ";
        matched += niche_names[static_cast<size_t>(__builtin_ctz(bits))];
      }
      why.push_back("niche " + matched);
    }
    if (!q.countries.empty()) why.push_back("country " + c.countries.Name(c.rows[s].country));
    if (!q.languages.empty()) why.push_back("language " + c.languages.Name(c.language[s]));
    for (const auto& a : ex.audience) {
      why.push_back("audience " + a.spec->key + " " +
                    Percent(static_cast<uint32_t>(ex.ShareOf(s, a))) +
                    " >= " + Percent(a.spec->min));
    }
    if (q.quality_min)
      why.push_back(fmt::format("quality {:.2f} >= {:.2f}", c.quality[s] / 1e4, *q.quality_min));
    if (!q.rate_cents.empty()) why.push_back("rate from " + Dollars(c.rate_cents[s]) + " in range");
    if (q.available) why.push_back("no overlapping booking");
    if (has_text && r.words != 0) {
      std::string matched;
      for (size_t w = 0; w < words.size() && w < 32; ++w) {
        if (r.words & (1U << w)) matched += (matched.empty() ? "'" : ", '") + words[w].text + "'";
      }
      why.push_back("text matched " + matched);
    }
    switch (q.sort) {
      case SortBy::kRelevance:
        h.score = r.relevance;
        why.push_back(target ? fmt::format("similarity {:.3f} to {}", r.relevance, target_handle)
                             : fmt::format("BM25 {:.2f}", r.relevance));
        if (target) {
          std::string shared;
          for (uint32_t bits = c.rows[s].niches & c.rows[*target].niches; bits != 0;
               bits &= bits - 1) {
            shared += shared.empty() ? "" : ", ";
            shared += niche_names[static_cast<size_t>(__builtin_ctz(bits))];
          }
          if (!shared.empty()) why.push_back("shares niche " + shared);
          if (c.rows[s].country == c.rows[*target].country) {
            why.push_back("same country " + c.countries.Name(c.rows[s].country));
          }
        }
        break;
      case SortBy::kFollowers:
        h.score = static_cast<double>(h.followers);
        why.push_back("ranked by followers: " + Thousands(h.followers));
        break;
      case SortBy::kEngagementRate:
        h.score = h.engagement_rate.value_or(0);
        why.push_back("ranked by engagement rate: " + (h.engagement_rate
                                                           ? Percent(*h.engagement_rate)
                                                           : std::string("unknown (last)")));
        break;
      case SortBy::kFit: {
        const auto f = ex.Fit(s);
        const FitWeights& w = q.weights;
        h.score = f.total;
        why.push_back(
            fmt::format("fit {:.3f} = engagement {:.2f}x{:.2f} + quality {:.2f}x{:.2f} + audience "
                        "{:.2f}x{:.2f} + niche "
                        "{:.2f}x{:.2f}",
                        f.total, f.engagement, w.engagement, f.quality, w.quality, f.audience,
                        w.audience, f.niche, w.niche));
        if (c.rows[s].er_micro != kNoValue32) {
          why.push_back(fmt::format(
              "engagement {} is {:.1f}x the {} {} median", Percent(c.rows[s].er_micro / 1e6),
              c.rows[s].er_micro / 1e6 / model::EngagementBenchmark(h.platform, h.followers),
              h.tier, h.platform));
        }
        break;
      }
    }
    result.hits.push_back(std::move(h));
  }

  // Facet lists, by count descending then name.
  auto emit = [&result](const char* name, std::vector<std::pair<std::string, int64_t>> counts) {
    std::erase_if(counts, [](const auto& p) { return p.second == 0; });
    std::sort(counts.begin(), counts.end(), [](const auto& a, const auto& b) {
      return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    result.facets.emplace_back(name, std::move(counts));
  };
  for (Facet f : q.facets) {
    std::vector<std::pair<std::string, int64_t>> counts;
    switch (f) {
      case Facet::kTier:
        for (size_t i = 0; i < tiers.size(); ++i)
          counts.emplace_back(tiers[i].name, tier_counts[i]);
        break;
      case Facet::kNiche:
        for (size_t i = 0; i < niche_names.size(); ++i)
          counts.emplace_back(niche_names[i], niche_counts[i]);
        break;
      case Facet::kCountry:
        for (size_t i = 0; i < country_counts.size(); ++i) {
          counts.emplace_back(c.countries.Name(static_cast<uint16_t>(i)), country_counts[i]);
        }
        break;
      case Facet::kPlatform:
        for (size_t i = 0; i < platform_counts.size(); ++i) {
          counts.emplace_back(c.platforms.Name(static_cast<uint16_t>(i)), platform_counts[i]);
        }
        break;
    }
    emit(FacetName(f), std::move(counts));
  }
  result.took_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace seedcast::search

#include "search/lookalike.h"

#include <atomic>
#include <bit>
#include <cmath>
#include <map>
#include <span>
#include <string_view>
#include <thread>

#include "search/units.h"

namespace seedcast::search {
namespace {

// Audience countries with a dimension of their own: the largest creator markets.
constexpr std::array<std::string_view, 12> kCountryDims = {"US", "GB", "BR", "IN", "ID", "DE",
                                                           "FR", "ES", "IT", "MX", "CA", "AU"};
constexpr size_t kAgeDims = kAudienceDims - kCountryDims.size() - 1;  // one per model::AgeBands()
constexpr size_t kNicheDims = model::kNicheCount;
constexpr size_t kHashtagDims = 32;
// Block weights: niches say most about what a creator makes, audience and hashtags refine it.
constexpr float kNicheWeight = 1.0F;
constexpr float kAudienceWeight = 0.8F;
constexpr float kHashtagWeight = 0.6F;

// A block's scale: its weight spread over `norm`, then divided by the whole vector's norm.
float Scale(double weight, double norm, double total) {
  return norm > 0 ? static_cast<float>(weight / norm / total) : 0.0F;
}

}  // namespace

uint32_t HashtagBits(const std::vector<std::string>& terms) {
  uint32_t bits = 0;
  for (const std::string& t : terms) {
    if (t.size() > 1 && t[0] == '#') bits |= 1U << (std::hash<std::string>{}(t) % kHashtagDims);
  }
  return bits;
}

LookalikeProfile MakeLookalikeProfile(uint32_t niche_mask, const model::Audience& audience,
                                      uint32_t hashtag_bits) {
  LookalikeProfile p;
  p.niches = niche_mask & ((1U << kNicheDims) - 1);
  p.hashtags = hashtag_bits;
  uint16_t* shares = p.audience.data();
  PlaceShares(audience.countries, kCountryDims, shares);
  PlaceShares(audience.genders, std::array<std::string_view, 1>{"female"},
              shares + kCountryDims.size());
  const auto& bands = model::AgeBands();
  PlaceShares(audience.ages, std::span(bands.data(), std::min(bands.size(), kAgeDims)),
              shares + kCountryDims.size() + 1);

  // Each non-empty block is scaled to its weight, then the whole vector to length 1.
  const double niche_norm = std::sqrt(std::popcount(p.niches));
  const double hashtag_norm = std::sqrt(std::popcount(p.hashtags));
  double audience_squares = 0;
  for (uint16_t v : p.audience) audience_squares += static_cast<double>(v) * v;
  const double audience_norm = std::sqrt(audience_squares);
  double total = 0;
  if (niche_norm > 0) total += kNicheWeight * kNicheWeight;
  if (audience_norm > 0) total += kAudienceWeight * kAudienceWeight;
  if (hashtag_norm > 0) total += kHashtagWeight * kHashtagWeight;
  total = std::sqrt(total);
  p.niche_scale = Scale(kNicheWeight, niche_norm, total);
  p.audience_scale = Scale(kAudienceWeight, audience_norm, total);
  p.hashtag_scale = Scale(kHashtagWeight, hashtag_norm, total);
  return p;
}

LookalikeVector Expand(const LookalikeProfile& p) {
  LookalikeVector v{};
  size_t d = 0;
  for (size_t i = 0; i < kNicheDims; ++i) v[d++] = (p.niches >> i) & 1U ? p.niche_scale : 0.0F;
  for (uint16_t share : p.audience) v[d++] = static_cast<float>(share) * p.audience_scale;
  for (size_t i = 0; i < kHashtagDims; ++i) {
    v[d++] = (p.hashtags >> i) & 1U ? p.hashtag_scale : 0.0F;
  }
  return v;
}

float Similarity(const LookalikeProfile& a, const LookalikeProfile& b) {
  uint64_t audience = 0;
  for (size_t i = 0; i < kAudienceDims; ++i) {
    audience += static_cast<uint64_t>(a.audience[i]) * b.audience[i];
  }
  return static_cast<float>(std::popcount(a.niches & b.niches)) * a.niche_scale * b.niche_scale +
         static_cast<float>(audience) * a.audience_scale * b.audience_scale +
         static_cast<float>(std::popcount(a.hashtags & b.hashtags)) * a.hashtag_scale *
             b.hashtag_scale;
}

LookalikeIndex::LookalikeIndex() = default;
LookalikeIndex::~LookalikeIndex() = default;

void LookalikeIndex::Set(uint32_t slot, const LookalikeProfile& p) {
  if (profiles_.size() <= slot) {
    profiles_.resize(slot + 1);
    present_.resize(slot + 1, 0);
  }
  profiles_[slot] = p;
  present_[slot] = 1;
  if (recording_) changed_.push_back(slot);
  if (graph_) graph_->Put(Expand(p).data(), slot);
}

void LookalikeIndex::Reserve(size_t slots) {
  profiles_.reserve(slots);
  present_.reserve(slots);
}

void LookalikeIndex::Remove(uint32_t slot) {
  if (slot >= present_.size() || !present_[slot]) return;
  present_[slot] = 0;
  if (recording_) changed_.push_back(slot);
  if (graph_) graph_->Delete(slot);
}

LookalikeIndex::Snapshot LookalikeIndex::StartSnapshot() {
  recording_ = true;
  changed_.clear();
  return {profiles_, present_};
}

std::unique_ptr<HnswGraph> LookalikeIndex::BuildGraphOf(const Snapshot& snapshot, int threads,
                                                        const std::atomic<bool>* cancel) {
  size_t count = 0;
  for (uint8_t p : snapshot.present) count += p;
  auto graph = std::make_unique<HnswGraph>(kLookalikeDims, count);
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t slot = next++; slot < snapshot.profiles.size(); slot = next++) {
      if (cancel != nullptr && slot % 1024 == 0 && cancel->load()) return;
      if (snapshot.present[slot])
        graph->Insert(Expand(snapshot.profiles[slot]).data(), static_cast<uint32_t>(slot));
    }
  };
  std::vector<std::thread> pool;  // at load time, once
  for (int t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
  if (cancel != nullptr && cancel->load()) return nullptr;
  return graph;
}

LookalikeIndex::Changes LookalikeIndex::TakeChanges() {
  std::sort(changed_.begin(), changed_.end());
  changed_.erase(std::unique(changed_.begin(), changed_.end()), changed_.end());
  Changes out;
  out.reserve(changed_.size());
  for (uint32_t slot : changed_) {
    out.emplace_back(slot, present_[slot] ? std::optional(profiles_[slot]) : std::nullopt);
  }
  changed_.clear();
  return out;
}

void LookalikeIndex::ApplyTo(HnswGraph& graph, const Changes& changes) {
  for (const auto& [slot, profile] : changes) {
    if (profile) {
      graph.Put(Expand(*profile).data(), slot);
    } else {
      graph.Delete(slot);
    }
  }
}

void LookalikeIndex::InstallGraph(std::unique_ptr<HnswGraph> graph) {
  const Changes rest = TakeChanges();
  if (graph) ApplyTo(*graph, rest);
  changed_.shrink_to_fit();
  recording_ = false;
  if (graph) graph_ = std::move(graph);
}

const LookalikeProfile* LookalikeIndex::Get(uint32_t slot) const {
  return slot < present_.size() && present_[slot] ? &profiles_[slot] : nullptr;
}

std::vector<std::pair<uint32_t, float>> LookalikeIndex::Approximate(const LookalikeProfile& q,
                                                                    size_t k) const {
  return graph_ ? graph_->Nearest(Expand(q).data(), k) : std::vector<std::pair<uint32_t, float>>{};
}

int64_t LookalikeIndex::MemoryBytes() const {
  return static_cast<int64_t>(profiles_.capacity() * sizeof(LookalikeProfile) +
                              present_.capacity()) +
         (graph_ ? graph_->MemoryBytes() : 0);
}

}  // namespace seedcast::search

#include "search/lookalike.h"

#include <sys/mman.h>

#include <atomic>
#include <cmath>
#include <string_view>
#include <thread>

namespace seedcast::search {
namespace {

// Audience countries with a dimension of their own: the largest creator markets.
constexpr std::array<std::string_view, 12> kCountryDims = {"US", "GB", "BR", "IN", "ID", "DE",
                                                           "FR", "ES", "IT", "MX", "CA", "AU"};
constexpr size_t kNicheDims = 22;
constexpr size_t kHashtagDims = 32;
// Block weights: niches say most about what a creator makes, audience and hashtags refine it.
constexpr float kNicheWeight = 1.0F;
constexpr float kAudienceWeight = 0.8F;
constexpr float kHashtagWeight = 0.6F;

void NormalizeBlock(float* v, size_t n, float weight) {
  float norm = 0;
  for (size_t i = 0; i < n; ++i) norm += v[i] * v[i];
  if (norm <= 0) return;
  const float scale = weight / std::sqrt(norm);
  for (size_t i = 0; i < n; ++i) v[i] *= scale;
}

}  // namespace

uint32_t HashtagBits(const std::vector<std::string>& terms) {
  uint32_t bits = 0;
  for (const std::string& t : terms) {
    if (t.size() > 1 && t[0] == '#') bits |= 1U << (std::hash<std::string>{}(t) % kHashtagDims);
  }
  return bits;
}

LookalikeVector MakeLookalikeVector(uint32_t niche_mask, const model::Audience& audience,
                                    uint32_t hashtag_bits) {
  LookalikeVector v{};
  float* niches = v.data();
  for (size_t i = 0; i < kNicheDims; ++i) niches[i] = (niche_mask >> i) & 1U ? 1.0F : 0.0F;
  NormalizeBlock(niches, kNicheDims, kNicheWeight);

  float* aud = v.data() + kNicheDims;
  for (size_t i = 0; i < kCountryDims.size(); ++i) {
    auto it = audience.countries.find(std::string(kCountryDims[i]));
    if (it != audience.countries.end()) aud[i] = static_cast<float>(it->second);
  }
  if (auto it = audience.genders.find("female"); it != audience.genders.end()) {
    aud[kCountryDims.size()] = static_cast<float>(it->second);
  }
  const auto& bands = model::AgeBands();
  for (size_t i = 0; i < bands.size(); ++i) {
    if (auto it = audience.ages.find(bands[i]); it != audience.ages.end()) {
      aud[kCountryDims.size() + 1 + i] = static_cast<float>(it->second);
    }
  }
  NormalizeBlock(aud, kCountryDims.size() + 1 + bands.size(), kAudienceWeight);

  float* tags = v.data() + kNicheDims + kCountryDims.size() + 1 + bands.size();
  for (size_t i = 0; i < kHashtagDims; ++i) tags[i] = (hashtag_bits >> i) & 1U ? 1.0F : 0.0F;
  NormalizeBlock(tags, kHashtagDims, kHashtagWeight);

  NormalizeBlock(v.data(), v.size(), 1.0F);
  return v;
}

float Dot(const LookalikeVector& a, const LookalikeVector& b) {
  float s = 0;
  for (size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

LookalikeIndex::LookalikeIndex() = default;
LookalikeIndex::~LookalikeIndex() = default;

void LookalikeIndex::Set(uint32_t slot, const LookalikeVector& v) {
  if (vectors_.size() <= slot) {
    vectors_.resize(slot + 1);
    present_.resize(slot + 1, 0);
  }
  vectors_[slot] = v;
  present_[slot] = 1;
  if (graph_) graph_->Put(v.data(), slot);
}

void LookalikeIndex::Reserve(size_t slots) {
  vectors_.reserve(slots);
  present_.reserve(slots);
  // Gigabytes at 10M accounts: first touches of 4 KiB pages cost more than the vectors' own
  // work, so ask for huge pages (a hint; the system may ignore it).
  char* const data = reinterpret_cast<char*>(vectors_.data());
  const size_t bytes = vectors_.capacity() * sizeof(LookalikeVector);
  constexpr size_t kHuge = size_t{2} << 20;
  const size_t skip = (kHuge - reinterpret_cast<uintptr_t>(data) % kHuge) % kHuge;
  if (bytes > skip + kHuge) madvise(data + skip, (bytes - skip) / kHuge * kHuge, MADV_HUGEPAGE);
}

void LookalikeIndex::Remove(uint32_t slot) {
  if (slot >= present_.size() || !present_[slot]) return;
  present_[slot] = 0;
  if (graph_) graph_->Delete(slot);
}

void LookalikeIndex::BuildGraph(int threads) {
  size_t count = 0;
  for (uint8_t p : present_) count += p;
  graph_ = std::make_unique<HnswGraph>(kLookalikeDims, count);
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t slot = next++; slot < vectors_.size(); slot = next++) {
      if (present_[slot]) graph_->Insert(vectors_[slot].data(), static_cast<uint32_t>(slot));
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
}

const LookalikeVector* LookalikeIndex::Get(uint32_t slot) const {
  return slot < present_.size() && present_[slot] ? &vectors_[slot] : nullptr;
}

std::vector<std::pair<uint32_t, float>> LookalikeIndex::Approximate(const LookalikeVector& q,
                                                                    size_t k) const {
  return graph_ ? graph_->Nearest(q.data(), k) : std::vector<std::pair<uint32_t, float>>{};
}

int64_t LookalikeIndex::MemoryBytes() const {
  return static_cast<int64_t>(vectors_.capacity() * sizeof(LookalikeVector) + present_.capacity()) +
         (graph_ ? graph_->MemoryBytes() : 0);
}

}  // namespace seedcast::search

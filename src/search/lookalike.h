// LookalikeIndex: "creators like @handle". Each account becomes a unit vector of its niches, its
// audience (top countries, gender, age bands) and its hashtag profile (hashtags hashed into 32
// buckets); similarity is the cosine. The index keeps each vector in its compact form, a
// LookalikeProfile, and computes similarities from it directly. An HNSW graph (hnswlib) of the
// expanded vectors answers approximate nearest neighbours; exact search scans every profile (or a
// filtered subset).
//
// Not thread-safe for writes: CreatorIndex locks around it. Searches may run together.
#pragma once

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "model/creator.h"
#include "model/niches.h"
#include "search/hnsw_graph.h"

namespace seedcast::search {

// Audience dimensions: 12 countries, the female share, 6 age bands.
inline constexpr size_t kAudienceDims = 12 + 1 + 6;
inline constexpr size_t kLookalikeDims = model::kNicheCount + kAudienceDims + 32;
using LookalikeVector = std::array<float, kLookalikeDims>;

// An account's unit vector in compact form, 60 bytes where the float vector takes 292. The niche
// and hashtag blocks are 0/1 bits scaled by one value each; the audience block is the shares in
// basis points, scaled by one value.
struct LookalikeProfile {
  uint32_t niches = 0;    // bit i: the taxonomy's niche i
  uint32_t hashtags = 0;  // bit i: hashtag bucket i
  float niche_scale = 0;  // the vector's value at each set niche bit
  float hashtag_scale = 0;
  float audience_scale = 0;  // the vector's value per basis point of share
  std::array<uint16_t, kAudienceDims> audience{};
};

LookalikeProfile MakeLookalikeProfile(uint32_t niche_mask, const model::Audience& audience,
                                      uint32_t hashtag_bits);
// The profile as the unit vector it stands for.
LookalikeVector Expand(const LookalikeProfile& p);
// The cosine of two profiles: the dot product of their vectors.
float Similarity(const LookalikeProfile& a, const LookalikeProfile& b);

// The hashtag bucket bits of analysed terms (terms starting with '#').
uint32_t HashtagBits(const std::vector<std::string>& terms);

class LookalikeIndex {
 public:
  LookalikeIndex();
  ~LookalikeIndex();

  void Set(uint32_t slot, const LookalikeProfile& p);
  void Remove(uint32_t slot);
  // Room for `slots` profiles, before a bulk load.
  void Reserve(size_t slots);
  bool has_graph() const { return graph_ != nullptr; }
  // Between StartSnapshot and InstallGraph.
  bool building_graph() const { return recording_; }

  // Building the graph without holding the index's lock for its whole duration: StartSnapshot
  // copies the profiles and from then on records the slots Set or Removed; BuildGraphOf builds
  // a graph from the copy (no lock needed); InstallGraph applies what changed since the copy to
  // it and puts it in place. StartSnapshot and InstallGraph need the writer's lock.
  struct Snapshot {
    std::vector<LookalikeProfile> profiles;
    std::vector<uint8_t> present;
  };
  Snapshot StartSnapshot();
  // Null when `cancel` turned true meanwhile.
  static std::unique_ptr<HnswGraph> BuildGraphOf(const Snapshot& snapshot, int threads,
                                                 const std::atomic<bool>* cancel = nullptr);
  // The slots changed since the snapshot (or the last call), each once, with their profiles now
  // (none: removed); recording goes on. Needs the writer's lock; ApplyTo needs none.
  using Changes = std::vector<std::pair<uint32_t, std::optional<LookalikeProfile>>>;
  Changes TakeChanges();
  static void ApplyTo(HnswGraph& graph, const Changes& changes);
  // Applies what is left to `graph` and puts it in place. Null: the build was abandoned
  // (recording stops).
  void InstallGraph(std::unique_ptr<HnswGraph> graph);

  const LookalikeProfile* Get(uint32_t slot) const;
  // The k nearest by cosine, best first: (slot, similarity). Approximate uses the graph.
  std::vector<std::pair<uint32_t, float>> Approximate(const LookalikeProfile& q, size_t k) const;
  template <typename Accept>
  std::vector<std::pair<uint32_t, float>> Exact(const LookalikeProfile& q, size_t k,
                                                Accept accept) const;

  int64_t MemoryBytes() const;

 private:
  std::vector<LookalikeProfile> profiles_;  // by slot
  std::vector<uint8_t> present_;            // by slot
  std::unique_ptr<HnswGraph> graph_;
  bool recording_ = false;         // between StartSnapshot and InstallGraph
  std::vector<uint32_t> changed_;  // slots Set or Removed while recording
};

template <typename Accept>
std::vector<std::pair<uint32_t, float>> LookalikeIndex::Exact(const LookalikeProfile& q, size_t k,
                                                              Accept accept) const {
  std::vector<std::pair<uint32_t, float>> heap;  // min-heap on similarity
  auto worse = [](const std::pair<uint32_t, float>& a, const std::pair<uint32_t, float>& b) {
    return a.second > b.second || (a.second == b.second && a.first < b.first);
  };
  for (uint32_t slot = 0; slot < profiles_.size(); ++slot) {
    if (!present_[slot] || !accept(slot)) continue;
    const float s = Similarity(q, profiles_[slot]);
    if (heap.size() < k) {
      heap.emplace_back(slot, s);
      std::push_heap(heap.begin(), heap.end(), worse);
    } else if (worse({slot, s}, heap.front())) {
      std::pop_heap(heap.begin(), heap.end(), worse);
      heap.back() = {slot, s};
      std::push_heap(heap.begin(), heap.end(), worse);
    }
  }
  std::sort_heap(heap.begin(), heap.end(), worse);
  return heap;
}

}  // namespace seedcast::search

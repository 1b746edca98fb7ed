// LookalikeIndex: "creators like @handle". Each account becomes a unit vector of its niches, its
// audience (top countries, gender, age bands) and its hashtag profile (hashtags hashed into 32
// buckets); similarity is the cosine. An HNSW graph (hnswlib) answers approximate nearest
// neighbours; exact search scans every vector (or a filtered subset).
//
// Not thread-safe for writes: CreatorIndex locks around it. Searches may run together.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "model/creator.h"
#include "search/hnsw_graph.h"

namespace seedcast::search {

inline constexpr size_t kLookalikeDims = 22 + 12 + 1 + 6 + 32;
using LookalikeVector = std::array<float, kLookalikeDims>;

// The vector of an account. `niche_mask` bit i is the taxonomy's niche i; `hashtag_bits` bit i is
// hashtag bucket i.
LookalikeVector MakeLookalikeVector(uint32_t niche_mask, const model::Audience& audience,
                                    uint32_t hashtag_bits);

// The hashtag bucket bits of analysed terms (terms starting with '#').
uint32_t HashtagBits(const std::vector<std::string>& terms);

class LookalikeIndex {
 public:
  LookalikeIndex();
  ~LookalikeIndex();

  void Set(uint32_t slot, const LookalikeVector& v);
  void Remove(uint32_t slot);
  // Room for `slots` vectors, before a bulk load.
  void Reserve(size_t slots);
  // Builds the graph over every vector set so far.
  void BuildGraph(int threads);
  bool has_graph() const { return graph_ != nullptr; }

  const LookalikeVector* Get(uint32_t slot) const;
  // The k nearest by cosine, best first: (slot, similarity). Approximate uses the graph.
  std::vector<std::pair<uint32_t, float>> Approximate(const LookalikeVector& q, size_t k) const;
  template <typename Accept>
  std::vector<std::pair<uint32_t, float>> Exact(const LookalikeVector& q, size_t k,
                                                Accept accept) const;

  int64_t MemoryBytes() const;

 private:
  std::vector<LookalikeVector> vectors_;  // by slot
  std::vector<uint8_t> present_;          // by slot
  std::unique_ptr<HnswGraph> graph_;
};

float Dot(const LookalikeVector& a, const LookalikeVector& b);

template <typename Accept>
std::vector<std::pair<uint32_t, float>> LookalikeIndex::Exact(const LookalikeVector& q, size_t k,
                                                              Accept accept) const {
  std::vector<std::pair<uint32_t, float>> heap;  // min-heap on similarity
  auto worse = [](const std::pair<uint32_t, float>& a, const std::pair<uint32_t, float>& b) {
    return a.second > b.second || (a.second == b.second && a.first < b.first);
  };
  for (uint32_t slot = 0; slot < vectors_.size(); ++slot) {
    if (!present_[slot] || !accept(slot)) continue;
    const float s = Dot(q, vectors_[slot]);
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

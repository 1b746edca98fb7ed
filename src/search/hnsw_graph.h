// HnswGraph: approximate nearest neighbours by inner product over unit vectors, on hnswlib. The
// only place hnswlib is instantiated (see the ASan note in src/CMakeLists.txt).
//
// Insert may run on several threads at once (for a bulk build within the capacity given up front);
// Put and Delete need a single writer. Nearest may run alongside other Nearest calls.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

namespace hnswlib {
template <typename T>
class HierarchicalNSW;
class InnerProductSpace;
}  // namespace hnswlib

namespace seedcast::search {

class HnswGraph {
 public:
  HnswGraph(size_t dims, size_t capacity);
  ~HnswGraph();
  HnswGraph(const HnswGraph&) = delete;
  HnswGraph& operator=(const HnswGraph&) = delete;

  // Adds a label not in the graph yet. Thread-safe while the graph has room.
  void Insert(const float* v, uint32_t label);
  // Adds or replaces the vector of `label`, undeleting it; grows the graph when full.
  void Put(const float* v, uint32_t label);
  void Delete(uint32_t label);
  // The k nearest, best first: (label, similarity = inner product).
  std::vector<std::pair<uint32_t, float>> Nearest(const float* q, size_t k) const;
  int64_t MemoryBytes() const;

 private:
  std::unique_ptr<hnswlib::InnerProductSpace> space_;
  std::unique_ptr<hnswlib::HierarchicalNSW<float>> graph_;
};

}  // namespace seedcast::search

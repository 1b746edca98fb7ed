#include "search/hnsw_graph.h"

#include <hnswlib/hnswlib.h>

#include <algorithm>

namespace seedcast::search {
namespace {

constexpr int kGraphM = 16;
constexpr int kEfConstruction = 100;
constexpr int kEfSearch = 160;
constexpr int kSeed = 42;

}  // namespace

HnswGraph::HnswGraph(size_t dims, size_t capacity)
    : space_(std::make_unique<hnswlib::InnerProductSpace>(dims)),
      graph_(std::make_unique<hnswlib::HierarchicalNSW<float>>(
          space_.get(), std::max<size_t>(capacity, 16), kGraphM, kEfConstruction, kSeed)) {
  graph_->setEf(kEfSearch);
}

HnswGraph::~HnswGraph() = default;

void HnswGraph::Insert(const float* v, uint32_t label) { graph_->addPoint(v, label); }

void HnswGraph::Put(const float* v, uint32_t label) {
  if (graph_->cur_element_count >= graph_->max_elements_) {
    graph_->resizeIndex(graph_->max_elements_ * 2);
  }
  graph_->addPoint(v, label);
  try {
    graph_->unmarkDelete(label);
  } catch (const std::exception&) {
    // Not marked deleted: nothing to undo.
  }
}

void HnswGraph::Delete(uint32_t label) {
  try {
    graph_->markDelete(label);
  } catch (const std::exception&) {
    // Already deleted.
  }
}

std::vector<std::pair<uint32_t, float>> HnswGraph::Nearest(const float* q, size_t k) const {
  std::vector<std::pair<uint32_t, float>> out;
  if (graph_->cur_element_count == 0) return out;
  auto found = graph_->searchKnn(q, k);
  while (!found.empty()) {
    out.emplace_back(static_cast<uint32_t>(found.top().second), 1.0F - found.top().first);
    found.pop();
  }
  std::reverse(out.begin(), out.end());
  return out;
}

int64_t HnswGraph::MemoryBytes() const {
  return static_cast<int64_t>(graph_->max_elements_ * graph_->size_data_per_element_ +
                              graph_->label_lookup_.size() * 32);
}

}  // namespace seedcast::search

// TextIndex: an inverted index with BM25 ranking (k1 = 1.2, b = 0.75) over each account's
// analysed bio and captions.
//
// Postings are kept in slot order, so the words of a query intersect by merging. A changed
// account's old postings are masked and its new terms go to a small delta index, so an update
// costs the size of one document, not a rebuild. Not thread-safe: CreatorIndex locks around it.
#pragma once

#include <absl/container/flat_hash_map.h>

#include <cstdint>
#include <roaring/roaring.hh>
#include <string>
#include <unordered_map>
#include <vector>

#include "search/analyzer.h"

namespace seedcast::search {

struct TextMatch {
  uint32_t slot = 0;
  float score = 0;
  uint32_t words = 0;  // bit i: query word i matched (first 32 words)
};

class TextIndex {
 public:
  // Replaces the text of `slot` with `terms` (repeats count as term frequency).
  void Set(uint32_t slot, const std::vector<std::string>& terms);
  void Remove(uint32_t slot);

  // Accounts holding every word (all_words) or any word, in slot order, with BM25 scores.
  std::vector<TextMatch> Search(const std::vector<QueryWord>& words, bool all_words) const;

  int64_t MemoryBytes() const;
  void ShrinkToFit();

 private:
  struct Postings {
    std::vector<uint32_t> slots;
    std::vector<uint8_t> tf;
  };
  uint32_t TermId(const std::string& term);
  // The postings of one query word (all its forms), merged, in slot order: (slot, tf).
  std::vector<std::pair<uint32_t, uint32_t>> WordPostings(const QueryWord& word) const;
  float Bm25(uint32_t tf, uint32_t slot, double idf) const;

  absl::flat_hash_map<std::string, uint32_t> term_ids_;
  std::vector<Postings> postings_;  // by term id; main part, in slot order
  // Delta: slots whose main postings are stale, and their current terms.
  Roaring stale_;
  std::unordered_map<uint32_t, std::vector<std::pair<uint32_t, uint8_t>>> delta_docs_;
  std::unordered_map<uint32_t, std::vector<uint32_t>> delta_postings_;  // term -> slots
  std::vector<uint16_t> doc_length_;                                    // by slot
  std::vector<uint8_t> in_main_;  // by slot: has postings in the main part
  int64_t docs_ = 0;
  int64_t total_length_ = 0;
};

}  // namespace seedcast::search

#include "search/text_index.h"

#include <algorithm>
#include <cmath>

namespace seedcast::search {
namespace {

constexpr double kK1 = 1.2;
constexpr double kB = 0.75;

}  // namespace

uint32_t TextIndex::TermId(const std::string& term) {
  auto [it, inserted] = term_ids_.try_emplace(term, static_cast<uint32_t>(postings_.size()));
  if (inserted) postings_.emplace_back();
  return it->second;
}

void TextIndex::Set(uint32_t slot, const std::vector<std::string>& terms) {
  Remove(slot);
  if (terms.empty()) return;
  // Term frequencies, by term id.
  std::vector<std::pair<uint32_t, uint8_t>> counts;
  counts.reserve(terms.size());
  for (const std::string& t : terms) counts.emplace_back(TermId(t), 1);
  std::sort(counts.begin(), counts.end());
  size_t out = 0;
  for (size_t i = 0; i < counts.size(); ++i) {
    if (out > 0 && counts[out - 1].first == counts[i].first) {
      if (counts[out - 1].second < 255) ++counts[out - 1].second;
    } else {
      counts[out++] = counts[i];
    }
  }
  counts.resize(out);
  if (doc_length_.size() <= slot) {
    doc_length_.resize(slot + 1, 0);
    in_main_.resize(slot + 1, 0);
  }
  doc_length_[slot] = static_cast<uint16_t>(std::min<size_t>(terms.size(), 65535));
  ++docs_;
  total_length_ += doc_length_[slot];
  // A slot past every posting list's end appends to the main part in order; otherwise (a change
  // to an indexed slot) it goes to the delta.
  bool appendable = !in_main_[slot] && !stale_.contains(slot);
  for (const auto& [term, tf] : counts) {
    const Postings& p = postings_[term];
    if (!p.slots.empty() && p.slots.back() >= slot) appendable = false;
  }
  if (appendable) {
    for (const auto& [term, tf] : counts) {
      postings_[term].slots.push_back(slot);
      postings_[term].tf.push_back(tf);
    }
    in_main_[slot] = 1;
    return;
  }
  stale_.add(slot);
  for (const auto& [term, tf] : counts) delta_postings_[term].push_back(slot);
  delta_docs_[slot] = std::move(counts);
}

void TextIndex::Remove(uint32_t slot) {
  if (slot >= doc_length_.size() || doc_length_[slot] == 0) return;
  --docs_;
  total_length_ -= doc_length_[slot];
  doc_length_[slot] = 0;
  if (in_main_[slot]) stale_.add(slot);
  delta_docs_.erase(slot);
}

float TextIndex::Bm25(uint32_t tf, uint32_t slot, double idf) const {
  const double avg =
      docs_ > 0 ? static_cast<double>(total_length_) / static_cast<double>(docs_) : 1;
  const double len = doc_length_[slot];
  const double f = tf;
  return static_cast<float>(idf * f * (kK1 + 1) / (f + kK1 * (1 - kB + kB * len / avg)));
}

std::vector<std::pair<uint32_t, uint32_t>> TextIndex::WordPostings(const QueryWord& word) const {
  std::vector<std::pair<uint32_t, uint32_t>> merged;
  const bool masked = !stale_.isEmpty();
  for (const std::string& form : word.forms) {
    auto it = term_ids_.find(form);
    if (it == term_ids_.end()) continue;
    const Postings& p = postings_[it->second];
    std::vector<std::pair<uint32_t, uint32_t>> part;
    part.reserve(p.slots.size());
    for (size_t i = 0; i < p.slots.size(); ++i) {
      if (masked && stale_.contains(p.slots[i])) continue;
      part.emplace_back(p.slots[i], p.tf[i]);
    }
    if (auto d = delta_postings_.find(it->second); d != delta_postings_.end()) {
      std::vector<std::pair<uint32_t, uint32_t>> extra;
      for (uint32_t slot : d->second) {
        auto doc = delta_docs_.find(slot);
        if (doc == delta_docs_.end()) continue;
        auto t = std::lower_bound(doc->second.begin(), doc->second.end(),
                                  std::pair<uint32_t, uint8_t>(it->second, 0));
        if (t != doc->second.end() && t->first == it->second) extra.emplace_back(slot, t->second);
      }
      std::sort(extra.begin(), extra.end());
      extra.erase(std::unique(extra.begin(), extra.end()), extra.end());
      std::vector<std::pair<uint32_t, uint32_t>> both;
      both.reserve(part.size() + extra.size());
      std::merge(part.begin(), part.end(), extra.begin(), extra.end(), std::back_inserter(both));
      part = std::move(both);
    }
    if (merged.empty()) {
      merged = std::move(part);
      continue;
    }
    // Union of forms: a slot holding two forms counts their frequencies together.
    std::vector<std::pair<uint32_t, uint32_t>> u;
    u.reserve(merged.size() + part.size());
    size_t i = 0;
    size_t j = 0;
    while (i < merged.size() || j < part.size()) {
      if (j == part.size() || (i < merged.size() && merged[i].first < part[j].first)) {
        u.push_back(merged[i++]);
      } else if (i == merged.size() || part[j].first < merged[i].first) {
        u.push_back(part[j++]);
      } else {
        u.emplace_back(merged[i].first, merged[i].second + part[j].second);
        ++i;
        ++j;
      }
    }
    merged = std::move(u);
  }
  return merged;
}

std::vector<TextMatch> TextIndex::Search(const std::vector<QueryWord>& words,
                                         bool all_words) const {
  std::vector<TextMatch> result;
  if (words.empty() || docs_ == 0) return result;
  std::vector<std::vector<std::pair<uint32_t, uint32_t>>> lists;
  std::vector<double> idf;
  for (const QueryWord& w : words) {
    lists.push_back(WordPostings(w));
    const double df = static_cast<double>(lists.back().size());
    idf.push_back(std::log(1 + (static_cast<double>(docs_) - df + 0.5) / (df + 0.5)));
  }
  if (all_words) {
    // Merge-intersect, shortest list first.
    std::vector<size_t> order(lists.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&lists](size_t a, size_t b) { return lists[a].size() < lists[b].size(); });
    for (const auto& [slot, tf] : lists[order[0]]) {
      result.push_back({slot, Bm25(tf, slot, idf[order[0]]), order[0] < 32 ? 1U << order[0] : 0U});
    }
    for (size_t k = 1; k < order.size() && !result.empty(); ++k) {
      const auto& list = lists[order[k]];
      size_t out = 0;
      auto pos = list.begin();
      for (const TextMatch& m : result) {
        pos = std::lower_bound(pos, list.end(), std::pair<uint32_t, uint32_t>(m.slot, 0));
        if (pos == list.end()) break;
        if (pos->first != m.slot) continue;
        TextMatch kept = m;
        kept.score += Bm25(pos->second, m.slot, idf[order[k]]);
        if (order[k] < 32) kept.words |= 1U << order[k];
        result[out++] = kept;
      }
      result.resize(out);
    }
    return result;
  }
  // Any word: k-way union through a sort of every posting.
  for (size_t w = 0; w < lists.size(); ++w) {
    for (const auto& [slot, tf] : lists[w]) {
      result.push_back({slot, Bm25(tf, slot, idf[w]), w < 32 ? 1U << w : 0U});
    }
  }
  std::sort(result.begin(), result.end(),
            [](const TextMatch& a, const TextMatch& b) { return a.slot < b.slot; });
  size_t out = 0;
  for (size_t i = 0; i < result.size(); ++i) {
    if (out > 0 && result[out - 1].slot == result[i].slot) {
      result[out - 1].score += result[i].score;
      result[out - 1].words |= result[i].words;
    } else {
      result[out++] = result[i];
    }
  }
  result.resize(out);
  return result;
}

void TextIndex::ShrinkToFit() {
  for (Postings& p : postings_) {
    p.slots.shrink_to_fit();
    p.tf.shrink_to_fit();
  }
  postings_.shrink_to_fit();
  doc_length_.shrink_to_fit();
  in_main_.shrink_to_fit();
}

int64_t TextIndex::MemoryBytes() const {
  int64_t bytes = 0;
  for (const auto& [term, id] : term_ids_) bytes += static_cast<int64_t>(term.capacity() + 48);
  for (const Postings& p : postings_) {
    bytes += static_cast<int64_t>(p.slots.capacity() * 4 + p.tf.capacity() + sizeof(Postings));
  }
  bytes += static_cast<int64_t>(doc_length_.capacity() * 2 + in_main_.capacity());
  bytes += static_cast<int64_t>(stale_.getSizeInBytes());
  for (const auto& [slot, doc] : delta_docs_)
    bytes += static_cast<int64_t>(doc.capacity() * 8 + 48);
  for (const auto& [term, slots] : delta_postings_) {
    bytes += static_cast<int64_t>(slots.capacity() * 4 + 48);
  }
  return bytes;
}

}  // namespace seedcast::search

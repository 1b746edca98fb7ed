// The search index: its mutations (under the writer lock) and the query path, in phases that
// each live in a file of their own (under the reader lock): the words and the lookalike target
// (here), the filters' candidates (filters.cc), the matches with a relevance (here), the counts,
// facets and top results (gather.cc), and the hits with their reasons (explain.cc). The storage
// is in columns.h.
#include "search/index.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <unordered_map>

#include "search/columns.h"
#include "search/explain.h"
#include "search/filters.h"
#include "search/gather.h"
#include "search/lookalike.h"
#include "search/query_pool.h"
#include "search/text_index.h"
#include "search/units.h"

namespace seedcast::search {

using internal::kNoSlot;
using internal::kNoValue16;
using internal::kNoValue32;
using internal::NicheBits;
using internal::TierCode;

namespace {

// The lookalike target: the account with the handle (on the platform, when given) with the most
// followers.
Result<uint32_t> FindTarget(const internal::Columns& c, const Query& q) {
  std::optional<uint32_t> target;
  for (uint32_t s : c.SlotsByHandle(q.lookalike_handle)) {
    if (!q.lookalike_platform.empty() &&
        c.platforms.Name(c.rows[s].platform) != q.lookalike_platform)
      continue;
    if (!target || c.rows[s].followers > c.rows[*target].followers) target = s;
  }
  if (!target) return NotFound("lookalike: no account @" + q.lookalike_handle + " in the index");
  return *target;
}

// The slots most similar to `target` that pass `accept` (and match the text, when the query has
// some), with their similarity. A selective filter leaves few accounts: they are scanned exactly.
// Otherwise the graph is asked for enough neighbours that offset + limit of them pass.
std::vector<internal::Match> LookalikeMatches(const LookalikeIndex& lookalike,
                                              const internal::Columns& c, const Query& q,
                                              uint32_t target, uint64_t pool,
                                              const std::vector<TextMatch>& text_matches,
                                              const std::function<bool(uint32_t)>& accept,
                                              std::vector<std::string>* notes) {
  const LookalikeProfile& v = *lookalike.Get(target);
  const bool has_text = !q.text.empty();
  std::unordered_map<uint32_t, const TextMatch*> by_slot;
  for (const TextMatch& m : text_matches) by_slot.emplace(m.slot, &m);
  auto accept_similar = [&](uint32_t s) {
    return s != target && accept(s) && (!has_text || by_slot.count(s) > 0);
  };
  const size_t want = static_cast<size_t>(q.offset) + static_cast<size_t>(q.limit);
  std::vector<std::pair<uint32_t, float>> near;
  if (!lookalike.has_graph() || pool <= 50'000 || has_text) {
    near = lookalike.Exact(v, want, accept_similar);
    notes->push_back("lookalike: exact search");
  } else {
    const double pass =
        std::max(0.001, static_cast<double>(pool) /
                            static_cast<double>(std::max<uint64_t>(1, c.live.cardinality())));
    const size_t k = std::min<size_t>(
        static_cast<size_t>(static_cast<double>(want + 1) / pass * 1.5) + 16, 20'000);
    for (const auto& [s, sim] : lookalike.Approximate(v, k)) {
      if (near.size() < want && accept_similar(s)) near.emplace_back(s, sim);
    }
    notes->push_back("lookalike: approximate (HNSW), " + std::to_string(k) + " neighbours checked");
  }
  std::vector<internal::Match> matches;
  for (const auto& [s, sim] : near) {
    auto it = by_slot.find(s);
    matches.push_back({s, sim, it == by_slot.end() ? 0U : it->second->words});
  }
  // Lookalike totals count the nearest neighbours returned, not the whole filtered population.
  notes->push_back("lookalike: total counts the neighbours found, up to offset + limit");
  return matches;
}

}  // namespace

CreatorIndex::CreatorIndex(IndexOptions options)
    : options_(std::move(options)),
      columns_(std::make_unique<internal::Columns>()),
      text_(std::make_unique<TextIndex>()),
      lookalike_(options_.lookalikes ? std::make_unique<LookalikeIndex>() : nullptr),
      pool_(std::make_unique<QueryPool>(std::max(0, options_.query_threads - 1))) {}

CreatorIndex::~CreatorIndex() = default;

CreatorIndex::Prepared CreatorIndex::Prepare(const AccountDoc& doc) const {
  Prepared p{.niches = NicheBits(doc.niches)};
  if (lookalike_) p.profile = MakeLookalikeProfile(p.niches, doc.audience, HashtagBits(doc.terms));
  return p;
}

void CreatorIndex::Upsert(const AccountDoc& doc) {
  const Prepared prepared = Prepare(doc);
  WriterLock lock(&mu_);
  UpsertLocked(doc, prepared);
}

void CreatorIndex::UpsertBatch(std::span<const AccountDoc> docs) {
  std::vector<Prepared> prepared;
  prepared.reserve(docs.size());
  for (const AccountDoc& doc : docs) prepared.push_back(Prepare(doc));
  WriterLock lock(&mu_);
  columns_->ranges.ready = false;  // RebuildRangeBitmaps builds them once, after the load
  for (size_t i = 0; i < docs.size(); ++i) UpsertLocked(docs[i], prepared[i]);
}

void CreatorIndex::UpsertLocked(const AccountDoc& doc, const Prepared& prepared) {
  internal::Columns& c = *columns_;
  std::optional<uint32_t> existing = c.SlotOf(doc.account_id);
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

std::optional<int64_t> CreatorIndex::CreatorOf(int64_t account_id) const {
  ReaderLock lock(&mu_);
  std::optional<uint32_t> slot = columns_->SlotOf(account_id);
  if (!slot) return std::nullopt;
  return columns_->creator_id[*slot];
}

std::optional<int64_t> CreatorIndex::Remove(int64_t account_id) {
  WriterLock lock(&mu_);
  std::optional<uint32_t> slot = columns_->SlotOf(account_id);
  if (!slot || !columns_->live.contains(*slot)) return std::nullopt;
  columns_->Unlink(*slot);
  text_->Remove(*slot);
  if (lookalike_) lookalike_->Remove(*slot);
  return columns_->creator_id[*slot];
}

void CreatorIndex::SetBookings(int64_t creator_id, std::vector<Booking> bookings) {
  WriterLock lock(&mu_);
  if (bookings.empty()) {
    bookings_.erase(creator_id);
  } else {
    bookings_[creator_id] = std::move(bookings);
  }
}

void CreatorIndex::Reserve(size_t accounts, int64_t max_account_id) {
  WriterLock lock(&mu_);
  internal::Columns& c = *columns_;
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
  WriterLock lock(&mu_);
  internal::Columns& c = *columns_;
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
  WriterLock lock(&mu_);
  columns_->RebuildRanges(threads);
}

bool CreatorIndex::BuildLookalikeGraph(int threads, const std::atomic<bool>* cancel) {
  if (!lookalike_) return false;
  // Searches and updates go on while the graph is built (minutes at 10M): the lock is held only
  // to copy the profiles and to put the graph in place with what changed meanwhile.
  LookalikeIndex::Snapshot snapshot;
  {
    WriterLock lock(&mu_);
    if (lookalike_->has_graph()) return true;
    if (lookalike_->building_graph()) return false;
    snapshot = lookalike_->StartSnapshot();
  }
  std::unique_ptr<HnswGraph> graph = LookalikeIndex::BuildGraphOf(snapshot, threads, cancel);
  snapshot = {};
  // What changed during the build is caught up outside the lock too, in rounds, until little is
  // left for the lock: each round's changes came while the last one was applied.
  constexpr size_t kFewChanges = 1'000;
  for (int round = 0; graph != nullptr && round < 5; ++round) {
    LookalikeIndex::Changes changes;
    {
      WriterLock lock(&mu_);
      changes = lookalike_->TakeChanges();
    }
    LookalikeIndex::ApplyTo(*graph, changes);
    if (changes.size() < kFewChanges) break;
  }
  const bool built = graph != nullptr;
  WriterLock lock(&mu_);
  lookalike_->InstallGraph(std::move(graph));
  return built;
}

int64_t CreatorIndex::size() const {
  ReaderLock lock(&mu_);
  return static_cast<int64_t>(columns_->live.cardinality());
}

MemoryReport CreatorIndex::Memory() const {
  ReaderLock lock(&mu_);
  return {static_cast<int64_t>(columns_->live.cardinality()), columns_->Bytes(),
          text_->MemoryBytes(), lookalike_ ? lookalike_->MemoryBytes() : 0};
}

std::vector<int64_t> CreatorIndex::ExactLookalikes(int64_t account_id, int k) const {
  ReaderLock lock(&mu_);
  std::vector<int64_t> out;
  auto slot = columns_->SlotOf(account_id);
  if (!lookalike_ || !slot || lookalike_->Get(*slot) == nullptr) return out;
  const uint32_t self = *slot;
  for (const auto& [s, sim] : lookalike_->Exact(*lookalike_->Get(self), static_cast<size_t>(k),
                                                [self](uint32_t x) { return x != self; })) {
    out.push_back(columns_->account_id[s]);
  }
  return out;
}

std::vector<int64_t> CreatorIndex::ApproximateLookalikes(int64_t account_id, int k) const {
  ReaderLock lock(&mu_);
  std::vector<int64_t> out;
  auto slot = columns_->SlotOf(account_id);
  if (!lookalike_ || !slot || lookalike_->Get(*slot) == nullptr) return out;
  for (const auto& [s, sim] :
       lookalike_->Approximate(*lookalike_->Get(*slot), static_cast<size_t>(k) + 1)) {
    if (s != *slot && out.size() < static_cast<size_t>(k)) out.push_back(columns_->account_id[s]);
  }
  return out;
}

std::optional<float> CreatorIndex::LookalikeSimilarity(int64_t a, int64_t b) const {
  ReaderLock lock(&mu_);
  auto slot_a = columns_->SlotOf(a);
  auto slot_b = columns_->SlotOf(b);
  if (!lookalike_ || !slot_a || !slot_b) return std::nullopt;
  const LookalikeProfile* pa = lookalike_->Get(*slot_a);
  const LookalikeProfile* pb = lookalike_->Get(*slot_b);
  if (pa == nullptr || pb == nullptr) return std::nullopt;
  return Similarity(*pa, *pb);
}

Result<SearchResult> CreatorIndex::Search(const Query& q) const {
  const auto start = std::chrono::steady_clock::now();
  ReaderLock lock(&mu_);
  const internal::Columns& c = *columns_;
  SearchResult result;

  // The words, and the lookalike target.
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
  std::string target_name;
  if (!q.lookalike_handle.empty()) {
    if (!lookalike_)
      return FailedPrecondition("lookalikes_off", "lookalikes are off in this index");
    SEEDCAST_ASSIGN_OR_RETURN(target, FindTarget(c, q));
    target_name =
        "@" + q.lookalike_handle + " (" + c.platforms.Name(c.rows[*target].platform) + ")";
  }

  // The filters' candidates.
  internal::Filters filters(c, options_.tiers, bookings_, q);
  Roaring candidate_storage;
  const Roaring* candidates = filters.Candidates(&candidate_storage);
  auto accept = [&](uint32_t s) {
    if (candidates ? !candidates->contains(s) : !c.live.contains(s)) return false;
    return filters.exact() || filters.Passes(s);
  };

  // The matching slots with a relevance (lookalike similarity, or text score).
  std::vector<internal::Match> matches;
  if (target) {
    const uint64_t pool = candidates ? candidates->cardinality() : c.live.cardinality();
    matches =
        LookalikeMatches(*lookalike_, c, q, *target, pool, text_matches, accept, &result.notes);
  } else if (has_text) {
    for (const TextMatch& m : text_matches) {
      if (accept(m.slot)) matches.push_back({m.slot, m.score, m.words});
    }
  }

  // The total, the facet counts and the top results.
  const internal::Gatherer gatherer(c, filters, q, options_, *pool_);
  internal::Partial all =
      gatherer.Collect(candidates, target || has_text ? &matches : nullptr, target.has_value());
  result.total = all.total;

  // The hits with their reasons, and the facet lists.
  const internal::Explainer explainer(c, filters, q, options_.tiers, words, target,
                                      std::move(target_name));
  const std::vector<internal::Ranked> ranked = gatherer.Sorted(std::move(all.heap));
  for (size_t i = static_cast<size_t>(q.offset); i < ranked.size(); ++i) {
    result.hits.push_back(explainer.Explain(ranked[i]));
  }
  result.facets = explainer.Facets(all);
  result.took_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace seedcast::search

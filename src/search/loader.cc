#include "search/loader.h"

#include <simdjson.h>

#include <algorithm>
#include <iterator>
#include <map>
#include <mutex>
#include <thread>

#include "common/text.h"

namespace seedcast::search {
namespace {

using storage::Database;
using storage::Row;

constexpr std::string_view kAccountSql =
    "SELECT id, creator_id, platform, handle, followers, engagement_rate, niches, country, "
    "language, audience, rates_cents, quality_score, bio, captions FROM accounts "
    "WHERE review_status = 'approved' AND";

// Decodes the JSON columns with simdjson: the loader reads millions of them.
class RowDecoder {
 public:
  Status Decode(const Row& r, Analyzer& analyzer, AccountDoc* d) {
    d->account_id = r.Int(0);
    d->creator_id = r.Int(1);
    d->platform = r.Text(2);
    d->handle = r.Text(3);
    d->followers = r.IsNull(4) ? 0 : r.Int(4);
    d->engagement_rate = r.IsNull(5) ? std::nullopt : std::optional(r.Real(5));
    d->niches.clear();
    for (std::string_view n : text::Split(r.Text(6), ",")) d->niches.emplace_back(n);
    d->country = r.Text(7);
    d->language = r.Text(8);
    d->audience = {};
    SEEDCAST_RETURN_IF_ERROR(Audience(r.Text(9), &d->audience));
    d->rate_cents.reset();
    SEEDCAST_RETURN_IF_ERROR(Rates(r.Text(10), &d->rate_cents));
    d->quality_score = r.IsNull(11) ? std::nullopt : std::optional(r.Real(11));
    d->terms.clear();
    analyzer.Analyze(r.Text(12), d->language, &d->terms);
    return Captions(r.Text(13), analyzer, d);
  }

 private:
  simdjson::ondemand::document& Parse(std::string_view json) {
    buffer_.assign(json.begin(), json.end());
    buffer_.resize(json.size() + simdjson::SIMDJSON_PADDING);
    doc_ = parser_.iterate(buffer_.data(), json.size(), buffer_.size());
    return doc_;
  }
  Status Bad(std::string_view what) {
    return Internal("stored " + std::string(what) + " is not valid JSON");
  }

  Status Audience(std::string_view json, model::Audience* a) {
    if (json.size() <= 2) return Status::Ok();
    simdjson::ondemand::object groups;
    if (Parse(json).get_object().get(groups)) return Bad("audience");
    for (auto group : groups) {
      std::string_view key;
      simdjson::ondemand::object shares;
      if (group.unescaped_key().get(key) || group.value().get_object().get(shares))
        return Bad("audience");
      auto& target = key == "countries" ? a->countries : key == "genders" ? a->genders : a->ages;
      for (auto share : shares) {
        std::string_view name;
        double v = 0;
        if (share.unescaped_key().get(name) || share.value().get_double().get(v))
          return Bad("audience");
        target.emplace(std::string(name), v);
      }
    }
    return Status::Ok();
  }
  Status Rates(std::string_view json, std::optional<int64_t>* low) {
    if (json.size() <= 2) return Status::Ok();
    simdjson::ondemand::object rates;
    if (Parse(json).get_object().get(rates)) return Bad("rates");
    for (auto rate : rates) {
      int64_t cents = 0;
      if (rate.value().get_int64().get(cents)) return Bad("rates");
      if (!*low || cents < **low) *low = cents;
    }
    return Status::Ok();
  }
  Status Captions(std::string_view json, Analyzer& analyzer, AccountDoc* d) {
    if (json.size() <= 2) return Status::Ok();
    simdjson::ondemand::array items;
    if (Parse(json).get_array().get(items)) return Bad("captions");
    for (auto item : items) {
      std::string_view caption;
      if (item.get_string().get(caption)) return Bad("captions");
      analyzer.Analyze(caption, d->language, &d->terms);
    }
    return Status::Ok();
  }

  simdjson::ondemand::parser parser_;
  simdjson::ondemand::document doc_;
  std::string buffer_;
};

Status LoadBookings(Database& db, const BookingRule& rule, const std::set<int64_t>* only,
                    CreatorIndex* index, int64_t* count) {
  std::map<int64_t, std::vector<Booking>> bookings;
  std::string sql = BookingSql(rule);
  if (only != nullptr) {
    sql += " AND a.creator_id IN (";
    bool first = true;
    for (int64_t id : *only) {
      sql += (first ? "" : ",") + std::to_string(id);
      first = false;
    }
    sql += ")";
  }
  SEEDCAST_RETURN_IF_ERROR(db.Query(sql, {}, [&](const Row& r) {
    bookings[r.Int(0)].push_back({r.Int(1), r.Int(2), r.Int(3)});
    return Status::Ok();
  }));
  if (only != nullptr) {
    for (int64_t id : *only) index->SetBookings(id, {});
  }
  for (auto& [creator, list] : bookings) {
    if (count != nullptr) *count += static_cast<int64_t>(list.size());
    index->SetBookings(creator, std::move(list));
  }
  return Status::Ok();
}

}  // namespace

std::string BookingSql(const BookingRule& rule) {
  std::string sql =
      "SELECT a.creator_id, a.campaign_id, COALESCE(c.starts_at_ms, 0), "
      "COALESCE(c.ends_at_ms, 9223372036854775807) FROM assignments a "
      "JOIN campaigns c ON c.id = a.campaign_id WHERE c.status <> 'cancelled'";
  if (rule.released_states.empty()) return sql;
  sql += " AND a.state NOT IN (";
  for (size_t i = 0; i < rule.released_states.size(); ++i) {
    // State names are identifiers of the state machine, never user input.
    sql += (i == 0 ? "'" : ", '") + rule.released_states[i] + "'";
  }
  return sql + ")";
}

AccountDoc DocFromAccount(const model::Account& a, Analyzer& analyzer) {
  AccountDoc d;
  d.account_id = a.id;
  d.creator_id = a.creator_id;
  d.platform = a.platform;
  d.handle = a.handle;
  d.followers = a.followers.value_or(0);
  d.engagement_rate = a.engagement_rate;
  d.quality_score = a.quality_score;
  d.rate_cents = model::LowestRate(a.rates_cents);
  d.niches = a.niches;
  d.country = a.country;
  d.language = a.language;
  d.audience = a.audience;
  analyzer.Analyze(a.bio, a.language, &d.terms);
  for (const std::string& c : a.captions) analyzer.Analyze(c, a.language, &d.terms);
  return d;
}

Result<LoadStats> LoadIndex(const std::string& url, Database* db, int threads,
                            const BookingRule& bookings, CreatorIndex* index) {
  const auto start = std::chrono::steady_clock::now();
  std::unique_ptr<Database> own;
  if (db == nullptr) {
    SEEDCAST_ASSIGN_OR_RETURN(own, storage::OpenDatabase(url));
    db = own.get();
  }
  LoadStats stats;
  // The cursor is read first: changes racing with the load are applied again, which is harmless.
  SEEDCAST_ASSIGN_OR_RETURN(stats.cursor,
                            db->QueryInt("SELECT COALESCE(MAX(seq), 0) FROM index_changes"));
  SEEDCAST_ASSIGN_OR_RETURN(int64_t max_id,
                            db->QueryInt("SELECT COALESCE(MAX(id), 0) FROM accounts"));
  // Account ids are dense: the largest sizes the columns for the load.
  index->Reserve(static_cast<size_t>(max_id), max_id);
  constexpr int64_t kChunk = 100'000;
  std::atomic<int64_t> next_chunk{0};
  std::atomic<int64_t> loaded{0};
  std::mutex error_mu;
  Status error;
  auto work = [&](Database& conn) {
    Analyzer analyzer;
    RowDecoder decoder;
    // Decoded accounts go into the index in batches, one lock each: a lock per account had the
    // loader threads waiting on each other.
    constexpr size_t kBatch = 512;
    std::vector<AccountDoc> batch(kBatch);
    size_t used = 0;
    auto flush = [&] {
      index->UpsertBatch(std::span(batch.data(), used));
      loaded += static_cast<int64_t>(used);
      used = 0;
    };
    const std::string sql = std::string(kAccountSql) + " id >= ? AND id < ?";
    for (int64_t chunk = next_chunk++; chunk * kChunk <= max_id; chunk = next_chunk++) {
      Status s = conn.Query(sql, {chunk * kChunk, (chunk + 1) * kChunk}, [&](const Row& r) {
        SEEDCAST_RETURN_IF_ERROR(decoder.Decode(r, analyzer, &batch[used]));
        if (++used == kBatch) flush();
        return Status::Ok();
      });
      flush();
      if (!s.ok()) {
        std::lock_guard lock(error_mu);
        error = s;
        return;
      }
    }
  };
  std::vector<std::unique_ptr<Database>> conns;
  for (int t = 1; t < threads; ++t) {
    SEEDCAST_ASSIGN_OR_RETURN(auto conn, storage::OpenDatabase(url));
    conns.push_back(std::move(conn));
  }
  std::vector<std::thread> pool;
  pool.reserve(conns.size());
  for (auto& conn : conns) pool.emplace_back([&work, &conn] { work(*conn); });
  work(*db);
  for (std::thread& t : pool) t.join();
  if (!error.ok()) return error.WithContext("loading the search index");
  stats.accounts = loaded;
  index->ShrinkToFit();
  index->RebuildRangeBitmaps(threads);
  SEEDCAST_RETURN_IF_ERROR(LoadBookings(*db, bookings, nullptr, index, &stats.bookings));
  stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return stats;
}

Status IndexFollower::ReloadAccounts(Database& db, const std::set<int64_t>& ids,
                                     std::set<int64_t>* changed, bool* untraced) {
  RowDecoder decoder;
  AccountDoc doc;
  std::set<int64_t> missing = ids;
  const std::string sql = std::string(kAccountSql) + " id = ?";
  for (int64_t id : ids) {
    Status s = db.Query(sql, {id}, [&](const Row& r) {
      SEEDCAST_RETURN_IF_ERROR(decoder.Decode(r, analyzer_, &doc));
      index_.Upsert(doc);
      changed->insert(doc.creator_id);
      missing.erase(id);
      return Status::Ok();
    });
    if (!s.ok()) return s;
  }
  for (int64_t id : missing) {
    if (std::optional<int64_t> creator = index_.Remove(id)) {
      changed->insert(*creator);
    } else if (!index_.CreatorOf(id)) {
      *untraced = true;
    }
  }
  return Status::Ok();
}

Status IndexFollower::ReloadBookings(Database& db, const std::set<int64_t>& creator_ids) {
  return LoadBookings(db, bookings_, &creator_ids, &index_, nullptr);
}

Result<int64_t> IndexFollower::PollOnce(Database& db) {
  constexpr int64_t kBatch = 50'000;
  static constexpr auto kGapPatience = std::chrono::seconds(10);
  std::set<int64_t> accounts;
  std::set<int64_t> creators;
  std::set<int64_t> campaigns;
  std::set<int64_t> profiles;  // creators whose own row or accounts changed
  int64_t read = 0;
  // Published only after the changes are applied, so cursor() never runs ahead of the index,
  // and a failed reload is read again at the next poll.
  int64_t cursor = cursor_.load();
  auto collect = [&](const Row& r) {
    const int64_t seq = r.Int(0);
    const std::string_view kind = r.Text(1);
    const int64_t id = r.Int(2);
    ++read;
    gaps_.erase(seq);
    if (seq > cursor) {
      constexpr int64_t kMaxGap = 1000;  // a wider jump is a sequence skip, not open transactions
      for (int64_t missing = std::max(cursor + 1, seq - kMaxGap); missing < seq; ++missing) {
        gaps_.emplace(missing, std::chrono::steady_clock::now());
      }
      cursor = seq;
    }
    if (kind == "account") accounts.insert(id);
    if (kind == "creator") creators.insert(id);
    if (kind == "campaign") campaigns.insert(id);
    if (kind == "profile") profiles.insert(id);
    return Status::Ok();
  };
  // Entries not yet visible when the cursor passed them, first.
  const auto now = std::chrono::steady_clock::now();
  std::erase_if(gaps_, [now](const auto& g) { return now - g.second > kGapPatience; });
  for (const auto& [seq, since] : std::map(gaps_)) {
    SEEDCAST_RETURN_IF_ERROR(
        db.Query("SELECT seq, kind, ref_id FROM index_changes WHERE seq = ?", {seq}, collect));
  }
  int64_t before = 0;
  do {
    before = read;
    SEEDCAST_RETURN_IF_ERROR(
        db.Query("SELECT seq, kind, ref_id FROM index_changes WHERE seq > ? ORDER BY seq LIMIT " +
                     std::to_string(kBatch),
                 {cursor}, collect));
  } while (read - before == kBatch);
  if (!campaigns.empty()) {
    for (int64_t campaign : campaigns) {
      SEEDCAST_RETURN_IF_ERROR(db.Query("SELECT creator_id FROM assignments WHERE campaign_id = ?",
                                        {campaign}, [&creators](const Row& r) {
                                          creators.insert(r.Int(0));
                                          return Status::Ok();
                                        }));
    }
  }
  // The creators the index knows are told at once: a reload of many accounts takes a while.
  for (int64_t account : accounts) {
    if (std::optional<int64_t> creator = index_.CreatorOf(account)) profiles.insert(*creator);
  }
  if (on_creators_changed_ && !profiles.empty()) {
    const std::vector<int64_t> known(profiles.begin(), profiles.end());
    on_creators_changed_(known, false);
  }
  std::set<int64_t> reloaded;
  bool untraced = false;
  if (!accounts.empty()) {
    SEEDCAST_RETURN_IF_ERROR(ReloadAccounts(db, accounts, &reloaded, &untraced));
  }
  if (!creators.empty()) SEEDCAST_RETURN_IF_ERROR(ReloadBookings(db, creators));
  std::vector<int64_t> later;  // new accounts' creators
  std::set_difference(reloaded.begin(), reloaded.end(), profiles.begin(), profiles.end(),
                      std::back_inserter(later));
  if (on_creators_changed_ && (!later.empty() || untraced)) on_creators_changed_(later, untraced);
  cursor_ = cursor;
  return read;
}

void IndexFollower::Start(std::chrono::milliseconds interval,
                          std::function<void(const Status&)> on_error, Reopen reopen) {
  running_ = true;
  thread_ =
      std::thread([this, interval, on_error = std::move(on_error), reopen = std::move(reopen)] {
        while (running_) {
          auto polled = PollOnce();
          if (polled.ok()) {
            last_ok_ms_ = SteadyNowMs();
          } else {
            ++failures_;
            last_error_ms_ = SteadyNowMs();
            if (on_error) on_error(polled.status());
            if (reopen && !db_->Alive()) {
              if (auto fresh = reopen(); fresh.ok()) {
                own_ = std::move(fresh).value();
                db_ = own_.get();
              }
            }
          }
          for (auto waited = std::chrono::milliseconds(0); running_ && waited < interval;
               waited += std::chrono::milliseconds(10)) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
          }
        }
      });
}

void IndexFollower::Stop() {
  running_ = false;
  if (thread_.joinable()) thread_.join();
}

}  // namespace seedcast::search

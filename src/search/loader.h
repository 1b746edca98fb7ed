// Loading the index from the store, and keeping it current.
//
// LoadIndex reads every account (in parallel over id ranges, one connection per thread) and every
// booking. IndexFollower then follows the store's change feed (index_changes, written by triggers
// in the writer's transaction) and re-reads what changed, so a write from any process shows in
// results within one polling interval.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "search/analyzer.h"
#include "search/index.h"
#include "storage/database.h"

namespace seedcast::search {

// Which assignment states no longer hold a creator's time. The campaign state machine owns the
// list (campaign::ReleasedBookingStates); search only turns it into SQL.
struct BookingRule {
  std::vector<std::string> released_states;
};

// The query that reads every booking: (creator, campaign, from, to) of each assignment whose
// state is not released, in campaigns that are not cancelled.
std::string BookingSql(const BookingRule& rule);

struct LoadStats {
  int64_t accounts = 0;
  int64_t bookings = 0;
  int64_t cursor = 0;  // the last change-feed entry the loaded state includes
  double seconds = 0;
};

// Fills `index` from the database at `url`. With threads > 1 each thread opens its own connection
// (an in-memory SQLite database cannot be shared: use threads = 1 and pass it as `db`).
Result<LoadStats> LoadIndex(const std::string& url, storage::Database* db, int threads,
                            const BookingRule& bookings, CreatorIndex* index);

// Builds the AccountDoc of a stored account (used when the caller already has a model::Account).
AccountDoc DocFromAccount(const model::Account& account, Analyzer& analyzer);

class IndexFollower {
 public:
  IndexFollower(storage::Database& db, CreatorIndex& index, int64_t cursor, BookingRule bookings)
      : db_(&db), index_(index), cursor_(cursor), bookings_(std::move(bookings)) {}
  ~IndexFollower() { Stop(); }
  IndexFollower(const IndexFollower&) = delete;
  IndexFollower& operator=(const IndexFollower&) = delete;

  // Applies every change after the cursor. Returns how many entries it read.
  Result<int64_t> PollOnce() { return PollOnce(*db_); }
  // The same through another connection to the same store (an in-memory SQLite database has
  // only one). Not while Start()'s thread runs.
  Result<int64_t> PollOnce(storage::Database& db);

  // Polls every `interval` on a thread of its own until Stop(). Errors are passed to `on_error`;
  // after one, when the connection is dead and `reopen` is given, the follower polls through a
  // new connection from it from then on (tried again at each poll until one opens).
  using Reopen = std::function<Result<std::unique_ptr<storage::Database>>()>;
  void Start(std::chrono::milliseconds interval, std::function<void(const Status&)> on_error,
             Reopen reopen = {});
  void Stop();

  // Safe to read from any thread while the follower runs.
  int64_t cursor() const { return cursor_.load(); }
  // When a poll last succeeded and last failed (steady clock, ms; 0 before the first), and how
  // many failed. Healthy when the last poll succeeded.
  int64_t last_ok_ms() const { return last_ok_ms_.load(); }
  int64_t last_error_ms() const { return last_error_ms_.load(); }
  int64_t failures() const { return failures_.load(); }
  bool healthy() const {
    const int64_t error = last_error_ms_.load();
    return error == 0 || last_ok_ms_.load() > error;
  }

  // Told of the creators whose own row or accounts changed (not bookings): those the index
  // already knows as soon as a poll has read the feed, before it reloads anything; the creators
  // of new accounts once they are reloaded. `everything` is true when a change cannot be
  // traced to a creator (an account deleted before the index ever held it). Set before Start()
  // or the first PollOnce().
  using CreatorsChanged = std::function<void(std::span<const int64_t> creators, bool everything)>;
  void OnCreatorsChanged(CreatorsChanged listener) { on_creators_changed_ = std::move(listener); }

 private:
  // Adds the creators of the accounts it found to `changed`; sets `untraced` for a deleted
  // account the index never held.
  Status ReloadAccounts(storage::Database& db, const std::set<int64_t>& ids,
                        std::set<int64_t>* changed, bool* untraced);
  Status ReloadBookings(storage::Database& db, const std::set<int64_t>& creator_ids);

  storage::Database* db_;  // the given connection, or own_ once reopened
  std::unique_ptr<storage::Database> own_;
  CreatorIndex& index_;
  std::atomic<int64_t> cursor_;
  BookingRule bookings_;
  // Entries below the cursor that were not visible yet (PostgreSQL commits out of order), with
  // when they were first missed; they are looked for again for a while.
  std::map<int64_t, std::chrono::steady_clock::time_point> gaps_;
  Analyzer analyzer_;
  CreatorsChanged on_creators_changed_;
  std::atomic<bool> running_{false};
  std::atomic<int64_t> last_ok_ms_{0};
  std::atomic<int64_t> last_error_ms_{0};
  std::atomic<int64_t> failures_{0};
  std::thread thread_;
};

}  // namespace seedcast::search

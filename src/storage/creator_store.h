// CreatorStore: creators and their platform accounts, on any Database backend.
//
// Accounts are keyed by (platform, handle). Upserting an existing account overwrites only the
// fields that are present (an empty string, an empty map or an empty optional means "not given"),
// so a file carrying a subset of columns refreshes those and leaves the rest.
//
// Borrows the Database and Clock, which must outlive it. Not thread-safe (neither is a Database).
// Callers group writes with InTransaction() for speed and atomicity.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "model/creator.h"
#include "storage/database.h"

namespace seedcast::storage {

// Creator-level fields that come with an account row; empty means "not given".
struct CreatorFields {
  int64_t creator_id = 0;  // when set, a new account joins this creator (ref is then ignored)
  std::string ref;
  std::string name;
  std::string country;
  std::string language;
};

struct UpsertOutcome {
  int64_t creator_id = 0;
  int64_t account_id = 0;
  bool created = false;  // a new account (and, unless `ref` matched, a new creator)
};

// One row of a batch upsert: a creator's fields and one account.
struct BatchRow {
  CreatorFields creator;
  model::Account account;
};

struct BatchOutcome {
  enum Kind { kCreated, kUpdated, kRejected } kind = kRejected;
  std::string reason;  // for kRejected
};

class CreatorStore {
 public:
  CreatorStore(Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Inserts or updates the account with this (platform, handle). A new account joins the creator
  // `creator.creator_id` when set, else the creator with the same `ref` when there is one, else a
  // new creator. The account must pass ValidateAccount.
  Result<UpsertOutcome> UpsertAccount(const CreatorFields& creator, const model::Account& account);

  // Upserts many rows with the effect of UpsertAccount on each, in order, provided no (platform,
  // handle) repeats among them (callers split a batch there). Set-wise: existing accounts and
  // creators are looked up in key order; new creators and accounts are written by multi-row
  // inserts in key order; updates are staged in unindexed temporary tables and merged by one
  // UPDATE ... FROM each. A row that UpsertAccount would refuse (a new account without followers)
  // is kRejected, and the others are stored. Must run inside a transaction.
  Result<std::vector<BatchOutcome>> UpsertAccounts(const std::vector<BatchRow>& rows);
  // Stores a new creator and its accounts, filling in their ids. Fails with kAlreadyExists when an
  // account's (platform, handle) or the creator's ref already exists.
  Status InsertCreator(model::Creator& creator);

  Result<std::optional<model::Creator>> GetCreator(int64_t creator_id);
  // Creators with an account of this handle; on every platform when `platform` is empty.
  Result<std::vector<model::Creator>> FindByHandle(std::string_view handle,
                                                   std::string_view platform);

  // Streams every creator with its accounts, in id order.
  Status ForEachCreator(const std::function<Status(const model::Creator&)>& on_creator);
  // Up to `limit` creators with ids above `after_id`, by id (a page of a cursor listing).
  Result<std::vector<model::Creator>> CreatorsAfter(int64_t after_id, int limit);
  // One account, whatever its review status (the catalogue reads above list approved ones only).
  Result<std::optional<model::Account>> GetAccount(int64_t account_id);
  // Streams every account in id order.
  Status ForEachAccount(const std::function<Status(const model::Account&)>& on_account);

  // Deletes the creators whose ref starts with `prefix` (and their accounts). Returns how many.
  Result<int64_t> DeleteCreatorsByRefPrefix(std::string_view prefix);

  // Sets one account's audience quality score (0-1); NotFound when there is no such account.
  Status SetQualityScore(int64_t account_id, double score);

  Result<int64_t> CountCreators();
  Result<int64_t> CountAccounts();

 private:
  Result<int64_t> CreatorIdForNewAccount(const CreatorFields& creator, int64_t now_ms);
  Result<int64_t> InsertCreatorRow(const CreatorFields& creator, int64_t now_ms);
  // Overwrites the given (non-empty) creator-level fields.
  Status UpdateCreatorFields(int64_t creator_id, const CreatorFields& creator, int64_t now_ms);
  Status InsertAccount(int64_t creator_id, const model::Account& account, int64_t now_ms,
                       int64_t* account_id);

  Database& db_;
  const Clock& clock_;
};

}  // namespace seedcast::storage

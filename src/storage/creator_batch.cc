// CreatorStore::UpsertAccounts: the set-wise upsert behind fast imports.
#include <algorithm>
#include <numeric>
#include <unordered_map>

#include "storage/account_values.h"
#include "storage/creator_store.h"

namespace seedcast::storage {
namespace {

using model::Account;

void MergeCreatorFields(const CreatorFields& later, CreatorFields* into) {
  if (!later.name.empty()) into->name = later.name;
  if (!later.country.empty()) into->country = later.country;
  if (!later.language.empty()) into->language = later.language;
}

bool HasCreatorFields(const CreatorFields& c) {
  return !c.name.empty() || !c.country.empty() || !c.language.empty();
}

constexpr std::string_view kSqliteStaging =
    "CREATE TEMP TABLE IF NOT EXISTS import_account_updates (account_id INTEGER, followers, "
    "following, posts, engagement_rate, avg_views, bio, niches, country, language, audience, "
    "rates_cents, has_profile_pic, is_private, external_url, extra, captions, quality_score);"
    "CREATE TEMP TABLE IF NOT EXISTS import_creator_updates (creator_id INTEGER, name, country, "
    "language);"
    "CREATE TEMP TABLE IF NOT EXISTS import_keys (seq INTEGER, platform TEXT, handle TEXT);";
constexpr std::string_view kPostgresStaging =
    "CREATE TEMP TABLE IF NOT EXISTS import_account_updates (account_id BIGINT, followers BIGINT, "
    "following BIGINT, posts BIGINT, engagement_rate DOUBLE PRECISION, avg_views BIGINT, bio TEXT, "
    "niches TEXT, country TEXT, language TEXT, audience TEXT, rates_cents TEXT, has_profile_pic "
    "BIGINT, is_private BIGINT, external_url TEXT, extra TEXT, captions TEXT, quality_score DOUBLE "
    "PRECISION);"
    "CREATE TEMP TABLE IF NOT EXISTS import_creator_updates (creator_id BIGINT, name TEXT, country "
    "TEXT, language TEXT);"
    "CREATE TEMP TABLE IF NOT EXISTS import_keys (seq BIGINT, platform TEXT, handle TEXT);";

constexpr std::string_view kMergeCreators =
    "UPDATE creators SET name = COALESCE(u.name, creators.name), "
    "country = COALESCE(u.country, creators.country), "
    "language = COALESCE(u.language, creators.language), updated_at_ms = ? "
    "FROM import_creator_updates u WHERE creators.id = u.creator_id";

Status EnsureStagingTables(Database& db) {
  return db.ExecuteScript(db.backend() == Backend::kPostgres ? kPostgresStaging : kSqliteStaging);
}

// PostgreSQL plans a join with a temporary table from its statistics, which a fresh one lacks:
// without them it may scan every account. SQLite plans from the indexes alone.
Status AnalyzeStaged(Database& db, std::string_view table) {
  if (db.backend() != Backend::kPostgres) return Status::Ok();
  return db.ExecuteScript("ANALYZE " + std::string(table));
}

// Ids for new creators, taken inside the caller's transaction: on SQLite, which holds the write
// lock, past the largest id; on PostgreSQL from the column's own sequence, so that concurrent
// writers never collide.
Result<std::vector<int64_t>> ReserveCreatorIds(Database& db, size_t count) {
  std::vector<int64_t> ids;
  if (count == 0) return ids;
  ids.reserve(count);
  auto collect = [&ids](const Row& r) {
    ids.push_back(r.Int(0));
    return Status::Ok();
  };
  if (db.backend() == Backend::kPostgres) {
    SEEDCAST_RETURN_IF_ERROR(db.Query(
        "SELECT nextval(pg_get_serial_sequence('creators', 'id')) FROM generate_series(1, ?)",
        {static_cast<int64_t>(count)}, collect));
    std::sort(ids.begin(), ids.end());
    return ids;
  }
  SEEDCAST_RETURN_IF_ERROR(db.Query("SELECT COALESCE(MAX(id), 0) FROM creators", {}, collect));
  const int64_t max_id = ids.at(0);
  ids.clear();
  for (size_t i = 0; i < count; ++i) ids.push_back(max_id + 1 + static_cast<int64_t>(i));
  return ids;
}

// What a batch will write: each row's outcome, account and creator.
struct BatchPlan {
  explicit BatchPlan(const std::vector<BatchRow>& r)
      : rows(r),
        out(r.size()),
        account_ids(r.size(), 0),
        creator_ids(r.size(), 0),
        new_slot(r.size(), -1),
        order(r.size()) {
    std::iota(order.begin(), order.end(), size_t{0});
    std::sort(order.begin(), order.end(), [&r](size_t a, size_t b) {
      return std::tie(r[a].account.platform, r[a].account.handle) <
             std::tie(r[b].account.platform, r[b].account.handle);
    });
  }
  bool Refused(size_t i) const { return out[i].kind == BatchOutcome::kRejected; }

  const std::vector<BatchRow>& rows;
  std::vector<BatchOutcome> out;  // kRejected until decided
  std::vector<int64_t> account_ids;
  std::vector<int64_t> creator_ids;
  std::vector<int64_t> new_slot;  // index into new_creators, or -1
  std::vector<size_t> order;      // rows by (platform, handle)
  std::vector<CreatorFields> new_creators;
  std::unordered_map<int64_t, CreatorFields> creator_updates;
};

// Existing accounts, found by one join of the batch's keys (staged in key order) with the
// accounts; invalid rows refused.
Status LookUpAccounts(Database& db, BatchPlan* plan) {
  std::vector<Value> keys;
  for (size_t i : plan->order) {
    const Account& a = plan->rows[i].account;
    if (Status valid = model::ValidateAccount(a); !valid.ok()) {
      plan->out[i].reason = valid.message();
      continue;
    }
    plan->out[i].kind = BatchOutcome::kCreated;  // until the join finds it
    keys.insert(keys.end(), {static_cast<int64_t>(i), std::string_view(a.platform),
                             std::string_view(a.handle)});
  }
  if (keys.empty()) return Status::Ok();
  SEEDCAST_RETURN_IF_ERROR(db.CopyRows("import_keys", "seq, platform, handle", 3, keys));
  SEEDCAST_RETURN_IF_ERROR(AnalyzeStaged(db, "import_keys"));
  SEEDCAST_RETURN_IF_ERROR(
      db.Query("SELECT k.seq, a.id, a.creator_id FROM import_keys k JOIN accounts a "
               "ON a.platform = k.platform AND a.handle = k.handle",
               {}, [plan](const Row& r) {
                 const auto i = static_cast<size_t>(r.Int(0));
                 plan->account_ids[i] = r.Int(1);
                 plan->creator_ids[i] = r.Int(2);
                 plan->out[i].kind = BatchOutcome::kUpdated;
                 return Status::Ok();
               }));
  return db.Execute("DELETE FROM import_keys");
}

// Each row's creator, in row order: the first row of a new ref makes its creator, and later rows'
// creator fields overwrite the given ones, as one upsert after another would.
Status AssignCreators(Database& db, BatchPlan* plan) {
  std::unordered_map<std::string, int64_t> ref_slot;
  for (size_t i = 0; i < plan->rows.size(); ++i) {
    if (plan->Refused(i)) continue;
    const BatchRow& r = plan->rows[i];
    if (plan->out[i].kind == BatchOutcome::kUpdated) {
      if (HasCreatorFields(r.creator)) {
        MergeCreatorFields(r.creator, &plan->creator_updates[plan->creator_ids[i]]);
      }
      continue;
    }
    if (!r.account.followers) {
      plan->out[i] = {BatchOutcome::kRejected, "followers is missing (a new account needs it)"};
      continue;
    }
    if (r.creator.creator_id != 0) {
      plan->creator_ids[i] = r.creator.creator_id;
      continue;
    }
    if (!r.creator.ref.empty()) {
      if (auto it = ref_slot.find(r.creator.ref); it != ref_slot.end()) {
        plan->new_slot[i] = it->second;
        MergeCreatorFields(r.creator, &plan->new_creators[static_cast<size_t>(it->second)]);
        continue;
      }
      SEEDCAST_RETURN_IF_ERROR(db.Query("SELECT id FROM creators WHERE ref = ?",
                                        {std::string_view(r.creator.ref)}, [&](const Row& row) {
                                          plan->creator_ids[i] = row.Int(0);
                                          return Status::Ok();
                                        }));
      if (plan->creator_ids[i] != 0) {
        if (HasCreatorFields(r.creator)) {
          MergeCreatorFields(r.creator, &plan->creator_updates[plan->creator_ids[i]]);
        }
        continue;
      }
      ref_slot.emplace(r.creator.ref, static_cast<int64_t>(plan->new_creators.size()));
    }
    plan->new_slot[i] = static_cast<int64_t>(plan->new_creators.size());
    plan->new_creators.push_back(r.creator);
  }
  return Status::Ok();
}

// New creators by one multi-row insert; given fields of existing ones by one UPDATE ... FROM.
Status WriteCreators(Database& db, BatchPlan* plan, int64_t now_ms) {
  SEEDCAST_ASSIGN_OR_RETURN(std::vector<int64_t> ids,
                            ReserveCreatorIds(db, plan->new_creators.size()));
  for (size_t i = 0; i < plan->rows.size(); ++i) {
    if (plan->new_slot[i] >= 0) plan->creator_ids[i] = ids[static_cast<size_t>(plan->new_slot[i])];
  }
  std::vector<Value> values;
  for (size_t k = 0; k < plan->new_creators.size(); ++k) {
    const CreatorFields& c = plan->new_creators[k];
    values.insert(values.end(),
                  {ids[k], OptText(c.ref), std::string_view(c.name), std::string_view(c.country),
                   std::string_view(c.language), now_ms, now_ms});
  }
  SEEDCAST_RETURN_IF_ERROR(db.CopyRows(
      "creators", "id, ref, name, country, language, created_at_ms, updated_at_ms", 7, values));
  if (plan->creator_updates.empty()) return Status::Ok();
  values.clear();
  for (const auto& [id, c] : plan->creator_updates) {
    values.insert(values.end(), {id, OptText(c.name), OptText(c.country), OptText(c.language)});
  }
  SEEDCAST_RETURN_IF_ERROR(
      db.CopyRows("import_creator_updates", "creator_id, name, country, language", 4, values));
  SEEDCAST_RETURN_IF_ERROR(AnalyzeStaged(db, "import_creator_updates"));
  SEEDCAST_RETURN_IF_ERROR(db.Execute(kMergeCreators, {now_ms}));
  return db.Execute("DELETE FROM import_creator_updates");
}

// New accounts by multi-row inserts in key order; updates staged, then one UPDATE ... FROM.
Status WriteAccounts(Database& db, const BatchPlan& plan, int64_t now_ms) {
  std::vector<EncodedAccount> encoded;
  encoded.reserve(plan.rows.size());  // the values point into them: no reallocation
  std::vector<Value> inserts;
  std::vector<Value> updates;
  for (size_t i : plan.order) {
    if (plan.Refused(i)) continue;
    const Account& a = plan.rows[i].account;
    const EncodedAccount& enc = encoded.emplace_back(a);
    if (plan.out[i].kind == BatchOutcome::kCreated) {
      AppendInsertValues(plan.creator_ids[i], a, enc, now_ms, &inserts);
    } else {
      updates.emplace_back(plan.account_ids[i]);
      AppendUpdateValues(a, enc, &updates);
    }
  }
  SEEDCAST_RETURN_IF_ERROR(
      db.CopyRows("accounts", kAccountInsertColumns, kAccountInsertValues, inserts));
  if (updates.empty()) return Status::Ok();
  static const std::string kStagedColumns = "account_id, " + std::string(kAccountUpdateColumns);
  SEEDCAST_RETURN_IF_ERROR(
      db.CopyRows("import_account_updates", kStagedColumns, kAccountUpdateValues + 1, updates));
  SEEDCAST_RETURN_IF_ERROR(AnalyzeStaged(db, "import_account_updates"));
  static const std::string kMergeAccounts =
      "UPDATE accounts SET " + AccountUpdateAssignments("u.", "accounts.") +
      ", updated_at_ms = ? FROM import_account_updates u WHERE accounts.id = u.account_id";
  SEEDCAST_RETURN_IF_ERROR(db.Execute(kMergeAccounts, {now_ms}));
  return db.Execute("DELETE FROM import_account_updates");
}

}  // namespace

Result<std::vector<BatchOutcome>> CreatorStore::UpsertAccounts(const std::vector<BatchRow>& rows) {
  const int64_t now_ms = clock_.NowMs();
  BatchPlan plan(rows);
  SEEDCAST_RETURN_IF_ERROR(EnsureStagingTables(db_));
  SEEDCAST_RETURN_IF_ERROR(LookUpAccounts(db_, &plan));
  SEEDCAST_RETURN_IF_ERROR(AssignCreators(db_, &plan));
  SEEDCAST_RETURN_IF_ERROR(WriteCreators(db_, &plan, now_ms));
  SEEDCAST_RETURN_IF_ERROR(WriteAccounts(db_, plan, now_ms));
  return std::move(plan.out);
}

}  // namespace seedcast::storage

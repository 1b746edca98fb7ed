// Key rotation: every sealed value sealed again under a new key, in batches, while servers keep
// reading (a value under a key a server has not loaded makes it reload the key file).
#include <fmt/format.h>

#include <chrono>
#include <thread>

#include "app/accounts.h"
#include "app/accounts_internal.h"
#include "app/audit.h"
#include "app/secrets.h"

namespace seedcast::app {

using storage::ConnectionPool;
using storage::Intent;
using storage::Row;

namespace {

constexpr int64_t kBatchRows = 500;
constexpr int64_t kSettleMs = 2'500;

// One sealed column: its table, column and the context it is sealed for; `index_column`, when
// set, holds the keyed blind index of the opened value.
struct SealedColumn {
  std::string_view table;
  std::string_view id;  // the table's key
  std::string_view column;
  std::string_view context;
  std::string_view index_column;
};

constexpr SealedColumn kSealedColumns[] = {
    {"users", "id", "email_sealed", "users.email", "email_index"},
    {"outbox", "id", "to_sealed", "outbox.to", ""},
    {"outbox", "id", "body_sealed", "outbox.body", ""},
    {"creator_private", "creator_id", "sealed", "creator_private", ""},
};

// Seals one column's values again under the ring's current key; returns how many.
Result<int64_t> Reseal(AppContext& ctx, const KeyRing& keys, const SealedColumn& c) {
  int64_t resealed = 0;
  int64_t after = 0;
  while (true) {
    std::vector<std::pair<int64_t, std::string>> batch;
    SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire(Intent::kWrite));
    const Status s = storage::InTransaction(*db, [&]() -> Status {
      SEEDCAST_RETURN_IF_ERROR(
          db->Query(fmt::format("SELECT {0}, {1} FROM {2} WHERE {0} > ? ORDER BY {0} LIMIT ?", c.id,
                                c.column, c.table),
                    {after, kBatchRows}, [&batch](const Row& r) {
                      batch.emplace_back(r.Int(0), std::string(r.Text(1)));
                      return Status::Ok();
                    }));
      for (const auto& [id, sealed] : batch) {
        if (keys.SealedWithCurrent(sealed)) continue;
        SEEDCAST_ASSIGN_OR_RETURN(std::string plain, keys.Open(sealed, c.context));
        SEEDCAST_ASSIGN_OR_RETURN(std::string again, keys.Seal(plain, c.context));
        if (c.index_column.empty()) {
          SEEDCAST_RETURN_IF_ERROR(
              db->Execute(fmt::format("UPDATE {} SET {} = ? WHERE {} = ?", c.table, c.column, c.id),
                          {std::string_view(again), id}));
        } else {
          const std::string index = keys.BlindIndex(plain);
          SEEDCAST_RETURN_IF_ERROR(
              db->Execute(fmt::format("UPDATE {} SET {} = ?, {} = ? WHERE {} = ?", c.table,
                                      c.column, c.index_column, c.id),
                          {std::string_view(again), std::string_view(index), id}));
        }
        ++resealed;
      }
      return Status::Ok();
    });
    if (!s.ok()) return s.WithContext(fmt::format("{}.{}", c.table, c.column));
    if (batch.empty()) break;
    after = batch.back().first;
  }
  return resealed;
}

}  // namespace

Result<RotationReport> RotateKeys(AppContext& ctx) {
  const std::string& path = ctx.config().accounts.key_file;
  SEEDCAST_RETURN_IF_ERROR(ctx.keyring().status());  // a key file to rotate exists
  SEEDCAST_RETURN_IF_ERROR(KeyRing::AddKey(path, ctx.clock().NowMs()));
  SEEDCAST_RETURN_IF_ERROR(ctx.ReloadKeyring());
  SEEDCAST_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRing> keys, ctx.keyring());
  RotationReport report{.key_id = keys->current_id()};
  // Servers pick the new key up within a second (AppContext::keyring). Until then one may still
  // seal under the old key, so a second pass after that catches what they wrote, and only then
  // are the old keys retired.
  for (int pass = 0; pass < 2; ++pass) {
    if (pass == 1) std::this_thread::sleep_for(std::chrono::milliseconds(kSettleMs));
    for (const SealedColumn& c : kSealedColumns) {
      SEEDCAST_ASSIGN_OR_RETURN(int64_t n, Reseal(ctx, *keys, c));
      report.resealed += n;
    }
  }
  SEEDCAST_RETURN_IF_ERROR(KeyRing::RetireKeysBefore(path, report.key_id));
  SEEDCAST_RETURN_IF_ERROR(ctx.ReloadKeyring());
  SecurityEvent e{.at_ms = ctx.clock().NowMs(), .kind = "keys_rotated", .actor = "cli"};
  e.detail = {{"key_id", report.key_id}, {"resealed", report.resealed}};
  SEEDCAST_RETURN_IF_ERROR(RecordEvent(ctx, e));
  return report;
}

}  // namespace seedcast::app

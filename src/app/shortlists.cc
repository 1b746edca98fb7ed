#include "app/shortlists.h"

#include <fmt/format.h>

#include "app/accounts_internal.h"
#include "common/iso_time.h"
#include "common/text.h"

namespace seedcast::app {

using nlohmann::ordered_json;
using storage::ConnectionPool;
using storage::Row;

namespace {

constexpr std::string_view kListSql =
    "SELECT s.id, s.name, (SELECT COUNT(*) FROM shortlist_creators sc WHERE sc.shortlist_id = "
    "s.id) FROM shortlists s WHERE (? = 1 OR s.org_id = ?)";

Result<std::vector<Shortlist>> Lists(storage::Database& db, const storage::Scope& scope,
                                     std::string_view and_where, int64_t id) {
  std::vector<Shortlist> out;
  SEEDCAST_RETURN_IF_ERROR(db.Query(std::string(kListSql) + std::string(and_where) + " ORDER BY id",
                                    {scope.sql_all(), scope.sql_org(), id}, [&out](const Row& r) {
                                      out.push_back({r.Int(0), std::string(r.Text(1)), r.Int(2)});
                                      return Status::Ok();
                                    }));
  return out;
}

// The shortlist within the scope; kNotFound otherwise.
Result<Shortlist> Find(storage::Database& db, const storage::Scope& scope, int64_t id) {
  SEEDCAST_ASSIGN_OR_RETURN(std::vector<Shortlist> found, Lists(db, scope, " AND s.id = ?", id));
  if (found.empty()) return NotFound(fmt::format("no shortlist {}", id));
  return found.front();
}

}  // namespace

Result<std::vector<Shortlist>> ListShortlists(AppContext& ctx, const storage::Scope& scope) {
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire());
  return Lists(*db, scope, " AND ? >= 0", 0);
}

Result<Shortlist> CreateShortlist(AppContext& ctx, const storage::Scope& scope,
                                  const std::string& name) {
  if (scope.org_id() == 0) {
    return FailedPrecondition("no_organisation",
                              "a shortlist belongs to an organisation: operators may read every "
                              "organisation's, but make one with an organisation's key or member");
  }
  const std::string trimmed(text::Trim(name));
  if (trimmed.empty() || !text::IsValidUtf8(trimmed) || text::CodePointCount(trimmed) > 100) {
    return InvalidArgument("'name' is 1 to 100 characters").WithField("name");
  }
  Shortlist out{.name = trimmed};
  Status done = internal::InWriteTransaction(ctx, [&](storage::Database& db) -> Status {
    Result<int64_t> id =
        db.Insert("INSERT INTO shortlists (org_id, name, created_at_ms) VALUES (?, ?, ?)",
                  {scope.org_id(), std::string_view(trimmed), ctx.clock().NowMs()});
    if (!id.ok() && id.status().code() == StatusCode::kAlreadyExists) {
      return AlreadyExists(fmt::format("your organisation has a shortlist named '{}'", trimmed))
          .WithField("name")
          .WithReason("shortlist_name_taken");
    }
    if (!id.ok()) return id.status();
    out.id = *id;
    return Status::Ok();
  });
  if (!done.ok()) return done;
  return out;
}

Result<ShortlistDetail> GetShortlist(AppContext& ctx, const storage::Scope& scope, int64_t id) {
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire());
  ShortlistDetail out;
  SEEDCAST_ASSIGN_OR_RETURN(out.list, Find(*db, scope, id));
  // Each creator with their largest approved account (the catalogue lists approved ones only).
  SEEDCAST_RETURN_IF_ERROR(db->Query(
      "SELECT sc.creator_id, c.name, COALESCE(a.handle, ''), COALESCE(a.platform, ''), "
      "COALESCE(a.followers, 0), sc.added_at_ms FROM shortlist_creators sc JOIN creators c ON "
      "c.id = sc.creator_id LEFT JOIN accounts a ON a.id = (SELECT a2.id FROM accounts a2 WHERE "
      "a2.creator_id = sc.creator_id AND a2.review_status = 'approved' ORDER BY "
      "COALESCE(a2.followers, 0) DESC, a2.id LIMIT 1) WHERE sc.shortlist_id = ? "
      "ORDER BY sc.added_at_ms, sc.creator_id",
      {id}, [&out](const Row& r) {
        out.creators.push_back({r.Int(0), std::string(r.Text(1)), std::string(r.Text(2)),
                                std::string(r.Text(3)), r.Int(4), r.Int(5)});
        return Status::Ok();
      }));
  return out;
}

Result<bool> AddToShortlist(AppContext& ctx, const storage::Scope& scope, int64_t id,
                            int64_t creator_id) {
  bool added = false;
  Status done = internal::InWriteTransaction(ctx, [&](storage::Database& db) -> Status {
    SEEDCAST_RETURN_IF_ERROR(Find(db, scope, id).status());
    if (creator_id <= 0) {
      return InvalidArgument("'creator_id' is a creator's id").WithField("creator_id");
    }
    SEEDCAST_ASSIGN_OR_RETURN(
        int64_t known, db.QueryInt("SELECT COUNT(*) FROM creators WHERE id = ?", {creator_id}));
    if (known == 0) return NotFound(fmt::format("no creator {}", creator_id));
    return db.Query(
        "INSERT INTO shortlist_creators (shortlist_id, creator_id, added_at_ms) VALUES (?, ?, ?) "
        "ON CONFLICT (shortlist_id, creator_id) DO NOTHING RETURNING creator_id",
        {id, creator_id, ctx.clock().NowMs()}, [&added](const Row&) {
          added = true;
          return Status::Ok();
        });
  });
  if (!done.ok()) return done;
  return added;
}

Result<bool> RemoveFromShortlist(AppContext& ctx, const storage::Scope& scope, int64_t id,
                                 int64_t creator_id) {
  bool removed = false;
  Status done = internal::InWriteTransaction(ctx, [&](storage::Database& db) -> Status {
    SEEDCAST_RETURN_IF_ERROR(Find(db, scope, id).status());
    return db.Query(
        "DELETE FROM shortlist_creators WHERE shortlist_id = ? AND creator_id = ? RETURNING "
        "creator_id",
        {id, creator_id}, [&removed](const Row&) {
          removed = true;
          return Status::Ok();
        });
  });
  if (!done.ok()) return done;
  return removed;
}

ordered_json ShortlistToJson(const Shortlist& s) {
  return {{"id", s.id}, {"name", s.name}, {"count", s.count}};
}

ordered_json ShortlistDetailToJson(const ShortlistDetail& d) {
  ordered_json creators = ordered_json::array();
  for (const ShortlistedCreator& c : d.creators) {
    creators.push_back({{"creator_id", c.creator_id},
                        {"name", c.name},
                        {"handle", c.handle},
                        {"platform", c.platform},
                        {"followers", c.followers},
                        {"added_at", FormatIsoTime(c.added_at_ms)}});
  }
  return {{"id", d.list.id}, {"name", d.list.name}, {"creators", std::move(creators)}};
}

}  // namespace seedcast::app

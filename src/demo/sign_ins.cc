#include "demo/sign_ins.h"

#include <optional>

#include "demo/season.h"

namespace seedcast::demo {
namespace {

constexpr std::string_view kIsDemo = "substr(c.ref, 1, 5) = 'demo-'";
constexpr std::string_view kApproved =
    "EXISTS (SELECT 1 FROM accounts a WHERE a.creator_id = c.id AND a.review_status = "
    "'approved')";

}  // namespace

Result<int64_t> ReleaseDemoCreators(storage::Database& db) {
  const std::string linked =
      "creator_id IN (SELECT c.id FROM creators c WHERE " + std::string(kIsDemo) + ")";
  int64_t released = 0;
  Status done = storage::InTransaction(db, [&]() -> Status {
    SEEDCAST_ASSIGN_OR_RETURN(released, db.QueryInt("SELECT COUNT(*) FROM users WHERE " + linked));
    if (released == 0) return Status::Ok();
    return db.Execute("UPDATE users SET creator_id = NULL WHERE " + linked);
  });
  if (!done.ok()) return done;
  return released;
}

Result<HandedBrand> HandFirstBrandToOrg(storage::Database& db, int64_t org_id) {
  HandedBrand out{.name = std::string(FirstBrandName())};
  const std::string_view name = out.name;
  // The brand of the instance (or already the organisation's), not another organisation's.
  const std::string brands =
      "(SELECT id FROM brands WHERE name = ? AND (org_id IS NULL OR org_id = ?))";
  const std::string campaigns = "(SELECT id FROM campaigns WHERE brand_id IN " + brands + ")";
  Status done = storage::InTransaction(db, [&]() -> Status {
    for (const std::string& sql :
         {"UPDATE ledger_transactions SET org_id = ? WHERE campaign_id IN " + campaigns,
          "UPDATE assignments SET org_id = ? WHERE campaign_id IN " + campaigns,
          "UPDATE campaigns SET org_id = ? WHERE brand_id IN " + brands,
          "UPDATE products SET org_id = ? WHERE brand_id IN " + brands,
          "UPDATE brands SET org_id = ? WHERE id IN " + brands}) {
      SEEDCAST_RETURN_IF_ERROR(db.Execute(sql, {org_id, name, org_id}));
    }
    SEEDCAST_ASSIGN_OR_RETURN(
        out.campaigns,
        db.QueryInt("SELECT COUNT(*) FROM campaigns WHERE org_id = ? AND brand_id IN " + brands,
                    {org_id, name, org_id}));
    return Status::Ok();
  });
  if (!done.ok()) return done;
  return out;
}

Result<DemoCreator> PickDemoCreator(storage::Database& db, int64_t org_id) {
  std::optional<DemoCreator> out;
  auto take = [&out](const storage::Row& r) {
    out = DemoCreator{.id = r.Int(0), .name = std::string(r.Text(1))};
    return Status::Ok();
  };
  SEEDCAST_RETURN_IF_ERROR(db.Query(
      "SELECT c.id, c.name FROM assignments s JOIN creators c ON c.id = s.creator_id WHERE "
      "s.org_id = ? AND " +
          std::string(kIsDemo) + " AND " + std::string(kApproved) +
          " ORDER BY CASE WHEN s.state = 'completed' THEN 0 ELSE 1 END, s.id LIMIT 1",
      {org_id}, take));
  if (!out) {
    SEEDCAST_RETURN_IF_ERROR(db.Query("SELECT c.id, c.name FROM creators c WHERE " +
                                          std::string(kIsDemo) + " AND " + std::string(kApproved) +
                                          " ORDER BY c.id LIMIT 1",
                                      {}, take));
  }
  if (!out) return NotFound("the demo population has no creator with an approved account");
  SEEDCAST_RETURN_IF_ERROR(db.Query(
      "SELECT platform, handle FROM accounts WHERE creator_id = ? AND review_status = 'approved' "
      "ORDER BY COALESCE(followers, 0) DESC, id LIMIT 1",
      {out->id}, [&out](const storage::Row& r) {
        out->platform = r.Text(0);
        out->handle = r.Text(1);
        return Status::Ok();
      }));
  SEEDCAST_ASSIGN_OR_RETURN(
      out->assignments,
      db.QueryInt("SELECT COUNT(*) FROM assignments WHERE creator_id = ?", {out->id}));
  return *out;
}

}  // namespace seedcast::demo

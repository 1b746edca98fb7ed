#include "campaign/campaign_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>

#include "storage/event_outbox.h"

namespace seedcast::campaign {

using storage::Row;
using storage::Value;

namespace {

Value OptionalInt(std::optional<int64_t> v) { return v ? Value(*v) : Value(nullptr); }
Value TextOrNull(const std::string& s) { return s.empty() ? Value(nullptr) : Value(s); }

constexpr std::string_view kAssignmentColumns =
    "id, campaign_id, creator_id, COALESCE(account_id, 0), COALESCE(product_id, 0), state, "
    "COALESCE(p_complete, 0), due_at_ms, version, created_at_ms, updated_at_ms, "
    "COALESCE(org_id, 0)";
// The scope filters: (everything, org) for rows of an organisation; assignments are also their
// creator's (everything, org, creator).
constexpr std::string_view kInOrg = " (? = 1 OR org_id = ?) ";
constexpr std::string_view kInOrgOrCreator = " (? = 1 OR org_id = ? OR creator_id = ?) ";

Result<Assignment> ReadAssignment(const Row& r) {
  Assignment a;
  a.id = r.Int(0);
  a.campaign_id = r.Int(1);
  a.creator_id = r.Int(2);
  a.account_id = r.Int(3);
  a.product_id = r.Int(4);
  SEEDCAST_ASSIGN_OR_RETURN(a.state, ParseState(r.Text(5)));
  a.p_complete = r.Real(6);
  if (!r.IsNull(7)) a.due_at_ms = r.Int(7);
  a.version = r.Int(8);
  a.created_at_ms = r.Int(9);
  a.updated_at_ms = r.Int(10);
  a.org_id = r.Int(11);
  return a;
}

// The webhook event of a change of state (the invitation's "from" is ""), in the change's
// transaction.
Status RecordStateChange(storage::Database& db, int64_t org_id, const Assignment& a,
                         std::string_view from, std::string_view to, int64_t now_ms) {
  const nlohmann::json data = {{"assignment_id", a.id},
                               {"campaign_id", a.campaign_id},
                               {"creator_id", a.creator_id},
                               {"from", from},
                               {"to", to}};
  return storage::RecordEvent(db, org_id, storage::kEventAssignmentStateChanged, data.dump(),
                              now_ms)
      .status();
}

}  // namespace

Result<int64_t> CampaignStore::EnsureBrand(const std::string& name) {
  if (!scope_.everything() && scope_.org_id() == 0) {
    return PermissionDenied("only an organisation has brands").WithReason("no_organisation");
  }
  const int64_t org = scope_.org_id();  // 0: the instance's own
  std::optional<int64_t> id;
  SEEDCAST_RETURN_IF_ERROR(
      db_.Query("SELECT id FROM brands WHERE name = ? AND COALESCE(org_id, 0) = ? ORDER BY id "
                "LIMIT 1",
                {std::string_view(name), org}, [&id](const Row& r) {
                  id = r.Int(0);
                  return Status::Ok();
                }));
  if (id) return *id;
  return db_.Insert(
      "INSERT INTO brands (name, created_at_ms, org_id) VALUES (?, ?, ?)",
      {std::string_view(name), clock_.NowMs(), org == 0 ? Value(nullptr) : Value(org)});
}

Result<int64_t> CampaignStore::UpsertProduct(int64_t brand_id, const ProductSpec& p) {
  if (p.name.empty()) return InvalidArgument("product: a name, SKU or ASIN is required");
  std::optional<int64_t> id;
  if (!p.sku.empty()) {
    SEEDCAST_RETURN_IF_ERROR(db_.Query("SELECT id FROM products WHERE brand_id = ? AND sku = ?",
                                       {brand_id, std::string_view(p.sku)}, [&id](const Row& r) {
                                         id = r.Int(0);
                                         return Status::Ok();
                                       }));
  }
  if (id) {
    SEEDCAST_RETURN_IF_ERROR(db_.Execute(
        "UPDATE products SET name = ?, asin = ?, price_cents = ?, units_available = ?, niche = ? "
        "WHERE id = ?",
        {std::string_view(p.name), TextOrNull(p.asin), p.price_cents, p.units_available,
         std::string_view(p.niche), *id}));
    return *id;
  }
  return db_.Insert(
      "INSERT INTO products (brand_id, name, sku, asin, price_cents, units_available, niche, "
      "created_at_ms, org_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
      "(SELECT org_id FROM brands WHERE id = ?))",
      {brand_id, std::string_view(p.name), TextOrNull(p.sku), TextOrNull(p.asin), p.price_cents,
       p.units_available, std::string_view(p.niche), clock_.NowMs(), brand_id});
}

namespace {

constexpr std::string_view kProductSql =
    "SELECT id, brand_id, name, COALESCE(sku, ''), COALESCE(asin, ''), niche, price_cents, "
    "units_available, COALESCE(org_id, 0) FROM products";

Product ReadProduct(const Row& r) {
  Product p;
  p.product_id = r.Int(0);
  p.brand_id = r.Int(1);
  p.name = r.Text(2);
  p.sku = r.Text(3);
  p.asin = r.Text(4);
  p.niche = r.Text(5);
  p.price_cents = r.Int(6);
  p.units_available = r.Int(7);
  p.org_id = r.Int(8);
  return p;
}

}  // namespace

Result<Product> CampaignStore::GetProduct(int64_t id) {
  std::optional<Product> out;
  SEEDCAST_RETURN_IF_ERROR(
      db_.Query(std::string(kProductSql) + " WHERE id = ? AND" + std::string(kInOrg),
                {id, scope_.sql_all(), scope_.sql_org()}, [&out](const Row& r) {
                  out = ReadProduct(r);
                  return Status::Ok();
                }));
  if (!out) return NotFound("no product " + std::to_string(id));
  return *out;
}

Result<std::vector<Product>> CampaignStore::ListProducts(int64_t brand_id) {
  std::vector<Product> out;
  auto add = [&out](const Row& r) {
    out.push_back(ReadProduct(r));
    return Status::Ok();
  };
  SEEDCAST_RETURN_IF_ERROR(
      db_.Query(std::string(kProductSql) + " WHERE (? = 0 OR brand_id = ?) AND" +
                    std::string(kInOrg) + "ORDER BY id",
                {brand_id, brand_id, scope_.sql_all(), scope_.sql_org()}, add));
  return out;
}

Result<Campaign> CampaignStore::CreateCampaign(const CampaignSpec& spec) {
  Campaign c;
  c.spec = spec;
  SEEDCAST_ASSIGN_OR_RETURN(c.brand_id, EnsureBrand(spec.brand));
  if (spec.product.product_id != 0) {
    SEEDCAST_ASSIGN_OR_RETURN(Product p, GetProduct(spec.product.product_id));
    if (p.brand_id != c.brand_id) {
      return InvalidArgument("product " + std::to_string(p.product_id) +
                             " belongs to another brand");
    }
    c.product_id = p.product_id;
  } else {
    SEEDCAST_ASSIGN_OR_RETURN(c.product_id, UpsertProduct(c.brand_id, spec.product));
  }
  c.status = "active";
  c.created_at_ms = clock_.NowMs();
  nlohmann::json raw = spec.raw;
  raw["product"] = {{"id", c.product_id}};
  std::string raw_text = raw.dump();
  SEEDCAST_ASSIGN_OR_RETURN(
      c.id,
      db_.Insert(
          "INSERT INTO campaigns (brand_id, name, goal, compensation, spec, "
          "target_completions, confidence, budget_cents, status, starts_at_ms, ends_at_ms, "
          "created_at_ms, org_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
          "(SELECT org_id FROM brands WHERE id = ?))",
          {c.brand_id, std::string_view(spec.name), std::string_view(spec.goal),
           CompensationName(spec.compensation), std::string_view(raw_text),
           static_cast<int64_t>(spec.target_posts), spec.confidence, OptionalInt(spec.budget_cents),
           std::string_view(c.status), OptionalInt(spec.starts_at_ms), OptionalInt(spec.ends_at_ms),
           c.created_at_ms, c.brand_id}));
  c.org_id = scope_.org_id();
  SEEDCAST_RETURN_IF_ERROR(
      db_.Execute("INSERT INTO campaign_products (campaign_id, product_id) VALUES (?, ?)",
                  {c.id, c.product_id}));
  return c;
}

namespace {
constexpr std::string_view kCampaignSql =
    "SELECT id, brand_id, status, created_at_ms, spec, COALESCE(org_id, 0) FROM campaigns";
}  // namespace

Result<Campaign> CampaignStore::ReadCampaign(const Row& r) {
  Campaign c;
  c.id = r.Int(0);
  c.brand_id = r.Int(1);
  c.status = r.Text(2);
  c.created_at_ms = r.Int(3);
  c.org_id = r.Int(5);
  auto spec = ParseCampaignSpec(r.Text(4), false);
  if (!spec.ok()) return spec.status().WithContext("stored campaign " + std::to_string(c.id));
  c.spec = std::move(spec.value());
  c.product_id = c.spec.product.product_id;
  return c;
}

Result<Campaign> CampaignStore::GetCampaign(int64_t id) {
  std::optional<Campaign> out;
  SEEDCAST_RETURN_IF_ERROR(
      db_.Query(std::string(kCampaignSql) + " WHERE id = ? AND" + std::string(kInOrg),
                {id, scope_.sql_all(), scope_.sql_org()}, [&](const Row& r) -> Status {
                  SEEDCAST_ASSIGN_OR_RETURN(out, ReadCampaign(r));
                  return Status::Ok();
                }));
  if (!out) return NotFound("no campaign " + std::to_string(id));
  return std::move(*out);
}

Result<Campaign> CampaignStore::CampaignOf(const Assignment& a) {
  std::optional<Campaign> out;
  SEEDCAST_RETURN_IF_ERROR(db_.Query(std::string(kCampaignSql) + " WHERE id = ?", {a.campaign_id},
                                     [&](const Row& r) -> Status {
                                       SEEDCAST_ASSIGN_OR_RETURN(out, ReadCampaign(r));
                                       return Status::Ok();
                                     }));
  if (!out) return NotFound("no campaign " + std::to_string(a.campaign_id));
  return std::move(*out);
}

Result<std::vector<Campaign>> CampaignStore::ListCampaigns() {
  std::vector<Campaign> out;
  SEEDCAST_RETURN_IF_ERROR(
      db_.Query(std::string(kCampaignSql) + " WHERE" + std::string(kInOrg) + "ORDER BY id",
                {scope_.sql_all(), scope_.sql_org()}, [&](const Row& r) -> Status {
                  SEEDCAST_ASSIGN_OR_RETURN(Campaign c, ReadCampaign(r));
                  out.push_back(std::move(c));
                  return Status::Ok();
                }));
  return out;
}

Result<std::string> CampaignStore::BrandName(int64_t brand_id) {
  std::optional<std::string> out;
  SEEDCAST_RETURN_IF_ERROR(
      db_.Query("SELECT name FROM brands WHERE id = ?", {brand_id}, [&out](const Row& r) {
        out = std::string(r.Text(0));
        return Status::Ok();
      }));
  if (!out) return NotFound("no brand " + std::to_string(brand_id));
  return *out;
}

Result<std::vector<Product>> CampaignStore::CampaignProducts(const Campaign& c) {
  std::vector<Product> out;
  SEEDCAST_RETURN_IF_ERROR(db_.Query(
      std::string(kProductSql) +
          " WHERE id = ? OR id IN (SELECT product_id FROM campaign_products WHERE campaign_id = ?) "
          "ORDER BY id",
      {c.product_id, c.id}, [&out](const Row& r) {
        out.push_back(ReadProduct(r));
        return Status::Ok();
      }));
  return out;
}

Result<Assignment> CampaignStore::Invite(int64_t campaign_id, int64_t creator_id,
                                         int64_t account_id, double p_complete, int64_t due_at_ms,
                                         const std::string& actor, const std::string& reason) {
  SEEDCAST_ASSIGN_OR_RETURN(Campaign c, GetCampaign(campaign_id));
  const int64_t now = clock_.NowMs();
  auto id = db_.Insert(
      "INSERT INTO assignments (campaign_id, creator_id, account_id, product_id, state, "
      "p_complete, due_at_ms, version, created_at_ms, updated_at_ms, org_id) "
      "VALUES (?, ?, ?, ?, 'invited', ?, ?, 0, ?, ?, ?)",
      {campaign_id, creator_id, account_id == 0 ? Value(nullptr) : Value(account_id), c.product_id,
       p_complete, due_at_ms, now, now, c.org_id == 0 ? Value(nullptr) : Value(c.org_id)});
  if (!id.ok()) {
    if (id.status().code() == StatusCode::kAlreadyExists) {
      return AlreadyExists("creator " + std::to_string(creator_id) + " is already in campaign " +
                           std::to_string(campaign_id))
          .WithReason("already_in_campaign");
    }
    return id.status();
  }
  SEEDCAST_RETURN_IF_ERROR(db_.Execute(
      "INSERT INTO assignment_events (assignment_id, from_state, to_state, actor, reason, at_ms) "
      "VALUES (?, '', 'invited', ?, ?, ?)",
      {id.value(), std::string_view(actor), std::string_view(reason), now}));
  SEEDCAST_RETURN_IF_ERROR(RecordStateChange(
      db_, c.org_id, {.id = id.value(), .campaign_id = campaign_id, .creator_id = creator_id}, "",
      "invited", now));
  return GetAssignment(id.value());
}

Result<Assignment> CampaignStore::GetAssignment(int64_t id) { return ReadAssignmentRow(id, ""); }

Result<Assignment> CampaignStore::LockAssignment(int64_t id) {
  // SQLite's write transactions are serialised already (BEGIN IMMEDIATE).
  return ReadAssignmentRow(id, db_.backend() == storage::Backend::kPostgres ? " FOR UPDATE" : "");
}

Result<Assignment> CampaignStore::ReadAssignmentRow(int64_t id, std::string_view lock) {
  std::optional<Assignment> out;
  SEEDCAST_RETURN_IF_ERROR(db_.Query(std::string("SELECT ") + std::string(kAssignmentColumns) +
                                         " FROM assignments WHERE id = ? AND" +
                                         std::string(kInOrgOrCreator) + std::string(lock),
                                     {id, scope_.sql_all(), scope_.sql_org(), scope_.sql_creator()},
                                     [&out](const Row& r) -> Status {
                                       SEEDCAST_ASSIGN_OR_RETURN(out, ReadAssignment(r));
                                       return Status::Ok();
                                     }));
  if (!out) return NotFound("no assignment " + std::to_string(id));
  return *out;
}

Result<std::vector<Assignment>> CampaignStore::ListAssignments(std::string_view column, int64_t id,
                                                               std::string_view order) {
  std::vector<Assignment> out;
  SEEDCAST_RETURN_IF_ERROR(
      db_.Query(fmt::format("SELECT {} FROM assignments WHERE {} = ? AND {} ORDER BY {}",
                            kAssignmentColumns, column, kInOrgOrCreator, order),
                {id, scope_.sql_all(), scope_.sql_org(), scope_.sql_creator()},
                [&out](const Row& r) -> Status {
                  SEEDCAST_ASSIGN_OR_RETURN(Assignment a, ReadAssignment(r));
                  out.push_back(a);
                  return Status::Ok();
                }));
  return out;
}

Result<std::vector<Assignment>> CampaignStore::Assignments(int64_t campaign_id) {
  return ListAssignments("campaign_id", campaign_id, "id");
}

Result<std::vector<Assignment>> CampaignStore::AssignmentsOfCreator(int64_t creator_id) {
  return ListAssignments("creator_id", creator_id, "id DESC");
}

Result<std::vector<AssignmentEvent>> CampaignStore::Events(int64_t assignment_id) {
  std::vector<AssignmentEvent> out;
  SEEDCAST_RETURN_IF_ERROR(db_.Query(
      "SELECT from_state, to_state, actor, reason, at_ms, kind FROM assignment_events "
      "WHERE assignment_id = ? ORDER BY id",
      {assignment_id}, [&out](const Row& r) {
        out.push_back({std::string(r.Text(0)), std::string(r.Text(1)), std::string(r.Text(2)),
                       std::string(r.Text(3)), r.Int(4), std::string(r.Text(5))});
        return Status::Ok();
      }));
  return out;
}

Status CampaignStore::SetAssignmentProduct(int64_t assignment_id, int64_t product_id) {
  return db_.Execute("UPDATE assignments SET product_id = ? WHERE id = ?",
                     {product_id, assignment_id});
}

Result<Assignment> CampaignStore::Transition(int64_t assignment_id,
                                             const TransitionRequest& request) {
  SEEDCAST_ASSIGN_OR_RETURN(Assignment a, GetAssignment(assignment_id));
  Status allowed = CheckTransition(a.state, request.to);
  if (!allowed.ok()) return allowed.WithContext("assignment " + std::to_string(assignment_id));
  const int64_t now = clock_.NowMs();
  const std::optional<int64_t> due = request.due_at_ms;
  bool applied = false;
  // The version check makes a concurrent change lose cleanly instead of being overwritten.
  SEEDCAST_RETURN_IF_ERROR(
      db_.Query("UPDATE assignments SET state = ?, due_at_ms = ?, version = version + 1, "
                "updated_at_ms = ? WHERE id = ? AND version = ? RETURNING id",
                {StateName(request.to), OptionalInt(due), now, assignment_id, a.version},
                [&applied](const Row&) {
                  applied = true;
                  return Status::Ok();
                }));
  if (!applied) {
    return Aborted("assignment " + std::to_string(assignment_id) +
                   " changed while this command ran; try again")
        .WithReason("concurrent_change");
  }
  SEEDCAST_RETURN_IF_ERROR(db_.Execute(
      "INSERT INTO assignment_events (assignment_id, from_state, to_state, actor, reason, at_ms) "
      "VALUES (?, ?, ?, ?, ?, ?)",
      {assignment_id, StateName(a.state), StateName(request.to), std::string_view(request.actor),
       std::string_view(request.reason), now}));
  SEEDCAST_RETURN_IF_ERROR(
      RecordStateChange(db_, a.org_id, a, StateName(a.state), StateName(request.to), now));
  a.state = request.to;
  a.due_at_ms = due;
  a.version += 1;
  a.updated_at_ms = now;
  return a;
}

Result<int64_t> CampaignStore::TakeUnit(int64_t product_id) {
  std::optional<int64_t> left;
  SEEDCAST_RETURN_IF_ERROR(
      db_.Query("UPDATE products SET units_available = units_available - 1 "
                "WHERE id = ? AND units_available > 0 RETURNING units_available",
                {product_id}, [&left](const Row& r) {
                  left = r.Int(0);
                  return Status::Ok();
                }));
  if (!left) {
    return FailedPrecondition(
        "out_of_stock", "product " + std::to_string(product_id) + " has no units left to send");
  }
  return *left;
}

Result<int64_t> CampaignStore::UnitsSent(int64_t campaign_id) {
  return db_.QueryInt(
      "SELECT COUNT(DISTINCT e.assignment_id) FROM assignment_events e JOIN assignments a ON "
      "a.id = e.assignment_id WHERE a.campaign_id = ? AND e.to_state IN ('shipped', 'purchased') "
      "AND e.kind = 'transition'",
      {campaign_id});
}

Result<bool> CampaignStore::HasReturned(int64_t creator_id, int64_t org_id) {
  SEEDCAST_ASSIGN_OR_RETURN(
      int64_t n, db_.QueryInt("SELECT COUNT(*) FROM assignments WHERE creator_id = ? AND state = "
                              "'returned' AND COALESCE(org_id, 0) = ?",
                              {creator_id, org_id}));
  return n > 0;
}

Result<std::set<int64_t>> CampaignStore::ReturnedCreators(int64_t org_id) {
  std::set<int64_t> out;
  SEEDCAST_RETURN_IF_ERROR(
      db_.Query("SELECT DISTINCT creator_id FROM assignments WHERE state = 'returned' AND "
                "COALESCE(org_id, 0) = ?",
                {org_id}, [&out](const Row& r) {
                  out.insert(r.Int(0));
                  return Status::Ok();
                }));
  return out;
}

Result<int64_t> CampaignStore::SavePost(const NewPost& p) {
  return db_.Insert(
      "INSERT INTO posts (assignment_id, account_id, url, caption, format, posted_at_ms, payload) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)",
      {p.assignment_id, p.account_id == 0 ? Value(nullptr) : Value(p.account_id),
       std::string_view(p.url), std::string_view(p.caption), std::string_view(p.format),
       OptionalInt(p.posted_at_ms), std::string_view(p.payload)});
}

Result<std::optional<StoredPost>> CampaignStore::LatestPost(int64_t assignment_id) {
  std::optional<StoredPost> out;
  SEEDCAST_RETURN_IF_ERROR(db_.Query(
      "SELECT id, payload, verified_at_ms, url, caption, format, posted_at_ms, verdict FROM posts "
      "WHERE assignment_id = ? ORDER BY id DESC LIMIT 1",
      {assignment_id}, [&out](const Row& r) {
        StoredPost p{.id = r.Int(0), .payload = std::string(r.Text(1))};
        if (!r.IsNull(2)) p.verified_at_ms = r.Int(2);
        p.url = r.Text(3);
        p.caption = r.Text(4);
        p.format = r.Text(5);
        if (!r.IsNull(6)) p.posted_at_ms = r.Int(6);
        p.verdict = r.Text(7);
        out = std::move(p);
        return Status::Ok();
      }));
  return out;
}

Status CampaignStore::MarkPostVerified(int64_t post_id, const std::string& verdict_json) {
  return db_.Execute("UPDATE posts SET verified_at_ms = ?, verdict = ? WHERE id = ?",
                     {clock_.NowMs(), std::string_view(verdict_json), post_id});
}

Status CampaignStore::MarkPostRemoved(int64_t post_id, int64_t removed_at_ms) {
  return db_.Execute("UPDATE posts SET removed_at_ms = ? WHERE id = ?", {removed_at_ms, post_id});
}

Result<std::vector<PastAssignment>> CampaignStore::PastAssignments(int64_t exclude_campaign_id) {
  std::vector<PastAssignment> out;
  std::unordered_map<int64_t, size_t> by_id;
  SEEDCAST_RETURN_IF_ERROR(db_.Query(
      "SELECT a.id, a.creator_id, a.campaign_id, COALESCE(ac.followers, 0), c.compensation, "
      "a.created_at_ms, a.state FROM assignments a JOIN campaigns c ON c.id = a.campaign_id "
      "LEFT JOIN accounts ac ON ac.id = a.account_id WHERE a.campaign_id <> ? AND a.state IN "
      "('completed', 'declined', 'failed', 'replaced', 'returned', 'post_removed') "
      "ORDER BY a.creator_id, a.created_at_ms, a.id",
      {exclude_campaign_id}, [&](const Row& r) -> Status {
        PastAssignment p;
        p.creator_id = r.Int(1);
        p.campaign_id = r.Int(2);
        p.followers = r.Int(3);
        SEEDCAST_ASSIGN_OR_RETURN(p.compensation, ParseCompensation(r.Text(4)));
        p.created_at_ms = r.Int(5);
        SEEDCAST_ASSIGN_OR_RETURN(p.outcome, ParseState(r.Text(6)));
        by_id[r.Int(0)] = out.size();
        out.push_back(p);
        return Status::Ok();
      }));
  // Lateness and days to post come from the audit log: the first late entry, and the time from
  // receiving the product (delivered or purchased) to the first post.
  std::unordered_map<int64_t, int64_t> received_at;
  SEEDCAST_RETURN_IF_ERROR(db_.Query(
      "SELECT assignment_id, to_state, at_ms FROM assignment_events WHERE to_state IN "
      "('delivered', 'purchased', 'posted', 'late') AND kind = 'transition' ORDER BY id",
      {}, [&](const Row& r) {
        auto it = by_id.find(r.Int(0));
        if (it == by_id.end()) return Status::Ok();
        PastAssignment& p = out[it->second];
        std::string_view to = r.Text(1);
        if (to == "late") {
          p.was_late = true;
        } else if (to == "posted") {
          auto received = received_at.find(r.Int(0));
          if (received != received_at.end() && !p.days_to_post) {
            p.days_to_post = static_cast<double>(r.Int(2) - received->second) / 86'400'000.0;
          }
        } else {
          received_at.try_emplace(r.Int(0), r.Int(2));
        }
        return Status::Ok();
      }));
  return out;
}

}  // namespace seedcast::campaign

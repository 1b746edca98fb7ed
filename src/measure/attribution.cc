#include "measure/attribution.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "measure/discount_codes.h"
#include "measure/links.h"
#include "model/platform.h"
#include "storage/event_outbox.h"

namespace seedcast::measure {

using storage::Row;

namespace {

constexpr size_t kOrdersPerTransaction = 500;

storage::Value OrNull(int64_t id) { return id == 0 ? storage::Value(nullptr) : storage::Value(id); }

// The creator the order's UTM names, if any: a link code first, then a handle.
std::optional<Candidate> UtmCandidate(const ShopifyOrder& order, const AttributionIndex& index) {
  auto content = order.utm.find("content");
  if (content == order.utm.end()) return std::nullopt;
  if (auto link = index.links.find(content->second); link != index.links.end()) {
    return link->second;
  }
  auto handle = model::NormalizeHandle(content->second);
  if (!handle.ok()) return std::nullopt;
  auto found = index.handles.find(*handle);
  if (found == index.handles.end() || found->second.empty()) return std::nullopt;
  for (const Candidate& c : found->second) {  // newest first
    if (c.created_at_ms <= order.ordered_at_ms) return c;
  }
  return found->second.front();
}

struct Previous {
  int64_t id = 0;
  int64_t creator_id = 0;
  std::string rule;
  bool conversion = false;
};

Result<std::optional<Previous>> PreviousOrder(storage::Database& db, int64_t brand_id,
                                              const std::string& name) {
  std::optional<Previous> out;
  SEEDCAST_RETURN_IF_ERROR(db.Query(
      "SELECT id, COALESCE(creator_id, 0), rule, conversion FROM orders WHERE brand_id = ? AND "
      "name = ?",
      {brand_id, std::string_view(name)}, [&out](const Row& r) {
        out = Previous{r.Int(0), r.Int(1), std::string(r.Text(2)), r.Int(3) != 0};
        return Status::Ok();
      }));
  return out;
}

// Inserts or updates the order row and replaces its lines; returns the order's id.
Result<int64_t> WriteOrder(storage::Database& db, const OrderStoreTarget& target,
                           const ShopifyOrder& o, const Attribution& a,
                           const std::optional<Previous>& previous, int64_t now_ms) {
  const std::string utm = nlohmann::json(o.utm).dump();
  std::string codes;
  for (const std::string& c : o.discount_codes) codes += codes.empty() ? c : ", " + c;
  const std::vector<storage::Value> fields = {int64_t{o.ordered_at_ms},
                                              std::string_view(o.financial_status),
                                              std::string_view(o.currency),
                                              o.subtotal_cents,
                                              o.total_cents,
                                              o.refunded_cents,
                                              std::string_view(codes),
                                              o.discount_cents,
                                              std::string_view(utm),
                                              o.units(),
                                              int64_t{o.conversion() ? 1 : 0},
                                              std::string_view(a.rule),
                                              OrNull(a.to.creator_id),
                                              OrNull(a.to.assignment_id),
                                              OrNull(a.to.campaign_id),
                                              OrNull(a.to.link_id),
                                              now_ms};
  constexpr std::string_view kSet =
      "ordered_at_ms = ?, financial_status = ?, currency = ?, subtotal_cents = ?, total_cents = ?, "
      "refunded_cents = ?, discount_code = ?, discount_cents = ?, utm = ?, units = ?, "
      "conversion = ?, rule = ?, creator_id = ?, assignment_id = ?, campaign_id = ?, link_id = ?, "
      "imported_at_ms = ?";
  int64_t id = 0;
  if (previous) {
    id = previous->id;
    std::vector<storage::Value> params = fields;
    params.emplace_back(id);
    SEEDCAST_RETURN_IF_ERROR(
        db.Execute(fmt::format("UPDATE orders SET {} WHERE id = ?", kSet), params));
    SEEDCAST_RETURN_IF_ERROR(db.Execute("DELETE FROM order_lines WHERE order_id = ?", {id}));
  } else {
    std::vector<storage::Value> params = {OrNull(target.org_id), target.brand_id,
                                          std::string_view(o.name)};
    params.insert(params.end(), fields.begin(), fields.end());
    SEEDCAST_ASSIGN_OR_RETURN(
        id, db.Insert("INSERT INTO orders (org_id, brand_id, name, ordered_at_ms, "
                      "financial_status, currency, subtotal_cents, total_cents, refunded_cents, "
                      "discount_code, discount_cents, utm, units, conversion, rule, creator_id, "
                      "assignment_id, campaign_id, link_id, imported_at_ms) VALUES (?, ?, ?, ?, "
                      "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      params));
  }
  std::vector<storage::Value> lines;
  for (size_t i = 0; i < o.lines.size(); ++i) {
    const OrderLine& l = o.lines[i];
    lines.insert(lines.end(), {id, static_cast<int64_t>(i + 1), l.quantity,
                               std::string_view(l.name), std::string_view(l.sku), l.price_cents});
  }
  if (!lines.empty()) {
    SEEDCAST_RETURN_IF_ERROR(db.CopyRows(
        "order_lines", "order_id, line_no, quantity, name, sku, price_cents", 6, lines));
  }
  return id;
}

Status RecordAttributed(storage::Database& db, const OrderStoreTarget& target,
                        const ShopifyOrder& o, const Attribution& a, int64_t order_id,
                        int64_t now_ms) {
  const nlohmann::ordered_json data = {{"order_id", order_id},
                                       {"order", o.name},
                                       {"brand_id", target.brand_id},
                                       {"campaign_id", a.to.campaign_id},
                                       {"assignment_id", a.to.assignment_id},
                                       {"creator_id", a.to.creator_id},
                                       {"rule", a.rule},
                                       {"ordered_at_ms", o.ordered_at_ms},
                                       {"revenue_cents", o.revenue_cents()},
                                       {"currency", o.currency},
                                       {"units", o.units()}};
  return storage::RecordEvent(db, target.org_id, storage::kEventOrderAttributed, data.dump(),
                              now_ms)
      .status();
}

void Count(OrderImportReport& report, std::map<int64_t, CreatorOrders>& creators,
           const ShopifyOrder& o, const Attribution& a) {
  if (!o.conversion()) {
    ++report.not_conversions;
    return;
  }
  ++report.conversions;
  if (a.rule.empty()) {
    ++report.unattributed;
    return;
  }
  ++report.attributed;
  ++report.by_rule[a.rule];
  report.revenue_attributed_cents += o.revenue_cents();
  report.units_attributed += o.units();
  CreatorOrders& c = creators[a.to.creator_id];
  c.creator_id = a.to.creator_id;
  if (c.handle.empty()) c.handle = a.to.handle;
  ++c.orders;
  c.units += o.units();
  c.revenue_cents += o.revenue_cents();
}

}  // namespace

Result<AttributionIndex> LoadAttributionIndex(storage::Database& db, int64_t brand_id) {
  AttributionIndex index;
  SEEDCAST_RETURN_IF_ERROR(db.Query(
      "SELECT a.id, a.creator_id, a.campaign_id, a.created_at_ms, COALESCE(ac.handle, ''), "
      "COALESCE(l.id, 0), COALESCE(l.code, '') FROM assignments a JOIN campaigns c ON c.id = "
      "a.campaign_id LEFT JOIN accounts ac ON ac.id = a.account_id LEFT JOIN tracked_links l ON "
      "l.assignment_id = a.id WHERE c.brand_id = ? ORDER BY a.created_at_ms DESC, a.id DESC",
      {brand_id}, [&index](const Row& r) {
        Candidate c{.creator_id = r.Int(1),
                    .assignment_id = r.Int(0),
                    .campaign_id = r.Int(2),
                    .link_id = r.Int(5),
                    .handle = std::string(r.Text(4)),
                    .created_at_ms = r.Int(3)};
        if (!c.handle.empty()) index.handles[c.handle].push_back(c);
        if (c.link_id != 0) index.links.emplace(std::string(r.Text(6)), c);
        return Status::Ok();
      }));
  SEEDCAST_RETURN_IF_ERROR(db.Query(
      "SELECT d.code_key, d.creator_id, COALESCE(d.assignment_id, 0), COALESCE(a.campaign_id, 0), "
      "COALESCE((SELECT ac.handle FROM accounts ac WHERE ac.id = a.account_id), (SELECT "
      "MIN(ac.handle) FROM accounts ac WHERE ac.creator_id = d.creator_id), ''), "
      "COALESCE(l.id, 0), COALESCE(a.created_at_ms, 0) FROM discount_codes d LEFT JOIN "
      "assignments a ON a.id = d.assignment_id LEFT JOIN tracked_links l ON l.assignment_id = "
      "d.assignment_id WHERE d.brand_id = ?",
      {brand_id}, [&index](const Row& r) {
        index.codes.emplace(std::string(r.Text(0)), Candidate{.creator_id = r.Int(1),
                                                              .assignment_id = r.Int(2),
                                                              .campaign_id = r.Int(3),
                                                              .link_id = r.Int(5),
                                                              .handle = std::string(r.Text(4)),
                                                              .created_at_ms = r.Int(6)});
        return Status::Ok();
      }));
  SEEDCAST_RETURN_IF_ERROR(db.Query(
      "SELECT p.assignment_id, COALESCE(p.posted_at_ms, p.verified_at_ms) FROM posts p JOIN "
      "assignments a ON a.id = p.assignment_id JOIN campaigns c ON c.id = a.campaign_id WHERE "
      "c.brand_id = ? AND COALESCE(p.posted_at_ms, p.verified_at_ms) IS NOT NULL",
      {brand_id}, [&index](const Row& r) {
        index.post_times[r.Int(0)].push_back(r.Int(1));
        return Status::Ok();
      }));
  return index;
}

ClickInWindow StoredClicks(storage::Database& db) {
  return [&db](int64_t link_id, int64_t from_ms, int64_t to_ms) -> Result<bool> {
    SEEDCAST_ASSIGN_OR_RETURN(
        int64_t n, db.QueryInt("SELECT COUNT(*) FROM clicks WHERE link_id = ? AND at_ms >= ? AND "
                               "at_ms <= ? AND agent_class <> 'bot'",
                               {link_id, from_ms, to_ms}));
    return n > 0;
  };
}

Result<Attribution> Attribute(const ShopifyOrder& order, const AttributionIndex& index,
                              const ClickInWindow& clicks, const AttributionOptions& options) {
  for (const std::string& code : order.discount_codes) {
    auto found = index.codes.find(CodeKey(code));
    if (found != index.codes.end())
      return Attribution{std::string(kRuleDiscountCode), found->second};
  }
  std::optional<Candidate> named = UtmCandidate(order, index);
  if (!named) return Attribution{};
  const int64_t from = order.ordered_at_ms - int64_t{options.window_days} * kDayMs;
  if (named->link_id != 0) {
    SEEDCAST_ASSIGN_OR_RETURN(bool clicked, clicks(named->link_id, from, order.ordered_at_ms));
    if (clicked) return Attribution{std::string(kRuleLinkClick), *named};
  }
  auto posts = index.post_times.find(named->assignment_id);
  if (posts != index.post_times.end()) {
    for (int64_t at : posts->second) {
      if (at >= from && at <= order.ordered_at_ms)
        return Attribution{std::string(kRuleUtm), *named};
    }
  }
  return Attribution{};
}

Result<OrderImportReport> StoreOrders(storage::Database& db, const OrderStoreTarget& target,
                                      const OrdersFile& file, const AttributionOptions& options,
                                      int64_t now_ms) {
  if (options.window_days < 0 || options.window_days > 365) {
    return InvalidArgument("the attribution window is 0 to 365 days").WithField("window_days");
  }
  SEEDCAST_ASSIGN_OR_RETURN(AttributionIndex index, LoadAttributionIndex(db, target.brand_id));
  const ClickInWindow clicks = StoredClicks(db);
  OrderImportReport report{.rows = file.rows,
                           .orders_read = static_cast<int64_t>(file.orders.size()),
                           .rejects = file.rejects};
  std::map<int64_t, CreatorOrders> creators;
  for (size_t begin = 0; begin < file.orders.size(); begin += kOrdersPerTransaction) {
    const size_t end = std::min(file.orders.size(), begin + kOrdersPerTransaction);
    OrderImportReport batch;  // counted only once the batch committed
    std::map<int64_t, CreatorOrders> batch_creators;
    const Status stored = storage::InTransaction(db, [&]() -> Status {
      for (size_t i = begin; i < end; ++i) {
        const ShopifyOrder& o = file.orders[i];
        SEEDCAST_ASSIGN_OR_RETURN(Attribution a, Attribute(o, index, clicks, options));
        SEEDCAST_ASSIGN_OR_RETURN(std::optional<Previous> previous,
                                  PreviousOrder(db, target.brand_id, o.name));
        SEEDCAST_ASSIGN_OR_RETURN(int64_t id, WriteOrder(db, target, o, a, previous, now_ms));
        ++(previous ? batch.orders_updated : batch.orders_new);
        const bool counted = o.conversion() && !a.rule.empty();
        const bool was_counted = previous && previous->conversion && !previous->rule.empty();
        const bool changed =
            !was_counted || previous->creator_id != a.to.creator_id || previous->rule != a.rule;
        if (counted && changed) {
          SEEDCAST_RETURN_IF_ERROR(RecordAttributed(db, target, o, a, id, now_ms));
          ++batch.events;
        }
        Count(batch, batch_creators, o, a);
      }
      return Status::Ok();
    });
    if (!stored.ok()) return stored;
    report.orders_new += batch.orders_new;
    report.orders_updated += batch.orders_updated;
    report.events += batch.events;
    report.conversions += batch.conversions;
    report.not_conversions += batch.not_conversions;
    report.attributed += batch.attributed;
    report.unattributed += batch.unattributed;
    report.revenue_attributed_cents += batch.revenue_attributed_cents;
    report.units_attributed += batch.units_attributed;
    for (const auto& [rule, n] : batch.by_rule) report.by_rule[rule] += n;
    for (const auto& [id, c] : batch_creators) {
      CreatorOrders& total = creators[id];
      total.creator_id = id;
      total.handle = c.handle;
      total.orders += c.orders;
      total.units += c.units;
      total.revenue_cents += c.revenue_cents;
    }
  }
  for (auto& [id, c] : creators) report.by_creator.push_back(std::move(c));
  return report;
}

nlohmann::ordered_json OrderImportReportToJson(const OrderImportReport& r,
                                               const AttributionOptions& options) {
  nlohmann::ordered_json creators = nlohmann::ordered_json::array();
  for (const CreatorOrders& c : r.by_creator) {
    creators.push_back({{"creator_id", c.creator_id},
                        {"handle", c.handle},
                        {"orders", c.orders},
                        {"units", c.units},
                        {"revenue_cents", c.revenue_cents}});
  }
  nlohmann::ordered_json by_rule = nlohmann::ordered_json::object();
  for (std::string_view rule : {kRuleDiscountCode, kRuleLinkClick, kRuleUtm}) {
    auto it = r.by_rule.find(std::string(rule));
    by_rule[std::string(rule)] = it == r.by_rule.end() ? 0 : it->second;
  }
  nlohmann::ordered_json rejects = nlohmann::ordered_json::array();
  for (const campaign::ImportReject& x : r.rejects) {
    rejects.push_back({{"line", x.line}, {"reason", x.reason}});
  }
  return {{"rows_read", r.rows},
          {"orders_read", r.orders_read},
          {"orders_new", r.orders_new},
          {"orders_updated", r.orders_updated},
          {"conversions", r.conversions},
          {"not_conversions", r.not_conversions},
          {"attributed",
           {{"orders", r.attributed},
            {"units", r.units_attributed},
            {"revenue_cents", r.revenue_attributed_cents},
            {"by_rule", by_rule},
            {"by_creator", creators}}},
          {"unattributed", r.unattributed},
          {"window_days", options.window_days},
          {"events_recorded", r.events},
          {"rows_rejected", rejects}};
}

}  // namespace seedcast::measure

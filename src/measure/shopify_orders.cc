#include "measure/shopify_orders.h"

#include <fmt/format.h>

#include <map>
#include <optional>

#include "common/iso_time.h"
#include "common/text.h"
#include "ingest/numbers.h"
#include "ingest/table_reader.h"

namespace seedcast::measure {
namespace {

// The columns read, by their header names (NormalizeLabel'd). Nothing else is looked at.
struct Columns {
  std::optional<size_t> name, created_at, status, currency, subtotal, total, discount_code,
      discount_amount, refunded, notes, quantity, item_name, item_price, item_sku;
};

Columns FindColumns(const ingest::Record& header) {
  Columns c;
  const std::map<std::string, std::optional<size_t> Columns::*> wanted = {
      {"name", &Columns::name},
      {"created at", &Columns::created_at},
      {"financial status", &Columns::status},
      {"currency", &Columns::currency},
      {"subtotal", &Columns::subtotal},
      {"total", &Columns::total},
      {"discount code", &Columns::discount_code},
      {"discount amount", &Columns::discount_amount},
      {"refunded amount", &Columns::refunded},
      {"note attributes", &Columns::notes},
      {"lineitem quantity", &Columns::quantity},
      {"lineitem name", &Columns::item_name},
      {"lineitem price", &Columns::item_price},
      {"lineitem sku", &Columns::item_sku}};
  for (size_t i = 0; i < header.cells.size(); ++i) {
    auto it = wanted.find(text::NormalizeLabel(header.cells[i]));
    if (it != wanted.end() && !(c.*(it->second))) c.*(it->second) = i;
  }
  return c;
}

std::string Cell(const ingest::Record& r, std::optional<size_t> column) {
  if (!column || *column >= r.cells.size()) return "";
  return std::string(text::Trim(r.cells[*column]));
}

// Money that may be blank (0); `what` names the column in the error.
Result<int64_t> Money(const ingest::Record& r, std::optional<size_t> column,
                      std::string_view what) {
  const std::string v = Cell(r, column);
  if (v.empty() || ingest::IsMissingValue(v)) return int64_t{0};
  auto cents = ingest::ParseMoneyCents(v);
  if (!cents.ok()) return InvalidArgument(fmt::format("{}: {}", what, cents.status().message()));
  return *cents;
}

std::string Lower(std::string s) {
  for (char& ch : s) {
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  }
  return s;
}

// The row's line item; none when the row names no item.
Result<std::optional<OrderLine>> LineOf(const ingest::Record& r, const Columns& c) {
  OrderLine line{.name = Cell(r, c.item_name), .sku = Cell(r, c.item_sku)};
  const std::string qty = Cell(r, c.quantity);
  if (qty.empty() && line.name.empty() && line.sku.empty()) return std::optional<OrderLine>();
  auto quantity = ingest::ParseCount(qty.empty() ? "1" : qty);
  if (!quantity.ok()) {
    return InvalidArgument("Lineitem quantity: " + quantity.status().message());
  }
  line.quantity = *quantity;
  SEEDCAST_ASSIGN_OR_RETURN(line.price_cents, Money(r, c.item_price, "Lineitem price"));
  return std::optional<OrderLine>(std::move(line));
}

// The order-level fields of an order's first row.
Result<ShopifyOrder> OrderOf(const ingest::Record& r, const Columns& c, std::string name) {
  ShopifyOrder o{.name = std::move(name), .line = r.line};
  const std::string created = Cell(r, c.created_at);
  if (created.empty()) return InvalidArgument("no Created at on the order's first row");
  auto at = ParseShopifyTime(created);
  if (!at.ok()) return InvalidArgument("Created at: " + at.status().message());
  o.ordered_at_ms = *at;
  if (Cell(r, c.total).empty()) return InvalidArgument("no Total on the order's first row");
  SEEDCAST_ASSIGN_OR_RETURN(o.total_cents, Money(r, c.total, "Total"));
  SEEDCAST_ASSIGN_OR_RETURN(o.subtotal_cents, Money(r, c.subtotal, "Subtotal"));
  SEEDCAST_ASSIGN_OR_RETURN(o.discount_cents, Money(r, c.discount_amount, "Discount Amount"));
  SEEDCAST_ASSIGN_OR_RETURN(o.refunded_cents, Money(r, c.refunded, "Refunded Amount"));
  o.financial_status = Lower(Cell(r, c.status));
  o.currency = Cell(r, c.currency);
  const std::string codes = Cell(r, c.discount_code);
  for (std::string_view code : text::Split(codes, ",")) {
    code = text::Trim(code);
    if (!code.empty()) o.discount_codes.emplace_back(code);
  }
  o.utm = UtmOfNoteAttributes(Cell(r, c.notes));
  SEEDCAST_ASSIGN_OR_RETURN(std::optional<OrderLine> line, LineOf(r, c));
  if (line) o.lines.push_back(std::move(*line));
  return o;
}

}  // namespace

int64_t ShopifyOrder::units() const {
  int64_t n = 0;
  for (const OrderLine& l : lines) n += l.quantity;
  return n;
}

bool ShopifyOrder::conversion() const {
  return financial_status != "refunded" && financial_status != "voided";
}

int64_t ShopifyOrder::revenue_cents() const { return total_cents - refunded_cents; }

Result<int64_t> ParseShopifyTime(std::string_view text) {
  std::string t(text::Trim(text));
  // "2019-03-27 13:49:41 -0400": the space before the offset is Shopify's, not ISO's.
  if (t.size() > 6) {
    const size_t sign = t.size() - 5;
    if ((t[sign] == '+' || t[sign] == '-') && t[sign - 1] == ' ') t.erase(sign - 1, 1);
  }
  return ParseIsoTimeMs(t);
}

Utm UtmOfNoteAttributes(std::string_view text) {
  Utm out;
  for (std::string_view line : text::Split(text, "\r\n")) {
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string key = text::NormalizeLabel(line.substr(0, colon));
    for (char& ch : key) {
      if (ch == ' ' || ch == '-') ch = '_';
    }
    const std::string_view value = text::Trim(line.substr(colon + 1));
    if (key.starts_with("utm_") && key.size() > 4 && !value.empty()) {
      out.emplace(key.substr(4), std::string(value));
    } else if (value.find('?') != std::string_view::npos) {
      for (auto& [name, v] : UtmOfUrl(value)) out.emplace(name, v);  // a landing site
    }
  }
  return out;
}

Result<OrdersFile> ReadShopifyOrders(const std::string& path) {
  SEEDCAST_ASSIGN_OR_RETURN(std::unique_ptr<ingest::RecordReader> reader,
                            ingest::OpenRecordReader(path, ingest::FileFormat::kCsv));
  ingest::Record header;
  if (!reader->Next(&header)) return InvalidArgument(path + ": the file is empty");
  const Columns c = FindColumns(header);
  if (!c.name || !c.created_at || !c.total) {
    return InvalidArgument(path +
                           ": not a Shopify orders export (needs Name, Created at and Total "
                           "columns)");
  }
  OrdersFile out;
  std::map<std::string, size_t> index;      // name -> position in out.orders
  std::map<std::string, int64_t> rejected;  // name -> the line of its rejected first row
  ingest::Record r;
  while (reader->Next(&r)) {
    ++out.rows;
    auto reject = [&](std::string reason) { out.rejects.push_back({r.line, std::move(reason)}); };
    if (!r.error.empty()) {
      reject(r.error);
      continue;
    }
    std::string name = Cell(r, c.name);
    if (name.empty()) {
      reject("no Name");
      continue;
    }
    if (auto bad = rejected.find(name); bad != rejected.end()) {
      reject(fmt::format("a line item of order {}, whose first row (line {}) was rejected", name,
                         bad->second));
      continue;
    }
    if (auto known = index.find(name); known != index.end()) {
      auto line = LineOf(r, c);
      if (!line.ok()) {
        reject(line.status().message());
      } else if (*line) {
        out.orders[known->second].lines.push_back(std::move(**line));
      }
      continue;
    }
    auto order = OrderOf(r, c, name);
    if (!order.ok()) {
      reject(order.status().message());
      rejected.emplace(std::move(name), r.line);
      continue;
    }
    index.emplace(std::move(name), out.orders.size());
    out.orders.push_back(std::move(order).value());
  }
  SEEDCAST_RETURN_IF_ERROR(reader->status());
  return out;
}

}  // namespace seedcast::measure

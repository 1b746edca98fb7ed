// Orders from a Shopify orders export (Admin > Orders > Export, CSV) in its real layout: one row
// per line item; the order-level fields (Financial Status, Created at, Currency, Subtotal, Total,
// Discount Code, Discount Amount, Refunded Amount, Note Attributes) on the order's first row and
// blank on its later rows, which repeat only the Name. Columns are found by header text; older
// exports without some columns read as blank.
//
// Personal-data columns (Email, Phone, Billing ..., Shipping ..., Notes) are never read.
//
// Note Attributes is free text of "key: value" lines; utm_* keys ("utm_source", "UTM Source") are
// read as UTM values, and any value that is a URL or path with a query (a landing site) gives its
// utm_* parameters too.
//
// A bad row is reported with its line and reason; the rest are read. A first row with a bad
// order-level field rejects its order, and the order's later rows are rejected with it.
// Pure over the file; thread-compatible.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "campaign/shopify_import.h"
#include "common/status.h"
#include "measure/utm.h"

namespace seedcast::measure {

struct OrderLine {
  int64_t quantity = 0;
  std::string name;
  std::string sku;
  int64_t price_cents = 0;
};

struct ShopifyOrder {
  std::string name;  // "#1001": the order's key within its shop
  int64_t line = 0;  // the first row's line in the file
  int64_t ordered_at_ms = 0;
  std::string financial_status;  // paid, pending, refunded, partially_refunded, voided, ...
  std::string currency;
  int64_t subtotal_cents = 0;
  int64_t total_cents = 0;
  int64_t refunded_cents = 0;
  std::vector<std::string> discount_codes;  // as written; an export may list several
  int64_t discount_cents = 0;
  Utm utm;
  std::vector<OrderLine> lines;

  int64_t units() const;
  // Refunded and voided orders are not conversions.
  bool conversion() const;
  // What the order brought: its total less what was refunded.
  int64_t revenue_cents() const;
};

struct OrdersFile {
  int64_t rows = 0;                  // data rows read
  std::vector<ShopifyOrder> orders;  // in the order of their first rows
  std::vector<campaign::ImportReject> rejects;
};

// "2019-03-27 13:49:41 -0400" (Shopify's form), or any ISO 8601 time, to epoch milliseconds.
Result<int64_t> ParseShopifyTime(std::string_view text);
// The UTM values of a Note Attributes cell.
Utm UtmOfNoteAttributes(std::string_view text);

// Reads the export. Fails only when the file cannot be read or is not an orders export (no Name,
// Created at or Total column); bad rows are in `rejects`.
Result<OrdersFile> ReadShopifyOrders(const std::string& path);

}  // namespace seedcast::measure

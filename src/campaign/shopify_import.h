// Products from a Shopify product export (Admin > Products > Export, "CSV for Excel or Numbers" or
// plain CSV): one row per variant, grouped by Handle. The first row of a product carries its
// Title, Type, Tags and Product Category; the other rows of the same Handle carry further variants
// (Option values, Variant SKU, Variant Price, Variant Inventory Qty) or only further images
// (Image Src).
//
// Each variant becomes one Seedcast product of the brand: name "Title - Option values" (without
// Shopify's "Default Title"), SKU, price in cents, units available (negative stock counts as 0,
// which Shopify allows when overselling), the niche resolved from Type, Product Category and Tags,
// and the product's image URLs. Re-importing updates products by (brand, SKU).
//
// A bad row (no price, a price that is not money, no Handle) is reported with its line and
// reason; the good rows are stored. Runs its writes in one transaction per 500 rows.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "campaign/campaign_store.h"

namespace seedcast::campaign {

struct ImportReject {
  int64_t line = 0;
  std::string reason;
};

struct ProductImportReport {
  int64_t rows = 0;
  int64_t stored = 0;  // products inserted or updated
  int64_t image_rows = 0;
  std::vector<ImportReject> rejects;
};

Result<ProductImportReport> ImportShopifyProducts(const std::string& path, int64_t brand_id,
                                                  storage::Database& db, const Clock& clock);

}  // namespace seedcast::campaign

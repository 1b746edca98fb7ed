#include "campaign/shopify_import.h"

#include <fmt/format.h>

#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "common/text.h"
#include "ingest/numbers.h"
#include "ingest/table_reader.h"
#include "model/niches.h"

namespace seedcast::campaign {
namespace {

// The columns Seedcast reads, by their Shopify header names.
struct Columns {
  std::optional<size_t> handle, title, type, category, tags, sku, price, qty, image;
  std::vector<size_t> options;  // Option1 Value .. Option3 Value
};

std::string Cell(const ingest::Record& r, std::optional<size_t> column) {
  if (!column || *column >= r.cells.size()) return "";
  return std::string(text::Trim(r.cells[*column]));
}

std::string NicheOf(const std::string& type, const std::string& category, const std::string& tags) {
  const model::NicheTaxonomy& niches = model::NicheTaxonomy::Default();
  for (const std::string& source : {type, category, tags}) {
    // "Health & Beauty > Personal Care > Cosmetics": the most specific part first.
    std::vector<std::string_view> parts = text::Split(source, ">");
    for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
      for (const model::NicheMatch& m : niches.ResolveList(*it)) {
        if (!m.niche.empty()) return m.niche;
      }
    }
  }
  return "";
}

struct Parent {
  std::string title, niche;
  std::vector<std::string> images;
  std::vector<int64_t> product_ids;
};

}  // namespace

Result<ProductImportReport> ImportShopifyProducts(const std::string& path, int64_t brand_id,
                                                  storage::Database& db, const Clock& clock) {
  SEEDCAST_ASSIGN_OR_RETURN(std::unique_ptr<ingest::RecordReader> reader,
                            ingest::OpenRecordReader(path, ingest::FileFormat::kCsv));
  ingest::Record header;
  if (!reader->Next(&header)) return InvalidArgument(path + ": the file is empty");
  Columns c;
  for (size_t i = 0; i < header.cells.size(); ++i) {
    const std::string name = text::NormalizeLabel(header.cells[i]);
    if (name == "handle") c.handle = i;
    if (name == "title") c.title = i;
    if (name == "type") c.type = i;
    if (name == "product category") c.category = i;
    if (name == "tags") c.tags = i;
    if (name == "variant sku") c.sku = i;
    if (name == "variant price") c.price = i;
    if (name == "variant inventory qty") c.qty = i;
    if (name == "image src") c.image = i;
    if (name == "option1 value" || name == "option2 value" || name == "option3 value") {
      c.options.push_back(i);
    }
  }
  if (!c.handle || !c.title || !c.price) {
    return InvalidArgument(path +
                           ": not a Shopify product export (needs Handle, Title and Variant Price "
                           "columns)");
  }
  // The brand comes from the caller's scoped EnsureBrand; products are written under it.
  CampaignStore store(db, clock, storage::Scope::Everything());
  ProductImportReport report;
  std::map<std::string, Parent> parents;
  ingest::Record r;
  auto reject = [&report, &r](std::string reason) {
    report.rejects.push_back({r.line, std::move(reason)});
  };
  std::vector<std::pair<std::string, ProductSpec>> batch;  // (handle, product)
  auto flush = [&]() -> Status {
    Status s = storage::InTransaction(db, [&]() -> Status {
      for (auto& [handle, spec] : batch) {
        SEEDCAST_ASSIGN_OR_RETURN(int64_t id, store.UpsertProduct(brand_id, spec));
        parents[handle].product_ids.push_back(id);
      }
      return Status::Ok();
    });
    if (s.ok()) report.stored += static_cast<int64_t>(batch.size());
    batch.clear();
    return s;
  };
  while (reader->Next(&r)) {
    ++report.rows;
    if (!r.error.empty()) {
      reject(r.error);
      continue;
    }
    const std::string handle = Cell(r, c.handle);
    if (handle.empty()) {
      reject("no Handle");
      continue;
    }
    Parent& parent = parents[handle];
    const std::string title = Cell(r, c.title);
    if (!title.empty()) {
      parent.title = title;
      parent.niche = NicheOf(Cell(r, c.type), Cell(r, c.category), Cell(r, c.tags));
    }
    const std::string image = Cell(r, c.image);
    if (!image.empty()) parent.images.push_back(image);
    const std::string price_text = Cell(r, c.price);
    const std::string sku = Cell(r, c.sku);
    if (price_text.empty() && sku.empty()) {
      ++report.image_rows;  // a row that only adds an image
      continue;
    }
    if (parent.title.empty()) {
      reject(fmt::format("variant of '{}' before any row with its Title", handle));
      continue;
    }
    if (price_text.empty()) {
      reject("no Variant Price");
      continue;
    }
    auto price = ingest::ParseMoneyCents(price_text);
    if (!price.ok()) {
      reject("Variant Price: " + price.status().message());
      continue;
    }
    ProductSpec p;
    p.name = parent.title;
    std::string options;
    for (size_t col : c.options) {
      const std::string v = Cell(r, col);
      if (v.empty() || v == "Default Title") continue;
      options += options.empty() ? v : " / " + v;
    }
    if (!options.empty()) p.name += " - " + options;
    p.sku = sku;
    if (p.sku.empty()) {
      p.sku = handle;
      if (!options.empty()) p.sku.append(":").append(options);
    }
    p.price_cents = *price;
    p.niche = parent.niche;
    const std::string qty = Cell(r, c.qty);
    if (!qty.empty()) {
      auto units = ingest::ParseNumber(qty, ingest::NumberKind::kCount);
      if (!units.ok()) {
        reject("Variant Inventory Qty: " + units.status().message());
        continue;
      }
      p.units_available = std::max<int64_t>(0, static_cast<int64_t>(units->value));
    }
    batch.emplace_back(handle, std::move(p));
    if (batch.size() >= 500) SEEDCAST_RETURN_IF_ERROR(flush());
  }
  SEEDCAST_RETURN_IF_ERROR(reader->status());
  SEEDCAST_RETURN_IF_ERROR(flush());
  // Images, once every row of a product has been seen.
  Status stored_images = storage::InTransaction(db, [&]() -> Status {
    for (const auto& [handle, parent] : parents) {
      if (parent.images.empty()) continue;
      const std::string images = nlohmann::json(parent.images).dump();
      for (int64_t id : parent.product_ids) {
        SEEDCAST_RETURN_IF_ERROR(db.Execute("UPDATE products SET image_urls = ? WHERE id = ?",
                                            {std::string_view(images), id}));
      }
    }
    return Status::Ok();
  });
  if (!stored_images.ok()) return stored_images;
  return report;
}

}  // namespace seedcast::campaign

// Schema of tracking (migration 13): tracked links and their clicks, the daily salts of visitor
// hashes, discount codes, and orders with their line items and attribution.
#pragma once

#include <string_view>

namespace seedcast::storage {

// One link per assignment; `target_url` is `landing_url` with the UTM parameters added, so the
// redirect reads one row. A click keeps its UTC day, referrer, user-agent class (bots are stored
// but never counted) and a keyed hash of address and agent under that day's salt; salts are
// deleted after a few days, after which no hash can be recomputed from an address. Discount codes
// are unique per brand by `code_key` (the code upper-cased). Orders are unique per brand by name
// (re-import updates them) and keep no personal data: no email, name, address or phone.
constexpr std::string_view kTrackingSchema = R"sql(
CREATE TABLE tracked_links (
  id {{pk}},
  code TEXT NOT NULL UNIQUE,
  org_id {{int}} REFERENCES orgs(id),
  brand_id {{int}} NOT NULL REFERENCES brands(id),
  campaign_id {{int}} NOT NULL REFERENCES campaigns(id),
  assignment_id {{int}} NOT NULL UNIQUE REFERENCES assignments(id),
  creator_id {{int}} NOT NULL REFERENCES creators(id),
  landing_url TEXT NOT NULL,
  target_url TEXT NOT NULL,
  created_at_ms {{int}} NOT NULL
);
CREATE INDEX tracked_links_by_campaign ON tracked_links (campaign_id);
CREATE TABLE click_salts (
  day {{int}} PRIMARY KEY,
  salt TEXT NOT NULL,
  created_at_ms {{int}} NOT NULL
);
CREATE TABLE clicks (
  id {{pk}},
  link_id {{int}} NOT NULL REFERENCES tracked_links(id),
  at_ms {{int}} NOT NULL,
  day {{int}} NOT NULL,
  referrer TEXT NOT NULL DEFAULT '',
  agent_class TEXT NOT NULL,
  visitor_hash TEXT NOT NULL
);
CREATE INDEX clicks_by_link ON clicks (link_id, at_ms);
CREATE TABLE discount_codes (
  id {{pk}},
  org_id {{int}} REFERENCES orgs(id),
  brand_id {{int}} NOT NULL REFERENCES brands(id),
  code TEXT NOT NULL,
  code_key TEXT NOT NULL,
  creator_id {{int}} NOT NULL REFERENCES creators(id),
  assignment_id {{int}} REFERENCES assignments(id),
  source TEXT NOT NULL CHECK (source IN ('generated', 'imported')),
  created_at_ms {{int}} NOT NULL,
  UNIQUE (brand_id, code_key)
);
CREATE UNIQUE INDEX discount_codes_by_assignment ON discount_codes (assignment_id);
CREATE TABLE orders (
  id {{pk}},
  org_id {{int}} REFERENCES orgs(id),
  brand_id {{int}} NOT NULL REFERENCES brands(id),
  name TEXT NOT NULL,
  ordered_at_ms {{int}} NOT NULL,
  financial_status TEXT NOT NULL DEFAULT '',
  currency TEXT NOT NULL DEFAULT '',
  subtotal_cents {{int}} NOT NULL DEFAULT 0,
  total_cents {{int}} NOT NULL DEFAULT 0,
  refunded_cents {{int}} NOT NULL DEFAULT 0,
  discount_code TEXT NOT NULL DEFAULT '',
  discount_cents {{int}} NOT NULL DEFAULT 0,
  utm TEXT NOT NULL DEFAULT '{}',
  units {{int}} NOT NULL DEFAULT 0,
  conversion {{int}} NOT NULL,
  rule TEXT NOT NULL DEFAULT '' CHECK (rule IN ('', 'discount_code', 'link_click', 'utm')),
  creator_id {{int}} REFERENCES creators(id),
  assignment_id {{int}} REFERENCES assignments(id),
  campaign_id {{int}} REFERENCES campaigns(id),
  link_id {{int}} REFERENCES tracked_links(id),
  imported_at_ms {{int}} NOT NULL,
  UNIQUE (brand_id, name)
);
CREATE INDEX orders_by_campaign ON orders (campaign_id);
CREATE INDEX orders_by_org ON orders (org_id, id);
CREATE TABLE order_lines (
  order_id {{int}} NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
  line_no {{int}} NOT NULL,
  quantity {{int}} NOT NULL,
  name TEXT NOT NULL DEFAULT '',
  sku TEXT NOT NULL DEFAULT '',
  price_cents {{int}} NOT NULL DEFAULT 0,
  PRIMARY KEY (order_id, line_no)
);
)sql";

}  // namespace seedcast::storage

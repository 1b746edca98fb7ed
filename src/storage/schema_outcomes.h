// Schema of outcomes (migration 15): ad-report rows linked to content assets (by the asset codes
// of migration 16), and listing sessions for conversion lift.
#pragma once

#include <string_view>

namespace seedcast::storage {

// One row per ad and reporting window of an imported ad-platform report. The key (brand,
// platform, campaign name, ad set name, ad name, reporting window) makes a re-import replace the
// rows it read before instead of adding to them. A metric the report did not carry is NULL, so
// that a ratio over it is undefined rather than 0. `asset_id` is NULL for an ad matching no asset
// (it still counts in the totals); `link_rule` says how it was linked ('code', 'mapping' or '').
// Money is in integer cents of `currency` (from the report's header; '' when it named none).
//
// Listing sessions: a product listing's (or, with sku '', the whole shop's) sessions and orders per
// day, imported from a sessions report or entered; one row per brand, SKU and day.
constexpr std::string_view kOutcomeSchema = R"sql(
CREATE TABLE ad_rows (
  id {{pk}},
  org_id {{int}} REFERENCES orgs(id),
  brand_id {{int}} NOT NULL REFERENCES brands(id),
  platform TEXT NOT NULL CHECK (platform IN ('meta', 'tiktok')),
  campaign_name TEXT NOT NULL DEFAULT '',
  ad_set_name TEXT NOT NULL DEFAULT '',
  ad_name TEXT NOT NULL,
  starts_on TEXT NOT NULL DEFAULT '',
  ends_on TEXT NOT NULL DEFAULT '',
  asset_id {{int}} REFERENCES assets(id),
  link_rule TEXT NOT NULL DEFAULT '' CHECK (link_rule IN ('', 'code', 'mapping')),
  currency TEXT NOT NULL DEFAULT '',
  impressions {{int}},
  reach {{int}},
  plays_3s {{int}},
  views_2s {{int}},
  clicks {{int}},
  spend_cents {{int}},
  results {{int}},
  conversions {{int}},
  conversion_value_cents {{int}},
  imported_at_ms {{int}} NOT NULL,
  UNIQUE (brand_id, platform, campaign_name, ad_set_name, ad_name, starts_on, ends_on)
);
CREATE INDEX ad_rows_by_asset ON ad_rows (asset_id);
CREATE INDEX ad_rows_by_org ON ad_rows (org_id, brand_id);
CREATE TABLE listing_sessions (
  id {{pk}},
  org_id {{int}} REFERENCES orgs(id),
  brand_id {{int}} NOT NULL REFERENCES brands(id),
  sku TEXT NOT NULL DEFAULT '',
  day TEXT NOT NULL,
  sessions {{int}} NOT NULL CHECK (sessions >= 0),
  orders {{int}} NOT NULL CHECK (orders >= 0 AND orders <= sessions),
  source TEXT NOT NULL CHECK (source IN ('import', 'entered')),
  updated_at_ms {{int}} NOT NULL,
  UNIQUE (brand_id, sku, day)
);
CREATE INDEX listing_sessions_by_org ON listing_sessions (org_id, brand_id);
)sql";

}  // namespace seedcast::storage

// Schema of the content library (migration 16): what each asset is (format, duration, hook), the
// code that links it to paid ads, its organisation, and its usage rights (scope, channels, term,
// the whitelisting or partnership-ad authorisation code).
#pragma once

#include <string_view>

namespace seedcast::storage {

// An asset's code is "SCA-" and its id; brands put it in ad names so ad reports link back.
// format: how it was published (reel, story, video, photo, carousel, ...); hook: the tag of its
// opening; rights_scope: organic, paid or '' (none); rights_channels: a JSON array of channel
// names; no rights_expires_at_ms: no end date. Existing rows take their campaign's rights
// (perpetual: paid without an end date) and their kind as their format.
constexpr std::string_view kLibrarySchema = R"sql(
ALTER TABLE assets ADD COLUMN code TEXT;
ALTER TABLE assets ADD COLUMN org_id {{int}} REFERENCES orgs(id);
ALTER TABLE assets ADD COLUMN format TEXT NOT NULL DEFAULT '';
ALTER TABLE assets ADD COLUMN duration_s {{real}};
ALTER TABLE assets ADD COLUMN hook TEXT NOT NULL DEFAULT '';
ALTER TABLE assets ADD COLUMN rights_scope TEXT NOT NULL DEFAULT '';
ALTER TABLE assets ADD COLUMN rights_channels TEXT NOT NULL DEFAULT '[]';
ALTER TABLE assets ADD COLUMN rights_starts_at_ms {{int}};
ALTER TABLE assets ADD COLUMN rights_expires_at_ms {{int}};
ALTER TABLE assets ADD COLUMN authorization_code TEXT NOT NULL DEFAULT '';
UPDATE assets SET code = 'SCA-' || id;
UPDATE assets SET org_id = (SELECT c.org_id FROM campaigns c WHERE c.id = assets.campaign_id);
UPDATE assets SET rights_scope = CASE usage_rights WHEN 'perpetual' THEN 'paid'
  WHEN 'paid' THEN 'paid' WHEN 'organic' THEN 'organic' ELSE '' END;
UPDATE assets SET format = kind WHERE format = '';
CREATE UNIQUE INDEX assets_by_code ON assets (code);
CREATE INDEX assets_by_org ON assets (org_id);
)sql";

}  // namespace seedcast::storage

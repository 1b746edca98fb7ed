// AssignmentRecords: what a campaign board shows beside the assignments themselves, on any
// Database backend: who each assignment is with (handle, platform, the creator's name), its
// shipment (carrier and tracking), the notes of its audit log that are not transitions
// (reminders), and the content assets its posts produced.
//
// Tenancy: every call takes ids that came from a scoped read (CampaignStore), like its events
// and posts; nothing here is filtered again.
//
// Borrows the Database and Clock. Not thread-safe (one Database per thread).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "campaign/states.h"
#include "common/clock.h"
#include "compliance/checker.h"
#include "storage/database.h"

namespace seedcast::campaign {

// Who an assignment is with.
struct AssignmentPerson {
  std::string handle;
  std::string platform;
  std::string creator_name;
};

struct Shipment {
  std::optional<std::string> carrier;
  std::optional<std::string> tracking;
  int64_t at_ms = 0;
};

// One content asset: a post's media item, with the rights the campaign grants.
struct NewAsset {
  int64_t post_id = 0;
  int64_t campaign_id = 0;
  int64_t creator_id = 0;
  std::string kind;  // video, photo, post
  std::string uri;
  std::string usage_rights;  // organic, paid, perpetual
};

// A shipment's carrier or tracking: at most 100 characters of printable text
// (kInvalidArgument naming `field` otherwise); none is fine.
Status CheckShipmentLabel(const std::optional<std::string>& value, std::string_view field);
// The audit reason of a shipment: "unit shipped by DHL, tracking JD0146".
std::string ShippedReason(const std::optional<std::string>& carrier,
                          const std::optional<std::string>& tracking);

// How a post is made: one video or photo, several media items (a carousel), or "" when the post
// named none.
std::string PostFormat(const compliance::Post& post);
// The content library's rows for a post: one per media item (one "post" when it named none but
// has a URL), with the rights the campaign grants.
std::vector<NewAsset> AssetsOf(const compliance::Post& post, const std::string& url,
                               int64_t campaign_id, int64_t creator_id,
                               const std::string& usage_rights);

// What a post's JSON says of its assets beyond their media types: "format" (how it was
// published: reel, story, short, ...; else the post's shape, PostFormat, else "post"), "hook"
// (the tag of its opening, for comparing hooks in paid reuse) and "duration_s" (0 to 86400).
// Lower-cased and trimmed; at most 64 characters each.
struct AssetDetails {
  std::string format;
  std::string hook;
  std::optional<double> duration_s;
};
Result<AssetDetails> AssetDetailsOf(std::string_view post_json, std::string_view post_format);

class AssignmentRecords {
 public:
  AssignmentRecords(storage::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // The people of every assignment of a campaign, by assignment id, in one query.
  Result<std::map<int64_t, AssignmentPerson>> PeopleOfCampaign(int64_t campaign_id);
  Result<AssignmentPerson> PersonOf(int64_t assignment_id);

  // Records (or replaces) the assignment's shipment.
  Status SaveShipment(int64_t assignment_id, const Shipment& shipment);
  Result<std::optional<Shipment>> ShipmentOf(int64_t assignment_id);

  // Appends a note to the audit log that leaves the state where it is (from = to = `state`).
  Status AddNote(int64_t assignment_id, State state, const std::string& kind,
                 const std::string& actor, const std::string& reason);
  // When the last note of that kind was written, if ever.
  Result<std::optional<int64_t>> LastNoteAt(int64_t assignment_id, const std::string& kind);

  // The assets of a post, replacing those of the assignment's earlier posts (a resubmitted post
  // supersedes them). Each gets its code ("SCA-" and its id), the campaign's organisation, the
  // campaign's rights as its scope (perpetual: paid without an expiry), and what the stored post
  // JSON says of it (AssetDetailsOf); a malformed detail is kInvalidArgument naming it.
  Status ReplaceAssets(int64_t assignment_id, int64_t post_id, const std::vector<NewAsset>& assets);

 private:
  Result<std::map<int64_t, AssignmentPerson>> People(std::string_view column, int64_t id);

  storage::Database& db_;
  const Clock& clock_;
};

}  // namespace seedcast::campaign

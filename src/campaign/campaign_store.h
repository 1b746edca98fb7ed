// CampaignStore: brands, products, campaigns, assignments and their audit log, and posts, on any
// Database backend.
//
// Every assignment change goes through Transition(), which checks the state machine (states.h),
// applies the change only if nobody changed the assignment since it was read (a version column),
// and appends who, when and why to assignment_events in the same transaction.
//
// Tenancy: a store is made with a Scope (storage/scope.h). Reads of brands, products, campaigns
// and assignments return only rows within it (others are "not found"), and rows it creates carry
// their organisation. Reads by an id that came from a scoped read (events, posts, units) are not
// filtered again. Platform-wide facts used for planning (past assignments, returns) are read
// whatever the scope: they never leave the planner as rows.
//
// Borrows the Database and Clock. Not thread-safe (one Database per thread). Callers group writes
// in a transaction (storage::InTransaction) where several must happen together.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "campaign/spec.h"
#include "campaign/states.h"
#include "common/clock.h"
#include "storage/database.h"
#include "storage/scope.h"

namespace seedcast::campaign {

// A stored product: its fields as a campaign file gives them, `product_id` set, and its brand.
struct Product : ProductSpec {
  int64_t brand_id = 0;
  int64_t org_id = 0;  // 0: the instance's own
};

struct Campaign {
  int64_t id = 0;
  int64_t brand_id = 0;
  int64_t org_id = 0;  // 0: the instance's own
  int64_t product_id = 0;
  std::string status;  // active, closed
  CampaignSpec spec;
  int64_t created_at_ms = 0;
};

struct Assignment {
  int64_t id = 0;
  int64_t campaign_id = 0;
  int64_t creator_id = 0;
  int64_t account_id = 0;
  int64_t product_id = 0;
  int64_t org_id = 0;
  State state = State::kInvited;
  double p_complete = 0;
  std::optional<int64_t> due_at_ms;  // the deadline of the current step
  int64_t version = 0;
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
};

struct AssignmentEvent {
  std::string from_state;  // "" for the invitation
  std::string to_state;
  std::string actor;
  std::string reason;
  int64_t at_ms = 0;
  std::string kind = "transition";  // or a note that leaves the state: reminder
};

// One finished assignment, for learning completion: what the creator was, what was offered,
// and how it ended.
struct PastAssignment {
  int64_t creator_id = 0;
  int64_t campaign_id = 0;
  int64_t followers = 0;
  Compensation compensation = Compensation::kGifted;
  int64_t created_at_ms = 0;
  State outcome = State::kCompleted;
  bool was_late = false;
  std::optional<double> days_to_post;
};

struct StoredPost {
  int64_t id = 0;
  std::string payload;  // the post's JSON as submitted
  std::optional<int64_t> verified_at_ms;
  std::string url;
  std::string caption;
  std::string format;  // video, photo, carousel, or "" when the post named no media
  std::optional<int64_t> posted_at_ms;
  std::string verdict;  // the verification's JSON; "{}" until verified
};

// A post as submitted, to store.
struct NewPost {
  int64_t assignment_id = 0;
  int64_t account_id = 0;
  std::string url;
  std::string caption;
  std::string format;
  std::optional<int64_t> posted_at_ms;
  std::string payload;
};

struct TransitionRequest {
  State to = State::kInvited;
  std::string actor;
  std::string reason;
  std::optional<int64_t> due_at_ms;  // the next step's deadline; none clears it
};

class CampaignStore {
 public:
  CampaignStore(storage::Database& db, const Clock& clock, storage::Scope scope)
      : db_(db), clock_(clock), scope_(scope) {}

  const storage::Scope& scope() const { return scope_; }
  // The brand of that name in the scope's organisation (created if new); an org scope or
  // everything (the instance's own brands) only.
  Result<int64_t> EnsureBrand(const std::string& name);
  // Inserts the product, or updates the one with the same (brand, SKU).
  Result<int64_t> UpsertProduct(int64_t brand_id, const ProductSpec& product);
  Result<Product> GetProduct(int64_t id);
  // Every product in scope, or a brand's (brand_id not 0), by id.
  Result<std::vector<Product>> ListProducts(int64_t brand_id);

  // Stores the campaign with its brand and product (created or updated from the spec).
  Result<Campaign> CreateCampaign(const CampaignSpec& spec);
  Result<Campaign> GetCampaign(int64_t id);
  // The campaign of an assignment that came from a scoped read (a creator may act on their own
  // assignment without seeing the brand's campaigns).
  Result<Campaign> CampaignOf(const Assignment& a);
  Result<std::vector<Campaign>> ListCampaigns();
  // The name of a brand (of a campaign that came from a scoped read).
  Result<std::string> BrandName(int64_t brand_id);
  // A campaign's products: its own and any others in campaign_products, by id.
  Result<std::vector<Product>> CampaignProducts(const Campaign& c);

  // The assignments of a creator within the scope, newest first.
  Result<std::vector<Assignment>> AssignmentsOfCreator(int64_t creator_id);

  // A new assignment in state invited, with its first audit entry. kAlreadyExists when the creator
  // is already in the campaign.
  Result<Assignment> Invite(int64_t campaign_id, int64_t creator_id, int64_t account_id,
                            double p_complete, int64_t due_at_ms, const std::string& actor,
                            const std::string& reason);
  Result<Assignment> GetAssignment(int64_t id);
  // The same, locking the row until the transaction ends (PostgreSQL), so that a command's
  // decision rests on the state it read: commands on one assignment run one after another.
  Result<Assignment> LockAssignment(int64_t id);
  Result<std::vector<Assignment>> Assignments(int64_t campaign_id);
  Result<std::vector<AssignmentEvent>> Events(int64_t assignment_id);
  // Sets the product an assignment is for (one of its campaign's: the caller checks).
  Status SetAssignmentProduct(int64_t assignment_id, int64_t product_id);

  // Moves an assignment; refuses impossible transitions (kFailedPrecondition) and lost races
  // (kAborted).
  Result<Assignment> Transition(int64_t assignment_id, const TransitionRequest& request);

  // Takes one unit of the product; kFailedPrecondition (out_of_stock) when none is left.
  Result<int64_t> TakeUnit(int64_t product_id);
  // Units that left stock for the campaign: assignments that were ever shipped or purchased.
  Result<int64_t> UnitsSent(int64_t campaign_id);
  // Whether the creator ever returned a product of the organisation `org_id` (0: the
  // instance's own): they are banned from receiving its product. One brand's ban is not another's.
  Result<bool> HasReturned(int64_t creator_id, int64_t org_id);
  // Every creator who returned product (banned from receiving more).
  Result<std::set<int64_t>> ReturnedCreators(int64_t org_id);

  // Stores a submitted post (its JSON as given) for an assignment; returns its id.
  Result<int64_t> SavePost(const NewPost& post);
  Result<std::optional<StoredPost>> LatestPost(int64_t assignment_id);
  Status MarkPostVerified(int64_t post_id, const std::string& verdict_json);
  Status MarkPostRemoved(int64_t post_id, int64_t removed_at_ms);

  // Every finished assignment (completed, declined, failed, replaced, returned, post_removed):
  // completion is learnt per invitation. Oldest first
  // per creator; `campaign_id` excludes one campaign (the one being planned).
  Result<std::vector<PastAssignment>> PastAssignments(int64_t exclude_campaign_id = 0);

 private:
  Result<Campaign> ReadCampaign(const storage::Row& r);
  // The assignments in scope whose `column` is `id`.
  Result<std::vector<Assignment>> ListAssignments(std::string_view column, int64_t id,
                                                  std::string_view order);
  Result<Assignment> ReadAssignmentRow(int64_t id, std::string_view lock);

  storage::Database& db_;
  const Clock& clock_;
  storage::Scope scope_;
};

}  // namespace seedcast::campaign

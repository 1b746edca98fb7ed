// Libraries across campaigns: operators' fraud flags (approved accounts whose stored audience
// quality is below the gate) and their decisions, the whole ledger for operators, and the
// content library: the assets that verified posts produced, with their usage rights, for brands
// (their organisation's assets) and operators.
//
// Thread-safe: each call takes its own connection.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app/accounts.h"
#include "app/context.h"
#include "app/principal.h"
#include "campaign/ledger.h"
#include "measure/usage_rights.h"
#include "storage/scope.h"

namespace seedcast::app {

struct Flag {
  int64_t account_id = 0;
  int64_t creator_id = 0;
  std::string platform;
  std::string handle;
  int64_t followers = 0;
  // The stored signal closest to a fake probability: 1 - the audience quality score (0-1). Not
  // the classifier's probability, which is not stored.
  double fake_probability = 0;
  double quality_score = 0;  // 0-100
  std::string status;        // the review status: approved
  std::vector<std::string> reasons;
};

// Operators: approved accounts whose stored quality score is below the [quality] gate, worst
// first, leaving out those an operator cleared since their last review.
Result<std::vector<Flag>> ListFlags(AppContext& ctx, const Principal& p, int limit);

// Operators: "clear" records the flag as checked (it is not listed again); "suspend" sets the
// account's review status to suspended, which takes it out of search and the catalogue. Both are
// in the security log (account_flag_cleared, account_suspended).
struct FlagDecision {
  int64_t account_id = 0;
  std::string decision;
  std::string status;  // the account's review status after it
};
Result<FlagDecision> DecideFlag(AppContext& ctx, const Principal& p, int64_t account_id,
                                const std::string& decision, const std::string& reason,
                                const ClientInfo& client);

// Operators: every ledger transaction, newest first (`before`: the last id seen).
Result<std::vector<campaign::StoredTransaction>> ListLedger(AppContext& ctx,
                                                            const storage::Scope& scope,
                                                            const std::string& kind,
                                                            int64_t before_id, int limit);

struct AssetQuery {
  std::string kind;                   // video, photo, post; "" for all
  std::string format;                 // reel, story, video, carousel, ...; "" for all
  std::string usage_rights;           // the campaign's grant: organic, paid, perpetual; "" for all
  std::string rights_scope;           // organic, paid, none; "" for all
  int64_t campaign_id = 0;            // 0 for all
  std::string creator;                // a creator's id or an account's handle; "" for all
  bool expiring_only = false;         // rights expiring within the warning window
  bool usable_for_paid_only = false;  // paid rights in their term now
  int limit = 100;
};

struct Asset {
  int64_t id = 0;
  std::string code;  // "SCA-<id>": what ad names carry
  int64_t campaign_id = 0;
  std::string campaign;
  int64_t creator_id = 0;
  std::string handle;
  std::string kind;
  std::string format;
  std::optional<double> duration_s;
  std::string hook;
  std::string uri;
  std::string usage_rights;
  std::string caption;
  int64_t created_at_ms = 0;
  measure::UsageRights rights;
  measure::RightsStatus rights_status;  // at the time of the call
};

// The assets of verified, standing posts of the campaigns within the scope, newest first, with
// their rights evaluated at the clock's now (measure/usage_rights.h).
Result<std::vector<Asset>> ListAssets(AppContext& ctx, const storage::Scope& scope,
                                      const AssetQuery& query);

// The fields of an asset's rights to change; the others stay as they are. A cleared scope ("")
// clears every field.
struct RightsEdit {
  std::optional<std::string> scope;  // organic, paid, ""
  std::optional<std::vector<std::string>> channels;
  std::optional<std::optional<int64_t>> starts_at_ms;   // inner none: no start
  std::optional<std::optional<int64_t>> expires_at_ms;  // inner none: no end date
  std::optional<std::string> authorization_code;
};

// Sets an asset's usage rights: members of the asset's organisation (and the instance's own
// work, with the everything scope). An asset outside the scope is kNotFound; rights that do not
// hold together are kInvalidArgument naming the field. The campaign-level usage_rights column
// follows the scope (a perpetual grant stays "perpetual" while it is paid without an expiry).
Result<Asset> SetAssetRights(AppContext& ctx, const storage::Scope& scope, int64_t asset_id,
                             const RightsEdit& edit);

// The assets as CSV: a header and one row per asset, the rights flattened (docs/library.md).
std::string AssetsToCsv(const std::vector<Asset>& assets);

nlohmann::ordered_json FlagToJson(const Flag& f);
nlohmann::ordered_json FlagDecisionToJson(const FlagDecision& d);
nlohmann::ordered_json AssetToJson(const Asset& a);

}  // namespace seedcast::app

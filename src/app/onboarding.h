// Creator onboarding: a signed-up creator adds their platform accounts (platform, handle and
// stats); each is reviewed before brands see it.
//
// The quality gate gives each account a verdict with its reasons: at least [onboarding]
// min_followers followers (100 by default) and an audience quality score, scored from the stats
// given, at or above the quality gate ([quality] gate, 60). With [onboarding] review = "operator"
// (the default) the account waits as pending, the gate's verdict beside it, until an operator
// approves or rejects it; with review = "gate" the gate decides alone. Only approved accounts
// are in the search index and the creator directory brands read.
//
// Thread-safe: each call takes its own connections.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app/accounts.h"
#include "app/context.h"
#include "app/principal.h"
#include "model/creator.h"

namespace seedcast::app {

struct ReviewedAccount {
  int64_t account_id = 0;
  int64_t creator_id = 0;
  std::string platform;
  std::string handle;
  int64_t followers = 0;
  std::optional<double> quality_score;  // 0-100, as scored at review
  std::string status;                   // pending, approved, rejected
  bool gate_passed = false;
  std::vector<std::string> reasons;
};

// The gate's verdict on an account: whether it passes, and why (or why not).
struct GateVerdict {
  bool passed = false;
  std::optional<double> score;  // 0-100
  std::vector<std::string> reasons;
};
GateVerdict ApplyGate(AppContext& ctx, const model::Account& account);

// The signed-in creator adds an account; kAlreadyExists when that platform and handle is listed.
Result<ReviewedAccount> AddMyAccount(AppContext& ctx, const Principal& p, model::Account account,
                                     const ClientInfo& client);
Result<std::vector<ReviewedAccount>> MyAccounts(AppContext& ctx, const Principal& p);
// The signed-in creator changes the stats of one of their accounts (the fields of `changes` that
// are given; platform and handle stay). The account goes through the review again as a new one
// would: an approval earned with other numbers does not carry over. kNotFound for an account
// that is not theirs.
Result<ReviewedAccount> EditMyAccount(AppContext& ctx, const Principal& p, int64_t account_id,
                                      const model::Account& changes, const ClientInfo& client);
// Operators: the accounts waiting for a decision, oldest first.
Result<std::vector<ReviewedAccount>> PendingReviews(AppContext& ctx, const Principal& p, int limit);
// Operators: approve or reject a pending account (`decision`: approve, reject), with a reason.
Result<ReviewedAccount> ReviewAccount(AppContext& ctx, const Principal& by, int64_t account_id,
                                      const std::string& decision, const std::string& reason,
                                      const ClientInfo& client);

nlohmann::ordered_json ReviewedToJson(const ReviewedAccount& r);

}  // namespace seedcast::app

// Ledger: double-entry bookkeeping in integer cents, exactly once per idempotency key.
//
// A transaction is a set of entries on named ledger accounts whose amounts sum to zero (debits
// positive, credits negative). Posting a transaction whose key is already stored changes nothing
// and reports the stored one, so a retried or concurrent command moves money once. Reusing a key
// for different entries is refused (kConflict): that is a caller's bug, not a retry.
//
// Ledger accounts used by campaigns (see service.h):
//   brand:<id>:receivable          what the brand owes (invoice lines, billed reimbursements)
//   campaign:<id>:fees             fees earned for completed posts (credit)
//   campaign:<id>:reimbursements   product bought by creators (debit), billed back (credit)
//   campaign:<id>:creator_pay      cash owed to creators for their posts (debit)
//   creator:<id>:payable           what Seedcast owes the creator (credit)
//
// Borrows the Database. Post must run inside the caller's transaction (storage::InTransaction):
// a transaction's row and its entries must land together, or a concurrent replay could read a
// half-written transaction. Not thread-safe (one Database per thread).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "storage/database.h"

namespace seedcast::campaign {

struct LedgerEntry {
  std::string account;
  int64_t amount_cents = 0;  // debit > 0, credit < 0
  bool operator==(const LedgerEntry&) const = default;
};

struct LedgerTransaction {
  std::string idempotency_key;
  std::string kind;  // invoice_line, invoice_void, creator_pay, reimbursement, reimbursement_bill
  int64_t campaign_id = 0;    // 0: none
  int64_t assignment_id = 0;  // 0: none
  std::string memo;
  std::vector<LedgerEntry> entries;
};

struct PostOutcome {
  int64_t transaction_id = 0;
  bool replayed = false;  // the key was already stored; nothing new was written
};

class Ledger {
 public:
  Ledger(storage::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  Result<PostOutcome> Post(const LedgerTransaction& txn);

  // The sum of an account's entries (debits minus credits).
  Result<int64_t> Balance(const std::string& account);
  // Transactions of a kind for a campaign, without the voided ones counted separately.
  Result<int64_t> CountKind(int64_t campaign_id, const std::string& kind);
  // The sum over all entries: zero in a healthy ledger.
  Result<int64_t> TrialBalance();
  // Whether a transaction with this key exists.
  Result<bool> Has(const std::string& idempotency_key);

 private:
  Result<std::vector<LedgerEntry>> EntriesOf(int64_t transaction_id);

  storage::Database& db_;
  const Clock& clock_;
};

// Checks that a transaction is well formed: a key, at least two entries, no zero amounts, a sum
// of zero.
Status ValidateTransaction(const LedgerTransaction& txn);

}  // namespace seedcast::campaign

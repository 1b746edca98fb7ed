// Ledger: double-entry bookkeeping in integer cents, exactly once per idempotency key.
//
// A transaction is a set of entries on named ledger accounts whose amounts sum to zero (debits
// positive, credits negative). Posting a transaction whose key is already stored changes nothing
// and reports the stored one, so a retried or concurrent command moves money once. Reusing a key
// for different entries is refused (kFailedPrecondition): that is a caller's bug, not a retry.
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

// The usual transaction: `cents` from one ledger account to another, as two entries.
struct Transfer {
  std::string idempotency_key;
  std::string kind;
  int64_t campaign_id = 0;
  int64_t assignment_id = 0;
  std::string memo;
  std::string debit;   // gets +cents
  std::string credit;  // gets -cents
  int64_t cents = 0;
};

// A transaction as stored, with its entries.
struct StoredTransaction {
  int64_t id = 0;
  LedgerTransaction txn;
  int64_t created_at_ms = 0;
};

struct PostOutcome {
  int64_t transaction_id = 0;
  bool replayed = false;  // the key was already stored; nothing new was written
};

class Ledger {
 public:
  Ledger(storage::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  Result<PostOutcome> Post(const LedgerTransaction& txn);
  Result<PostOutcome> Post(const Transfer& transfer);

  // The sum of an account's entries (debits minus credits).
  Result<int64_t> Balance(const std::string& account);
  // How many transactions of a kind a campaign has (an invoice void is a kind of its own).
  Result<int64_t> CountKind(int64_t campaign_id, const std::string& kind);
  // The sum of a campaign's entries of one kind on the ledger accounts starting with
  // `account_prefix` (e.g. "brand:"); with an empty kind, of every kind.
  Result<int64_t> CampaignSum(int64_t campaign_id, const std::string& kind,
                              const std::string& account_prefix);
  // The sum over all entries: zero in a healthy ledger.
  Result<int64_t> TrialBalance();
  // Whether a transaction with this key exists.
  Result<bool> Has(const std::string& idempotency_key);
  // A campaign's transactions in the order they were posted.
  Result<std::vector<StoredTransaction>> CampaignTransactions(int64_t campaign_id);
  // Every campaign's transactions, newest first: of one kind ("" for all), with ids below
  // `before_id` (0 for the newest), at most `limit`.
  Result<std::vector<StoredTransaction>> AllTransactions(const std::string& kind, int64_t before_id,
                                                         int limit);

 private:
  Result<std::vector<LedgerEntry>> EntriesOf(int64_t transaction_id);

  storage::Database& db_;
  const Clock& clock_;
};

// "12.50", "-0.05": cents as an amount for people.
std::string FormatCents(int64_t cents);

// Checks that a transaction is well formed: a key, at least two entries, no zero amounts, a sum
// of zero.
Status ValidateTransaction(const LedgerTransaction& txn);

}  // namespace seedcast::campaign

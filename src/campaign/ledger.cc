#include "campaign/ledger.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>
#include <optional>

#include "storage/event_outbox.h"

namespace seedcast::campaign {

using storage::Row;
using storage::Value;

namespace {

// The id in a ledger account named "<what>:<id>:<role>" when it is one of `what` and `role`; 0
// otherwise.
int64_t IdInAccount(std::string_view account, std::string_view what, std::string_view role) {
  if (!account.starts_with(what) || !account.ends_with(role)) return 0;
  const std::string_view id =
      account.substr(what.size(), account.size() - what.size() - role.size());
  int64_t out = 0;
  auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), out);
  return ec == std::errc() && end == id.data() + id.size() ? out : 0;
}

// The webhook event of a new transaction, in its database transaction: a line on a brand's
// invoice (a fee, a billed reimbursement, a void) or money owed to a creator (pay, a
// reimbursement). Other kinds make none.
Status RecordLedgerEvent(storage::Database& db, const LedgerTransaction& txn,
                         int64_t transaction_id, int64_t org_id, int64_t now_ms) {
  const bool invoice =
      txn.kind == "invoice_line" || txn.kind == "invoice_void" || txn.kind == "reimbursement_bill";
  const bool payout = txn.kind == "creator_pay" || txn.kind == "reimbursement";
  if (!invoice && !payout) return Status::Ok();
  nlohmann::json data = {{"transaction_id", transaction_id},
                         {"kind", txn.kind},
                         {"campaign_id", txn.campaign_id},
                         {"assignment_id", txn.assignment_id}};
  for (const LedgerEntry& e : txn.entries) {
    if (const int64_t brand = IdInAccount(e.account, "brand:", ":receivable"); invoice && brand) {
      data["brand_id"] = brand;
      data["amount_cents"] = e.amount_cents;  // what the brand owes: negative for a void
    }
    if (const int64_t creator = IdInAccount(e.account, "creator:", ":payable"); payout && creator) {
      data["creator_id"] = creator;
      data["amount_cents"] = -e.amount_cents;  // credited to the creator
    }
  }
  return storage::RecordEvent(
             db, org_id, invoice ? storage::kEventInvoiceLineWritten : storage::kEventPayoutOwed,
             data.dump(), now_ms)
      .status();
}

}  // namespace

std::string FormatCents(int64_t cents) {
  const int64_t whole = cents / 100;
  const int64_t part = cents % 100;
  return fmt::format("{}{}.{:02d}", cents < 0 ? "-" : "", whole < 0 ? -whole : whole,
                     part < 0 ? -part : part);
}

Status ValidateTransaction(const LedgerTransaction& txn) {
  if (txn.idempotency_key.empty()) return InvalidArgument("a ledger transaction needs a key");
  if (txn.entries.size() < 2) {
    return InvalidArgument("ledger transaction '" + txn.idempotency_key +
                           "' needs at least two entries");
  }
  int64_t sum = 0;
  for (const LedgerEntry& e : txn.entries) {
    if (e.account.empty() || e.amount_cents == 0) {
      return InvalidArgument("ledger transaction '" + txn.idempotency_key +
                             "' has an entry without an account or an amount");
    }
    sum += e.amount_cents;
  }
  if (sum != 0) {
    return InvalidArgument("ledger transaction '" + txn.idempotency_key +
                           "' does not balance: " + std::to_string(sum) + " cents left over");
  }
  return Status::Ok();
}

Result<PostOutcome> Ledger::Post(const LedgerTransaction& txn) {
  SEEDCAST_RETURN_IF_ERROR(ValidateTransaction(txn));
  auto optional_id = [](int64_t id) -> Value { return id == 0 ? Value(nullptr) : Value(id); };
  // ON CONFLICT DO NOTHING: a concurrent writer of the same key makes this one a replay instead
  // of an error (PostgreSQL waits for the other transaction, then skips the row).
  std::optional<int64_t> inserted;
  int64_t org_id = 0;
  SEEDCAST_RETURN_IF_ERROR(db_.Query(
      "INSERT INTO ledger_transactions (idempotency_key, kind, campaign_id, assignment_id, memo, "
      "created_at_ms, org_id) VALUES (?, ?, ?, ?, ?, ?, (SELECT org_id FROM campaigns WHERE id = "
      "?)) ON CONFLICT (idempotency_key) DO NOTHING RETURNING id, COALESCE(org_id, 0)",
      {std::string_view(txn.idempotency_key), std::string_view(txn.kind),
       optional_id(txn.campaign_id), optional_id(txn.assignment_id), std::string_view(txn.memo),
       clock_.NowMs(), txn.campaign_id},
      [&](const Row& r) {
        inserted = r.Int(0);
        org_id = r.Int(1);
        return Status::Ok();
      }));
  if (inserted) {
    for (const LedgerEntry& e : txn.entries) {
      SEEDCAST_RETURN_IF_ERROR(
          db_.Execute("INSERT INTO ledger_entries (transaction_id, ledger_account, amount_cents) "
                      "VALUES (?, ?, ?)",
                      {*inserted, std::string_view(e.account), e.amount_cents}));
    }
    SEEDCAST_RETURN_IF_ERROR(RecordLedgerEvent(db_, txn, *inserted, org_id, clock_.NowMs()));
    return PostOutcome{*inserted, false};
  }
  std::optional<int64_t> existing;
  std::string kind;
  SEEDCAST_RETURN_IF_ERROR(
      db_.Query("SELECT id, kind FROM ledger_transactions WHERE idempotency_key = ?",
                {std::string_view(txn.idempotency_key)}, [&](const Row& r) {
                  existing = r.Int(0);
                  kind = r.Text(1);
                  return Status::Ok();
                }));
  if (!existing) return Internal("ledger key '" + txn.idempotency_key + "' vanished");
  SEEDCAST_ASSIGN_OR_RETURN(std::vector<LedgerEntry> stored, EntriesOf(*existing));
  std::vector<LedgerEntry> wanted = txn.entries;
  auto order = [](const LedgerEntry& a, const LedgerEntry& b) {
    return a.account != b.account ? a.account < b.account : a.amount_cents < b.amount_cents;
  };
  std::sort(stored.begin(), stored.end(), order);
  std::sort(wanted.begin(), wanted.end(), order);
  if (kind != txn.kind || stored != wanted) {
    return FailedPrecondition(
        "idempotency_key_reused",
        "ledger key '" + txn.idempotency_key + "' was already used for a different transaction");
  }
  return PostOutcome{*existing, true};
}

Result<PostOutcome> Ledger::Post(const Transfer& t) {
  return Post(LedgerTransaction{t.idempotency_key,
                                t.kind,
                                t.campaign_id,
                                t.assignment_id,
                                t.memo,
                                {{t.debit, t.cents}, {t.credit, -t.cents}}});
}

Result<std::vector<LedgerEntry>> Ledger::EntriesOf(int64_t transaction_id) {
  std::vector<LedgerEntry> out;
  SEEDCAST_RETURN_IF_ERROR(
      db_.Query("SELECT ledger_account, amount_cents FROM ledger_entries WHERE transaction_id = ?",
                {transaction_id}, [&out](const Row& r) {
                  out.push_back({std::string(r.Text(0)), r.Int(1)});
                  return Status::Ok();
                }));
  return out;
}

Result<int64_t> Ledger::Balance(const std::string& account) {
  return db_.QueryInt(
      "SELECT COALESCE(SUM(amount_cents), 0) FROM ledger_entries WHERE ledger_account = ?",
      {std::string_view(account)});
}

Result<int64_t> Ledger::CountKind(int64_t campaign_id, const std::string& kind) {
  return db_.QueryInt("SELECT COUNT(*) FROM ledger_transactions WHERE campaign_id = ? AND kind = ?",
                      {campaign_id, std::string_view(kind)});
}

Result<int64_t> Ledger::CampaignSum(int64_t campaign_id, const std::string& kind,
                                    const std::string& account_prefix) {
  const std::string like = account_prefix + "%";
  return db_.QueryInt(
      "SELECT COALESCE(SUM(e.amount_cents), 0) FROM ledger_entries e JOIN ledger_transactions t "
      "ON t.id = e.transaction_id WHERE t.campaign_id = ? AND (? = '' OR t.kind = ?) AND "
      "e.ledger_account LIKE ?",
      {campaign_id, std::string_view(kind), std::string_view(kind), std::string_view(like)});
}

Result<int64_t> Ledger::TrialBalance() {
  return db_.QueryInt("SELECT COALESCE(SUM(amount_cents), 0) FROM ledger_entries");
}

Result<bool> Ledger::Has(const std::string& idempotency_key) {
  SEEDCAST_ASSIGN_OR_RETURN(
      int64_t n, db_.QueryInt("SELECT COUNT(*) FROM ledger_transactions WHERE idempotency_key = ?",
                              {std::string_view(idempotency_key)}));
  return n > 0;
}

Result<std::vector<StoredTransaction>> Ledger::CampaignTransactions(int64_t campaign_id) {
  std::vector<StoredTransaction> out;
  SEEDCAST_RETURN_IF_ERROR(db_.Query(
      "SELECT id, idempotency_key, kind, COALESCE(assignment_id, 0), memo, created_at_ms FROM "
      "ledger_transactions WHERE campaign_id = ? ORDER BY id",
      {campaign_id}, [&out](const Row& r) {
        StoredTransaction& t = out.emplace_back();
        t.id = r.Int(0);
        t.txn.idempotency_key = r.Text(1);
        t.txn.kind = r.Text(2);
        t.txn.campaign_id = 0;
        t.txn.assignment_id = r.Int(3);
        t.txn.memo = r.Text(4);
        t.created_at_ms = r.Int(5);
        return Status::Ok();
      }));
  for (StoredTransaction& t : out) {
    t.txn.campaign_id = campaign_id;
    SEEDCAST_ASSIGN_OR_RETURN(t.txn.entries, EntriesOf(t.id));
  }
  return out;
}

Result<std::vector<StoredTransaction>> Ledger::AllTransactions(const std::string& kind,
                                                               int64_t before_id, int limit) {
  std::vector<StoredTransaction> out;
  SEEDCAST_RETURN_IF_ERROR(db_.Query(
      "SELECT id, idempotency_key, kind, COALESCE(assignment_id, 0), memo, created_at_ms, "
      "COALESCE(campaign_id, 0) FROM ledger_transactions WHERE (? = '' OR kind = ?) AND "
      "(? = 0 OR id < ?) ORDER BY id DESC LIMIT ?",
      {std::string_view(kind), std::string_view(kind), before_id, before_id, int64_t{limit}},
      [&out](const Row& r) {
        StoredTransaction& t = out.emplace_back();
        t.id = r.Int(0);
        t.txn.idempotency_key = r.Text(1);
        t.txn.kind = r.Text(2);
        t.txn.assignment_id = r.Int(3);
        t.txn.memo = r.Text(4);
        t.created_at_ms = r.Int(5);
        t.txn.campaign_id = r.Int(6);
        return Status::Ok();
      }));
  for (StoredTransaction& t : out) {
    SEEDCAST_ASSIGN_OR_RETURN(t.txn.entries, EntriesOf(t.id));
  }
  return out;
}

}  // namespace seedcast::campaign

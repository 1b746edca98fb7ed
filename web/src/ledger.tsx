// The ledger as every page shows it: one name per transaction kind (the ledger's own kinds,
// src/campaign/service.cc), one table, one CSV.
import type { LedgerTransaction } from "./types";
import { money, when } from "./ui";

export const KIND_TEXT: Record<string, string> = {
  invoice_line: "Invoice line: fee for a completed post",
  invoice_void: "Invoice line voided: post removed",
  creator_pay: "Payout for a verified post",
  reimbursement: "Reimbursement of a purchase",
  reimbursement_bill: "Reimbursement billed to the brand",
};

export const kindText = (kind: string) => KIND_TEXT[kind] ?? kind;

export function LedgerTable({ lines }: { lines: LedgerTransaction[] }) {
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Kind</th>
            <th scope="col">Assignment</th>
            <th scope="col">Entries</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((t) => (
            <tr key={t.id}>
              <td>{when(t.at)}</td>
              <td>{kindText(t.kind)}</td>
              <td>{t.assignment_id ?? "—"}</td>
              <td>
                {t.entries.map((e) => (
                  <div key={e.account}>
                    {e.account}: {money(e.amount_cents)}
                  </div>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ledgerCsv(lines: LedgerTransaction[]): string {
  const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
  const rows = [["transaction", "at", "kind", "assignment", "memo", "account", "amount"].join(",")];
  for (const t of lines) for (const e of t.entries) rows.push([t.id, q(t.at), q(t.kind), t.assignment_id ?? "", q(t.memo), q(e.account), (e.amount_cents / 100).toFixed(2)].join(","));
  return rows.join("\n") + "\n";
}

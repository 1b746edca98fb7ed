import { useEffect, useState } from "react";
import { get } from "../api";
import { kindText } from "../ledger";
import type { Earnings } from "../types";
import { Busy, ErrorNote, money, Page, when } from "../ui";

export default function EarningsPage() {
  const [e, setE] = useState<Earnings | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    get<Earnings>("/v1/me/earnings").then(setE).catch(setError);
  }, []);
  const total = (e?.lines ?? []).reduce((s, l) => s + l.amount_cents, 0);
  return (
    <Page title="Earnings">
      <ErrorNote error={error} />
      {!e && !error && <Busy label="Loading earnings…" />}
      {e && (
        <>
          <dl className="figures">
            <div>
              <dt>Earned in all</dt>
              <dd data-testid="earned">{money(total)}</dd>
            </div>
            <div>
              <dt>Owed to you now</dt>
              <dd>{money(e.owed_cents)}</dd>
            </div>
          </dl>
          {e.lines.length === 0 ? (
            <p>No earnings yet. Payouts and reimbursements appear here once a brand verifies your post.</p>
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">What</th>
                    <th scope="col">Campaign</th>
                    <th scope="col">Amount</th>
                  </tr>
                </thead>
                <tbody>
                  {e.lines.map((l, i) => (
                    <tr key={i}>
                      <td>{when(l.at)}</td>
                      <td>{kindText(l.kind)}</td>
                      <td>{l.campaign_id}</td>
                      <td>{money(l.amount_cents)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </Page>
  );
}

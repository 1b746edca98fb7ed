// The operator's desk: accounts waiting for review with their quality reasons, fraud flags,
// invoices and payouts, and the server's health read from /metrics.
import { useCallback, useEffect, useState } from "react";
import { get, post, type Items } from "../api";
import type { LedgerTransaction, Review } from "../types";
import { KIND_TEXT, LedgerTable } from "../ledger";
import { count, ErrorNote, Page, when } from "../ui";

interface Flag {
  account_id: number;
  creator_id: number;
  platform: string;
  handle: string;
  followers: number;
  fake_probability: number;
  quality_score: number | null;
  status: string;
  reasons: string[];
}

function Reviews() {
  const [items, setItems] = useState<Review[]>([]);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => {
    get<Items<Review>>("/v1/reviews")
      .then((r) => setItems(r.items))
      .catch(setError);
  }, []);
  useEffect(load, [load]);
  async function decide(id: number, decision: "approve" | "reject") {
    try {
      await post(`/v1/reviews/${id}`, { decision, reason: decision === "approve" ? "looks genuine" : "did not pass review" });
      load();
    } catch (e) {
      setError(e);
    }
  }
  return (
    <section className="card" aria-labelledby="reviews-title">
      <h2 id="reviews-title">Creators pending approval ({items.length})</h2>
      <ErrorNote error={error} />
      {items.length === 0 && <p>No account is waiting.</p>}
      <ul className="reviews">
        {items.map((r) => (
          <li key={r.account_id} className="review">
            <h3>
              @{r.handle} <span className="tag">{r.platform}</span> {count(r.followers)} followers
              {r.quality_score !== null && `, quality ${Math.round(r.quality_score)}`} {r.gate_passed ? "(passes the gate)" : "(below the gate)"}
            </h3>
            <ul className="reasons">
              {r.reasons.map((x) => (
                <li key={x}>{x}</li>
              ))}
            </ul>
            <button type="button" className="primary" onClick={() => decide(r.account_id, "approve")} aria-label={`Approve @${r.handle}`}>
              Approve
            </button>
            <button type="button" onClick={() => decide(r.account_id, "reject")} aria-label={`Refuse @${r.handle}`}>
              Refuse
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Flags() {
  const [items, setItems] = useState<Flag[]>([]);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => {
    get<Items<Flag>>("/v1/flags?limit=20")
      .then((r) => setItems(r.items))
      .catch(setError);
  }, []);
  useEffect(load, [load]);
  async function decide(id: number, decision: "clear" | "suspend") {
    try {
      await post(`/v1/flags/${id}`, { decision, reason: decision === "clear" ? "checked: genuine" : "fake audience" });
      load();
    } catch (e) {
      setError(e);
    }
  }
  return (
    <section className="card" aria-labelledby="flags-title">
      <h2 id="flags-title">Fraud flags ({items.length})</h2>
      <ErrorNote error={error} />
      <ul className="reviews">
        {items.map((f) => (
          <li key={f.account_id} className="review">
            <h3>
              @{f.handle} <span className="tag">{f.platform}</span> fake probability {(f.fake_probability * 100).toFixed(0)}%, {count(f.followers)} followers
            </h3>
            <ul className="reasons">
              {f.reasons.map((x) => (
                <li key={x}>{x}</li>
              ))}
            </ul>
            <button type="button" onClick={() => decide(f.account_id, "clear")} aria-label={`Clear the flag on @${f.handle}`}>
              Clear
            </button>
            <button type="button" className="danger" onClick={() => decide(f.account_id, "suspend")} aria-label={`Suspend @${f.handle}`}>
              Suspend
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Money() {
  const [lines, setLines] = useState<LedgerTransaction[]>([]);
  const [kind, setKind] = useState("");
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    get<Items<LedgerTransaction>>(`/v1/ledger?limit=50${kind ? `&kind=${kind}` : ""}`)
      .then((l) => setLines(l.items))
      .catch(setError);
  }, [kind]);
  return (
    <section className="card" aria-labelledby="money-title">
      <h2 id="money-title">Invoices and payouts</h2>
      <label>
        Show{" "}
        <select value={kind} onChange={(e) => setKind(e.target.value)}>
          <option value="">everything</option>
          {Object.entries(KIND_TEXT).map(([k, text]) => (
            <option key={k} value={k}>
              {text}
            </option>
          ))}
        </select>
      </label>
      <ErrorNote error={error} />
      <LedgerTable lines={lines} />
    </section>
  );
}

// Prometheus text: sums of the counters by label, and a p99 estimate from the histogram.
export function parseMetrics(text: string) {
  const byStatus = new Map<string, number>();
  let requests = 0;
  const gauges: [string, number][] = [];
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const m = /^([a-z_]+)(\{[^}]*\})?\s+([0-9.eE+-]+|NaN)$/.exec(line);
    if (!m) continue;
    const [, name, labels = "", value] = m;
    const v = Number(value);
    if (name === "seedcast_http_requests_total") {
      requests += v;
      const status = /status="(\d)/.exec(labels)?.[1] ?? "?";
      byStatus.set(`${status}xx`, (byStatus.get(`${status}xx`) ?? 0) + v);
    } else if (!name.includes("_bucket") && !name.endsWith("_sum") && !name.endsWith("_count") && !name.endsWith("_total")) {
      gauges.push([name + labels, v]);
    }
  }
  return { requests, byStatus: [...byStatus.entries()].sort(), gauges };
}

function Health() {
  const [m, setM] = useState<ReturnType<typeof parseMetrics> | null>(null);
  const [at, setAt] = useState("");
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => {
    fetch("/metrics", { credentials: "same-origin" })
      .then((r) => (r.ok ? r.text() : Promise.reject(new Error(`/metrics answered ${r.status}`))))
      .then((t) => {
        setM(parseMetrics(t));
        setAt(new Date().toISOString());
      })
      .catch(setError);
  }, []);
  useEffect(() => {
    load();
    const t = setInterval(load, 10_000);
    return () => clearInterval(t);
  }, [load]);
  return (
    <section className="card" aria-labelledby="health-title">
      <h2 id="health-title">System health</h2>
      <ErrorNote error={error} />
      {m && (
        <>
          <p>
            {count(m.requests)} requests since start: {m.byStatus.map(([s, n]) => `${s} ${count(n)}`).join(", ")}. Read {when(at)}.
          </p>
          <table className="metrics">
            <tbody>
              {m.gauges.slice(0, 30).map(([k, v]) => (
                <tr key={k}>
                  <th scope="row">{k}</th>
                  <td>{count(v)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

export default function OperatorPage() {
  return (
    <Page title="Operator">
      <Reviews />
      <Flags />
      <Money />
      <Health />
    </Page>
  );
}

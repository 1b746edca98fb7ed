// A campaign's report: target against completed over time, cost per post, states and the ledger,
// with charts (uPlot) and a CSV export of the ledger.
import { useEffect, useRef, useState } from "react";
import { Link, useParams } from "react-router";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { get } from "../api";
import type { CampaignDetail, LedgerTransaction, Report } from "../types";
import { LedgerTable, ledgerCsv } from "../ledger";
import { Bars, Busy, count, ErrorNote, money, Page, percent } from "../ui";

const dayOf = (iso: string) => Math.floor(Date.parse(iso) / 86_400_000) * 86_400;

// Cumulative completions by day, from the assignments' audit logs: from the day of the first
// invitation (0 on the day before it) to today.
export function completionsByDay(c: CampaignDetail, now = Date.now()): [number[], number[]] {
  const days = new Map<number, number>();
  let first = Infinity;
  for (const a of c.assignments) {
    for (const e of a.audit ?? []) {
      first = Math.min(first, dayOf(e.at));
      if (e.to !== "completed") continue;
      days.set(dayOf(e.at), (days.get(dayOf(e.at)) ?? 0) + 1);
    }
  }
  if (first === Infinity) return [[], []];
  first -= 86_400; // the day before the first invitation: nothing completed yet

  const today = dayOf(new Date(Math.max(now, first * 1000)).toISOString());
  const xs = [...new Set([first, ...days.keys(), today])].sort((x, y) => x - y);
  let total = 0;
  return [xs, xs.map((x) => (total += days.get(x) ?? 0))];
}

function Chart({ title, data, target }: { title: string; data: [number[], number[]]; target: number }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!box.current || data[0].length === 0) return;
    const width = Math.min(720, box.current.clientWidth || 600);
    const plot = new uPlot(
      {
        title,
        width,
        height: 260,
        series: [{}, { label: "Completed posts", stroke: "#1f6f5c", width: 2, paths: uPlot.paths.stepped?.({ align: 1 }) }, { label: "Target", stroke: "#b04a2f", dash: [6, 4] }],
        axes: [{}, { label: "posts" }],
      },
      [data[0], data[1], data[0].map(() => target)],
      box.current,
    );
    return () => plot.destroy();
  }, [data, target, title]);
  return <div ref={box} className="chart" role="img" aria-label={`${title}: ${data[1].at(-1) ?? 0} completed against a target of ${target}`} />;
}

export default function ReportPage() {
  const { id } = useParams();
  const [report, setReport] = useState<Report | null>(null);
  const [campaign, setCampaign] = useState<CampaignDetail | null>(null);
  const [ledger, setLedger] = useState<LedgerTransaction[]>([]);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    Promise.all([get<Report>(`/v1/campaigns/${id}/report`), get<CampaignDetail>(`/v1/campaigns/${id}`), get<{ transactions: LedgerTransaction[] }>(`/v1/campaigns/${id}/ledger`)])
      .then(([r, c, l]) => {
        setReport(r);
        setCampaign(c);
        setLedger(l.transactions);
      })
      .catch(setError);
  }, [id]);
  if (!report || !campaign) return error ? (
      <Page title="Report">
        <ErrorNote error={error} />
      </Page>
    ) : <Busy label="Loading the report…" />;

  const download = (name: string, text: string, type: string) => {
    const url = URL.createObjectURL(new Blob([text], { type }));
    const a = document.createElement("a");
    a.href = url;
    a.download = name;
    a.click();
    URL.revokeObjectURL(url);
  };
  return (
    <Page
      title={`Report: ${report.name}`}
      actions={
        <>
          <button type="button" onClick={() => download(`campaign-${id}-ledger.csv`, ledgerCsv(ledger), "text/csv")}>
            Export ledger (CSV)
          </button>
          <button type="button" onClick={() => download(`campaign-${id}-report.json`, JSON.stringify(report, null, 2), "application/json")}>
            Export report (JSON)
          </button>
          <Link className="button" to={`/campaigns/${id}`}>
            Board
          </Link>
        </>
      }
    >
      <dl className="figures" data-testid="report-figures">
        <div>
          <dt>Completed / target</dt>
          <dd>
            {count(report.completed)} / {count(report.target_posts)}
          </dd>
        </div>
        <div>
          <dt>Guarantee</dt>
          <dd>{report.guarantee_held ? "held" : "not yet"}</dd>
        </div>
        <div>
          <dt>Cost per completed post</dt>
          <dd>{money(report.cost_per_completed_post_cents)}</dd>
        </div>
        <div>
          <dt>Invoiced</dt>
          <dd>{money(report.invoiced_cents)}</dd>
        </div>
        <div>
          <dt>Paid to creators</dt>
          <dd>{money(report.creator_pay_cents + report.reimbursed_to_creators_cents)}</dd>
        </div>
        <div>
          <dt>Units used / left</dt>
          <dd>
            {count(report.units_used)} / {count(report.units_left)}
          </dd>
        </div>
      </dl>
      <p className="hint">
        Promised: {count(report.target_posts)} posts at {percent(report.confidence, 0)} confidence. Ledger imbalance: {money(report.ledger_imbalance_cents)} (always $0.00 in a sound
        ledger).
      </p>
      <div className="card">
        <Chart title="Completed posts over time" data={completionsByDay(campaign)} target={report.target_posts} />
      </div>
      <div className="card">
        <Bars caption="Assignments by state" rows={Object.entries(report.states).map(([state, n]) => [state, n, String(n)])} />
      </div>
      <section className="card" aria-labelledby="ledger-title">
        <h2 id="ledger-title">Ledger ({count(ledger.length)} transactions)</h2>
        <LedgerTable lines={ledger} />
      </section>
    </Page>
  );
}

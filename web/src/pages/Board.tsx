// The campaign board: assignments in columns by state, the brand's actions on each, and one
// assignment's post with its compliance findings, shipping and history.
import { useCallback, useEffect, useState } from "react";
import { Link, useParams } from "react-router";
import { get, newIdempotencyKey, post } from "../api";
import { precheck } from "../precheck";
import type { Assignment, CampaignDetail, Contact, Finding } from "../types";
import { Busy, count, ErrorNote, Field, Page, percent, webUrl, when } from "../ui";

const COLUMNS: { title: string; states: string[] }[] = [
  { title: "Invited", states: ["invited"] },
  { title: "Applied", states: ["applied"] },
  { title: "Approved", states: ["approved"] },
  { title: "Shipped", states: ["shipped", "purchased"] },
  { title: "Delivered", states: ["delivered"] },
  { title: "Posted", states: ["posted"] },
  { title: "Late", states: ["late"] },
  { title: "Done", states: ["verified", "completed"] },
  { title: "Out", states: ["declined", "replaced", "failed", "returned", "post_removed"] },
];

interface AssignmentView extends Assignment {
  handle?: string;
  platform?: string;
  creator_name?: string;
  post?: { url: string; caption: string; format: string; posted_at: string | null; verdict: { compliant?: boolean; findings?: (Finding | string)[] } | null } | null;
  shipment?: { carrier: string; tracking: string; at: string } | null;
}

function ShipForm({ id, onDone }: { id: number; onDone: () => void }) {
  const [carrier, setCarrier] = useState("");
  const [tracking, setTracking] = useState("");
  const [error, setError] = useState<unknown>(null);
  return (
    <form
      className="inline-form"
      onSubmit={async (e) => {
        e.preventDefault();
        try {
          await post(`/v1/assignments/${id}/ship`, { carrier: carrier.trim(), tracking: tracking.trim() }, newIdempotencyKey());
          onDone();
        } catch (err) {
          setError(err);
        }
      }}
    >
      <Field label="Carrier" name="carrier" value={carrier} onChange={setCarrier} required />
      <Field label="Tracking number" name="tracking" value={tracking} onChange={setTracking} required />
      <ErrorNote error={error} />
      <button type="submit" className="primary">
        Mark shipped
      </button>
    </form>
  );
}

// A verified post's stored verdict keeps only its findings' codes (warnings: it passed); a
// pre-check's findings have their message and fix.
function Findings({ findings }: { findings: (Finding | string)[] }) {
  if (!findings.length) return <p className="note note-ok">No findings: the post meets the disclosure rules and the brief.</p>;
  return (
    <ul className="findings">
      {findings.map((f, i) =>
        typeof f === "string" ? (
          <li key={i} className="finding finding-warning">
            <strong>warning</strong> {f.replace(/_/g, " ")} (the post passed verification)
          </li>
        ) : (
          <li key={i} className={`finding finding-${f.severity}`}>
            <strong>{f.severity}</strong> {f.message}
            {f.fix && <div className="fix">Fix: {f.fix}</div>}
          </li>
        ),
      )}
    </ul>
  );
}

// The findings of a post not verified yet: the same check verification will run, against the
// campaign's deliverables, window and claims to avoid.
function usePrecheck(a: AssignmentView | null, spec: Record<string, unknown>) {
  const [findings, setFindings] = useState<Finding[] | null>(null);
  useEffect(() => {
    if (!a?.post || a.post.verdict) return;
    const draft = { caption: a.post.caption, url: a.post.url, platform: a.platform ?? "instagram", media: a.post.format ? [a.post.format] : [], posted_at: a.post.posted_at ?? undefined };
    precheck(spec, draft)
      .then(setFindings)
      .catch(() => setFindings(null));
  }, [a, spec]);
  return findings;
}

function Detail({ id, spec, onChanged, onClose }: { id: number; spec: Record<string, unknown>; onChanged: () => void; onClose: () => void }) {
  const [a, setA] = useState<AssignmentView | null>(null);
  const [contact, setContact] = useState<Contact | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => {
    get<AssignmentView>(`/v1/assignments/${id}`).then(setA).catch(setError);
  }, [id]);
  useEffect(load, [load]);
  const precheck = usePrecheck(a, spec);
  async function act(action: string, body?: unknown) {
    setError(null);
    try {
      await post(`/v1/assignments/${id}/${action}`, body, newIdempotencyKey());
      load();
      onChanged();
    } catch (e) {
      setError(e);
    }
  }
  if (!a) return <ErrorNote error={error} />;
  return (
    <section className="card detail" aria-labelledby="detail-title">
      <div className="row">
        <h2 id="detail-title">
          {a.handle ? `@${a.handle}` : `Creator ${a.creator_id}`} · {a.state}
        </h2>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
      <p>
        {a.creator_name} {a.platform && `on ${a.platform}`}. Completion estimate {percent(a.p_complete, 0)}. Due {when(a.due_at)}.
      </p>
      {a.shipment && (
        <p>
          Shipped by {a.shipment.carrier}, tracking <strong>{a.shipment.tracking}</strong>, {when(a.shipment.at)}.
        </p>
      )}
      {a.state === "approved" && (
        <>
          <button type="button" onClick={() => get<Contact>(`/v1/assignments/${id}/contact`).then(setContact).catch(setError)}>
            Show shipping address
          </button>
          {contact && (
            <address className="note">
              {contact.address || "No address given yet."}
              {contact.phone && <div>{contact.phone}</div>}
            </address>
          )}
          <ShipForm id={id} onDone={() => (load(), onChanged())} />
        </>
      )}
      {a.post && (
        <>
          <h3>The post</h3>
          <p>
            {webUrl(a.post.url) ? (
              <a href={webUrl(a.post.url)!} rel="noreferrer noopener" target="_blank">
                {a.post.url}
              </a>
            ) : (
              a.post.url
            )}{" "}
            {a.post.format} {when(a.post.posted_at)}
          </p>
          <blockquote>{a.post.caption}</blockquote>
          {a.post.verdict ? (
            <Findings findings={a.post.verdict.findings ?? []} />
          ) : (
            precheck && (
              <>
                <p className="hint">Not verified yet: what verification will find.</p>
                <Findings findings={precheck} />
              </>
            )
          )}
        </>
      )}
      <div className="row">
        {a.state === "applied" && (
          <>
            <button type="button" className="primary" onClick={() => act("approve")}>
              Approve
            </button>
            <button type="button" onClick={() => act("decline", { reason: "not a fit for this campaign" })}>
              Decline
            </button>
          </>
        )}
        {a.state === "posted" && (
          <button type="button" className="primary" onClick={() => act("verify")}>
            Verify post
          </button>
        )}
        {["approved", "shipped", "delivered", "late", "purchased"].includes(a.state) && (
          <button type="button" onClick={() => post(`/v1/assignments/${id}/remind`).then(load).catch(setError)}>
            Send a reminder
          </button>
        )}
      </div>
      <ErrorNote error={error} />
      <h3>History</h3>
      <ol className="history">
        {(a.audit ?? []).map((e, i) => (
          <li key={i}>
            {when(e.at)}: {e.from || "—"} → <strong>{e.to}</strong> by {e.actor}
            {e.reason && `: ${e.reason}`}
          </li>
        ))}
      </ol>
    </section>
  );
}

export default function BoardPage() {
  const { id } = useParams();
  const [c, setC] = useState<CampaignDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [open, setOpen] = useState<number | null>(null);
  const [busy, setBusy] = useState("");
  const load = useCallback(() => {
    get<CampaignDetail>(`/v1/campaigns/${id}`).then(setC).catch(setError);
  }, [id]);
  useEffect(load, [load]);

  async function campaignAction(action: "invite" | "tick", label: string) {
    setBusy(label);
    setError(null);
    try {
      await post(`/v1/campaigns/${id}/${action}`, undefined, newIdempotencyKey());
      load();
    } catch (e) {
      setError(e);
    } finally {
      setBusy("");
    }
  }

  if (!c) return error ? (
      <Page title="Campaign">
        <ErrorNote error={error} />
      </Page>
    ) : <Busy label="Loading the campaign…" />;
  const byState = (states: string[]) => c.assignments.filter((a) => states.includes(a.state)) as AssignmentView[];
  const done = byState(["completed", "verified"]).length;
  return (
    <Page
      title={c.name}
      actions={
        <>
          <button type="button" className="primary" disabled={!!busy} onClick={() => campaignAction("invite", "Inviting creators…")}>
            Invite creators
          </button>
          <button type="button" disabled={!!busy} onClick={() => campaignAction("tick", "Checking deadlines…")}>
            Check deadlines and replace late creators
          </button>
          <Link className="button" to={`/campaigns/${c.id}/report`}>
            Report
          </Link>
        </>
      }
    >
      <p>
        {count(done)} of {count(c.target_posts)} posts done, at {percent(c.confidence, 0)} confidence; {c.compensation}, {c.fulfilment === "ship" ? "we ship" : "creators buy and are reimbursed"}.
      </p>
      {busy && <Busy label={busy} />}
      <ErrorNote error={error} />
      {open !== null && <Detail id={open} spec={c.spec} onChanged={load} onClose={() => setOpen(null)} />}
      <div className="board" aria-label="Assignments by state">
        {COLUMNS.map((col) => {
          const items = byState(col.states);
          return (
            <section key={col.title} className="column" aria-label={`${col.title}: ${items.length}`}>
              <h2>
                {col.title} <span className="count">{items.length}</span>
              </h2>
              <ul>
                {items.map((a) => (
                  <li key={a.id}>
                    <button type="button" className="assignment" onClick={() => setOpen(a.id)}>
                      <strong>{a.handle ? `@${a.handle}` : `creator ${a.creator_id}`}</strong>
                      <span>{a.state}</span>
                      <span>{percent(a.p_complete, 0)} likely</span>
                    </button>
                  </li>
                ))}
              </ul>
            </section>
          );
        })}
      </div>
    </Page>
  );
}

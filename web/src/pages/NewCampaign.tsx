// The new-campaign wizard: what the campaign is, its brief (3 / 2 / 1 / 3 limits enforced as you
// type), its targeting and guarantee, with a live plan preview (POST /v1/plans) beside every step.
import { useEffect, useMemo, useRef, useState } from "react";
import { useNavigate } from "react-router";
import { ApiError, get, newIdempotencyKey, post, request, type Items } from "../api";
import type { CampaignDetail, Product } from "../types";
import { commaList, count, ErrorNote, Field, money, Page, percent, Select, useDebounced, useSubmit } from "../ui";
import { emptyFilters, FilterForm, queryOf, type Filters } from "./Search";

interface Draft {
  name: string;
  brand: string;
  productId: string;
  goal: string;
  compensation: string;
  fulfilment: string;
  fee: string;
  payout: string;
  videos: string;
  photosMin: string;
  photosMax: string;
  mentions: string;
  hashtags: string;
  benefits: string[];
  rules: string[];
  cta: string;
  styles: string[];
  avoid: string;
  targeting: Filters;
  targetPosts: string;
  confidence: string;
  budget: string;
  daysToPost: string;
  postFrom: string;
  postUntil: string;
  jurisdiction: string;
}

const start: Draft = {
  name: "",
  brand: "",
  productId: "",
  goal: "ugc_assets",
  compensation: "gifted",
  fulfilment: "ship",
  fee: "40",
  payout: "",
  videos: "",
  photosMin: "",
  photosMax: "",
  mentions: "",
  hashtags: "",
  benefits: [""],
  rules: [""],
  cta: "",
  styles: [""],
  avoid: "",
  targeting: emptyFilters,
  targetPosts: "10",
  confidence: "0.95",
  budget: "",
  daysToPost: "14",
  postFrom: "",
  postUntil: "",
  jurisdiction: "us",
};

export const LIMITS = { benefits: 3, rules: 2, cta: 1, styles: 3 } as const;

interface PlanPick {
  creator_id: number;
  handle: string;
  platform: string;
  followers: number;
  p_complete: number;
  fit: number;
  reasons: string[];
}

interface PlanView {
  selected: PlanPick[];
  expected_completions: number;
  p_meet_target: number;
  units_reserved: number;
  worst_case_cost_cents: number;
  guarantee_met: boolean;
  notes: string[];
  candidates_considered: number;
}

const cents = (dollars: string) => (dollars.trim() === "" ? undefined : Math.round(Number(dollars) * 100));

export function specOf(d: Draft, products: Product[]): Record<string, unknown> {
  const spec: Record<string, unknown> = {
    name: d.name.trim() || "Untitled campaign",
    brand: d.brand.trim(),
    goal: d.goal,
    compensation: d.compensation,
    fulfilment: d.fulfilment,
    target_posts: Number(d.targetPosts),
    confidence: Number(d.confidence),
    jurisdiction: d.jurisdiction,
    ...queryOf(d.targeting),
  };
  const product = products.find((p) => String(p.id) === d.productId);
  if (product) spec.product = { id: product.id };
  if (cents(d.fee) !== undefined) spec.fee_cents_per_post = cents(d.fee);
  if (cents(d.payout) !== undefined) spec.payout_cents_per_post = cents(d.payout);
  if (cents(d.budget) !== undefined) spec.budget_cents = cents(d.budget);
  if (d.daysToPost.trim()) spec.days_to_post = Number(d.daysToPost);
  const deliverables: Record<string, unknown> = {};
  if (d.videos.trim()) deliverables.video = Number(d.videos);
  if (d.photosMin.trim() || d.photosMax.trim()) {
    const photo: Record<string, number> = {};
    if (d.photosMin.trim()) photo.min = Number(d.photosMin);
    if (d.photosMax.trim()) photo.max = Number(d.photosMax);
    deliverables.photo = photo;
  }
  if (commaList(d.mentions).length) deliverables.mentions = commaList(d.mentions);
  if (commaList(d.hashtags).length) deliverables.hashtags = commaList(d.hashtags);
  if (Object.keys(deliverables).length) spec.deliverables = deliverables;
  const brief: Record<string, unknown> = {};
  const benefits = d.benefits.map((x) => x.trim()).filter(Boolean);
  const rules = d.rules.map((x) => x.trim()).filter(Boolean);
  const styles = d.styles.map((x) => x.trim()).filter(Boolean);
  if (benefits.length) brief.key_benefits = benefits;
  if (rules.length) brief.content_rules = rules;
  if (d.cta.trim()) brief.call_to_action = d.cta.trim();
  if (styles.length) brief.example_styles = styles;
  if (commaList(d.avoid).length) brief.claims_to_avoid = commaList(d.avoid);
  if (Object.keys(brief).length) spec.brief = brief;
  if (d.postFrom && d.postUntil) spec.timeline = { post_from: d.postFrom, post_until: d.postUntil };
  return spec;
}

// A list of at most `limit` lines: no line can be added beyond it, so the limit holds as you type.
function LimitedList({ label, name, values, limit, onChange }: { label: string; name: string; values: string[]; limit: number; onChange: (v: string[]) => void }) {
  const filled = values.filter((v) => v.trim()).length;
  return (
    <fieldset className="group">
      <legend>
        {label} <span className="count">({filled} of at most {limit})</span>
      </legend>
      {values.map((v, i) => (
        <div className="row" key={i}>
          <Field label={`${label} ${i + 1}`} name={`${name}_${i}`} value={v} onChange={(x) => onChange(values.map((old, j) => (j === i ? x : old)))} />
          {values.length > 1 && (
            <button type="button" className="link-button" onClick={() => onChange(values.filter((_, j) => j !== i))} aria-label={`Remove ${label.toLowerCase()} ${i + 1}`}>
              Remove
            </button>
          )}
        </div>
      ))}
      <button type="button" disabled={values.length >= limit} onClick={() => onChange([...values, ""])}>
        Add {label.toLowerCase()}
      </button>
      {values.length >= limit && <p className="hint">The brief takes at most {limit}: creators read short briefs.</p>}
    </fieldset>
  );
}

function Preview({ plan, error, busy, target }: { plan: PlanView | null; error: unknown; busy: boolean; target: number }) {
  return (
    <aside className="card preview" aria-labelledby="preview-title" aria-busy={busy} data-target={target}>
      <h2 id="preview-title">Plan preview</h2>
      {error instanceof ApiError ? <p className="note note-error">{error.message}</p> : null}
      {plan && (
        <>
          <dl className="figures" data-testid="plan-figures">
            <div>
              <dt>Expected completions</dt>
              <dd>{plan.expected_completions.toFixed(1)}</dd>
            </div>
            <div>
              <dt>Probability of meeting the target</dt>
              <dd>{percent(plan.p_meet_target)}</dd>
            </div>
            <div>
              <dt>Units</dt>
              <dd>{count(plan.units_reserved)}</dd>
            </div>
            <div>
              <dt>Worst-case cost</dt>
              <dd>{money(plan.worst_case_cost_cents)}</dd>
            </div>
          </dl>
          <p className={plan.guarantee_met ? "note note-ok" : "note note-warn"}>{plan.guarantee_met ? "The guarantee is met." : "The guarantee is not met yet."}</p>
          {plan.notes.map((n) => (
            <p key={n} className="hint">
              {n}
            </p>
          ))}
          <h3>
            {plan.selected.length} picks of {count(plan.candidates_considered)} candidates
          </h3>
          <ol className="picks">
            {plan.selected.slice(0, 12).map((p) => (
              <li key={p.creator_id}>
                <strong>@{p.handle}</strong> {p.platform}, {count(p.followers)} followers, completes {percent(p.p_complete, 0)}
                <details>
                  <summary>Why</summary>
                  <ul className="reasons">
                    {p.reasons.map((r) => (
                      <li key={r}>{r}</li>
                    ))}
                  </ul>
                </details>
              </li>
            ))}
          </ol>
        </>
      )}
    </aside>
  );
}

const STEPS = ["The campaign", "The brief", "Targeting and guarantee"] as const;

export default function NewCampaignPage() {
  const navigate = useNavigate();
  const [d, setD] = useState<Draft>(start);
  const [step, setStep] = useState(0);
  const [products, setProducts] = useState<Product[]>([]);
  const [plan, setPlan] = useState<PlanView | null>(null);
  const [planError, setPlanError] = useState<unknown>(null);
  const [planBusy, setPlanBusy] = useState(false);
  const [planTarget, setPlanTarget] = useState(0); // the target_posts the shown plan is for
  const set = (patch: Partial<Draft>) => setD((old) => ({ ...old, ...patch }));
  const submit = useSubmit(["name", "brand", "product", "target_posts", "confidence", "budget_cents", "fee_cents_per_post", "brief", "deliverables", "timeline"]);
  const idempotency = useRef(newIdempotencyKey());

  useEffect(() => {
    get<Items<Product>>("/v1/products")
      .then((p) => {
        setProducts(p.items);
        if (p.items[0]) setD((old) => (old.productId ? old : { ...old, productId: String(p.items[0].id) }));
      })
      .catch(() => setProducts([]));
  }, []);

  const spec = useMemo(() => specOf(d, products), [d, products]);
  const debounced = useDebounced(JSON.stringify(spec), 250);
  useEffect(() => {
    const body = JSON.parse(debounced) as Record<string, unknown>;
    if (!body.brand || !body.product) return;
    const ctl = new AbortController();
    setPlanBusy(true);
    request<PlanView>("POST", "/v1/plans", { body, signal: ctl.signal })
      .then((p) => {
        setPlan(p);
        setPlanTarget(Number(body.target_posts));
        setPlanError(null);
      })
      .catch((e) => !(e instanceof DOMException) && setPlanError(e))
      .finally(() => setPlanBusy(false));
    return () => ctl.abort();
  }, [debounced]);

  async function create() {
    await submit.run(async () => {
      const made = await post<CampaignDetail>("/v1/campaigns", spec, idempotency.current);
      navigate(`/campaigns/${made.id}`);
    });
  }

  const fe = submit.fieldErrors;
  return (
    <Page title="New campaign">
      <ol className="stepper" aria-label="Steps">
        {STEPS.map((s, i) => (
          <li key={s}>
            <button type="button" aria-current={i === step ? "step" : undefined} onClick={() => setStep(i)}>
              {i + 1}. {s}
            </button>
          </li>
        ))}
      </ol>
      <div className="wizard">
        <form
          className="card"
          onSubmit={(e) => {
            e.preventDefault();
            if (step < STEPS.length - 1) setStep(step + 1);
            else void create();
          }}
        >
          {step === 0 && (
            <>
              <Field label="Campaign name" name="name" value={d.name} onChange={(name) => set({ name })} required error={fe.name} />
              <Field label="Brand name" name="brand" value={d.brand} onChange={(brand) => set({ brand })} required error={fe.brand} hint="As on your products; a new name makes a new brand." />
              <Select
                label="Product"
                name="product"
                value={d.productId}
                onChange={(productId) => set({ productId })}
                error={fe.product}
                options={products.length ? products.map((p) => [String(p.id), `${p.name} (${p.sku}), ${p.units_available} units`] as [string, string]) : [["", "Import products first"]]}
              />
              <Select label="Goal" name="goal" value={d.goal} onChange={(goal) => set({ goal })} options={[["ugc_assets", "UGC assets"], ["launch_awareness", "Launch awareness"], ["listing_traffic", "Listing traffic"], ["testing_angles", "Testing angles"]]} />
              <div className="row">
                <Select label="Compensation" name="compensation" value={d.compensation} onChange={(compensation) => set({ compensation })} options={["gifted", "paid", "affiliate", "hybrid"]} />
                <Select label="Fulfilment" name="fulfilment" value={d.fulfilment} onChange={(fulfilment) => set({ fulfilment })} options={[["ship", "We ship the product"], ["buy_then_reimburse", "Creator buys, we reimburse"]]} />
              </div>
              <div className="row">
                <Field label="Fee per completed post ($)" name="fee" inputMode="decimal" value={d.fee} onChange={(fee) => set({ fee })} error={fe.fee_cents_per_post} />
                <Field label="Creator payout per post ($)" name="payout" inputMode="decimal" value={d.payout} onChange={(payout) => set({ payout })} hint="Blank: 80% of the fee for paid work, else 0." />
              </div>
              <fieldset className="group">
                <legend>Deliverables per creator</legend>
                <div className="row">
                  <Field label="Videos" name="videos" inputMode="numeric" value={d.videos} onChange={(videos) => set({ videos })} error={fe.deliverables} />
                  <Field label="Photos at least" name="photos_min" inputMode="numeric" value={d.photosMin} onChange={(photosMin) => set({ photosMin })} />
                  <Field label="Photos at most" name="photos_max" inputMode="numeric" value={d.photosMax} onChange={(photosMax) => set({ photosMax })} />
                </div>
                <Field label="Mentions (comma-separated)" name="mentions" value={d.mentions} onChange={(mentions) => set({ mentions })} placeholder="@glowco" />
                <Field label="Hashtags (comma-separated)" name="hashtags" value={d.hashtags} onChange={(hashtags) => set({ hashtags })} placeholder="#GlowUp" />
              </fieldset>
            </>
          )}
          {step === 1 && (
            <>
              <LimitedList label="Key benefit" name="benefit" values={d.benefits} limit={LIMITS.benefits} onChange={(benefits) => set({ benefits })} />
              <LimitedList label="Content rule" name="rule" values={d.rules} limit={LIMITS.rules} onChange={(rules) => set({ rules })} />
              <Field label="Call to action (one)" name="cta" value={d.cta} onChange={(cta) => set({ cta })} maxLength={140} error={fe.brief} />
              <LimitedList label="Example style" name="style" values={d.styles} limit={LIMITS.styles} onChange={(styles) => set({ styles })} />
              <Field label="Claims to avoid (comma-separated)" name="avoid" value={d.avoid} onChange={(avoid) => set({ avoid })} hint="Verification flags posts that make them." />
              <Select label="Disclosure rules" name="jurisdiction" value={d.jurisdiction} onChange={(jurisdiction) => set({ jurisdiction })} options={[["us", "United States (FTC)"], ["uk", "United Kingdom (ASA/CMA)"]]} />
            </>
          )}
          {step === 2 && (
            <>
              <div className="row">
                <Field label="Target number of posts" name="target_posts" inputMode="numeric" value={d.targetPosts} onChange={(targetPosts) => set({ targetPosts })} required error={fe.target_posts} />
                <Field label="Confidence (0.5 to 0.999)" name="confidence" inputMode="decimal" value={d.confidence} onChange={(confidence) => set({ confidence })} error={fe.confidence} />
                <Field label="Budget ($)" name="budget" inputMode="decimal" value={d.budget} onChange={(budget) => set({ budget })} error={fe.budget_cents} />
              </div>
              <div className="row">
                <Field label="Days to post after delivery" name="days_to_post" inputMode="numeric" value={d.daysToPost} onChange={(daysToPost) => set({ daysToPost })} />
                <Field label="Post from" name="post_from" type="date" value={d.postFrom} onChange={(postFrom) => set({ postFrom })} error={fe.timeline} />
                <Field label="Post until" name="post_until" type="date" value={d.postUntil} onChange={(postUntil) => set({ postUntil })} />
              </div>
              <h2>Who to invite</h2>
              <FilterForm f={d.targeting} set={(patch) => set({ targeting: { ...d.targeting, ...patch } })} idPrefix="t-" />
            </>
          )}
          <ErrorNote error={submit.error} />
          <div className="row wizard-nav">
            {step > 0 && (
              <button type="button" onClick={() => setStep(step - 1)}>
                Back
              </button>
            )}
            {step < STEPS.length - 1 ? (
              <button type="submit" className="primary">
                Next
              </button>
            ) : (
              <button type="submit" className="primary" disabled={submit.busy}>
                Create campaign
              </button>
            )}
          </div>
        </form>
        <Preview plan={plan} error={planError} busy={planBusy} target={planTarget} />
      </div>
    </Page>
  );
}

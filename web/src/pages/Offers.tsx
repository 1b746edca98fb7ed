// A creator's offers: the campaigns that invited them (their targeting fits this creator), with
// what they would receive; apply with a product or variant; then follow each assignment.
import { useCallback, useEffect, useState } from "react";
import { Link } from "react-router";
import { get, newIdempotencyKey, post, type Items } from "../api";
import type { Assignment } from "../types";
import { Busy, ErrorNote, money, Page, when } from "../ui";

export interface OfferCampaign {
  id: number;
  name: string;
  brand: string;
  goal: string;
  compensation: string;
  fulfilment: string;
  payout_cents_per_post: number;
  jurisdiction: string;
  deliverables: Record<string, unknown> | null;
  brief: { key_benefits?: string[]; content_rules?: string[]; call_to_action?: string; example_styles?: string[]; claims_to_avoid?: string[] } | null;
  timeline: { post_from?: string; post_until?: string } | null;
  products: { id: number; name: string; sku: string; price_cents: number }[];
}

export interface Offer extends Assignment {
  product_id: number | null;
  campaign: OfferCampaign;
}

const NEXT_STEP: Record<string, string> = {
  invited: "Apply to take part.",
  applied: "You applied; the brand decides soon.",
  approved: "Approved: the product is on its way soon.",
  shipped: "Shipped: confirm when it arrives.",
  purchased: "Bought: post, and you are reimbursed after the post is verified.",
  delivered: "Delivered: post, then submit the post here.",
  late: "Late: you can still post, and it still counts.",
  posted: "Submitted: the brand verifies it.",
  verified: "Verified.",
  completed: "Completed: paid.",
  declined: "Declined.",
  replaced: "Replaced by another creator.",
};

// "1 video, 1 to 3 photos, mention @glowco" from the campaign's deliverables.
export function deliverablesText(d: Record<string, unknown>): string {
  const parts: string[] = [];
  const media = (name: string, v: unknown) => {
    if (typeof v === "number") parts.push(`${v} ${name}${v === 1 ? "" : "s"}`);
    else if (v && typeof v === "object") {
      const r = v as { min?: number; max?: number };
      parts.push(r.max !== undefined ? `${r.min ?? 0} to ${r.max} ${name}s` : `at least ${r.min ?? 0} ${name}s`);
    }
  };
  media("video", d.video);
  media("photo", d.photo);
  for (const [key, label] of [["mentions", "mention"], ["hashtags", "hashtag"], ["links", "link"], ["codes", "code"]] as const) {
    const v = d[key];
    if (Array.isArray(v) && v.length) parts.push(`${label} ${v.join(" or ")}`);
  }
  return parts.join(", ") || "none named";
}

function Terms({ c }: { c: OfferCampaign }) {
  const b = c.brief ?? {};
  return (
    <div className="terms">
      <p>
        <strong>You receive:</strong> {c.products.map((p) => `${p.name} (worth ${money(p.price_cents)})`).join(" or ") || "the product"}
        {c.fulfilment === "buy_then_reimburse" ? ", bought by you and reimbursed" : ", shipped to you"}
        {c.payout_cents_per_post > 0 && `, and ${money(c.payout_cents_per_post)} per verified post`}.
      </p>
      {c.deliverables && <p>Deliverables: {deliverablesText(c.deliverables)}</p>}
      {c.timeline?.post_from && (
        <p>
          Post between {when(c.timeline.post_from)} and {when(c.timeline.post_until)}.
        </p>
      )}
      {b.key_benefits?.length ? <p>Key benefits: {b.key_benefits.join("; ")}</p> : null}
      {b.content_rules?.length ? <p>Rules: {b.content_rules.join("; ")}</p> : null}
      {b.call_to_action && <p>Call to action: {b.call_to_action}</p>}
      {b.claims_to_avoid?.length ? <p>Do not claim: {b.claims_to_avoid.join("; ")}</p> : null}
    </div>
  );
}

function OfferCard({ o, onChanged }: { o: Offer; onChanged: () => void }) {
  const [product, setProduct] = useState(String(o.product_id ?? o.campaign.products[0]?.id ?? ""));
  const [error, setError] = useState<unknown>(null);
  async function act(action: string, body?: unknown) {
    setError(null);
    try {
      await post(`/v1/assignments/${o.id}/${action}`, body, newIdempotencyKey());
      onChanged();
    } catch (e) {
      setError(e);
    }
  }
  return (
    <li className="card offer">
      <h2>
        {o.campaign.name} <span className="tag">{o.campaign.brand}</span> <span className="status">{o.state}</span>
      </h2>
      <p>{NEXT_STEP[o.state] ?? o.state}</p>
      <Terms c={o.campaign} />
      {o.state === "invited" && (
        <div className="row">
          {o.campaign.products.length > 1 && (
            <label>
              Product or variant
              <select value={product} onChange={(e) => setProduct(e.target.value)}>
                {o.campaign.products.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          <button type="button" className="primary" onClick={() => act("apply", product ? { product_id: Number(product) } : undefined)}>
            Apply
          </button>
          <button type="button" onClick={() => act("decline", { reason: "not for me" })}>
            No, thanks
          </button>
          <p className="hint">
            Applying shares your shipping address with this brand only if it approves you. <Link to="/creator">Check your address</Link>.
          </p>
        </div>
      )}
      {o.state === "shipped" && (
        <button type="button" className="primary" onClick={() => act("deliver")}>
          It arrived
        </button>
      )}
      {["delivered", "late", "purchased", "posted"].includes(o.state) && (
        <Link className="button primary" to={`/offers/${o.id}/post`}>
          {o.state === "posted" ? "Fix and submit again" : "Submit a post"}
        </Link>
      )}
      <ErrorNote error={error} />
    </li>
  );
}

export default function OffersPage() {
  const [offers, setOffers] = useState<Offer[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => {
    get<Items<Offer>>("/v1/me/assignments")
      .then((o) => setOffers(o.items))
      .catch(setError);
  }, []);
  useEffect(load, [load]);
  return (
    <Page title="Offers">
      <ErrorNote error={error} />
      {!offers && !error && <Busy label="Loading offers…" />}
      {offers && offers.length === 0 && <p>No offers yet. Brands invite creators whose accounts fit their targeting; an approved account is needed.</p>}
      <ul className="offers">
        {(offers ?? []).map((o) => (
          <OfferCard key={o.id} o={o} onChanged={load} />
        ))}
      </ul>
    </Page>
  );
}

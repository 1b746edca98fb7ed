// A creator's media kit at /kit/{platform}/{handle}: audience, engagement against the tier
// benchmark, past collaborations and rate guidance. Public once the creator publishes it.
import { useEffect, useState } from "react";
import { useParams } from "react-router";
import { get, post } from "../api";
import { isCreator, useSession } from "../session";
import { Bars, Busy, count, ErrorNote, Field, money, Page, percent } from "../ui";

export interface Kit {
  platform: string;
  handle: string;
  name: string;
  tier: string;
  followers: number;
  engagement_rate: number;
  benchmark_engagement_rate: number;
  niches: string[];
  country: string;
  language: string;
  quality_score: number | null;
  audience: { countries?: Record<string, number>; genders?: Record<string, number>; ages?: Record<string, number> } | null;
  collaborations: { campaign: string; brand: string; state: string; at: string }[];
  rates: { listed_cents: Record<string, number>; guidance_cents: { low: number; typical: number; high: number }; basis: string };
  headline: string;
  about: string;
  published: boolean;
  mine?: boolean;
}

function Shares({ title, shares }: { title: string; shares?: Record<string, number> }) {
  if (!shares || Object.keys(shares).length === 0) return null;
  const sorted = Object.entries(shares).sort((a, b) => b[1] - a[1]);
  return <Bars caption={title} rows={sorted.map(([k, v]) => [k, v, percent(v, 0)])} max={1} />;
}

function EditKit({ kit, onSaved }: { kit: Kit; onSaved: (k: Kit) => void }) {
  const [headline, setHeadline] = useState(kit.headline);
  const [about, setAbout] = useState(kit.about);
  const [published, setPublished] = useState(kit.published);
  const [error, setError] = useState<unknown>(null);
  return (
    <form
      className="card"
      aria-label="Edit your media kit"
      onSubmit={async (e) => {
        e.preventDefault();
        try {
          onSaved(await post<Kit>(`/v1/me/kits/${kit.platform}/${encodeURIComponent(kit.handle)}`, { headline, about, published }));
        } catch (err) {
          setError(err);
        }
      }}
    >
      <h2>Edit your media kit</h2>
      <Field label="Headline" name="headline" value={headline} onChange={setHeadline} maxLength={120} />
      <Field label="About you" name="about" value={about} onChange={setAbout} multiline maxLength={1000} />
      <label className="check">
        <input type="checkbox" checked={published} onChange={(e) => setPublished(e.target.checked)} /> Anyone with the link may see it
      </label>
      <ErrorNote error={error} />
      <button type="submit" className="primary">
        Save and preview
      </button>
    </form>
  );
}

export default function KitPage() {
  const { platform = "", handle = "" } = useParams();
  const { me } = useSession();
  const [kit, setKit] = useState<Kit | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    get<Kit>(`/v1/kits/${encodeURIComponent(platform)}/${encodeURIComponent(handle)}`).then(setKit).catch(setError);
  }, [platform, handle]);
  if (!kit) return error ? <ErrorNote error={error} /> : <Busy label="Loading the media kit…" />;
  const ratio = kit.benchmark_engagement_rate > 0 ? kit.engagement_rate / kit.benchmark_engagement_rate : 0;
  return (
    <Page title={`${kit.name || "@" + kit.handle}: media kit`}>
      {kit.mine && isCreator(me) && <EditKit kit={kit} onSaved={setKit} />}
      <article className="kit card">
        <p className="kit-head">
          {[`@${kit.handle} on ${kit.platform}`, kit.tier, kit.niches.join(", "), kit.country].filter(Boolean).join(" · ")}
        </p>
        {kit.headline && <p className="lead">{kit.headline}</p>}
        {kit.about && <p>{kit.about}</p>}
        <dl className="figures">
          <div>
            <dt>Followers</dt>
            <dd>{count(kit.followers)}</dd>
          </div>
          <div>
            <dt>Engagement</dt>
            <dd>{percent(kit.engagement_rate, 2)}</dd>
          </div>
          <div>
            <dt>Against the {kit.tier} benchmark</dt>
            <dd>
              {ratio ? `${ratio.toFixed(1)}×` : "—"} (median {percent(kit.benchmark_engagement_rate, 1)})
            </dd>
          </div>
          <div>
            <dt>Audience quality</dt>
            <dd>{kit.quality_score === null ? "—" : `${Math.round(kit.quality_score)} / 100`}</dd>
          </div>
        </dl>
        <h2>Audience</h2>
        {!kit.audience || Object.values(kit.audience).every((v) => !v || Object.keys(v).length === 0) ? <p>No audience breakdown yet.</p> : null}
        <div className="row">
          <Shares title="Countries" shares={kit.audience?.countries} />
          <Shares title="Gender" shares={kit.audience?.genders} />
          <Shares title="Ages" shares={kit.audience?.ages} />
        </div>
        <h2>Past collaborations</h2>
        {kit.collaborations.length === 0 ? (
          <p>None on Seedcast yet.</p>
        ) : (
          <ul>
            {kit.collaborations.map((c, i) => (
              <li key={i}>
                {c.brand}: {c.campaign} ({c.state})
              </li>
            ))}
          </ul>
        )}
        <h2>Rates</h2>
        <p>
          Guidance for one post: {money(kit.rates.guidance_cents.low)} to {money(kit.rates.guidance_cents.high)}, typically {money(kit.rates.guidance_cents.typical)}.
        </p>
        <p className="hint">{kit.rates.basis}</p>
        {Object.keys(kit.rates.listed_cents).length > 0 && (
          <p>
            Listed: {Object.entries(kit.rates.listed_cents)
              .map(([k, v]) => `${k} ${money(v)}`)
              .join(", ")}
          </p>
        )}
      </article>
    </Page>
  );
}

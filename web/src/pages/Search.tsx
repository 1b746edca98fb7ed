// Creator search: every filter of the query format (docs/search.md), text and "more like this",
// facets with counts, reasons on every result, pages without reloading, and shortlists.
import { useEffect, useMemo, useRef, useState } from "react";
import { Link } from "react-router";
import { ApiError, request } from "../api";
import type { SearchAnswer, SearchHit } from "../types";
import { commaList, count, ErrorNote, Field, Page, percent, Select, useDebounced } from "../ui";
import { ShortlistPicker } from "./Shortlists";

const PLATFORMS = ["instagram", "tiktok", "youtube"] as const;
const TIERS = ["emerging", "nano", "micro", "macro", "mega"] as const;
const NICHES = ["beauty", "fashion", "fitness", "food", "travel", "family", "interior", "pet", "tech", "gaming", "other"] as const;
const PAGE = 20;

export interface Filters {
  text: string;
  textMatch: string;
  platforms: string[];
  tiers: string[];
  niches: string[];
  nichesMatch: string;
  followersMin: string;
  followersMax: string;
  engagementMin: string;
  engagementMax: string;
  countries: string;
  languages: string;
  audienceCountry: string;
  audienceCountryShare: string;
  audienceGender: string;
  audienceGenderShare: string;
  audienceAge: string;
  audienceAgeShare: string;
  qualityMin: string;
  rateMax: string;
  availableFrom: string;
  availableTo: string;
  lookalike: { handle: string; platform: string } | null;
  sort: string;
  order: string;
  fitWeights: { engagement: string; quality: string; audience: string; niche: string };
}

export const emptyFilters: Filters = {
  text: "",
  textMatch: "all",
  platforms: [],
  tiers: [],
  niches: [],
  nichesMatch: "any",
  followersMin: "",
  followersMax: "",
  engagementMin: "",
  engagementMax: "",
  countries: "",
  languages: "",
  audienceCountry: "",
  audienceCountryShare: "",
  audienceGender: "",
  audienceGenderShare: "",
  audienceAge: "",
  audienceAgeShare: "",
  qualityMin: "",
  rateMax: "",
  availableFrom: "",
  availableTo: "",
  lookalike: null,
  sort: "",
  order: "desc",
  fitWeights: { engagement: "0.35", quality: "0.25", audience: "0.25", niche: "0.15" },
};

const num = (s: string) => (s.trim() === "" ? undefined : Number(s));
const range = (min: string, max: string, scale = 1) => {
  const r: Record<string, number> = {};
  if (num(min) !== undefined) r.min = num(min)! * scale;
  if (num(max) !== undefined) r.max = num(max)! * scale;
  return Object.keys(r).length ? r : undefined;
};

// The query format's JSON for these filters (the targeting of a campaign uses the same keys).
export function queryOf(f: Filters): Record<string, unknown> {
  const q: Record<string, unknown> = {};
  if (f.text.trim()) {
    q.text = f.text.trim();
    q.text_match = f.textMatch;
  }
  if (f.platforms.length) q.platforms = f.platforms;
  if (f.tiers.length) q.tiers = f.tiers;
  if (f.niches.length) {
    q.niches = f.niches;
    q.niches_match = f.nichesMatch;
  }
  const followers = range(f.followersMin, f.followersMax);
  if (followers) q.followers = followers;
  const er = range(f.engagementMin, f.engagementMax, 0.01);
  if (er) q.engagement_rate = er;
  if (commaList(f.countries).length) q.countries = commaList(f.countries);
  if (commaList(f.languages).length) q.languages = commaList(f.languages);
  const audience: Record<string, Record<string, number>> = {};
  if (f.audienceCountry.trim() && num(f.audienceCountryShare) !== undefined)
    audience.countries = { [f.audienceCountry.trim().toUpperCase()]: num(f.audienceCountryShare)! / 100 };
  if (f.audienceGender && num(f.audienceGenderShare) !== undefined) audience.genders = { [f.audienceGender]: num(f.audienceGenderShare)! / 100 };
  if (f.audienceAge && num(f.audienceAgeShare) !== undefined) audience.ages = { [f.audienceAge]: num(f.audienceAgeShare)! / 100 };
  if (Object.keys(audience).length) q.audience = audience;
  if (num(f.qualityMin) !== undefined) q.quality = { min: num(f.qualityMin)! / 100 };
  if (num(f.rateMax) !== undefined) q.rate_cents = { max: Math.round(num(f.rateMax)! * 100) };
  if (f.availableFrom && f.availableTo) q.available = { from: f.availableFrom, to: f.availableTo };
  if (f.lookalike) q.lookalike = f.lookalike;
  return q;
}

function Checks({ legend, name, options, value, onChange }: { legend: string; name: string; options: readonly string[]; value: string[]; onChange: (v: string[]) => void }) {
  return (
    <fieldset className="checks">
      <legend>{legend}</legend>
      {options.map((o) => (
        <label key={o}>
          <input type="checkbox" name={name} value={o} checked={value.includes(o)} onChange={(e) => onChange(e.target.checked ? [...value, o] : value.filter((x) => x !== o))} /> {o}
        </label>
      ))}
    </fieldset>
  );
}

export function FilterForm({ f, set, idPrefix = "" }: { f: Filters; set: (patch: Partial<Filters>) => void; idPrefix?: string }) {
  return (
    <div className="filters" id={`${idPrefix}filters`}>
      <Checks legend="Platforms" name={`${idPrefix}platforms`} options={PLATFORMS} value={f.platforms} onChange={(platforms) => set({ platforms })} />
      <Checks legend="Tiers" name={`${idPrefix}tiers`} options={TIERS} value={f.tiers} onChange={(tiers) => set({ tiers })} />
      <Checks legend="Niches" name={`${idPrefix}niches`} options={NICHES} value={f.niches} onChange={(niches) => set({ niches })} />
      <Select label="Niches must match" name="niches_match" value={f.nichesMatch} onChange={(nichesMatch) => set({ nichesMatch })} options={[["any", "any of them"], ["all", "all of them"]]} />
      <div className="row">
        <Field label="Followers from" name="followers_min" inputMode="numeric" value={f.followersMin} onChange={(followersMin) => set({ followersMin })} />
        <Field label="Followers to" name="followers_max" inputMode="numeric" value={f.followersMax} onChange={(followersMax) => set({ followersMax })} />
      </div>
      <div className="row">
        <Field label="Engagement from (%)" name="engagement_min" inputMode="decimal" value={f.engagementMin} onChange={(engagementMin) => set({ engagementMin })} />
        <Field label="Engagement to (%)" name="engagement_max" inputMode="decimal" value={f.engagementMax} onChange={(engagementMax) => set({ engagementMax })} />
      </div>
      <Field label="Countries (codes or names, comma-separated)" name="countries" value={f.countries} onChange={(countries) => set({ countries })} />
      <Field label="Languages (comma-separated)" name="languages" value={f.languages} onChange={(languages) => set({ languages })} />
      <fieldset className="group">
        <legend>Audience (minimum shares)</legend>
        <div className="row">
          <Field label="Audience country" name="audience_country" value={f.audienceCountry} onChange={(audienceCountry) => set({ audienceCountry })} placeholder="US" />
          <Field label="At least (%)" name="audience_country_share" inputMode="decimal" value={f.audienceCountryShare} onChange={(audienceCountryShare) => set({ audienceCountryShare })} />
        </div>
        <div className="row">
          <Select label="Audience gender" name="audience_gender" value={f.audienceGender} onChange={(audienceGender) => set({ audienceGender })} options={[["", "any"], "female", "male"]} />
          <Field label="At least (%) " name="audience_gender_share" inputMode="decimal" value={f.audienceGenderShare} onChange={(audienceGenderShare) => set({ audienceGenderShare })} />
        </div>
        <div className="row">
          <Select label="Audience age" name="audience_age" value={f.audienceAge} onChange={(audienceAge) => set({ audienceAge })} options={[["", "any"], "13-17", "18-24", "25-34", "35-44", "45-54", "55+"]} />
          <Field label="At least (%)  " name="audience_age_share" inputMode="decimal" value={f.audienceAgeShare} onChange={(audienceAgeShare) => set({ audienceAgeShare })} />
        </div>
      </fieldset>
      <Field label="Audience quality at least (0-100)" name="quality_min" inputMode="numeric" value={f.qualityMin} onChange={(qualityMin) => set({ qualityMin })} />
      <Field label="Rate at most ($)" name="rate_max" inputMode="decimal" value={f.rateMax} onChange={(rateMax) => set({ rateMax })} />
      <div className="row">
        <Field label="Available from" name="available_from" type="date" value={f.availableFrom} onChange={(availableFrom) => set({ availableFrom })} />
        <Field label="Available to" name="available_to" type="date" value={f.availableTo} onChange={(availableTo) => set({ availableTo })} />
      </div>
    </div>
  );
}

function Result({ hit, onMoreLike }: { hit: SearchHit; onMoreLike: () => void }) {
  return (
    <li className="result">
      <div className="result-head">
        <Link to={`/kit/${hit.platform}/${encodeURIComponent(hit.handle)}`} className="handle">
          @{hit.handle}
        </Link>
        <span className="tag">{hit.platform}</span>
        <span className="tag">{hit.tier}</span>
        <span>{count(hit.followers)} followers</span>
        <span>{percent(hit.engagement_rate, 2)} engagement</span>
      </div>
      <ul className="reasons" aria-label={`Why @${hit.handle} matches`}>
        {hit.reasons.map((r) => (
          <li key={r}>{r}</li>
        ))}
      </ul>
      <div className="result-actions">
        <button type="button" onClick={onMoreLike}>
          More like this
        </button>
        <ShortlistPicker creatorId={hit.creator_id} handle={hit.handle} />
      </div>
    </li>
  );
}

export default function SearchPage() {
  const [f, setF] = useState<Filters>(emptyFilters);
  const [offset, setOffset] = useState(0);
  const [answer, setAnswer] = useState<SearchAnswer | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const set = (patch: Partial<Filters>) => {
    setF((old) => ({ ...old, ...patch }));
    setOffset(0);
  };
  const query = useMemo(() => {
    const q = queryOf(f);
    if (f.sort) q.sort = f.sort;
    if (f.sort === "fit") {
      const w = Object.fromEntries(Object.entries(f.fitWeights).map(([k, v]) => [k, Number(v) || 0]));
      if (Object.values(w).some((v) => v > 0)) q.fit_weights = w;
    }
    q.order = f.order;
    return { ...q, limit: PAGE, offset, facets: ["tier", "niche", "country", "platform"] };
  }, [f, offset]);
  const debounced = useDebounced(JSON.stringify(query), 80);
  const abort = useRef<AbortController | null>(null);

  useEffect(() => {
    abort.current?.abort();
    const ctl = new AbortController();
    abort.current = ctl;
    setLoading(true);
    request<SearchAnswer>("POST", "/v1/search", { body: JSON.parse(debounced), signal: ctl.signal })
      .then((a) => {
        setAnswer(a);
        setError(null);
      })
      .catch((e) => {
        if (!(e instanceof DOMException)) setError(e);
      })
      .finally(() => {
        if (abort.current === ctl) setLoading(false);
      });
    return () => ctl.abort();
  }, [debounced]);

  const facetKey: Record<string, keyof Filters> = { tier: "tiers", niche: "niches", platform: "platforms" };
  const pages = answer ? Math.ceil(answer.total / PAGE) : 0;

  return (
    <Page title="Find creators">
      <div className="search-layout">
        <aside aria-label="Filters">
          <FilterForm f={f} set={set} />
          <button type="button" onClick={() => set(emptyFilters)}>
            Clear filters
          </button>
        </aside>
        <div className="search-main">
          <div className="row search-bar">
            <Field label="Search bios and captions" name="text" type="search" value={f.text} onChange={(text) => set({ text })} placeholder="skincare routine #glow" />
            <Select label="Words" name="text_match" value={f.textMatch} onChange={(textMatch) => set({ textMatch })} options={[["all", "all words"], ["any", "any word"]]} />
            <Select
              label="Sort by"
              name="sort"
              value={f.sort}
              onChange={(sort) => set({ sort })}
              options={[["", "default"], ["relevance", "relevance"], ["followers", "followers"], ["engagement_rate", "engagement"], ["fit", "fit"]]}
            />
            <Select label="Order" name="order" value={f.order} onChange={(order) => set({ order })} options={[["desc", "highest first"], ["asc", "lowest first"]]} />
          </div>
          {f.sort === "fit" && (
            <fieldset className="group">
              <legend>Fit weights (normalised)</legend>
              <div className="row">
                {(["engagement", "quality", "audience", "niche"] as const).map((k) => (
                  <Field
                    key={k}
                    label={`Weight of ${k}`}
                    name={`fit_${k}`}
                    inputMode="decimal"
                    value={f.fitWeights[k]}
                    onChange={(v) => set({ fitWeights: { ...f.fitWeights, [k]: v } })}
                  />
                ))}
              </div>
            </fieldset>
          )}
          {f.lookalike && (
            <p className="note">
              Showing creators like <strong>@{f.lookalike.handle}</strong> on {f.lookalike.platform}.{" "}
              <button type="button" className="link-button" onClick={() => set({ lookalike: null })}>
                Stop
              </button>
            </p>
          )}
          <ErrorNote error={error instanceof ApiError ? error : error ? new Error(String(error)) : null} />
          <p className="summary" role="status" aria-live="polite" data-testid="search-total">
            {answer ? `${count(answer.total)} accounts match` : "Searching…"}
            {answer && ` · ${answer.took_ms.toFixed(1)} ms on the server`}
            {loading && " · updating"}
          </p>
          {answer?.facets && (
            <div className="facets">
              {Object.entries(answer.facets).map(([name, values]) => (
                <section key={name} aria-label={`${name} counts`}>
                  <h2>{name}</h2>
                  <ul>
                    {values.slice(0, 8).map((v) => {
                      const key = facetKey[name];
                      const active = key ? (f[key] as string[]).includes(v.value) : commaList(f.countries).includes(v.value);
                      return (
                        <li key={v.value}>
                          <button
                            type="button"
                            aria-pressed={active}
                            onClick={() => {
                              if (key) set({ [key]: active ? (f[key] as string[]).filter((x) => x !== v.value) : [...(f[key] as string[]), v.value] } as Partial<Filters>);
                              else set({ countries: active ? commaList(f.countries).filter((x) => x !== v.value).join(", ") : [...commaList(f.countries), v.value].join(", ") });
                            }}
                          >
                            {v.value} <span className="count">{count(v.count)}</span>
                          </button>
                        </li>
                      );
                    })}
                  </ul>
                </section>
              ))}
            </div>
          )}
          <ol className="results" aria-label="Results">
            {answer?.results.map((hit) => (
              <Result key={hit.account_id} hit={hit} onMoreLike={() => set({ lookalike: { handle: hit.handle, platform: hit.platform }, text: "" })} />
            ))}
          </ol>
          {pages > 1 && (
            <nav className="pager" aria-label="Pages">
              <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
                Previous page
              </button>
              <span>
                Page {offset / PAGE + 1} of {count(pages)}
              </span>
              <button type="button" disabled={offset + PAGE >= (answer?.total ?? 0)} onClick={() => setOffset(offset + PAGE)}>
                Next page
              </button>
            </nav>
          )}
        </div>
      </div>
    </Page>
  );
}

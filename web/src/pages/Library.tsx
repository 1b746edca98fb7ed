// The content library: submitted assets in a grid, filtered by format, creator, campaign and usage rights,
// with each asset's rights state (expiring within 14 days, expired, usable for paid ads).
import { useEffect, useState } from "react";
import { get, type Items } from "../api";
import { count, ErrorNote, Field, Page, Select, useDebounced, webUrl, when } from "../ui";

interface Asset {
  id: number;
  campaign_id: number;
  campaign: string;
  creator_id: number;
  handle: string;
  kind: string;
  uri: string;
  usage_rights: string;
  rights?: { scope: string; channels: string[]; expires_at: string | null; state: string; expiring: boolean; days_left: number | null; usable_for_paid: boolean };
  caption: string;
  created_at: string;
}

// "paid until 2027-06-01 (expires in 9 days)", "expired: not usable for paid".
function rightsNote(a: Asset): string {
  const r = a.rights;
  if (!r) return a.usage_rights || "not granted";
  if (r.state === "none") return "not granted";
  if (r.state === "expired") return "expired: not usable for paid";
  if (r.state === "not_started") return `${r.scope}, not started yet`;
  const until = r.expires_at ? ` until ${r.expires_at.slice(0, 10)}` : "";
  const channels = r.channels.length > 0 ? ` on ${r.channels.join(", ")}` : "";
  const soon = r.expiring ? ` (expires in ${r.days_left} ${r.days_left === 1 ? "day" : "days"})` : "";
  return `${r.scope}${channels}${until}${soon}`;
}

export default function LibraryPage() {
  const [kind, setKind] = useState("");
  const [rights, setRights] = useState("");
  const [campaign, setCampaign] = useState("");
  const [creator, setCreator] = useState("");
  const [state, setState] = useState("");
  const [items, setItems] = useState<Asset[]>([]);
  const [error, setError] = useState<unknown>(null);
  const filters = useDebounced(JSON.stringify({ kind, rights, campaign, creator, state }), 150);
  useEffect(() => {
    const f = JSON.parse(filters) as Record<string, string>;
    const q = new URLSearchParams();
    if (f.kind) q.set("kind", f.kind);
    if (f.rights) q.set("usage_rights", f.rights);
    if (f.campaign) q.set("campaign_id", f.campaign);
    if (f.creator) q.set("creator", f.creator);
    if (f.state) q.set(f.state, "true");
    get<Items<Asset>>(`/v1/assets?${q}`)
      .then((a) => {
        setItems(a.items);
        setError(null);
      })
      .catch(setError);
  }, [filters]);
  return (
    <Page title="Content library">
      <div className="row filters-row">
        <Select label="Format" name="kind" value={kind} onChange={setKind} options={[["", "any"], "video", "photo", "carousel", "story", "reel"]} />
        <Select label="Usage rights" name="usage_rights" value={rights} onChange={setRights} options={[["", "any"], ["organic", "organic only"], ["paid", "paid ads"], ["perpetual", "perpetual"]]} />
        <Select label="Rights now" name="rights_state" value={state} onChange={setState} options={[["", "any"], ["usable_for_paid", "usable for paid ads"], ["expiring", "expiring within 14 days"]]} />
        <Field label="Campaign id" name="campaign_id" inputMode="numeric" value={campaign} onChange={setCampaign} />
        <Field label="Creator handle" name="creator" value={creator} onChange={setCreator} />
      </div>
      <ErrorNote error={error} />
      <p role="status">{items.length === 1 ? "1 asset" : `${count(items.length)} assets`}</p>
      <ul className="grid">
        {items.map((a) => (
          <li key={a.id} className="card asset">
            <p className="tag">{a.kind}</p>
            <p>
              {webUrl(a.uri) ? (
                <a href={webUrl(a.uri)!} target="_blank" rel="noreferrer noopener">
                  @{a.handle}
                </a>
              ) : (
                `@${a.handle}`
              )}{" "}
              for {a.campaign}
            </p>
            {a.caption && <p className="caption">{a.caption}</p>}
            <p className="hint">
              Rights: {rightsNote(a)} · {when(a.created_at)}
            </p>
          </li>
        ))}
      </ul>
    </Page>
  );
}

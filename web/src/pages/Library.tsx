// The content library: submitted assets in a grid, filtered by format, creator, campaign and usage rights.
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
  caption: string;
  created_at: string;
}

export default function LibraryPage() {
  const [kind, setKind] = useState("");
  const [rights, setRights] = useState("");
  const [campaign, setCampaign] = useState("");
  const [creator, setCreator] = useState("");
  const [items, setItems] = useState<Asset[]>([]);
  const [error, setError] = useState<unknown>(null);
  const filters = useDebounced(JSON.stringify({ kind, rights, campaign, creator }), 150);
  useEffect(() => {
    const f = JSON.parse(filters) as Record<string, string>;
    const q = new URLSearchParams();
    if (f.kind) q.set("kind", f.kind);
    if (f.rights) q.set("usage_rights", f.rights);
    if (f.campaign) q.set("campaign_id", f.campaign);
    if (f.creator) q.set("creator", f.creator);
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
              Rights: {a.usage_rights || "not granted"} · {when(a.created_at)}
            </p>
          </li>
        ))}
      </ul>
    </Page>
  );
}

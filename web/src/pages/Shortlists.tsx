// Saving creators to an organisation's shortlists (GET/POST /v1/shortlists...).
import { useEffect, useState } from "react";
import { Link } from "react-router";
import { get, newIdempotencyKey, post, type Items } from "../api";
import { count, ErrorNote, Field, Page, when } from "../ui";

export interface Shortlist {
  id: number;
  name: string;
  count: number;
}

export function ShortlistPicker({ creatorId, handle }: { creatorId: number; handle: string }) {
  const [open, setOpen] = useState(false);
  const [lists, setLists] = useState<Shortlist[] | null>(null);
  const [choice, setChoice] = useState("");
  const [newName, setNewName] = useState("");
  const [saved, setSaved] = useState("");
  const [error, setError] = useState<unknown>(null);

  async function load() {
    setOpen(!open);
    if (lists) return;
    try {
      const l = await get<Items<Shortlist>>("/v1/shortlists");
      setLists(l.items);
      setChoice(l.items[0] ? String(l.items[0].id) : "new");
    } catch (e) {
      setError(e);
    }
  }

  async function save() {
    setError(null);
    try {
      let id = Number(choice);
      let name = lists?.find((l) => l.id === id)?.name ?? "";
      if (choice === "new" || !id) {
        const made = await post<Shortlist>("/v1/shortlists", { name: newName.trim() }, newIdempotencyKey());
        id = made.id;
        name = made.name;
        setLists([...(lists ?? []), made]);
        setChoice(String(id));
      }
      await post(`/v1/shortlists/${id}/creators`, { creator_id: creatorId });
      setSaved(`Saved to ${name}`);
    } catch (e) {
      setError(e);
    }
  }

  return (
    <div className="shortlist-picker">
      <button type="button" aria-expanded={open} onClick={load}>
        Save to shortlist
      </button>
      {open && (
        <div className="popover" role="group" aria-label={`Save @${handle} to a shortlist`}>
          <label>
            Shortlist
            <select value={choice} onChange={(e) => setChoice(e.target.value)}>
              {(lists ?? []).map((l) => (
                <option key={l.id} value={l.id}>
                  {l.name} ({l.count})
                </option>
              ))}
              <option value="new">A new shortlist…</option>
            </select>
          </label>
          {choice === "new" && <Field label="New shortlist's name" name="name" value={newName} onChange={setNewName} />}
          <button type="button" className="primary" onClick={save}>
            Save
          </button>
          {saved && <p role="status">{saved}</p>}
          <ErrorNote error={error} />
        </div>
      )}
    </div>
  );
}

interface ShortlistDetail {
  id: number;
  name: string;
  creators: { creator_id: number; name: string; handle: string; platform: string; followers: number; added_at: string }[];
}

function ListView({ id }: { id: number }) {
  const [list, setList] = useState<ShortlistDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = () =>
    get<ShortlistDetail>(`/v1/shortlists/${id}`)
      .then(setList)
      .catch(setError);
  useEffect(() => {
    void load();
  }, [id]);
  if (!list) return <ErrorNote error={error} />;
  return (
    <section className="card" aria-labelledby={`list-${id}`}>
      <h2 id={`list-${id}`}>
        {list.name} <span className="count">({list.creators.length})</span>
      </h2>
      <ErrorNote error={error} />
      {list.creators.length === 0 && <p>Empty: save creators to it from Search.</p>}
      <ul className="results">
        {list.creators.map((c) => (
          <li key={c.creator_id} className="result">
            <div className="result-head">
              {c.handle ? (
                <Link className="handle" to={`/kit/${c.platform}/${encodeURIComponent(c.handle)}`}>
                  @{c.handle}
                </Link>
              ) : (
                <strong>{c.name}</strong>
              )}
              {c.platform && <span className="tag">{c.platform}</span>}
              <span>{count(c.followers)} followers</span>
              <span className="hint">added {when(c.added_at)}</span>
              <button type="button" onClick={() => post(`/v1/shortlists/${id}/creators/${c.creator_id}/remove`).then(load).catch(setError)} aria-label={`Remove @${c.handle || c.name} from ${list.name}`}>
                Remove
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

export default function ShortlistsPage() {
  const [lists, setLists] = useState<Shortlist[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    get<Items<Shortlist>>("/v1/shortlists")
      .then((l) => setLists(l.items))
      .catch(setError);
  }, []);
  return (
    <Page title="Shortlists">
      <ErrorNote error={error} />
      {lists && lists.length === 0 && <p>No shortlists yet. In Search, "Save to shortlist" makes one.</p>}
      {(lists ?? []).map((l) => (
        <ListView key={l.id} id={l.id} />
      ))}
    </Page>
  );
}

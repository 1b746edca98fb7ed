// Saving creators to an organisation's shortlists (GET/POST /v1/shortlists...).
import { useState } from "react";
import { get, newIdempotencyKey, post, type Items } from "../api";
import { ErrorNote, Field } from "../ui";

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

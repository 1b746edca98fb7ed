// A creator's accounts (add, edit, see each review and its reasons), their private contact details
// and their media kit.
import { useCallback, useEffect, useState, type FormEvent } from "react";
import { Link } from "react-router";
import { get, post, type Items } from "../api";
import type { Contact, MyAccount } from "../types";
import { count, ErrorNote, Field, Page, Select, useSubmit } from "../ui";

const STATUS_TEXT: Record<string, string> = {
  approved: "Approved: you can receive offers for this account.",
  pending: "Pending: an operator reviews it, usually within a day.",
  rejected: "Refused: see the reasons below.",
};

function AccountForm({ initial, onSaved }: { initial?: MyAccount; onSaved: () => void }) {
  const [platform, setPlatform] = useState(initial?.platform ?? "instagram");
  const [handle, setHandle] = useState(initial?.handle ?? "");
  const [followers, setFollowers] = useState(initial ? String(initial.followers) : "");
  const [engagement, setEngagement] = useState("");
  const [bio, setBio] = useState("");
  const [country, setCountry] = useState("");
  const submit = useSubmit(["platform", "handle", "followers", "engagement_rate", "bio", "country"]);
  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    await submit.run(async () => {
      const body: Record<string, unknown> = { platform, handle: handle.trim().replace(/^@/, "") };
      if (followers.trim()) body.followers = Number(followers);
      if (engagement.trim()) body.engagement_rate = Number(engagement) / 100;
      if (bio.trim()) body.bio = bio.trim();
      if (country.trim()) body.country = country.trim();
      if (initial) await post(`/v1/me/accounts/${initial.account_id}`, body);
      else await post("/v1/me/accounts", body);
      if (!initial) {
        setHandle("");
        setFollowers("");
        setEngagement("");
        setBio("");
        setCountry("");
      }
      onSaved();
    });
  }
  return (
    <form className="card" onSubmit={onSubmit} noValidate aria-label={initial ? `Edit @${initial.handle}` : "Connect an account"}>
      <h2>{initial ? `Edit @${initial.handle}` : "Connect an account"}</h2>
      <div className="row">
        <Select label="Platform" name="platform" value={platform} onChange={setPlatform} options={["instagram", "tiktok", "youtube"]} error={submit.fieldErrors.platform} />
        <Field label="Handle" name="handle" value={handle} onChange={setHandle} required error={submit.fieldErrors.handle} placeholder="yourname" />
      </div>
      <div className="row">
        <Field label="Followers" name="followers" inputMode="numeric" value={followers} onChange={setFollowers} error={submit.fieldErrors.followers} />
        <Field label="Engagement rate (%)" name="engagement_rate" inputMode="decimal" value={engagement} onChange={setEngagement} error={submit.fieldErrors.engagement_rate} />
      </div>
      <Field label="Country" name="country" value={country} onChange={setCountry} error={submit.fieldErrors.country} hint="Where you live: a code such as US or a name." autoComplete="country" />
      <Field label="Bio" name="bio" value={bio} onChange={setBio} multiline error={submit.fieldErrors.bio} />
      <ErrorNote error={submit.error} />
      <button type="submit" className="primary" disabled={submit.busy}>
        {initial ? "Save account" : "Connect account"}
      </button>
    </form>
  );
}

function ContactForm() {
  const [c, setC] = useState<Contact>({ email: "", phone: "", address: "" });
  const [saved, setSaved] = useState(false);
  const submit = useSubmit(["phone", "address", "email"]);
  useEffect(() => {
    get<Contact>("/v1/me/contact").then(setC).catch(() => undefined);
  }, []);
  return (
    <form
      className="card"
      aria-label="Shipping address"
      onSubmit={async (e) => {
        e.preventDefault();
        setSaved(false);
        await submit.run(async () => {
          // A blank phone is left as it was: the server refuses an empty number.
          await post("/v1/me/contact", c.phone.trim() ? { phone: c.phone.trim(), address: c.address } : { address: c.address });
          setSaved(true);
        });
      }}
    >
      <h2>Shipping address</h2>
      <p className="note">Only a brand that approves you for a campaign sees your address, and only while that campaign is open. It is stored encrypted.</p>
      <Field label="Shipping address" name="address" value={c.address} onChange={(address) => setC({ ...c, address })} multiline autoComplete="street-address" error={submit.fieldErrors.address} />
      <Field label="Phone (for the carrier)" name="phone" value={c.phone} onChange={(phone) => setC({ ...c, phone })} autoComplete="tel" error={submit.fieldErrors.phone} />
      <ErrorNote error={submit.error} />
      {saved && <p role="status">Saved.</p>}
      <button type="submit" className="primary" disabled={submit.busy}>
        Save address
      </button>
    </form>
  );
}

export default function CreatorHomePage() {
  const [accounts, setAccounts] = useState<MyAccount[] | null>(null);
  const [editing, setEditing] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => {
    get<Items<MyAccount>>("/v1/me/accounts")
      .then((a) => setAccounts(a.items))
      .catch(setError);
  }, []);
  useEffect(load, [load]);
  return (
    <Page title="Your accounts">
      <ErrorNote error={error} />
      {accounts && accounts.length === 0 && <p>Connect a social account to start receiving offers.</p>}
      <ul className="accounts">
        {(accounts ?? []).map((a) => (
          <li key={a.account_id} className={`card account account-${a.status}`}>
            <h2>
              @{a.handle} <span className="tag">{a.platform}</span> <span className={`status status-${a.status}`}>{a.status}</span>
            </h2>
            <p>{STATUS_TEXT[a.status] ?? a.status}</p>
            <p>
              {count(a.followers)} followers{a.quality_score !== null && `, audience quality ${Math.round(a.quality_score)} of 100`}
            </p>
            <details open={a.status !== "approved"}>
              <summary>Why</summary>
              <ul className="reasons">
                {a.reasons.map((r) => (
                  <li key={r}>{r}</li>
                ))}
              </ul>
            </details>
            <div className="row">
              <button type="button" onClick={() => setEditing(editing === a.account_id ? null : a.account_id)}>
                Edit
              </button>
              <Link className="button" to={`/kit/${a.platform}/${encodeURIComponent(a.handle)}`}>
                Media kit
              </Link>
            </div>
            {editing === a.account_id && <AccountForm initial={a} onSaved={() => (setEditing(null), load())} />}
          </li>
        ))}
      </ul>
      <AccountForm onSaved={load} />
      <ContactForm />
    </Page>
  );
}

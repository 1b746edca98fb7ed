// Submitting a post: a live compliance pre-check (POST /v1/compliance/check against the campaign's
// deliverables) shows every finding and its fix while the creator types.
import { useEffect, useMemo, useState } from "react";
import { useNavigate, useParams } from "react-router";
import { get, newIdempotencyKey, post, type Items } from "../api";
import { postOf, precheck } from "../precheck";
import type { Finding } from "../types";
import { ErrorNote, Field, Page, Select, useDebounced, useSubmit } from "../ui";
import type { Offer } from "./Offers";

export default function SubmitPostPage() {
  const { id } = useParams();
  const navigate = useNavigate();
  const [offer, setOffer] = useState<Offer | null>(null);
  const [url, setUrl] = useState("");
  const [caption, setCaption] = useState("");
  const [format, setFormat] = useState("video");
  const [check, setCheck] = useState<{ findings: Finding[] } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const submit = useSubmit(["url", "caption", "post"]);

  useEffect(() => {
    get<Items<Offer>>("/v1/me/assignments")
      .then((all) => setOffer(all.items.find((o) => String(o.id) === id) ?? null))
      .catch(setError);
  }, [id]);

  const draft = useMemo(() => ({ url: url.trim(), caption, platform: "instagram", media: [format], posted_at: new Date().toISOString() }), [url, caption, format]);
  const debounced = useDebounced(JSON.stringify(draft), 200);
  useEffect(() => {
    if (!offer) return;
    const ctl = new AbortController();
    precheck(offer.campaign, JSON.parse(debounced), ctl.signal)
      .then((findings) => setCheck({ findings }))
      .catch((e) => !(e instanceof DOMException) && setError(e));
    return () => ctl.abort();
  }, [debounced, offer]);

  const errors = (check?.findings ?? []).filter((f) => f.severity === "error");
  return (
    <Page title={offer ? `Submit a post: ${offer.campaign.name}` : "Submit a post"}>
      <ErrorNote error={error} />
      <div className="wizard">
        <form
          className="card"
          onSubmit={async (e) => {
            e.preventDefault();
            await submit.run(async () => {
              await post(`/v1/assignments/${id}/submit-post`, { post: postOf(offer?.campaign ?? {}, draft) }, newIdempotencyKey());
              navigate("/offers");
            });
          }}
        >
          <Field label="Link to the post" name="url" type="url" value={url} onChange={setUrl} required error={submit.fieldErrors.url} />
          <Select label="Format" name="format" value={format} onChange={setFormat} options={["video", "photo", "carousel", "story", "reel"]} />
          <Field label="Caption" name="caption" value={caption} onChange={setCaption} multiline required error={submit.fieldErrors.caption} hint="As posted, with its hashtags." />
          <ErrorNote error={submit.error} />
          <button type="submit" className="primary" disabled={submit.busy}>
            Submit post
          </button>
          {errors.length > 0 && <p className="hint">You can submit anyway, but the brand cannot verify a post with errors: fix them first.</p>}
        </form>
        <aside className="card preview" aria-labelledby="check-title" aria-live="polite">
          <h2 id="check-title">Pre-check</h2>
          {!check && <p>Type the caption to check it.</p>}
          {check && check.findings.length === 0 && <p className="note note-ok">No findings: the disclosure and the deliverables look right.</p>}
          {check && check.findings.length > 0 && (
            <ul className="findings" data-testid="findings">
              {check.findings.map((f, i) => (
                <li key={i} className={`finding finding-${f.severity}`}>
                  <strong>{f.severity}</strong> {f.message}
                  {f.fix && <div className="fix">Fix: {f.fix}</div>}
                </li>
              ))}
            </ul>
          )}
        </aside>
      </div>
    </Page>
  );
}

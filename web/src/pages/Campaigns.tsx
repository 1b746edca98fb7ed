import { useEffect, useState } from "react";
import { Link } from "react-router";
import { get, type Items } from "../api";
import type { CampaignSummary } from "../types";
import { Busy, count, ErrorNote, Page } from "../ui";

export default function CampaignsPage() {
  const [items, setItems] = useState<CampaignSummary[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    get<Items<CampaignSummary>>("/v1/campaigns")
      .then((c) => setItems(c.items))
      .catch(setError);
  }, []);
  return (
    <Page
      title="Campaigns"
      actions={
        <Link className="button primary" to="/campaigns/new">
          New campaign
        </Link>
      }
    >
      <ErrorNote error={error} />
      {!items && !error && <Busy label="Loading campaigns…" />}
      {items && items.length === 0 && <p>No campaigns yet. Start one with New campaign.</p>}
      {items && items.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Campaign</th>
                <th scope="col">Status</th>
                <th scope="col">Completed / target</th>
                <th scope="col">Units used</th>
                <th scope="col">Report</th>
              </tr>
            </thead>
            <tbody>
              {items.map((c) => (
                <tr key={c.id}>
                  <td>
                    <Link to={`/campaigns/${c.id}`}>{c.name}</Link>
                  </td>
                  <td>{c.status}</td>
                  <td>
                    <meter min={0} max={Math.max(c.target_posts, c.completed)} value={c.completed} aria-label={`${c.completed} of ${c.target_posts} posts`} />{" "}
                    {count(c.completed)} / {count(c.target_posts)}
                  </td>
                  <td>{count(c.units_used)}</td>
                  <td>
                    <Link to={`/campaigns/${c.id}/report`} aria-label={`Report of ${c.name}`}>
                      Report
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}

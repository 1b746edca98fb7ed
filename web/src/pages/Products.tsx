// A brand's products: upload a Shopify product export with progress; rejected rows with their line.
import { useEffect, useState } from "react";
import { csrfHeaders, get, NETWORK_ERROR, problemOf, type Items } from "../api";
import type { Product } from "../types";
import { count, ErrorNote, Field, money, Page, ProgressBar } from "../ui";

interface ImportAnswer {
  brand_id: number;
  rows: number;
  products_stored: number;
  image_rows: number;
  rejected: number;
  rejects: { line: number; reason: string }[];
}

// XMLHttpRequest, not fetch: it reports upload progress.
function upload(path: string, file: File, onProgress: (f: number) => void): Promise<ImportAnswer> {
  return new Promise((resolve, reject) => {
    const x = new XMLHttpRequest();
    x.open("POST", path);
    x.setRequestHeader("Content-Type", "text/csv");
    x.setRequestHeader("Accept", "application/json");
    for (const [k, v] of Object.entries(csrfHeaders())) x.setRequestHeader(k, v);
    x.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    x.onload = () => {
      if (x.status >= 200 && x.status < 300) resolve(JSON.parse(x.responseText) as ImportAnswer);
      else reject(problemOf(x.status, x.responseText, x.getResponseHeader("Retry-After")));
    };
    x.onerror = () => reject(NETWORK_ERROR());
    x.send(file);
  });
}

export default function ProductsPage() {
  const [products, setProducts] = useState<Product[]>([]);
  const [brand, setBrand] = useState("");
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [answer, setAnswer] = useState<ImportAnswer | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = () =>
    get<Items<Product>>("/v1/products")
      .then((p) => setProducts(p.items))
      .catch(setError);
  useEffect(() => {
    void load();
  }, []);

  async function onUpload(e: React.FormEvent) {
    e.preventDefault();
    if (!file) {
      setError(new Error("Choose a Shopify product export (CSV) first."));
      return;
    }
    setError(null);
    setAnswer(null);
    setProgress(0);
    try {
      const a = await upload(`/v1/products/import?brand=${encodeURIComponent(brand.trim())}`, file, setProgress);
      setProgress(1);
      setAnswer(a);
      await load();
    } catch (err) {
      setError(err);
    } finally {
      setProgress(null);
    }
  }

  const rejected = answer?.rejects ?? [];
  return (
    <Page title="Products">
      <form className="card" onSubmit={onUpload}>
        <h2>Import a Shopify product export</h2>
        <p className="hint">In Shopify: Products → Export → CSV. One row per variant; re-importing updates products by SKU.</p>
        <Field label="Brand name" name="brand" value={brand} onChange={setBrand} required hint="The brand these products belong to (made if new)." />
        <div className="field">
          <label htmlFor="product-file">Product CSV file</label>
          <input id="product-file" name="file" type="file" accept=".csv,text/csv" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </div>
        {progress !== null && <ProgressBar label="Uploading and importing" value={progress} />}
        <ErrorNote error={error} />
        <button type="submit" className="primary" disabled={progress !== null}>
          Import products
        </button>
      </form>
      {answer && (
        <section className="card" aria-labelledby="import-result">
          <h2 id="import-result">Import finished</h2>
          <p data-testid="import-summary">
            {count(answer.rows)} rows read, {count(answer.products_stored)} products stored, {count(answer.rejected)} rows rejected.
          </p>
          {rejected.length > 0 && (
            <>
              <h3>{rejected.length} rows were rejected; the others were stored</h3>
              <table>
                <thead>
                  <tr>
                    <th scope="col">Line</th>
                    <th scope="col">Reason</th>
                  </tr>
                </thead>
                <tbody>
                  {rejected.map((r) => (
                    <tr key={`${r.line}-${r.reason}`}>
                      <td>{r.line}</td>
                      <td>{r.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </section>
      )}
      <section className="card">
        <h2>{count(products.length)} products</h2>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Product</th>
                <th scope="col">SKU</th>
                <th scope="col">Niche</th>
                <th scope="col">Price</th>
                <th scope="col">Units</th>
              </tr>
            </thead>
            <tbody>
              {products.map((p) => (
                <tr key={p.id}>
                  <td>{p.name}</td>
                  <td>{p.sku}</td>
                  <td>{p.niche}</td>
                  <td>{money(p.price_cents)}</td>
                  <td>{count(p.units_available)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </Page>
  );
}

// The browser half of bench/web_bench.sh: prints its figures as Markdown.
import { launch, newPage, signIn } from "../lib.mjs";

const QUERIES = ["skincare", "morning routine", "vegan recipes", "hiking", "thrifted style", "home decor", "gym", "travel tips", "makeup", "coffee", "puppy", "gaming setup", "linen", "protein", "outfit", "kids"];
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))];

const browser = await launch();
const page = await newPage(browser);

// 1. The first page's JavaScript, as downloaded.
const scripts = [];
page.on("response", async (r) => {
  if (r.request().resourceType() === "script") scripts.push(r);
});
await page.goto("/login");
await page.waitForLoadState("networkidle");
let jsBytes = 0;
for (const r of scripts) jsBytes += (await r.request().sizes()).responseBodySize;
const encodings = [...new Set(await Promise.all(scripts.map(async (r) => (await r.allHeaders())["content-encoding"] ?? "identity")))];

// 2. Typing to results.
await signIn(page, process.env.BENCH_EMAIL, process.env.BENCH_PASSWORD);
await page.waitForURL("**/campaigns");
await page.goto("/search");
await page.getByTestId("search-total").getByText(/accounts match/).waitFor();
const box = page.getByLabel("Search bios and captions");
// The clock starts at the last key's keydown event, in the page.
await box.evaluate((el) => el.addEventListener("keydown", () => (window.lastKeyAt = performance.now())));
const ui = [];
const api = [];
for (let round = 0; round < ROUNDS; round++) {
  for (const q of QUERIES) {
    await box.fill("");
    await page.waitForFunction(() => !document.querySelector('[data-testid="search-total"]')?.textContent?.includes("updating"));
    await page.waitForTimeout(150);
    const before = await page.getByTestId("search-total").innerText();
    // Keys with human gaps; the clock starts at the last key.
    for (const [i, ch] of [...q].entries()) {
      if (i > 0) await page.waitForTimeout(40);
      await box.press(ch === " " ? "Space" : ch);
    }
    const t1 = await page.evaluate(
      (prev) =>
        new Promise((resolve) => {
          const el = document.querySelector('[data-testid="search-total"]');
          const done = () => {
            const t = el.textContent ?? "";
            if (!t.includes("updating") && t !== prev) {
              requestAnimationFrame(() => resolve(performance.now()));
              return true;
            }
            return false;
          };
          if (done()) return;
          const o = new MutationObserver(() => done() && o.disconnect());
          o.observe(el, { childList: true, subtree: true, characterData: true });
          setTimeout(() => (o.disconnect(), resolve(-1)), 3000);
        }),
      before,
    );
    const t0 = await page.evaluate(() => window.lastKeyAt);
    if (t1 > 0) ui.push(t1 - t0);
    api.push(
      await page.evaluate(async (text) => {
        const token = (await (await fetch("/v1/me")).json()).csrf_token;
        const s = performance.now();
        const r = await fetch("/v1/search", { method: "POST", headers: { "Content-Type": "application/json", "X-CSRF-Token": token }, body: JSON.stringify({ text, text_match: "all", limit: 20, offset: 0, order: "desc", facets: ["tier", "niche", "country", "platform"] }) });
        await r.json();
        return performance.now() - s;
      }, q),
    );
  }
}
await browser.close();

const f = (x) => x.toFixed(1);
console.log(`# Web app benchmark

${process.env.BENCH_MACHINE ?? ""}
Data: \`seedcast demo --creators ${process.env.BENCH_CREATORS}\` on SQLite; release build; Chromium headless (Debian), playwright-core.
Command: \`bench/web_bench.sh ${process.env.BENCH_CREATORS}\`.

| figure | measured | target |
|---|---|---|
| first page (/login): JavaScript downloaded, ${scripts.length} file(s), content-encoding ${encodings.join(", ")} | **${f(jsBytes / 1024)} KB** | ≤ 300 KB gzipped |
| search: last key to results on screen, ${ui.length} queries, median | **${f(median(ui))} ms** | < 200 ms |
| search: last key to results on screen, p95 | ${f(p95(ui))} ms | — |
| peer: the same search by fetch() from the page, median (p95) | ${f(median(api))} ms (${f(p95(api))}) | — |
| ratio of the page's time to the bare API call (medians) | ${f(median(ui) / median(api))}× | — |

The page waits 80 ms after the last key before it asks (so that a query is not sent per key), then renders the
results; that wait is inside the measured time.${ui.length < QUERIES.length * ROUNDS ? `\n${QUERIES.length * ROUNDS - ui.length} queries did not change the results and were not timed.` : ""}
`);

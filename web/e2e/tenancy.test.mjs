// Tenancy in the browser: a second brand's pages never show the first brand's campaigns or
// products, even when it types their addresses.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { checkPage, launch, newPage, signUp, unique } from "./lib.mjs";

let browser;
const u = unique();
const a = {};

before(async () => {
  browser = await launch();
});
after(async () => browser?.close());

// A campaign made from the signed-in page, as the app's own requests are (CSRF token, Origin).
async function makeCampaign(page, name, brand) {
  return page.evaluate(
    async ({ name, brand }) => {
      const me = await (await fetch("/v1/me")).json();
      const r = await fetch("/v1/campaigns", {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": me.csrf_token },
        body: JSON.stringify({ name, brand, product: { name: "Secret tonic", sku: `TONIC-${name}`, price_cents: 1500, units_available: 20, niche: "beauty" }, target_posts: 2, niches: ["beauty"] }),
      });
      return (await r.json()).id;
    },
    { name, brand },
  );
}

test("brand A has a campaign", async () => {
  const page = await newPage(browser);
  await signUp(page, { kind: "brand", email: `a-${u}@tenant.example`, name: `Tenant A ${u}` });
  await page.waitForURL("**/campaigns");
  a.name = `A secret launch ${u}`;
  a.id = await makeCampaign(page, a.name, `Tenant A ${u}`);
  assert.ok(a.id > 0);
  await page.reload();
  await page.getByRole("link", { name: a.name, exact: true }).waitFor();
  await page.context().close();
});

test("brand B sees none of it", async () => {
  const page = await newPage(browser);
  await signUp(page, { kind: "brand", email: `b-${u}@tenant.example`, name: `Tenant B ${u}` });
  await page.waitForURL("**/campaigns");
  await page.getByText("No campaigns yet").waitFor();
  assert.equal(await page.getByText(a.name).count(), 0);
  for (const path of [`/campaigns/${a.id}`, `/campaigns/${a.id}/report`]) {
    await page.goto(path);
    await page.getByRole("alert").waitFor();
    assert.match(await page.getByRole("alert").innerText(), /no campaign|not found/i);
    assert.equal(await page.getByText(a.name).count(), 0, `${path} shows nothing of brand A`);
  }
  await checkPage(page, "tenancy-other-brand");
  await page.goto("/products");
  await page.getByRole("heading", { name: /products/ }).waitFor();
  assert.equal(await page.getByText("Secret tonic").count(), 0);
  await page.context().close();
});

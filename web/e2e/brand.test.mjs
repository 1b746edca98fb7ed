// The brand's flow in a browser: sign up, import products, search, create a campaign while
// watching the plan preview, invite, approve, ship, verify, read the report. What creators and
// carriers do in between goes through the API.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { api, checkPage, launch, newPage, signUp, unique } from "./lib.mjs";

let browser;
let page;
const u = unique();
const brand = `Brand ${u}`;
const state = {};

before(async () => {
  browser = await launch();
  page = await newPage(browser);
});
after(async () => browser?.close());

function productCsv() {
  const head =
    "Handle,Title,Body (HTML),Vendor,Product Category,Type,Tags,Published,Option1 Name,Option1 Value,Variant SKU,Variant Inventory Qty,Variant Price,Image Src,Status";
  return [
    head,
    `serum-${u},Dew Serum,<p>Serum</p>,${brand},Health & Beauty > Personal Care > Cosmetics > Skin Care,Skincare,"serum, skincare",TRUE,Size,30 ml,DEW-30-${u},200,24.00,,active`,
    `serum-${u},,,,,,,,,50 ml,DEW-50-${u},100,36.00,,`,
    `broken-${u},Broken,,${brand},,,,TRUE,Title,Default Title,BROKEN-${u},5,about twenty,,active`,
  ].join("\n");
}

test("a brand signs up and lands on its (empty) campaigns", async () => {
  await signUp(page, { kind: "brand", email: `owner-${u}@brand.example`, name: brand });
  await page.waitForURL("**/campaigns");
  await page.getByText("No campaigns yet").waitFor();
  await checkPage(page, "brand-campaigns-empty");
});

test("it imports a Shopify product export and sees the rejected row with its line", async () => {
  await page.getByRole("link", { name: "Products" }).click();
  await page.getByLabel("Brand name").fill(brand);
  await page.getByLabel("Product CSV file").setInputFiles({ name: "products.csv", mimeType: "text/csv", buffer: Buffer.from(productCsv()) });
  await page.getByRole("button", { name: "Import products" }).click();
  const summary = page.getByTestId("import-summary");
  await summary.waitFor();
  assert.match(await summary.innerText(), /2 products stored, 1 rows rejected/);
  const row = page.getByRole("row", { name: /^4 / });
  assert.match(await row.innerText(), /price/i);
  await page.getByRole("cell", { name: "DEW-50-" + u }).waitFor();
  await checkPage(page, "brand-products");
});

test("search filters, facets, pages and more-like-this work without reloading", async () => {
  await page.getByRole("link", { name: "Search" }).click();
  const total = page.getByTestId("search-total");
  await total.getByText(/accounts match/).waitFor();
  const all = Number((await total.innerText()).split(" ")[0].replace(/,/g, ""));
  await page.getByRole("checkbox", { name: "beauty" }).first().check();
  await page.waitForFunction((n) => {
    const t = document.querySelector('[data-testid="search-total"]')?.textContent ?? "";
    const v = Number(t.split(" ")[0].replace(/,/g, ""));
    return v > 0 && v < n && !t.includes("updating");
  }, all);
  await page.getByRole("button", { name: /^micro \d/ }).click();
  await page.waitForFunction(() => document.querySelector('[data-testid="search-total"]')?.textContent?.includes("updating") === false);
  const first = await page.locator(".result .handle").first().innerText();
  await page.getByRole("button", { name: "Next page" }).click();
  await page.getByText(/Page 2 of/).waitFor();
  await page.waitForFunction((h) => document.querySelector(".result .handle")?.textContent !== h, first);
  assert.ok((await page.locator(".result .reasons li").count()) > 0, "every result shows its reasons");
  await page.getByLabel("Sort by").selectOption("fit");
  await page.getByLabel("Weight of quality").fill("0.6");
  await page.locator(".result .reasons li", { hasText: /^fit / }).first().waitFor();
  assert.match(await page.locator(".result .reasons").first().innerText(), /quality/);
  await checkPage(page, "brand-search");
  const saved = (await page.locator(".result .handle").first().innerText()).replace(/^@/, "");
  await page.getByRole("button", { name: "Save to shortlist" }).first().click();
  const picker = page.getByRole("group", { name: `Save @${saved} to a shortlist` });
  await picker.getByLabel("New shortlist's name").fill("Spring picks");
  await picker.getByRole("button", { name: "Save", exact: true }).click();
  await picker.getByText("Saved to Spring picks").waitFor();
  state.shortlisted = saved;
  await page.getByRole("button", { name: "More like this" }).first().click();
  await page.getByText(/Showing creators like/).waitFor();
  await page.waitForFunction((h) => document.querySelector(".result .handle")?.textContent !== `@${h}`, saved);
});

test("the shortlist keeps the saved creator", async () => {
  await page.getByRole("link", { name: "Shortlists" }).click();
  await page.getByRole("heading", { name: /Spring picks/ }).waitFor();
  await page.getByRole("link", { name: `@${state.shortlisted}` }).waitFor();
  await checkPage(page, "brand-shortlists");
});

test("the campaign wizard enforces the brief's limits and its preview follows the fields", async () => {
  await page.getByRole("link", { name: "New campaign" }).click();
  await page.getByLabel("Campaign name").fill(`Dew launch ${u}`);
  await page.getByLabel("Brand name").fill(brand);
  const product = page.getByLabel("Product", { exact: true });
  await product.locator("option", { hasText: `DEW-30-${u}` }).waitFor({ state: "attached" });
  const value = await product.locator("option", { hasText: `DEW-30-${u}` }).getAttribute("value");
  await product.selectOption(value);
  await page.getByLabel("Mentions (comma-separated)").fill("@dew");
  await page.getByRole("button", { name: "Next" }).click();
  for (let i = 1; i <= 3; i++) {
    await page.getByLabel(`Key benefit ${i}`, { exact: true }).fill(`benefit ${i}`);
    if (i < 3) await page.getByRole("button", { name: "Add key benefit" }).click();
  }
  assert.equal(await page.getByRole("button", { name: "Add key benefit" }).isDisabled(), true, "a fourth key benefit cannot be added");
  await page.getByLabel("Content rule 1", { exact: true }).fill("show the texture");
  await page.getByRole("button", { name: "Add content rule" }).click();
  await page.getByLabel("Content rule 2", { exact: true }).fill("no medical claims");
  assert.equal(await page.getByRole("button", { name: "Add content rule" }).isDisabled(), true);
  await page.getByLabel("Call to action (one)").fill("link in bio");
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByLabel("Target number of posts").fill("3");
  const figures = page.getByTestId("plan-figures");
  await figures.waitFor();
  const read = async () => Number((await figures.locator("dd").first().innerText()).trim());
  // The preview says which target it answers; wait for the one typed.
  const planFor = (n) => page.locator(`aside.preview[data-target="${n}"][aria-busy="false"]`).waitFor();
  await planFor(3);
  const before3 = await read();
  assert.ok(before3 > 0, "a plan for 3 posts expects completions");
  await page.getByLabel("Target number of posts").fill("8");
  await planFor(8);
  assert.ok((await read()) > before3, "more posts asked, more completions expected");
  assert.ok((await page.locator(".picks > li").count()) > 0, "the preview lists its picks");
  await checkPage(page, "brand-new-campaign");
  await page.getByRole("button", { name: "Create campaign" }).click();
  await page.waitForURL(/\/campaigns\/\d+$/);
  state.campaign = Number(page.url().split("/").pop());
});

test("invite, approve and ship from the board", async () => {
  await page.getByRole("button", { name: "Invite creators" }).click();
  await page.locator('section[aria-label^="Invited: "]').locator("li").first().waitFor();
  const detail = await api("GET", `/v1/campaigns/${state.campaign}`);
  const a = detail.assignments.find((x) => x.state === "invited");
  state.assignment = a.id;
  await api("POST", `/v1/assignments/${a.id}/apply`, { actor: "creator in the test" });
  await page.reload();
  await page.locator('section[aria-label^="Applied: "] button.assignment').first().click();
  await page.getByRole("button", { name: "Approve" }).click();
  await page.getByLabel("Carrier").fill("UPS");
  await page.getByLabel("Tracking number").fill("1Z999AA10123456784");
  await checkPage(page, "brand-board-approved");
  await page.getByRole("button", { name: "Mark shipped" }).click();
  await page.getByText(/Shipped by UPS, tracking/).waitFor();
});

test("the post's findings are shown and the brand verifies it", async () => {
  await api("POST", `/v1/assignments/${state.assignment}/deliver`);
  await api("POST", `/v1/assignments/${state.assignment}/submit-post`, {
    post: { url: "https://instagram.com/p/dew1", caption: "#ad Gifted by @dew: my morning routine with the Dew serum", relationship: "gifted_required", platform: "instagram", media: ["video"], posted_at: new Date().toISOString() },
  });
  await page.reload();
  await page.locator('section[aria-label^="Posted: "] button.assignment').first().click();
  await page.getByRole("heading", { name: "The post" }).waitFor();
  await page.getByText("No findings: the post meets the disclosure rules and the brief.").waitFor();
  await checkPage(page, "brand-board-posted");
  await page.getByRole("button", { name: "Verify post" }).click();
  await page.locator('section[aria-label="Done: 1"]').waitFor();
});

test("the report shows target against completed, the ledger, a chart, and exports", async () => {
  await page.getByRole("link", { name: "Report" }).first().click();
  const figures = page.getByTestId("report-figures");
  await figures.waitFor();
  assert.match(await figures.innerText(), /1 \/ 8/);
  await page.locator(".chart canvas").waitFor();
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export ledger (CSV)" }).click();
  const file = await download;
  assert.match(file.suggestedFilename(), /ledger\.csv$/);
  await checkPage(page, "brand-report");
});

test("the content library shows the verified post's asset", async () => {
  await page.getByRole("link", { name: "Content", exact: true }).click();
  await page.getByText("1 asset", { exact: true }).waitFor();
  await page.getByLabel("Format").selectOption("photo");
  await page.getByText("0 assets", { exact: true }).waitFor();
  await page.getByLabel("Format").selectOption("video");
  await page.getByText("1 asset", { exact: true }).waitFor();
  await checkPage(page, "brand-library");
});

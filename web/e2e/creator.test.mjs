// The creator's flow in a browser: sign up with the quality gate explained, connect an account
// (a bad handle first: the error marks the field and nothing typed is lost), get approved by an
// operator, see an offer, apply, give an address, receive the product, submit a post and fix the
// disclosure the pre-check flags, get verified and paid. The brand's side goes through the API.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { api, checkPage, launch, newPage, OPERATOR_EMAIL, OPERATOR_PASSWORD, signIn, signUp, unique } from "./lib.mjs";

let browser;
let page;
const u = unique();
const handle = `cr_${u}`;
const state = {};

before(async () => {
  browser = await launch();
  page = await newPage(browser);
});
after(async () => browser?.close());

test("a creator signs up, with what the gate requires explained", async () => {
  await page.goto("/signup");
  await page.getByLabel("a creator").check();
  await page.getByText("What it takes to join.").waitFor();
  await checkPage(page, "creator-signup");
  await signUp(page, { kind: "creator", email: `${handle}@creator.example`, name: `Cleo ${u}` });
  await page.waitForURL("**/creator");
});

test("a bad handle is refused on its field, and what was typed stays", async () => {
  const form = page.getByRole("form", { name: "Connect an account" });
  await form.getByLabel("Handle").fill("cleo makes");
  await form.getByLabel("Followers").fill("5200");
  await form.getByLabel("Engagement rate (%)").fill("4.1");
  await form.getByLabel("Country").fill("NZ");
  await form.getByRole("button", { name: "Connect account" }).click();
  await form.getByRole("alert").waitFor();
  assert.match(await form.getByRole("alert").innerText(), /space/);
  assert.equal(await form.getByLabel("Handle").getAttribute("aria-invalid"), "true");
  assert.equal(await form.getByLabel("Followers").inputValue(), "5200");
  await checkPage(page, "creator-account-error");
  await form.getByLabel("Handle").fill(handle);
  await form.getByRole("button", { name: "Connect account" }).click();
  await page.getByRole("heading", { name: new RegExp(`@${handle}`) }).waitFor();
  await page.getByText("Pending: an operator reviews it").waitFor();
});

test("the creator gives a shipping address, told who sees it", async () => {
  const form = page.getByRole("form", { name: "Shipping address" });
  await form.getByText("Only a brand that approves you").waitFor();
  await form.getByLabel("Shipping address").fill(`Cleo ${u}\n12 Queen St\nAuckland 1010\nNZ`);
  await form.getByRole("button", { name: "Save address" }).click();
  await form.getByText("Saved.").waitFor();
  await checkPage(page, "creator-accounts");
});

test("an operator approves the account", async () => {
  const op = await newPage(browser);
  await signIn(op, OPERATOR_EMAIL, OPERATOR_PASSWORD);
  await op.waitForURL("**/operator");
  await op.getByRole("button", { name: `Approve @${handle}` }).click();
  await op.getByRole("button", { name: `Approve @${handle}` }).waitFor({ state: "detached" });
  await op.context().close();
  await page.reload();
  await page.getByText("Approved: you can receive offers").waitFor();
});

test("the creator sees an offer with what they would receive, and applies", async () => {
  const spec = {
    name: `Kiwi glow ${u}`,
    brand: `Kiwi ${u}`,
    product: { name: "Kiwi balm", sku: `KIWI-${u}`, price_cents: 1800, units_available: 10, niche: "beauty" },
    compensation: "paid",
    fulfilment: "ship",
    fee_cents_per_post: 5000,
    payout_cents_per_post: 4000,
    target_posts: 1,
    confidence: 0.5,
    countries: ["NZ"],
    jurisdiction: "us",
  };
  const made = await api("POST", "/v1/campaigns", spec);
  state.campaign = made.id;
  // The approved account reaches the search index through the change feed within a second.
  let invited = 0;
  for (let i = 0; i < 20 && invited === 0; i++) {
    invited = (await api("POST", `/v1/campaigns/${made.id}/invite`)).invited.length;
    if (!invited) await new Promise((r) => setTimeout(r, 500));
  }
  assert.ok(invited > 0, "the campaign invited the new creator");
  await page.getByRole("link", { name: "Offers" }).click();
  await page.getByRole("heading", { name: new RegExp(`Kiwi glow ${u}`) }).waitFor();
  assert.match(await page.locator(".offer").first().innerText(), /Kiwi balm \(worth \$18\.00\)/);
  assert.match(await page.locator(".offer").first().innerText(), /\$40\.00 per verified post/);
  await checkPage(page, "creator-offer");
  await page.getByRole("button", { name: "Apply" }).click();
  await page.getByText("You applied").waitFor();
  const detail = await api("GET", `/v1/campaigns/${state.campaign}`);
  state.assignment = detail.assignments[0].id;
});

test("the brand approves and ships; the creator confirms it arrived", async () => {
  await api("POST", `/v1/assignments/${state.assignment}/approve`);
  const contact = await api("GET", `/v1/assignments/${state.assignment}/contact`);
  assert.match(contact.address, /Queen St/, "the approving brand sees the address");
  await api("POST", `/v1/assignments/${state.assignment}/ship`, { carrier: "NZ Post", tracking: "NZ123" });
  await page.reload();
  await page.getByRole("button", { name: "It arrived" }).click();
  await page.getByRole("link", { name: "Submit a post" }).waitFor();
});

test("the pre-check flags the missing disclosure with its fix, live, before submitting", async () => {
  await page.getByRole("link", { name: "Submit a post" }).click();
  await page.getByLabel("Link to the post").fill(`https://instagram.com/p/${u}`);
  await page.getByLabel("Caption").fill("My new favourite balm, so soft");
  const findings = page.getByTestId("findings");
  await findings.waitFor();
  const text = await findings.innerText();
  assert.match(text, /discloses nothing/);
  assert.match(text, /Fix: /);
  await checkPage(page, "creator-precheck");
  await page.getByLabel("Caption").fill("#ad My new favourite balm, so soft");
  await page.getByText("No findings: the disclosure").waitFor();
  await page.getByRole("button", { name: "Submit post" }).click();
  await page.waitForURL("**/offers");
  await page.getByText("Submitted: the brand verifies it.").waitFor();
});

test("verified and paid: the earnings show the payout", async () => {
  await api("POST", `/v1/assignments/${state.assignment}/verify`);
  await page.getByRole("link", { name: "Earnings" }).click();
  await page.getByTestId("earned").getByText("$40.00").waitFor();
  await checkPage(page, "creator-earnings");
});

test("the media kit shows audience, benchmark and rate guidance", async () => {
  await page.goto(`/kit/instagram/${handle}`);
  await page.getByText(/Against the .* benchmark/).waitFor();
  await page.getByText(/Guidance for one post/).waitFor();
  await page.getByLabel("Headline").fill("Skincare for busy mornings");
  await page.getByRole("button", { name: "Save and preview" }).click();
  await page.locator(".lead", { hasText: "Skincare for busy mornings" }).waitFor();
  await checkPage(page, "creator-kit");
});

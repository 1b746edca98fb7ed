// The operator's flow in a browser: approve a creator waiting for review, with its quality
// reasons; review a fraud flag; see invoices and payouts and the server's health.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { api, BASE, checkPage, launch, newPage, OPERATOR_EMAIL, OPERATOR_PASSWORD, PASSWORD, signIn, unique } from "./lib.mjs";

let browser;
let page;
const u = unique();
const handle = `wait_${u}`;

// A creator who signed up and added an account, through the API as a browser would.
async function creatorWithPendingAccount() {
  const signup = await fetch(`${BASE}/v1/auth/signup`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: BASE },
    body: JSON.stringify({ email: `${handle}@creator.example`, password: PASSWORD, kind: "creator", name: `Wait ${u}` }),
  });
  assert.equal(signup.status, 201);
  const { csrf_token } = await signup.json();
  const cookie = signup.headers.get("set-cookie").split(";")[0];
  const add = await fetch(`${BASE}/v1/me/accounts`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: BASE, Cookie: cookie, "X-CSRF-Token": csrf_token },
    body: JSON.stringify({ platform: "tiktok", handle, followers: 8300, engagement_rate: 0.06 }),
  });
  assert.equal(add.status, 201, await add.text());
}

before(async () => {
  browser = await launch();
  page = await newPage(browser);
  await creatorWithPendingAccount();
});
after(async () => browser?.close());

test("the operator signs in and sees the account waiting, with its quality reasons", async () => {
  await signIn(page, OPERATOR_EMAIL, OPERATOR_PASSWORD);
  await page.waitForURL("**/operator");
  const review = page.locator(".review", { hasText: `@${handle}` });
  await review.waitFor();
  assert.match(await review.innerText(), /audience quality/);
  await checkPage(page, "operator");
});

test("approving it takes it off the list and into search", async () => {
  await page.getByRole("button", { name: `Approve @${handle}` }).click();
  await page.getByRole("button", { name: `Approve @${handle}` }).waitFor({ state: "detached" });
  const pending = await api("GET", "/v1/reviews");
  assert.ok(!pending.items.some((r) => r.handle === handle));
  let found = 0;
  for (let i = 0; i < 20 && !found; i++) {
    found = (await api("POST", "/v1/search", { text: "", platforms: ["tiktok"], followers: { min: 8300, max: 8300 }, limit: 50 })).results.filter((r) => r.handle === handle).length;
    if (!found) await new Promise((r) => setTimeout(r, 250));
  }
  assert.equal(found, 1, "the approved account is searchable");
});

test("a fraud flag is reviewed: suspending takes the account out of search", async () => {
  const flag = page.locator("section[aria-labelledby='flags-title'] .review").first();
  await flag.waitFor();
  const flagged = (await flag.locator("h3").innerText()).match(/@(\S+)/)[1];
  await flag.getByRole("button", { name: `Suspend @${flagged}` }).click();
  await page.getByRole("button", { name: `Suspend @${flagged}` }).waitFor({ state: "detached" });
  let still = 1;
  for (let i = 0; i < 20 && still; i++) {
    const r = await api("POST", "/v1/search", { text: flagged.replace(/[._]/g, " "), text_match: "any", limit: 1000 });
    still = r.results.filter((x) => x.handle === flagged).length;
    if (still) await new Promise((r2) => setTimeout(r2, 250));
  }
  assert.equal(still, 0, "a suspended account leaves search");
});

test("invoices, payouts and health are on the page", async () => {
  await page.getByRole("heading", { name: "Invoices and payouts" }).waitFor();
  // The filter offers the ledger's own kinds: payouts are there (the demo's seasons paid creators).
  const money = page.locator("section[aria-labelledby='money-title']");
  await money.getByLabel("Show").selectOption("creator_pay");
  await page.waitForFunction(() => {
    const cells = [...document.querySelectorAll("section[aria-labelledby='money-title'] tbody tr td:nth-child(2)")];
    return cells.length > 0 && cells.every((c) => c.textContent === "Payout for a verified post");
  });
  await page.getByText(/requests since start/).waitFor();
});

// What every browser spec shares: Debian's Chromium driven by playwright-core, the server under
// test (started by tests/web/run.sh, on loopback), API calls for the other side of a flow, and
// the page check run on every page: a screenshot, axe-core (0 serious or critical violations)
// and no horizontal overflow at phone width (375 px).
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { chromium } from "playwright-core";

export const BASE = process.env.SEEDCAST_URL ?? "http://127.0.0.1:8080";
export const ARTIFACTS = process.env.SEEDCAST_ARTIFACTS ?? new URL("../e2e-artifacts/", import.meta.url).pathname;
export const OPERATOR_KEY = process.env.SEEDCAST_OPERATOR_KEY ?? "";
export const OPERATOR_EMAIL = process.env.SEEDCAST_OPERATOR_EMAIL ?? "";
export const OPERATOR_PASSWORD = process.env.SEEDCAST_OPERATOR_PASSWORD ?? "";
mkdirSync(ARTIFACTS, { recursive: true });

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

// A fresh browser profile (its own cookies) with a desktop viewport. bypassCSP lets checkPage
// inject axe-core into pages whose Content-Security-Policy (rightly) refuses inline scripts.
export async function newPage(browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, baseURL: BASE, bypassCSP: true });
  const page = await context.newPage();
  page.on("pageerror", (e) => console.error(`page error: ${e.message}`));
  return page;
}

// A unique suffix, so that reruns against one database do not collide.
export const unique = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
export const PASSWORD = "correct horse battery staple 42";

// Screenshot, accessibility and phone-width check of the page as it is now.
export async function checkPage(page, name) {
  await page.waitForLoadState("networkidle");
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
  });
  const serious = result.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(serious, [], `${name}: axe found serious or critical violations: ${JSON.stringify(serious, null, 1)}`);
  const size = page.viewportSize();
  await page.setViewportSize({ width: 375, height: 800 });
  await page.waitForTimeout(150);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  await page.screenshot({ path: join(ARTIFACTS, `${name}-375.png`), fullPage: true });
  assert.ok(overflow <= 1, `${name}: the page is ${overflow} px wider than a 375 px screen`);
  await page.setViewportSize(size);
}

// The API as the operator's key, for the other side of a flow (what a brand or carrier does).
export async function api(method, path, body, key = OPERATOR_KEY) {
  const headers = { Accept: "application/json", Authorization: `Bearer ${key}` };
  if (body !== undefined) headers["Content-Type"] = typeof body === "string" ? "text/csv" : "application/json";
  const r = await fetch(BASE + path, { method, headers, body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body) });
  const text = await r.text();
  const json = text ? JSON.parse(text) : null;
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
  return json;
}

export async function signUp(page, { kind, email, name }) {
  await page.goto("/signup");
  if (kind === "creator") await page.getByLabel("a creator").check();
  if (kind === "brand") await page.getByLabel("Brand or company name").fill(name);
  else await page.getByLabel("Your name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
}

export async function signIn(page, email, password = PASSWORD) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

// The public pages, the keyboard and errors: sign-in works from the keyboard alone, a wrong
// password shows the server's message and marks the field, unknown pages say so.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { checkPage, launch, newPage, PASSWORD, signUp, unique } from "./lib.mjs";

let browser;
let page;
const u = unique();

before(async () => {
  browser = await launch();
  page = await newPage(browser);
});
after(async () => browser?.close());

test("the sign-in page has labelled Email and Password fields and a Sign in button", async () => {
  await page.goto("/login");
  await page.getByLabel("Email").waitFor();
  await page.getByLabel("Password").waitFor();
  await page.getByRole("button", { name: "Sign in" }).waitFor();
  await checkPage(page, "login");
  await page.goto("/signup");
  await checkPage(page, "signup");
});

test("a wrong password shows the server's message, and the email stays", async () => {
  await page.goto("/login");
  await page.getByLabel("Email").fill(`nobody-${u}@example.com`);
  await page.getByLabel("Password").fill("not the password at all");
  await page.getByRole("button", { name: "Sign in" }).click();
  const alert = page.getByRole("alert");
  await alert.waitFor();
  assert.match(await alert.innerText(), /email or the password is wrong/i);
  assert.equal(await page.getByLabel("Email").inputValue(), `nobody-${u}@example.com`);
  await checkPage(page, "login-error");
});

test("signing up and in works from the keyboard alone", async () => {
  const email = `keys-${u}@brand.example`;
  await signUp(page, { kind: "brand", email, name: `Keys ${u}` });
  await page.waitForURL("**/campaigns");
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL("**/login");
  await page.goto("/login");
  await page.locator("body").focus();
  await page.keyboard.press("Tab"); // skip link
  let focused = "";
  for (let i = 0; i < 12 && focused !== "email"; i++) {
    await page.keyboard.press("Tab");
    focused = await page.evaluate(() => document.activeElement?.getAttribute("name") ?? "");
  }
  assert.equal(focused, "email", "the Email field is reachable with Tab");
  await page.keyboard.type(email);
  await page.keyboard.press("Tab");
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press("Enter");
  await page.waitForURL("**/campaigns");
});

test("an unknown page says so", async () => {
  await page.goto("/no/such/page");
  await page.getByText("There is no page here.").waitFor();
});

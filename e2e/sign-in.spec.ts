import { expect, test, type BrowserContext } from "@playwright/test";
import { enterTotp, signIn, signOut, submitPassword } from "./support/auth";
import { createTestPerson, TEST_PASSWORD } from "./support/data";
import { currentTotp } from "@/lib/auth/totp";
import { PENDING_SIGN_IN_COOKIE } from "@/lib/auth/pending-cookie";

async function pendingCookie(context: BrowserContext) {
  return (await context.cookies()).find((c) => c.name === PENDING_SIGN_IN_COOKIE);
}

test("an administrator signs in with password and TOTP, then signs out", async ({ page }) => {
  await submitPassword(page, "E0001");
  await enterTotp(page, "E0001");
  await expect(page.getByRole("heading", { name: /Welcome, 王建国/ })).toBeVisible();
  await signOut(page);
  await expect(page.getByTestId("sign-in-notice")).toHaveText("You have signed out.");
  await page.goto("/people");
  await expect(page).toHaveURL(/\/sign-in/);
});

test("the sign-in page shows the portal's logo from public/ and the browser gets its icons", async ({ page, request }) => {
  await page.goto("/sign-in");
  const logo = page.locator('header img[src="/logo.svg"]');
  await expect(logo).toBeVisible();
  expect(await logo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  await expect(page.locator('link[rel="icon"][href^="/favicon.svg"]')).toHaveCount(1);
  for (const [path, type] of [
    ["/favicon.ico", /image\/(x-icon|vnd\.microsoft\.icon)/],
    ["/favicon.svg", /image\/svg\+xml/],
    ["/logo.svg", /image\/svg\+xml/],
  ] as const) {
    const r = await request.get(path);
    expect(r.status(), path).toBe(200);
    expect(r.headers()["content-type"], path).toMatch(type);
  }
});

test("wrong password and unknown user get the same message", async ({ page }) => {
  await submitPassword(page, "E0100", "not-the-password");
  const alert = page.getByRole("alert").first();
  await expect(alert).toHaveText("The employee number / e-mail or the password is wrong, or the account is not active.");
  await submitPassword(page, "NOBODY-9999", "not-the-password");
  await expect(page.getByRole("alert").first()).toHaveText(
    "The employee number / e-mail or the password is wrong, or the account is not active.",
  );
});

test("empty and hostile input gets field errors, not a crash", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Required.").first()).toBeVisible();
  await page.getByLabel("Employee number or e-mail").fill(`<script>alert(1)</script>' OR 1=1 -- 🔐`);
  await page.getByLabel("Password").fill("x".repeat(2000));
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Too long.")).toBeVisible();
  // A NUL in a form field is a field error (lib/validation.ts text()), not a server error.
  await page.getByLabel("Employee number or e-mail").fill("E0001\u0000");
  await page.getByLabel("Password").fill("x");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Not a valid value.")).toBeVisible();
});

test("five wrong passwords lock the account for 15 minutes", async ({ page }) => {
  const person = await createTestPerson();
  for (let i = 0; i < 4; i++) {
    await submitPassword(page, person.employeeNo, `wrong-${i}`);
    await expect(page.getByRole("alert").first()).toHaveText(
      "The employee number / e-mail or the password is wrong, or the account is not active.",
    );
  }
  await submitPassword(page, person.employeeNo, "wrong-5");
  await expect(page.getByRole("alert").first()).toHaveText("Too many failed attempts: this account is locked for 15 minutes.");
  // Even the right password is refused while locked.
  await submitPassword(page, person.employeeNo, TEST_PASSWORD);
  await expect(page.getByRole("alert").first()).toContainText("locked");
});

test("staff without a required second factor sign in with the password alone", async ({ page }) => {
  await signIn(page, "E0100", { mfa: false });
  await expect(page.getByRole("heading", { name: /Welcome, 赵磊/ })).toBeVisible();
});

test("a new privileged person enrols an authenticator and gets recovery codes", async ({ page }) => {
  const person = await createTestPerson({ role: "HR", enrolTotp: false });
  await submitPassword(page, person.employeeNo, TEST_PASSWORD);
  await expect(page).toHaveURL(/\/sign-in\/enrol/);
  await expect(page.getByRole("img", { name: "QR code for your authenticator app" })).toBeVisible();
  const secret = (await page.getByTestId("totp-secret").textContent())!.trim();
  await page.getByLabel("6-digit code").fill(currentTotp(secret));
  await page.getByRole("button", { name: "Verify and continue" }).click();
  await expect(page.getByTestId("recovery-codes").locator("li")).toHaveCount(10);
  await page.getByRole("button", { name: "I have saved my codes, continue" }).click();
  await expect(page.getByTestId("user-menu")).toContainText(person.name);
});

test("the pending sign-in cookie: httpOnly and strict, not Secure over http, gone after sign-in, start over and a dead sign-in", async ({
  page,
  context,
}) => {
  const person = await createTestPerson({ role: "HR" });
  // Served over plain http here (https through PORTAL_URL or a trusted proxy: tests/unit/pending-cookie.test.ts).
  await submitPassword(page, person.employeeNo, TEST_PASSWORD);
  await expect(page).toHaveURL(/\/sign-in\/mfa/);
  expect(await pendingCookie(context)).toMatchObject({ httpOnly: true, sameSite: "Strict", secure: false, path: "/" });
  await enterTotp(page, person.employeeNo, person.totpSecret);
  await expect(page.getByTestId("user-menu")).toBeVisible();
  expect(await pendingCookie(context)).toBeUndefined();

  // Abandoned: "start over" on the second-factor page.
  await signOut(page);
  await submitPassword(page, person.employeeNo, TEST_PASSWORD);
  await expect(page).toHaveURL(/\/sign-in\/mfa/);
  expect(await pendingCookie(context)).toBeDefined();
  await page.getByRole("link", { name: "Start over" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect.poll(() => pendingCookie(context)).toBeUndefined();

  // Dead for good: wrong codes until the sign-in (or the account) gives up.
  await submitPassword(page, person.employeeNo, TEST_PASSWORD);
  await expect(page).toHaveURL(/\/sign-in\/mfa/);
  for (let i = 0; i < 5; i++) {
    await page.getByLabel(/^Code$/).fill(`wrong-recovery-code-${i}`);
    // One attempt at a time: wait for the action's answer before the next code.
    const answered = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/sign-in/mfa");
    await page.getByRole("button", { name: /^Verify/ }).click();
    await answered;
    // React resets the form once the action's answer is rendered: only then type the next code.
    await expect(page.getByLabel(/^Code$/)).toHaveValue("");
    await expect(page.getByRole("button", { name: /^Verify/ })).toBeEnabled();
    await expect(page.getByRole("alert").first()).toBeVisible();
    if (i < 4) expect(await pendingCookie(context), `after wrong code ${i + 1}`).toBeDefined();
  }
  await expect(page.getByRole("alert").first()).toHaveText(/expired|locked/);
  expect(await pendingCookie(context)).toBeUndefined();
});

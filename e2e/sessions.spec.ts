import { expect, test } from "@playwright/test";
import { signIn } from "./support/auth";
import { createTestPerson, TEST_PASSWORD } from "./support/data";

test("a disabled person's open session is thrown out on their next request", async ({ browser }) => {
  const person = await createTestPerson();
  const admin = await createTestPerson({ role: "SYSTEM_ADMIN" });
  const theirs = await browser.newContext();
  const staffPage = await theirs.newPage();
  await signIn(staffPage, person.employeeNo, { mfa: false, password: TEST_PASSWORD });

  const admins = await browser.newContext();
  const adminPage = await admins.newPage();
  await signIn(adminPage, admin.employeeNo, { password: TEST_PASSWORD, totpSecret: admin.totpSecret });
  await adminPage.goto(`/people/${person.id}`);
  // The master account's actions (the page has other forms with a reason, e.g. the one-time password).
  const actions = adminPage.locator("form").filter({ has: adminPage.getByLabel("Operation") });
  await actions.getByLabel("Operation").selectOption("disable");
  await actions.getByLabel("Reason").fill("Left the company, ticket HR-2026-118");
  await actions.getByRole("button", { name: "Apply" }).click();
  await expect(adminPage.getByRole("status")).toContainText("The account is disabled and its sessions ended.");

  await staffPage.goto("/account");
  await expect(staffPage).toHaveURL(/\/sign-in\?reason=/);
  await expect(staffPage.getByTestId("sign-in-notice")).toBeVisible();
  // And the password no longer opens a session.
  await staffPage.getByLabel("Employee number or e-mail").fill(person.employeeNo);
  await staffPage.getByLabel("Password").fill(TEST_PASSWORD);
  await staffPage.getByRole("button", { name: "Sign in" }).click();
  await expect(staffPage.getByRole("alert").first()).toHaveText(
    "The employee number / e-mail or the password is wrong, or the account is not active.",
  );
  await theirs.close();
  await admins.close();
});

test("an account action without a reason is refused and changes nothing", async ({ page }) => {
  const person = await createTestPerson();
  const admin = await createTestPerson({ role: "SYSTEM_ADMIN" });
  await signIn(page, admin.employeeNo, { password: TEST_PASSWORD, totpSecret: admin.totpSecret });
  await page.goto(`/people/${person.id}`);
  const actions = page.locator("form").filter({ has: page.getByLabel("Operation") });
  await actions.getByLabel("Operation").selectOption("lock");
  await actions.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByText("Required.")).toBeVisible();
  await page.reload();
  await expect(page.getByText("Active", { exact: true }).last()).toBeVisible();
});

test("sign out everywhere ends the other sessions too", async ({ browser }) => {
  const person = await createTestPerson();
  const first = await browser.newContext();
  const second = await browser.newContext();
  const a = await first.newPage();
  const b = await second.newPage();
  await signIn(a, person.employeeNo, { mfa: false, password: TEST_PASSWORD });
  await signIn(b, person.employeeNo, { mfa: false, password: TEST_PASSWORD });
  await a.goto("/account");
  await a.getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(a).toHaveURL(/\/sign-in/);
  await b.goto("/");
  await expect(b).toHaveURL(/\/sign-in\?reason=revoked/);
  await first.close();
  await second.close();
});

import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { inTransaction } from "@/lib/db";
import { systemActor } from "@/lib/authz/actor";
import { createPerson } from "@/lib/people/create-person";
import { grantRole } from "@/lib/grants/grant-role";
import { signIn, submitPassword } from "./support/auth";
import { createTestPerson, TEST_PASSWORD } from "./support/data";

const setup = systemActor("e2e-setup");

/** A joiner as HR records one in the portal or by import: a master account, no password. */
async function joinerWithoutPassword() {
  const employeeNo = `T${randomBytes(4).toString("hex")}`;
  return inTransaction(async (tx) => {
    const org = await tx.orgUnit.findUniqueOrThrow({ where: { code: "CS" }, select: { id: true } });
    const { person } = await createPerson(tx, setup, {
      employeeNo,
      name: `新员工${employeeNo}`,
      orgUnitId: org.id,
      jobTitle: "服务营销",
      employmentType: "EMPLOYEE",
    });
    return { id: person.id, employeeNo };
  });
}

test("HR issues a one-time password to a new person, who signs in with it and must change it", async ({ browser }) => {
  const hr = await createTestPerson({ role: "HR" });
  const joiner = await joinerWithoutPassword();

  const hrContext = await browser.newContext();
  const hrPage = await hrContext.newPage();
  await signIn(hrPage, hr.employeeNo, { password: TEST_PASSWORD, totpSecret: hr.totpSecret });
  await hrPage.goto(`/people/${joiner.id}`);
  const form = hrPage.getByRole("form", { name: "One-time password" });
  // Without a reason nothing is issued.
  await form.getByRole("button", { name: "Issue a one-time password" }).click();
  await expect(form.getByRole("alert").first()).toBeVisible();
  await expect(form.getByTestId("one-time-password")).toHaveCount(0);
  await form.getByLabel("Reason").fill("New joiner, first day");
  await form.getByRole("button", { name: "Issue a one-time password" }).click();
  const shown = form.getByTestId("one-time-password");
  await expect(shown).toHaveText(/^\S{16}$/);
  const password = (await shown.textContent())!.trim();
  await hrContext.close();

  const page = await (await browser.newContext()).newPage();
  await submitPassword(page, joiner.employeeNo, password);
  await expect(page).toHaveURL(/\/account\/password\?required=1/);
  await page.goto("/");
  await expect(page).toHaveURL(/\/account\/password\?required=1/);
  await page.getByLabel("Current password").fill(password);
  await page.getByLabel("New password", { exact: true }).fill("lanterns over the quiet river 42");
  await page.getByLabel("Repeat new password").fill("lanterns over the quiet river 42");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("Password changed.")).toBeVisible();
  await page.goto("/");
  await expect(page.getByTestId("user-menu")).toBeVisible();
  await expect(page).not.toHaveURL(/password/);
});

test("an account administrator disables a slave account and its grants disappear from the person page", async ({ page }) => {
  const admin = await createTestPerson({ role: "ACCOUNT_ADMIN", systemCode: "CRM" });
  const holder = await createTestPerson();
  await inTransaction(async (tx) => {
    const role = await tx.jobRole.findFirstOrThrow({ where: { code: "FRONT_LINE", system: { code: "CRM" } }, select: { id: true } });
    await grantRole(tx, setup, {
      personId: holder.id,
      roleId: role.id,
      endsAt: new Date(Date.now() + 30 * 86_400_000),
      reason: "Front-line service",
      basis: "HR-2026-0901",
    });
  });

  await signIn(page, admin.employeeNo, { password: TEST_PASSWORD, totpSecret: admin.totpSecret });
  await page.goto(`/people/${holder.id}`);
  const access = page.getByTestId("access");
  await expect(access).toContainText("FRONT_LINE");
  await expect(access.getByText("Live", { exact: true })).toHaveCount(1);

  const accounts = page.getByTestId("slave-accounts");
  await expect(accounts).toContainText("CRM");
  await expect(accounts).toContainText("Active");
  const actions = accounts.getByRole("form", { name: /^Actions · CRM/ });
  await actions.getByLabel("Action", { exact: true }).selectOption({ label: "Disable (revokes its grants)" });
  await actions.getByLabel("Reason", { exact: true }).fill("Account review: left the front line");
  await actions.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByText("Account disabled; 1 grant revoked.")).toBeVisible();

  await expect(accounts).toContainText("Disabled");
  await expect(access.getByText("Live", { exact: true })).toHaveCount(0);
  await expect(access).toContainText("Revoked");
});

test("a system administrator's sensitive-levels form refuses an empty choice and saves nothing unchanged", async ({ page }) => {
  // Changing the levels would change the roster for every test running alongside: the change itself
  // and the policy check it starts are covered by tests/integration/classification.test.ts.
  const admin = await createTestPerson({ role: "SYSTEM_ADMIN" });
  await signIn(page, admin.employeeNo, { password: TEST_PASSWORD, totpSecret: admin.totpSecret });
  await page.goto("/admin/settings");
  const form = page.getByRole("form", { name: "Sensitive permissions" });
  await expect(form.getByLabel("Extremely sensitive")).toBeChecked();
  await expect(form.getByLabel("Sensitive", { exact: true })).toBeChecked();
  await expect(form.getByLabel("Relatively sensitive")).not.toBeChecked();

  await form.getByLabel("Extremely sensitive").uncheck();
  await form.getByLabel("Sensitive", { exact: true }).uncheck();
  await form.getByLabel("Reason").fill("Try nothing");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form.getByRole("alert").first()).toHaveText("Please correct the highlighted fields.");

  await page.reload();
  await form.getByLabel("Reason").fill("Review of the classification, unchanged");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form.getByRole("status")).toHaveText("Nothing changed.");
});

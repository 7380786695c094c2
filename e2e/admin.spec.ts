import { expect, test } from "@playwright/test";
import { signIn } from "./support/auth";
import { createTestPerson, TEST_PASSWORD } from "./support/data";

test("separation of duties: an officer cannot also become an account administrator", async ({ page }) => {
  const admin = await createTestPerson({ role: "SYSTEM_ADMIN" });
  const officer = await createTestPerson({ role: "SECURITY_OFFICER", enrolTotp: false });
  await signIn(page, admin.employeeNo, { password: TEST_PASSWORD, totpSecret: admin.totpSecret });
  await page.goto("/admin/portal-roles");
  const form = page.getByRole("form", { name: "Grant a portal role" });
  await form.getByLabel("Employee no.").fill(officer.employeeNo);
  await form.getByLabel("Role").selectOption("ACCOUNT_ADMIN");
  await form.getByLabel("Business system").selectOption({ label: "CRM · CRM" });
  await form.getByLabel("Reason").fill("Covering for a colleague");
  await form.getByRole("button", { name: "Grant" }).click();
  await expect(form.getByRole("alert").first()).toHaveText(
    "Separation of duties: this person holds “Security & audit officer” and cannot also hold “Account administrator”.",
  );
  // A compatible role goes through and shows up in the list.
  await form.getByLabel("Role").selectOption("HR");
  await form.getByRole("button", { name: "Grant" }).click();
  await expect(form.getByRole("status")).toHaveText("Role granted.");
  await expect(page.getByRole("row", { name: new RegExp(officer.employeeNo) })).toHaveCount(2);
});

test("security settings: bad numbers are refused with field errors and nothing changes", async ({ page }) => {
  const admin = await createTestPerson({ role: "SYSTEM_ADMIN" });
  await signIn(page, admin.employeeNo, { password: TEST_PASSWORD, totpSecret: admin.totpSecret });
  await page.goto("/admin/settings");
  // The page has other settings sections (sensitive levels, requests), each with its own form.
  const form = page.locator("form").filter({ has: page.getByLabel("Failed attempts before lockout") });
  await form.getByLabel("Failed attempts before lockout").fill("9999");
  await form.getByLabel("Reason for the change").fill("<script>alert(1)</script>");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form.getByRole("alert").first()).toHaveText("Please correct the highlighted fields.");
  await page.reload();
  await expect(page.getByLabel("Failed attempts before lockout")).toHaveValue("5");
});

test("security settings: the approver for the top of the organisation, by employee number; an unknown one is a field error", async ({
  page,
}) => {
  const admin = await createTestPerson({ role: "SYSTEM_ADMIN" });
  const board = await createTestPerson();
  await signIn(page, admin.employeeNo, { password: TEST_PASSWORD, totpSecret: admin.totpSecret });
  await page.goto("/admin/settings");
  const form = page.locator("form").filter({ has: page.getByLabel("Failed attempts before lockout") });
  const field = form.getByLabel("Approver for the top of the organisation (employee number)");
  const save = async (value: string) => {
    await field.fill(value);
    await form.getByLabel("Reason for the change").fill("Board approves for the top of the tree");
    await form.getByRole("button", { name: "Save" }).click();
  };
  await save("NOBODY-404");
  await expect(form.locator('[id$="-rootApproverEmployeeNo-error"]')).toHaveText("Not found.");
  await save(board.employeeNo);
  await expect(form.getByRole("status")).toHaveText("Settings saved.");
  await page.reload();
  await expect(field).toHaveValue(board.employeeNo);
  // Back to none (the system's owners and security), as the other journeys expect.
  await save("");
  await expect(form.getByRole("status")).toHaveText("Settings saved.");
  await page.reload();
  await expect(field).toHaveValue("");
});

test("a person whose password must change is sent to change it first", async ({ page }) => {
  const person = await createTestPerson({ mustChangePassword: true });
  await signIn(page, person.employeeNo, { mfa: false, password: TEST_PASSWORD });
  await expect(page).toHaveURL(/\/account\/password\?required=1/);
  await page.goto("/");
  await expect(page).toHaveURL(/\/account\/password\?required=1/);
  await page.getByLabel("Current password").fill(TEST_PASSWORD);
  await page.getByLabel("New password", { exact: true }).fill("password1234");
  await page.getByLabel("Repeat new password").fill("password1234");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByRole("alert").first()).toHaveText("The new password does not meet the policy: it is a commonly used password");
  await page.getByLabel("Current password").fill(TEST_PASSWORD);
  await page.getByLabel("New password", { exact: true }).fill("a quiet harbour at dawn 7");
  await page.getByLabel("Repeat new password").fill("a quiet harbour at dawn 7");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("Password changed.")).toBeVisible();
  await page.goto("/");
  await expect(page.getByTestId("user-menu")).toBeVisible();
  await expect(page).not.toHaveURL(/password/);
});

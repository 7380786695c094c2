import { expect, test } from "@playwright/test";
import { signIn } from "./support/auth";
import { createTestPerson, TEST_PASSWORD } from "./support/data";

test("an account administrator classifies a permission, adds a role and ticks the matrix; the owning department's leader approves the change", async ({
  page,
  browser,
}) => {
  const admin = await createTestPerson({ role: "ACCOUNT_ADMIN", systemCode: "SMS-GW" });
  await signIn(page, admin.employeeNo, { password: TEST_PASSWORD, totpSecret: admin.totpSecret });
  await page.goto("/systems");
  // Only the system they administer is listed.
  await expect(page.getByRole("link", { name: "SMS gateway" })).toBeVisible();
  await expect(page.getByRole("link", { name: "CRM", exact: true })).toHaveCount(0);
  await page.getByRole("link", { name: "SMS gateway" }).click();

  const code = `SMS.BLACKLIST_${Date.now() % 100000}`;
  await page.getByText("Add a permission").click();
  const permissionForm = page.getByRole("form", { name: "Add a permission" });
  await permissionForm.getByLabel("Code").fill(code);
  await permissionForm.getByLabel("Name", { exact: true }).fill("维护黑名单");
  await permissionForm.getByLabel("Data reached").selectOption("USER_DATA");
  await permissionForm.getByLabel("Sensitivity").selectOption("SENSITIVE");
  await permissionForm.getByLabel("Operation").selectOption("MODIFY");
  await permissionForm.getByLabel("Reason").fill("Anti-fraud project AF-12");
  await permissionForm.getByRole("button", { name: "Add permission" }).click();
  await expect(page.getByTestId("permissions")).toContainText(code);
  await expect(page.getByTestId("permissions").getByRole("row", { name: new RegExp(code) })).toContainText("Sensitive · sensitive");

  const roleCode = `BLACKLIST_KEEPER_${Date.now() % 100000}`;
  await page.getByText("Add a job role").click();
  const roleForm = page.getByRole("form", { name: "Add a job role" });
  await roleForm.getByLabel("Code").fill(roleCode);
  await roleForm.getByLabel("Name", { exact: true }).fill("黑名单维护");
  await roleForm.getByLabel("Reason").fill("Anti-fraud project AF-12");
  await roleForm.getByRole("button", { name: "Add role" }).click();
  await expect(page.getByTestId("roles")).toContainText(roleCode);

  // The matrix is its own route (issue 13), a page of roles × permissions; the system page sums it up.
  await expect(page.getByTestId("matrix-summary")).toContainText("ticked");
  await page.getByTestId("system-matrix-link").click();
  await expect(page).toHaveURL(/\/systems\/[0-9a-f-]{36}\/matrix$/);
  const matrix = page.getByRole("form", { name: "Role-permission matrix" });
  await matrix.getByLabel(`${roleCode} × ${code}`).check();
  await matrix.getByLabel("Reason for the change").fill("Anti-fraud project AF-12");
  await matrix.getByRole("button", { name: "Save matrix changes" }).click();
  // Giving a role permissions is approved by the leader of the system's owning department first (R8).
  await expect(matrix.getByRole("status")).toContainText("Sent for approval as REQ-");
  const number = (await matrix.getByRole("status").textContent())!.match(/REQ-\d{6}/)![0];
  await page.reload();
  await expect(page.getByRole("form", { name: "Role-permission matrix" }).getByLabel(`${roleCode} × ${code}`)).not.toBeChecked();

  // The head of Network Operations (the SMS gateway's owning department) approves it from the inbox.
  const leaderContext = await browser.newContext();
  const leader = await leaderContext.newPage();
  await signIn(leader, "E0121");
  await leader.goto("/approvals?kind=MATRIX_CHANGE");
  await leader.getByRole("link", { name: number }).click();
  await expect(leader.getByTestId("matrix-change")).toContainText(`+ ${roleCode} × ${code}`);
  await leader.getByTestId("decide-form").getByRole("button", { name: "Approve" }).click();
  await expect(leader.getByTestId("request-notice")).toHaveText("Approved. The change has been applied to the matrix.");
  await leaderContext.close();

  await page.reload();
  await expect(page.getByRole("form", { name: "Role-permission matrix" }).getByLabel(`${roleCode} × ${code}`)).toBeChecked();
});

test("a matrix change without a reason is refused; officers read the matrix without editing it", async ({ page }) => {
  const admin = await createTestPerson({ role: "ACCOUNT_ADMIN", systemCode: "DATA-PLAT" });
  await signIn(page, admin.employeeNo, { password: TEST_PASSWORD, totpSecret: admin.totpSecret });
  await page.goto("/systems");
  await page.getByRole("link", { name: "Data platform" }).click();
  await page.getByTestId("system-matrix-link").click();
  const matrix = page.getByRole("form", { name: "Role-permission matrix" });
  await matrix.getByLabel("ANALYST × DETAIL.BULK_DOWNLOAD").check();
  await matrix.getByRole("button", { name: "Save matrix changes" }).click();
  await expect(matrix.getByText("Required.")).toBeVisible();
  await page.reload();
  await expect(page.getByRole("form", { name: "Role-permission matrix" }).getByLabel("ANALYST × DETAIL.BULK_DOWNLOAD")).not.toBeChecked();

  const officer = await createTestPerson({ role: "SECURITY_OFFICER" });
  const context = await page.context().browser()!.newContext();
  const officerPage = await context.newPage();
  await signIn(officerPage, officer.employeeNo, { password: TEST_PASSWORD, totpSecret: officer.totpSecret });
  await officerPage.goto("/systems");
  await officerPage.getByRole("link", { name: "Data platform" }).click();
  await officerPage.getByTestId("system-matrix-link").click();
  await expect(officerPage.getByTestId("matrix")).toBeVisible();
  await expect(officerPage.getByTestId("matrix").locator("input[type=checkbox]")).toHaveCount(0);
  await expect(officerPage.getByRole("button", { name: "Save matrix changes" })).toHaveCount(0);
  await context.close();
});

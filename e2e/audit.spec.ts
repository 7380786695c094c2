import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { signIn } from "./support/auth";
import { createTestPerson, TEST_PASSWORD } from "./support/data";

test("the officer finds sign-ins in the audit trail and exports them", async ({ browser }) => {
  // Someone signs in and fails once, so there is something to find.
  const other = await browser.newContext();
  const staff = await other.newPage();
  await signIn(staff, "E0100", { mfa: false });
  await other.close();

  const context = await browser.newContext();
  const page = await context.newPage();
  const officer = await createTestPerson({ role: "SECURITY_OFFICER" });
  await signIn(page, officer.employeeNo, { password: TEST_PASSWORD, totpSecret: officer.totpSecret });
  await page.goto("/audit");
  await page.getByLabel("Actor").fill("E0100");
  await page.getByLabel("Action", { exact: true }).selectOption("auth.sign-in.succeeded");
  await page.getByRole("button", { name: "Filter" }).click();
  const rows = page.getByTestId("audit-rows").locator("tr");
  await expect(rows.first()).toContainText("赵磊 (E0100)");
  await expect(rows.first()).toContainText("Signed in");
  for (const row of await rows.all()) await expect(row).toContainText("Signed in");

  const downloading = page.waitForEvent("download");
  await page.getByTestId("audit-export").click();
  const download = await downloading;
  const csv = await readFile((await download.path())!, "utf8");
  expect(csv.charCodeAt(0)).toBe(0xfeff);
  const lines = csv.trim().split("\r\n");
  expect(lines[0]).toContain("occurred_at_utc");
  expect(lines.length).toBeGreaterThan(1);
  // Events, then the newest signed checkpoint of the chain (decision 0025) on the last line.
  for (const line of lines.slice(1, -1)) expect(line).toContain("auth.sign-in.succeeded");
  expect(lines.at(-1)).toMatch(/,checkpoint$/);
  expect(lines[1]).toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/);

  // Exporting is itself audited.
  await page.goto("/audit?action=audit.exported");
  await expect(page.getByTestId("audit-rows").locator("tr").first()).toContainText(`(${officer.employeeNo})`);
  await context.close();
});

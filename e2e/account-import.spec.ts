import { expect, test } from "@playwright/test";
import iconv from "iconv-lite";
import { getDb } from "@/lib/db";
import { signIn } from "./support/auth";
import { createTestPerson, TEST_PASSWORD } from "./support/data";

// What Chinese Excel writes when it saves "CSV": GB18030/GBK, not UTF-8.
function gbCsv(lines: string[]): Buffer {
  return iconv.encode(`${lines.join("\r\n")}\r\n`, "gb18030");
}

test("an account administrator imports a system's accounts: a bad row refuses the file, the fixed file lands on the system page", async ({
  page,
}) => {
  const admin = await createTestPerson({ role: "ACCOUNT_ADMIN", systemCode: "CRM" });
  const owner = await createTestPerson();
  const crm = await getDb().businessSystem.findUniqueOrThrow({ where: { code: "CRM" }, select: { id: true } });
  await signIn(page, admin.employeeNo, { password: TEST_PASSWORD, totpSecret: admin.totpSecret });
  await page.goto(`/systems/${crm.id}`);
  await page.getByRole("link", { name: "Import / export" }).click();
  // The first visit to the page on a fresh build can take a while on a busy machine.
  await page.waitForURL(`**/systems/${crm.id}/import`);
  await expect(page.getByRole("heading", { name: /^Import and export: CRM/ })).toBeVisible();

  // Login names starting with 0 come first in the system's account list (sorted by login name).
  const suffix = String(Date.now() % 1_000_000).padStart(6, "0");
  const header = "登录名,属主工号,姓名,状态,最后登录时间,依据";
  const good = `0imp${suffix}a,${owner.employeeNo},${owner.name},正常,2025/11/3 8:05,系统盘点`;
  await page.getByLabel("File to import").setInputFiles({
    name: "CRM帐号.csv",
    mimeType: "text/csv",
    buffer: gbCsv([header, good, `0imp${suffix}b,NOBODY${suffix},,锁定,,系统盘点`]),
  });
  // Checking and importing are server actions on a shared, busy machine: allow them time.
  await expect(page.getByText("Nothing will be imported until every row is valid.").first()).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId("import-row-3")).toContainText("No person has this employee number.");
  await expect(page.getByRole("button", { name: /^Import \d/ })).toHaveCount(0);

  // Fixed: nobody knows whose the second account is (an orphan).
  await page.getByLabel("File to import").setInputFiles({
    name: "CRM帐号.csv",
    mimeType: "text/csv",
    buffer: gbCsv([header, good, `0imp${suffix}b,,,锁定,,系统盘点`]),
  });
  await expect(page.getByText("Every row is valid.")).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId("import-row-3")).toContainText("Owner unknown: an orphan account.");
  await page.getByRole("button", { name: "Import 2 rows" }).click();
  await expect(page.getByText("Imported: 2 new accounts, 0 changed, 0 unchanged.")).toBeVisible({ timeout: 20_000 });

  await page.getByRole("link", { name: "Back to the system" }).click();
  const accounts = page.getByTestId("system-accounts");
  const first = accounts.getByRole("row").filter({ hasText: `0imp${suffix}a` });
  await expect(first).toContainText(owner.name);
  await expect(first).toContainText("2025-11-03");
  const orphan = accounts.getByRole("row").filter({ hasText: `0imp${suffix}b` });
  await expect(orphan).toContainText("Owner unknown");
  await expect(orphan).toContainText("Locked");
});

test("exports and templates are files for the system's account administrators only", async ({ page }) => {
  const admin = await createTestPerson({ role: "ACCOUNT_ADMIN", systemCode: "CRM" });
  const boss = await getDb().businessSystem.findUniqueOrThrow({ where: { code: "BOSS" }, select: { id: true } });
  const crm = await getDb().businessSystem.findUniqueOrThrow({ where: { code: "CRM" }, select: { id: true } });
  await signIn(page, admin.employeeNo, { password: TEST_PASSWORD, totpSecret: admin.totpSecret });

  const csv = await page.request.get(`/systems/${crm.id}/export?what=accounts&format=csv`);
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-disposition"]).toContain("CRM-accounts-");
  const body = await csv.body();
  expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  expect(body.toString("utf8")).toMatch(/^\uFEFF登录名,属主工号,姓名,状态,最后登录时间,依据\r\n/);

  const xlsx = await page.request.get(`/systems/${crm.id}/export?what=grants&format=xlsx`);
  expect(xlsx.status()).toBe(200);
  expect([...(await xlsx.body()).subarray(0, 2)]).toEqual([0x50, 0x4b]); // a zip

  const template = await page.request.get(`/systems/${crm.id}/import/template?kind=grants`);
  expect(template.status()).toBe(200);
  expect((await template.body()).toString("utf8")).toContain("工号,姓名,登录名,角色编码,角色名称,截止日期,原因,依据");

  // Another system's files, a made-up kind: refused as JSON, never a page or a 500.
  const forbidden = await page.request.get(`/systems/${boss.id}/export?what=accounts&format=csv`);
  expect(forbidden.status()).toBe(403);
  expect(await forbidden.json()).toMatchObject({ code: "FORBIDDEN" });
  expect((await page.request.get(`/systems/${crm.id}/export?what=passwords&format=csv`)).status()).toBe(400);
  expect((await page.request.get(`/systems/${crm.id}/import/template?kind=nope`)).status()).toBe(400);
  await page.goto(`/systems/${boss.id}/import`);
  await expect(page.getByRole("heading", { name: /^Import and export/ })).toHaveCount(0);
});

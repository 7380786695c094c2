import { expect, test } from "@playwright/test";
import { readFile } from "node:fs/promises";
import iconv from "iconv-lite";
import { signIn } from "./support/auth";
import { createTestPerson, TEST_PASSWORD } from "./support/data";

// What Chinese Excel writes when it saves "CSV": GB18030/GBK, not UTF-8.
function gbCsv(lines: string[]): Buffer {
  return iconv.encode(`${lines.join("\r\n")}\r\n`, "gb18030");
}

test("HR imports joiners from a GBK CSV written by Excel, after a bad file is refused whole", async ({ page }) => {
  const hr = await createTestPerson({ role: "HR" });
  await signIn(page, hr.employeeNo, { password: TEST_PASSWORD, totpSecret: hr.totpSecret });
  await page.goto("/people");
  await page.getByRole("link", { name: "Import from file" }).click();
  const suffix = String(Date.now() % 1_000_000).padStart(6, "0");
  const header = "工号,姓名,部门编码,岗位,用工类型,电话,邮箱";

  await page.getByLabel("File to import").setInputFiles({
    name: "入职名单.csv",
    mimeType: "text/csv",
    buffer: gbCsv([header, `J${suffix}A,欧阳娜娜,CS,服务营销,员工,13800001111,`, `J${suffix}B,司马光,NOPE,服务营销,员工,,`]),
  });
  await expect(page.getByText("Nothing will be imported until every row is valid.").first()).toBeVisible();
  await expect(page.getByText("No department has this code.")).toBeVisible();
  await expect(page.getByRole("button", { name: /^Import \d/ })).toHaveCount(0);

  await page.getByLabel("File to import").setInputFiles({
    name: "入职名单.csv",
    mimeType: "text/csv",
    buffer: gbCsv([header, `J${suffix}A,欧阳娜娜,CS,服务营销,员工,13800001111,`, `J${suffix}B,司马光,CS,服务营销,员工,,`]),
  });
  await expect(page.getByText("Every row is valid.")).toBeVisible();
  await page.getByRole("button", { name: "Import 2 people" }).click();
  await expect(page.getByText("2 people imported.")).toBeVisible();

  await page.goto(`/people?q=J${suffix}`);
  await expect(page.getByRole("link", { name: "欧阳娜娜" })).toBeVisible();
  await expect(page.getByRole("link", { name: "司马光" })).toBeVisible();
});

test("HR downloads the staff list as CSV from the people page, in the import's columns", async ({ page }) => {
  const hr = await createTestPerson({ role: "HR" });
  await signIn(page, hr.employeeNo, { password: TEST_PASSWORD, totpSecret: hr.totpSecret });
  await page.goto("/people?q=E0100");
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV" }).click()]);
  expect(download.suggestedFilename()).toMatch(/\.csv$/);
  const text = (await readFile(await download.path())).toString("utf8");
  expect(text.startsWith("\uFEFF工号,姓名,部门编码,岗位,用工类型")).toBe(true);
  expect(text).toContain("\r\nE0100,");
});

import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { signIn } from "./support/auth";
import { createTestPerson, TEST_PASSWORD } from "./support/data";
import { inTransaction } from "@/lib/db";
import { systemActor } from "@/lib/authz/actor";
import { recordBulkAuditEvent } from "@/lib/audit/record-audit-event";

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
  // Each event reads as a sentence in the reader's language (issue 9 §5).
  await expect(rows.first().getByTestId("audit-sentence")).toHaveText("赵磊 (E0100) signed in");
  await page.getByLabel("Language").selectOption("zh-CN");
  await expect(page.getByTestId("audit-rows").locator("tr").first().getByTestId("audit-sentence")).toHaveText("赵磊 (E0100) 登录成功");
  await page.getByLabel("语言").selectOption("en");
  await expect(page.getByTestId("audit-rows").locator("tr").first().getByTestId("audit-sentence")).toHaveText("赵磊 (E0100) signed in");

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

test("a bulk event is found by one grant it touched, and its page shows the change and its items", async ({ page }) => {
  const grant = randomUUID();
  const others = Array.from({ length: 30 }, () => randomUUID());
  await inTransaction((tx) =>
    recordBulkAuditEvent(
      tx,
      systemActor("e2e"),
      {
        action: "slave-account.disabled",
        target: { type: "person", id: null },
        summary: { cause: "e2e", count: 31, before: { status: "ACTIVE" }, after: { status: "DISABLED" } },
        reason: "E2E bulk",
      },
      [...others, grant].map((id) => ({
        kind: "slave-account" as const,
        subjectId: id,
        personId: null,
        detail: { loginName: `l-${id.slice(0, 4)}` },
      })),
    ),
  );
  const officer = await createTestPerson({ role: "SECURITY_OFFICER" });
  await signIn(page, officer.employeeNo, { password: TEST_PASSWORD, totpSecret: officer.totpSecret });
  await page.goto("/audit");
  await page.getByLabel("Grant, account or person").fill(grant);
  await page.getByRole("button", { name: "Filter" }).click();
  const rows = page.getByTestId("audit-rows").locator("tr");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("31 items");
  await rows.first().getByTestId("audit-event-link").click();
  // The sentence, then before → after with the field's label, the codes in words and the changed row marked.
  await expect(page.getByTestId("audit-sentence")).toHaveText("e2e disabled 31 system accounts (e2e)");
  const changed = page.getByTestId("audit-changes").locator("tr[data-changed]");
  await expect(changed).toHaveCount(1);
  await expect(changed).toContainText("status");
  await expect(changed).toContainText("active");
  await expect(changed).toContainText("→ disabled");
  await expect(page.getByTestId("audit-facts")).toContainText("cause");
  await expect(page.getByTestId("audit-event")).not.toContainText("{");
  await page.getByLabel("Language").selectOption("zh-CN");
  await expect(page.getByTestId("audit-sentence")).toHaveText("e2e 停用了 31 个从帐号（e2e）");
  await expect(page.getByTestId("audit-changes").locator("tr[data-changed]")).toContainText("→ 停用");
  await page.getByLabel("语言").selectOption("en");
  await expect(page.getByTestId("audit-sentence")).toHaveText("e2e disabled 31 system accounts (e2e)");
  // 25 items a page; the grant found is the 31st, on the second page.
  await expect(page.getByTestId("audit-items").locator("tr")).toHaveCount(25);
  await page.getByRole("link", { name: "Next 25" }).click();
  await expect(page.getByTestId("audit-items").locator("tr")).toHaveCount(6);
  await expect(page.getByTestId("audit-items")).toContainText(grant);
});

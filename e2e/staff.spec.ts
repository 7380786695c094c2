import { randomBytes } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { getDb, inTransaction } from "@/lib/db";
import { systemActor } from "@/lib/authz/actor";
import { grantRole } from "@/lib/grants/grant-role";
import { signIn } from "./support/auth";
import { createTestPerson, TEST_PASSWORD } from "./support/data";

// HR keeps the staff records: a third party joins with a vendor, a sponsor and a contract end (R10);
// a leaver's sessions and access end at once (R5).

const form = (page: Page, name: string) => page.getByRole("form", { name });
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

test("HR registers a third party for a demo vendor, with a sponsor and a contract end inside the vendor's", async ({ page }) => {
  const hr = await createTestPerson({ role: "HR" });
  const vendor = await getDb().vendor.findUniqueOrThrow({
    where: { name: "华信科技有限公司" },
    select: { id: true, contractEndsOn: true },
  });
  const employeeNo = `X${randomBytes(4).toString("hex")}`;
  await signIn(page, hr.employeeNo, { password: TEST_PASSWORD, totpSecret: hr.totpSecret });
  await page.goto("/people");
  await page.getByTestId("people-new").click();
  await expect(page).toHaveURL(/\/people\/new$/);
  const create = form(page, "New person");
  await create.getByLabel("Employee no.").fill(employeeNo);
  await create.getByLabel("Name", { exact: true }).fill("外包测试员");
  // The department is a typeahead (issue 13): typed, then chosen with the keyboard.
  const department = create.getByRole("combobox", { name: "Department" });
  await department.fill("Development");
  await expect(page.getByRole("option", { name: /^Development & Test/ })).toBeVisible();
  await department.press("ArrowDown");
  await expect(department).toHaveAttribute("aria-activedescendant", /.+/);
  await department.press("ArrowUp");
  await department.press("Enter");
  await expect(department).toHaveValue("Development & Test");
  await create.getByLabel("Job title").fill("开发测试（外包）");
  await create.getByLabel("Employment").selectOption("THIRD_PARTY");
  const vendorPicker = create.getByRole("combobox", { name: "Vendor" });
  await vendorPicker.fill("华信");
  await page.getByRole("option", { name: /华信科技有限公司/ }).click();
  await expect(vendorPicker).toHaveValue("华信科技有限公司");
  await create.getByLabel("Sponsor's employee no.").fill("E0124");
  await create.getByLabel("Development & test", { exact: true }).check();

  // Without a contract end: a field error, nothing created.
  await create.getByRole("button", { name: "Create person" }).click();
  await expect(create.getByRole("alert").first()).toHaveText("Please correct the highlighted fields.");
  await expect(create.getByText("Required for third-party staff.")).toBeVisible();
  // The refused form keeps the pickers' choices.
  await expect(department).toHaveValue("Development & Test");
  await expect(vendorPicker).toHaveValue("华信科技有限公司");
  expect(await getDb().person.findUnique({ where: { employeeNo } })).toBeNull();

  // After the vendor's contract end: refused with the vendor's period.
  const afterVendor = isoDay(new Date(vendor.contractEndsOn.getTime() + 86_400_000));
  await create.getByLabel("Contract ends on").fill(afterVendor);
  await create.getByRole("button", { name: "Create person" }).click();
  await expect(create.getByText(/The contract end must fall within the contract of 华信科技有限公司/).first()).toBeVisible();

  const contractEnd = isoDay(vendor.contractEndsOn);
  await create.getByLabel("Contract ends on").fill(contractEnd);
  await create.getByRole("button", { name: "Create person" }).click();
  await expect(page).toHaveURL(/\/people\/[0-9a-f-]{36}\?created=1/);
  await expect(page.getByText("Person created.")).toBeVisible();
  await expect(page.getByRole("heading", { name: `外包测试员 · ${employeeNo}` })).toBeVisible();
  await expect(page.locator("dd", { hasText: "Third party · 华信科技有限公司" })).toBeVisible();
  const sponsor = await getDb().person.findUniqueOrThrow({ where: { employeeNo: "E0124" }, select: { name: true } });
  await expect(page.getByRole("link", { name: sponsor.name })).toBeVisible();
  await expect(page.getByTestId("contract-ends")).not.toHaveText("—");

  const person = await getDb().person.findUniqueOrThrow({
    where: { employeeNo },
    select: { vendorId: true, contractEndsOn: true, jobCategories: true, sponsor: { select: { employeeNo: true } } },
  });
  expect(person).toMatchObject({ vendorId: vendor.id, jobCategories: ["DEV_TEST"], sponsor: { employeeNo: "E0124" } });
  expect(isoDay(person.contractEndsOn!)).toBe(contractEnd);
});

test("HR records a leaver: their open session ends and their access is revoked at once", async ({ browser }) => {
  const hr = await createTestPerson({ role: "HR" });
  const leaver = await createTestPerson();
  const role = await getDb().jobRole.findFirstOrThrow({ where: { code: "FRONT_LINE", system: { code: "CRM" } }, select: { id: true } });
  await inTransaction((tx) =>
    grantRole(tx, systemActor("e2e-setup"), {
      personId: leaver.id,
      roleId: role.id,
      endsAt: new Date(Date.now() + 30 * 86_400_000),
      reason: "e2e setup",
    }),
  );

  const theirs = await browser.newContext();
  const leaverPage = await theirs.newPage();
  await signIn(leaverPage, leaver.employeeNo, { mfa: false, password: TEST_PASSWORD });

  const hrContext = await browser.newContext();
  const page = await hrContext.newPage();
  await signIn(page, hr.employeeNo, { password: TEST_PASSWORD, totpSecret: hr.totpSecret });
  await page.goto(`/people/${leaver.id}`);
  const status = form(page, "Employment status");
  await status.getByLabel("New status").selectOption("LEFT");
  await status.getByRole("button", { name: "Change status" }).click();
  await expect(status.getByText("Required.")).toBeVisible();
  await status.getByLabel("Reason").fill("Resigned, HR-2026-0901");
  await status.getByRole("button", { name: "Change status" }).click();
  await expect(page.getByRole("status")).toHaveText("Status changed to Left: 1 session ended, 1 grant revoked.");
  await expect(page.getByText("This person has left; the record is closed.")).toBeVisible();
  await expect(form(page, "Edit record")).toHaveCount(0);

  // Their session is gone on the next request, and nothing of their access is live.
  await leaverPage.goto("/account");
  await expect(leaverPage).toHaveURL(/\/sign-in/);
  expect(await getDb().accessGrant.count({ where: { revokedAt: null, slaveAccount: { personId: leaver.id } } })).toBe(0);
  await theirs.close();
  await hrContext.close();
});

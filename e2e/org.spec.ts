import { randomBytes } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./support/auth";
import { createTestPerson, TEST_PASSWORD } from "./support/data";

// Org-unit management on /org: HR runs a unit's whole life (create, rename, move, head, deactivate);
// readers without org:manage see the tree but no forms; staff are refused the page.

const form = (page: Page, name: string) => page.getByRole("form", { name });
const unitLink = (page: Page, name: string) => page.getByRole("tree").getByRole("link", { name, exact: true });
const detail = (page: Page, text: string | RegExp) => page.locator("dd", { hasText: text });

test("HR creates, renames, moves, heads and deactivates a unit", async ({ page }) => {
  const hr = await createTestPerson({ role: "HR" });
  const suffix = randomBytes(3).toString("hex");
  await signIn(page, hr.employeeNo, { password: TEST_PASSWORD, totpSecret: hr.totpSecret });
  await page.goto("/org");
  await unitLink(page, "Customer Service Centre").click();
  await expect(page).toHaveURL(/\/org\?unit=/);

  // A unit with people in it cannot be deactivated: a clear message, nothing changes.
  await form(page, "Deactivate").getByRole("button", { name: "Deactivate unit" }).click();
  await expect(form(page, "Deactivate").getByRole("alert")).toContainText("Only an empty unit can be deactivated.");
  await expect(unitLink(page, "Customer Service Centre")).toBeVisible();

  // Create a sub-unit; a bad code is a field error first.
  const create = form(page, "Add a sub-unit");
  await create.getByLabel("Code").fill("no spaces allowed");
  await create.getByLabel("Name", { exact: true }).fill("测试组");
  await create.getByRole("button", { name: "Create sub-unit" }).click();
  await expect(create.getByRole("alert").first()).toHaveText("Please correct the highlighted fields.");
  await expect(create.getByText("Letters, digits, - or _ only.")).toBeVisible();
  await create.getByLabel("Code").fill(`E2E-${suffix}`);
  await create.getByLabel("English name").fill(`E2E team ${suffix}`);
  await create.getByRole("button", { name: "Create sub-unit" }).click();
  await expect(create.getByRole("status")).toHaveText("Sub-unit created.");
  await unitLink(page, `E2E team ${suffix}`).click();
  await expect(detail(page, `E2E-${suffix}`)).toBeVisible();
  await expect(detail(page, "Customer Service Centre (CS)")).toBeVisible();

  // Rename.
  const rename = form(page, "Rename");
  await rename.getByLabel("Name", { exact: true }).fill("测试二组");
  await rename.getByLabel("English name").fill(`Renamed ${suffix}`);
  await rename.getByRole("button", { name: "Save name" }).click();
  await expect(rename.getByRole("status")).toHaveText("Unit renamed.");
  await expect(unitLink(page, `Renamed ${suffix}`)).toBeVisible();
  await expect(unitLink(page, `E2E team ${suffix}`)).toHaveCount(0);

  // Move under Information Technology.
  const move = form(page, "Move");
  const parent = move.getByRole("combobox", { name: "New parent unit" });
  await parent.fill("Information Tech");
  await page.getByRole("option", { name: /^Information Technology/ }).click();
  await expect(parent).toHaveValue("Information Technology");
  await move.getByRole("button", { name: "Move unit" }).click();
  await expect(move.getByRole("status")).toHaveText("Unit moved.");
  await expect(detail(page, "Information Technology (IT)")).toBeVisible();

  // Set the head: an unknown number is a field error, then HR names themselves.
  const head = form(page, "Department head");
  await head.getByLabel("Employee no. of the head").fill("NOBODY-0000");
  await head.getByRole("button", { name: "Set head" }).click();
  await expect(head.getByText("Not found.").first()).toBeVisible();
  await head.getByLabel("Employee no. of the head").fill(hr.employeeNo);
  await head.getByRole("button", { name: "Set head" }).click();
  await expect(head.getByRole("status")).toHaveText("Head updated.");
  await expect(detail(page, `${hr.name} (${hr.employeeNo})`)).toBeVisible();

  // Deactivate the (empty) unit: it leaves the tree and its forms are gone.
  await form(page, "Deactivate").getByRole("button", { name: "Deactivate unit" }).click();
  await expect(page.getByText("This unit has been deactivated.")).toBeVisible();
  await expect(detail(page, "Inactive")).toBeVisible();
  await expect(unitLink(page, `Renamed ${suffix}`)).toHaveCount(0);
  await expect(form(page, "Rename")).toHaveCount(0);
});

test("a department head sees the tree and a unit's details but no management forms", async ({ page }) => {
  await signIn(page, "E0003");
  await page.goto("/org");
  await unitLink(page, "Customer Service Centre").click();
  await expect(detail(page, /^CS$/)).toHaveCount(1);
  for (const name of ["Rename", "Add a sub-unit", "Move", "Department head", "Deactivate"]) await expect(form(page, name)).toHaveCount(0);
});

test("staff are refused the organisation page (403) and see no management UI", async ({ page }) => {
  await signIn(page, "E0100", { mfa: false });
  const response = await page.goto("/org");
  expect(response?.status()).toBe(403);
  await expect(page.getByTestId("forbidden")).toBeVisible();
  await expect(form(page, "Rename")).toHaveCount(0);
});

test("a large tree opens a unit's many sub-units only when it is selected (the e2e seed's 2,000 units)", async ({ page }) => {
  await signIn(page, "E0004");
  await page.goto("/org");
  const scale = page
    .getByRole("tree")
    .getByRole("treeitem")
    .filter({ has: page.getByRole("link", { name: "Scale Test Province", exact: true }) });
  await expect(scale).toHaveAttribute("aria-expanded", "false");
  await expect(scale).toContainText("40 sub-units (select to open)");
  await expect(page.getByRole("link", { name: /^Scale (Division|Team) / })).toHaveCount(0);
  // The demo organisation is small: open as before.
  await expect(unitLink(page, "Customer Service Centre")).toBeVisible();
  await unitLink(page, "Scale Test Province").click();
  await expect(page).toHaveURL(/\/org\?unit=/);
  await expect(page.getByRole("link", { name: /^Scale Division \d+$/ })).toHaveCount(40);
  await expect(page.getByRole("link", { name: /^Scale Team / })).toHaveCount(0);
  await unitLink(page, "Scale Division 7").click();
  await expect(page.getByRole("link", { name: /^Scale Team \d+$/ })).toHaveCount(49);
});

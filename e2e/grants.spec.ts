import { expect, test } from "@playwright/test";
import { signIn } from "./support/auth";
import { createTestPerson, holdRoles, TEST_PASSWORD } from "./support/data";

test("an account administrator grants a sensitive role; the roster shows the holder now, not as of yesterday", async ({ browser }) => {
  const admin = await createTestPerson({ role: "ACCOUNT_ADMIN", systemCode: ["CRM", "BOSS"] });
  const newcomer = await createTestPerson();
  const adminContext = await browser.newContext();
  const page = await adminContext.newPage();
  await signIn(page, admin.employeeNo, { password: TEST_PASSWORD, totpSecret: admin.totpSecret });
  await page.goto(`/people/${newcomer.id}`);
  const form = page.getByRole("form", { name: "Grant a job role" });
  await form.getByLabel("Job role").selectOption({ label: "CRM · FRONT_LINE · Front-line service" });
  await form.getByLabel("Reason", { exact: true }).fill("Joined the customer service centre");
  await form.getByLabel("Basis (ticket, request)").fill("HR-2026-0815");
  // A sensitive role is time-bound, as on a request: without an end date it is refused, nothing granted.
  await form.getByRole("button", { name: "Grant" }).click();
  await expect(form.getByText("A role with sensitive permissions must have an end date.").first()).toBeVisible();
  await expect(form.getByLabel("Ends on", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByTestId("access")).toHaveCount(0);
  await form.getByLabel("Ends on", { exact: true }).fill(new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10));
  await form.getByRole("button", { name: "Grant" }).click();
  await expect(form.getByRole("status")).toHaveText("Role granted.");
  await expect(page.getByTestId("access")).toContainText("FRONT_LINE");

  // Separation of duties: a front-end operator cannot also get BOSS log management (R6).
  await form.getByLabel("Job role").selectOption({ label: "BOSS · LOG_ADMIN · Log administrator" });
  await form.getByLabel("Reason", { exact: true }).fill("Cover for the log administrator");
  await form.getByRole("button", { name: "Grant" }).click();
  await expect(form.getByRole("alert").first()).toContainText("Refused by policy:");
  await expect(page.getByTestId("access")).not.toContainText("LOG_ADMIN");
  await adminContext.close();

  const officer = await createTestPerson({ role: "SECURITY_OFFICER" });
  const officerContext = await browser.newContext();
  const officerPage = await officerContext.newPage();
  await signIn(officerPage, officer.employeeNo, { password: TEST_PASSWORD, totpSecret: officer.totpSecret });
  await officerPage.goto("/roster");
  const system = officerPage.getByRole("combobox", { name: "System" });
  await system.fill("CRM");
  // Matches in code order: CRM before CRM-TEST; Enter takes the first.
  const matches = officerPage.getByRole("listbox").getByRole("option");
  await expect(matches).toHaveCount(2);
  await expect(matches.first()).toHaveAttribute("aria-selected", "true");
  await system.press("Enter");
  await expect(system).toHaveValue("CRM");
  await officerPage.getByRole("button", { name: "Filter" }).click();
  await expect(officerPage).toHaveURL(/[?&]system=[0-9a-f-]{36}/);
  const rows = officerPage.getByTestId("roster-rows");
  await expect(rows).toContainText(newcomer.employeeNo);
  await expect(rows).toContainText("CUST.QUERY");
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  await officerPage.getByLabel("As of").fill(yesterday);
  await officerPage.getByRole("button", { name: "Filter" }).click();
  await expect(officerPage.getByRole("heading", { name: "Sensitive-personnel roster" })).toBeVisible();
  await expect(officerPage.getByText(newcomer.employeeNo)).toHaveCount(0);
  await officerContext.close();
});

test("a third party is refused a sensitive role, with the explanation", async ({ page }) => {
  const admin = await createTestPerson({ role: "ACCOUNT_ADMIN", systemCode: "CRM" });
  const contractor = await createTestPerson({ thirdParty: true });
  await signIn(page, admin.employeeNo, { password: TEST_PASSWORD, totpSecret: admin.totpSecret });
  await page.goto(`/people/${contractor.id}`);
  const form = page.getByRole("form", { name: "Grant a job role" });
  await form.getByLabel("Job role").selectOption({ label: "CRM · QUERY_ONLY · Customer query only" });
  await form.getByLabel("Reason", { exact: true }).fill("Vendor project support");
  await form.getByRole("button", { name: "Grant" }).click();
  const alert = form.getByRole("alert").first();
  await expect(alert).toContainText("Refused by policy:");
  await expect(alert).toContainText("Third-party staff never hold sensitive permissions");
});

test("the security officer adds an incompatible pair and the check lists existing holders for remediation", async ({ browser }) => {
  const officer = await createTestPerson({ role: "SECURITY_OFFICER" });
  // Someone who already holds both roles before the pair exists.
  const holder = await createTestPerson();
  await holdRoles(holder.id, [
    ["NMS", "NET_ADMIN"],
    ["NMS", "NOC_OPERATOR"],
  ]);
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, officer.employeeNo, { password: TEST_PASSWORD, totpSecret: officer.totpSecret });
  await page.goto("/policy");
  const form = page.getByRole("form", { name: "Add an incompatible pair" });
  // Each side: a system, then one of that system's roles (loaded for it).
  await form.getByLabel("First: system").selectOption({ label: "NMS · Network management" });
  await form.getByRole("combobox", { name: "First", exact: true }).selectOption({ label: "NET_ADMIN · Network administrator" });
  await form.getByLabel("Description").fill("Administrators do not also stand the NOC watch");
  // Without a second side nothing is added, and the first choice stays.
  await form.getByRole("button", { name: "Add pair" }).click();
  await expect(form.getByRole("alert").first()).toBeVisible();
  await expect(page.getByTestId("sod-rules").getByText("Administrators do not also stand the NOC watch")).toHaveCount(0);
  await form.getByLabel("Second: system").selectOption({ label: "NMS · Network management" });
  await form.getByRole("combobox", { name: "Second", exact: true }).selectOption({ label: "NOC_OPERATOR · NOC operator" });
  await form.getByRole("combobox", { name: "First", exact: true }).selectOption({ label: "NET_ADMIN · Network administrator" });
  await form.getByRole("button", { name: "Add pair" }).click();
  // (On a retry the pair exists already and the form says so; either way it is listed.)
  const rule = page
    .getByTestId("sod-rules")
    .getByRole("row", { name: /Administrators do not also stand the NOC watch/ })
    .first();
  await expect(rule).toContainText("NMS · NET_ADMIN");
  await expect(rule).toContainText("NMS · NOC_OPERATOR");
  await page.getByRole("button", { name: "Check now" }).click();
  await expect(page.getByText(/Checked \d+ people: \d+ findings\./)).toBeVisible();

  // The holder is now a finding: filtering by rule and person finds them, with the pair named; nothing under R10.
  await page.reload();
  const filters = page.getByRole("search", { name: "Filter findings" });
  await filters.getByLabel("Rule").selectOption("R6");
  await filters.getByLabel("Person", { exact: true }).fill(holder.employeeNo);
  await filters.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/rule=R6/);
  await expect(page.getByTestId("findings").getByRole("row")).toHaveCount(1);
  await expect(page.getByTestId("findings")).toContainText(holder.employeeNo);
  await expect(page.getByTestId("findings")).toContainText("Separation of duties (“Administrators do not also stand the NOC watch”)");
  await page.getByRole("search", { name: "Filter findings" }).getByLabel("Rule").selectOption("R10");
  await page.getByRole("search", { name: "Filter findings" }).getByRole("button", { name: "Apply" }).click();
  await expect(page.getByText("No findings match these filters.")).toBeVisible();
  await context.close();
});

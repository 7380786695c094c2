import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { signIn } from "./support/auth";

// Access review campaigns (issue 12 §1, §7, §8): the security officer defines a campaign over one
// system's sensitive grants through the form, finds it on the list, opens its progress, closes it
// early with a reason (undecided items get the default: keep, chosen on the form), and downloads the evidence CSV.

test("the security officer defines a review of sensitive grants, closes it early and downloads the evidence", async ({ page }) => {
  test.slow();
  await signIn(page, "E0005");
  await page.goto("/reviews");
  await expect(page.getByRole("heading", { name: "Access reviews" })).toBeVisible();
  await page.getByRole("link", { name: "New review" }).click();
  await expect(page).toHaveURL(/\/reviews\/new$/);
  const form = page.getByRole("form", { name: "New access review" });

  // Refused first: named reviewers without anyone named, next to the field; nothing is defined.
  const name = `E2E sensitive review ${Date.now()}`;
  await form.getByLabel("Name", { exact: true }).fill(name);
  await form.getByTestId("review-stage-0").getByLabel("Reviewer", { exact: true }).selectOption("NAMED");
  await form.getByRole("button", { name: "Define review" }).click();
  await expect(form.getByTestId("review-stage-0").getByRole("alert")).toHaveText("Required.");
  await expect(page).toHaveURL(/\/reviews\/new$/);

  await form.getByLabel("Name", { exact: true }).fill(name);
  const system = form.getByRole("combobox", { name: "System 1" });
  await system.fill("DATA-PLAT");
  await page
    .getByRole("listbox")
    .getByRole("option", { name: /^DATA-PLAT/ })
    .click();
  await expect(system).toHaveValue("DATA-PLAT");
  await form.getByLabel("Sensitive grants only").check();
  await form.getByTestId("review-stage-0").getByLabel("Reviewer", { exact: true }).selectOption("DEPARTMENT_HEAD");
  // Keep by default: closing early must not end the demo's access that other tests rely on.
  await form.getByLabel("Sensitive and third-party items").selectOption("KEEP");
  await form.getByRole("button", { name: "Define review" }).click();

  await expect(page).toHaveURL(/\/reviews\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { name: new RegExp(`REV-\\d{6} ${name}`) })).toBeVisible();
  await expect(page.getByTestId("campaign-decided")).toContainText("0%");
  const campaignUrl = page.url();

  await page.goto("/reviews");
  const row = page.getByRole("table", { name: "Campaigns" }).getByRole("row", { name: new RegExp(name) });
  await expect(row).toContainText("Under way");
  // Its definition is listed too, with "start now" and "retire".
  const definition = page.getByRole("table", { name: "Review definitions" }).getByRole("row", { name: new RegExp(name) });
  await expect(definition).toContainText("Once");
  await expect(definition.getByRole("button", { name: "Retire" })).toBeVisible();
  await row.getByRole("link", { name: /REV-\d{6}/ }).click();
  await expect(page).toHaveURL(campaignUrl);

  await page.getByLabel("Reason for closing").fill("E2E: closing the quarter early");
  await page.getByRole("button", { name: "Close early" }).click();
  // Closed: the close form is gone, nothing is open, every undecided item got the default.
  await expect(page.getByRole("button", { name: "Close early" })).toHaveCount(0);
  await expect(page.getByText("Closed", { exact: true }).first()).toBeVisible();
  await expect(page.getByTestId("campaign-open")).toHaveText("0");
  await expect(page.getByTestId("campaign-defaulted")).toHaveText(/^[1-9]\d*$/);

  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: /Evidence file/ }).click();
  const download = await downloading;
  const csv = await readFile((await download.path())!, "utf8");
  expect(csv.charCodeAt(0)).toBe(0xfeff);
  const lines = csv.replace(/^\uFEFF/, "").split("\r\n");
  expect(lines[0]).toContain("Settings (frozen at the start)");
  const head = lines[3]!.split(",");
  for (const col of ["Stage 1 reviewer", "Stage 1 decision", "Stage 1 time", "Decision", "Decision time", "Source", "Result"])
    expect(head).toContain(col);
  const items = lines.slice(4).filter(Boolean);
  expect(items.length).toBeGreaterThan(0);
  // Nobody decided: every item was kept by default at the close, and the result says so.
  for (const line of items) {
    const cells = line.split(",");
    expect(cells[head.indexOf("Decision")]).toBe("KEEP");
    expect(cells[head.indexOf("Source")]).toBe("Default at the deadline");
    expect(cells[head.indexOf("Decision time")]).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(cells[head.indexOf("Result")]).toBe("Nothing to apply");
  }
});

// Issue 12: a refused definition came back with the systems, org unit and named-reviewer pickers empty,
// so the officer had to find them all again. Every choice survives the refusal, shown and submitted.
test("a refused definition keeps every picker's choice", async ({ page }) => {
  await signIn(page, "E0005");
  await page.goto("/reviews/new");
  const form = page.getByRole("form", { name: "New access review" });
  const pick = async (label: string, text: string, option: RegExp, shown: string | RegExp) => {
    const box = form.getByRole("combobox", { name: label, exact: true });
    await box.fill(text);
    await page.getByRole("listbox").getByRole("option", { name: option }).first().click();
    await expect(box).toHaveValue(shown);
  };
  await form.getByLabel("Name", { exact: true }).fill(`E2E kept pickers ${Date.now()}`);
  await pick("System 1", "DATA-PLAT", /^DATA-PLAT/, "DATA-PLAT");
  await pick("System 2", "CRM", /^CRM/, "CRM");
  await pick("Department (and below)", "Scale Team 1234", /^Scale Team 1234/, "Scale Team 1234");
  await form.getByTestId("review-stage-0").getByLabel("Reviewer", { exact: true }).selectOption("NAMED");
  await pick("Named reviewer 1", "E0003", /E0003/, /\S/);
  const reviewer = await form.getByRole("combobox", { name: "Named reviewer 1", exact: true }).inputValue();
  const hidden = async () =>
    Object.fromEntries(
      await Promise.all(
        ["scope.systemIds", "scope.orgUnitId", "stages.0.reviewerIds"].map(async (n) => [
          n,
          (
            await form.locator(`input[type=hidden][name="${n}"]`).evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value))
          ).filter(Boolean),
        ]),
      ),
    );
  const before = await hidden();
  expect(before["scope.systemIds"]).toHaveLength(2);
  expect(before["scope.orgUnitId"]).toHaveLength(1);
  expect(before["stages.0.reviewerIds"]).toHaveLength(1);

  await form.getByLabel("Duration (days)").fill("0");
  await form.getByRole("button", { name: "Define review" }).click();
  await expect(form.getByRole("alert").first()).toBeVisible();
  await expect(page).toHaveURL(/\/reviews\/new$/);
  await expect(form.getByRole("combobox", { name: "System 1", exact: true })).toHaveValue("DATA-PLAT");
  await expect(form.getByRole("combobox", { name: "System 2", exact: true })).toHaveValue("CRM");
  await expect(form.getByRole("combobox", { name: "Department (and below)", exact: true })).toHaveValue("Scale Team 1234");
  await expect(form.getByTestId("review-stage-0").getByLabel("Reviewer", { exact: true })).toHaveValue("NAMED");
  await expect(form.getByRole("combobox", { name: "Named reviewer 1", exact: true })).toHaveValue(reviewer);
  expect(await hidden()).toEqual(before);
});

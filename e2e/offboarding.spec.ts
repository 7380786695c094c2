import { expect, test } from "@playwright/test";
import { getDb } from "@/lib/db";
import { dayIn, addDays } from "@/lib/time/calendar";
import { signIn } from "./support/auth";
import { createTestPerson, holdRoles, TEST_PASSWORD } from "./support/data";

// Offboarding as a tracked case (issue 11 §2): HR offboards a person from the person page, the receipt
// shows what the portal ended and each system's state, and it exports as evidence.

test("HR offboards a person: a past last working day is refused, then now; the receipt lists each system and exports", async ({ page }) => {
  const hr = await createTestPerson({ role: "HR" });
  const leaver = await createTestPerson();
  await holdRoles(leaver.id, [
    ["NMS", "NOC_OPERATOR"],
    ["DATA-PLAT", "ANALYST"],
  ]);
  await signIn(page, hr.employeeNo, { password: TEST_PASSWORD, totpSecret: hr.totpSecret });
  await page.goto(`/people/${leaver.id}`);
  await page.getByRole("link", { name: "Offboard…" }).click();
  await expect(page.getByRole("heading", { name: `Offboard ${leaver.name} (${leaver.employeeNo})` })).toBeVisible();

  const form = page.getByRole("form", { name: "Offboard" });
  await form.getByLabel("Last working day").fill(addDays(dayIn(new Date()), -2));
  await form.getByLabel("Reason").fill("Resigned");
  await form.getByRole("button", { name: "Offboard" }).click();
  await expect(form.getByText("The last working day cannot be in the past.").first()).toBeVisible();
  expect(await getDb().offboardingCase.count({ where: { personId: leaver.id } })).toBe(0);

  await form.getByLabel("Last working day").fill("");
  await form.getByRole("button", { name: "Offboard" }).click();
  await expect(page.getByRole("heading", { name: new RegExp(`^Offboarding OFF-\\d{6} · ${leaver.name}$`) })).toBeVisible();
  await expect(page.getByText("at once (same transaction)").first()).toBeVisible();
  const systems = page.getByRole("table", { name: "Business systems" });
  await expect(systems.getByRole("row")).toHaveCount(3);
  await expect(systems.getByRole("link", { name: "NMS" })).toBeVisible();
  await expect(systems.getByRole("link", { name: "DATA-PLAT" })).toBeVisible();
  const c = await getDb().offboardingCase.findFirstOrThrow({ where: { personId: leaver.id } });
  expect(c.status).toBe("COMPLETED");
  expect((c.counts as { grantsEnded: number }).grantsEnded).toBe(2);

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export (XLSX)" }).click();
  expect((await download).suggestedFilename()).toMatch(/^offboarding-OFF-\d{6}\.xlsx$/);

  // The case is on the list of cases, and the person page links to it.
  await page.goto("/offboarding?status=ALL");
  await expect(page.getByRole("link", { name: /^OFF-\d{6}$/ }).first()).toBeVisible();
  await page.goto(`/people/${leaver.id}`);
  await expect(page.getByRole("link", { name: /OFF-\d{6} · Completed/ })).toBeVisible();
});

test("HR schedules a departure for the last working day and cancels it", async ({ page }) => {
  const hr = await createTestPerson({ role: "HR" });
  const person = await createTestPerson();
  await signIn(page, hr.employeeNo, { password: TEST_PASSWORD, totpSecret: hr.totpSecret });
  await page.goto(`/people/${person.id}/offboard`);
  const form = page.getByRole("form", { name: "Offboard" });
  await form.getByLabel("Last working day").fill(addDays(dayIn(new Date()), 7));
  await form.getByLabel("Reason").fill("Moves to another company");
  await form.getByRole("button", { name: "Offboard" }).click();
  await expect(page.getByText(/^Waiting for /)).toBeVisible();
  const cancel = page.getByRole("form", { name: "Cancel this offboarding" });
  await cancel.getByRole("button", { name: "Cancel this offboarding" }).click();
  await expect(cancel.getByText("Required.").first()).toBeVisible();
  await cancel.getByLabel("Why it is cancelled").fill("Stays after all");
  await cancel.getByRole("button", { name: "Cancel this offboarding" }).click();
  await expect(page.getByText(/^Cancelled at /)).toBeVisible();
  expect((await getDb().person.findUniqueOrThrow({ where: { id: person.id } })).status).toBe("ACTIVE");
});

import { expect, test, type Browser } from "@playwright/test";
import { decryptSecret } from "@/lib/crypto";
import { getDb } from "@/lib/db";
import { signIn } from "./support/auth";
import { createTestPerson, TEST_PASSWORD } from "./support/data";

// Vault mode (R14): an operation in a vault scenario proceeds only once a second, online person approves
// it at that moment. The approver's open page shows the prompt live (server push), without reloading.

async function signedIn(browser: Browser, person: { employeeNo: string; totpSecret?: string }) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, person.employeeNo, { password: TEST_PASSWORD, totpSecret: person.totpSecret });
  return { context, page };
}

test("HR reveals a full ID number after a security officer approves it live in another browser", async ({ browser }) => {
  const hr = await createTestPerson({ role: "HR" });
  const officer = await createTestPerson({ role: "SECURITY_OFFICER" });
  const target = await getDb().person.findUniqueOrThrow({ where: { employeeNo: "E0100" }, select: { id: true, idNumberEnc: true } });

  // The approver has the portal open on their home page.
  const approver = await signedIn(browser, officer);
  await approver.page.goto("/");
  await expect(approver.page.getByTestId("notification-bell")).toBeVisible();
  await expect(approver.page.getByTestId("notification-count")).toHaveCount(0);

  const operator = await signedIn(browser, hr);
  await operator.page.goto(`/people/${target.id}`);
  const idNumber = operator.page.getByTestId("pii-idNumber");
  await expect(idNumber).toHaveText(/\*/);
  await operator.page.locator("span", { has: idNumber }).getByRole("button", { name: "Show" }).click();
  const gate = operator.page.getByTestId("vault-gate");
  await expect(gate).toContainText("Vault mode: a second person must approve this now.");
  await gate.getByLabel("Approver (online now)").selectOption(officer.id);
  await gate.getByLabel("Reason").fill("Customer identity check, ticket 4711");
  await gate.getByRole("button", { name: "Ask for approval" }).click();
  await expect(operator.page.getByTestId("vault-waiting")).toContainText(`Waiting for ${officer.name} (${officer.employeeNo}) to approve`);
  // Nothing is shown before the approval.
  await expect(idNumber).toHaveText(/\*/);

  // The approver's page shows the prompt at once, without a reload, and the bell counts it.
  const prompt = approver.page.getByTestId("vault-prompt");
  await expect(prompt).toBeVisible();
  await expect(prompt).toContainText("Vault approval requested");
  await expect(prompt.getByTestId("vault-prompt-operator")).toHaveText(`${hr.name} (${hr.employeeNo})`);
  await expect(prompt.getByTestId("vault-prompt-target")).toHaveText("赵磊 (E0100)");
  await expect(prompt).toContainText("Show the full ID number");
  await expect(prompt).toContainText("Customer identity check, ticket 4711");
  await expect(prompt.getByTestId("vault-prompt-countdown")).toContainText(/\d+ seconds left to answer/);
  await expect(approver.page.getByTestId("notification-count")).toHaveText("1");
  await prompt.getByRole("button", { name: "Approve" }).click();
  await expect(prompt).toHaveCount(0);

  // The operator's page goes on by itself: the full value, once.
  await expect(idNumber).toHaveText(decryptSecret(target.idNumberEnc!));
  await expect(operator.page.getByText("Viewing was recorded in the audit trail.")).toBeVisible();
  await expect(operator.page.getByTestId("notification-count")).toHaveText("1");

  // The inbox shows the decision; opening it leads to the request, marked used.
  await operator.page.getByTestId("notification-bell").click();
  await expect(operator.page.getByTestId("notifications")).toContainText("Vault request approved");
  await operator.page.getByTestId("notifications").getByRole("button", { name: "Open" }).first().click();
  await expect(operator.page.getByTestId("vault-status")).toHaveText("Used");
  await expect(operator.page.getByTestId("notification-count")).toHaveCount(0);

  await operator.context.close();
  await approver.context.close();
});

test("an administrative role is granted directly only with a live approval; a rejection stops it", async ({ browser }) => {
  const admin = await createTestPerson({ role: "ACCOUNT_ADMIN", systemCode: "BOSS" });
  const officer = await createTestPerson({ role: "SECURITY_OFFICER" });
  const newcomer = await createTestPerson();
  const approver = await signedIn(browser, officer);
  await approver.page.goto("/");

  const operator = await signedIn(browser, admin);
  await operator.page.goto(`/people/${newcomer.id}`);
  const form = operator.page.getByRole("form", { name: "Grant a job role" });
  await form.getByLabel("Job role").selectOption({ label: "BOSS · BOSS_SUPERADMIN · BOSS super administrator" });
  await form.getByLabel("Reason", { exact: true }).fill("Cover during the migration weekend");
  await form.getByLabel("Ends on", { exact: true }).fill(new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10));
  await form.getByRole("button", { name: "Grant" }).click();
  await expect(form.getByRole("alert").first()).toContainText("needs a second person's approval");
  const gate = form.getByTestId("vault-gate");
  await gate.getByLabel("Approver (online now)").selectOption(officer.id);
  await gate.getByLabel("Reason").fill("Migration weekend");

  // First the officer rejects: nothing is granted.
  await gate.getByRole("button", { name: "Ask for approval" }).click();
  const prompt = approver.page.getByTestId("vault-prompt");
  await expect(prompt).toContainText("Grant an administrative (super-administrator) role");
  await prompt.getByRole("button", { name: "Reject" }).click();
  await expect(form.getByTestId("vault-gate")).toContainText(`${officer.name} (${officer.employeeNo}) rejected it.`);
  await expect(operator.page.getByTestId("access")).toHaveCount(0);

  // Asked again and approved: the grant goes through.
  await form.getByTestId("vault-gate").getByRole("button", { name: "Ask again" }).click();
  await prompt.getByRole("button", { name: "Approve" }).click();
  await expect(form.getByRole("status")).toHaveText("Role granted.");
  await expect(operator.page.getByTestId("access")).toContainText("BOSS_SUPERADMIN");

  await operator.context.close();
  await approver.context.close();
});

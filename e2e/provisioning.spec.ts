import { expect, test } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { getDb, inTransaction } from "@/lib/db";
import { systemActor } from "@/lib/authz/actor";
import { createBusinessSystem } from "@/lib/systems/create-business-system";
import { grantPortalRole } from "@/lib/portal-roles/grant-portal-role";
import { ScimPeer } from "../tests/scim-peer";
import { signIn } from "./support/auth";
import { createTestPerson, TEST_PASSWORD } from "./support/data";

const peer = new ScimPeer();
test.beforeAll(async () => {
  await peer.start();
});
test.afterAll(async () => {
  await peer.stop();
});

test("an account administrator connects a system over SCIM, tests it, reconciles, and accepts an unknown account with a reason", async ({
  page,
}) => {
  const code = `SCIM-${randomBytes(3).toString("hex").toUpperCase()}`;
  const system = await inTransaction(async (tx) => {
    const org = await tx.orgUnit.findUniqueOrThrow({ where: { code: "CS" }, select: { id: true } });
    return createBusinessSystem(tx, systemActor("e2e-setup"), {
      code,
      name: `SCIM 测试 ${code}`,
      environment: "TEST",
      kind: "BACK_END",
      ownerOrgId: org.id,
    });
  });
  const admin = await createTestPerson({ role: "ACCOUNT_ADMIN", systemCode: "SMS-GW" });
  await inTransaction((tx) =>
    grantPortalRole(tx, systemActor("e2e-setup"), { personId: admin.id, role: "ACCOUNT_ADMIN", systemId: system.id, reason: "e2e setup" }),
  );
  await signIn(page, admin.employeeNo, { password: TEST_PASSWORD, totpSecret: admin.totpSecret });
  await page.goto(`/systems/${system.id}`);
  await page.getByTestId("system-provisioning-link").click();
  await expect(page.getByRole("heading", { name: `Provisioning · ${code}` })).toBeVisible();
  await expect(page.getByText("Not connected")).toBeVisible();

  const form = page.getByRole("form", { name: "Configure the connector" });
  // A bad address is refused next to the field; nothing is saved.
  await form.getByLabel("SCIM base URL").fill("ftp://example/scim");
  await form.getByLabel("Token or user:password").fill(peer.token);
  await form.getByLabel("Reason").fill("Connect the test system");
  await form.getByRole("button", { name: "Save connector" }).click();
  await expect(form.getByText("Enter an http(s) address without a user name or password.")).toBeVisible();
  expect(await getDb().systemConnector.count({ where: { systemId: system.id } })).toBe(0);

  await form.getByLabel("SCIM base URL").fill(peer.baseUrl);
  await form.getByLabel("Token or user:password").fill(peer.token);
  await form.getByRole("button", { name: "Save connector" }).click();
  await expect(page.getByText("Connector saved.")).toBeVisible();
  await expect(page.getByText("SCIM 2.0 (automatic)").first()).toBeVisible();
  // The secret is never shown again.
  expect(await page.content()).not.toContain(peer.token);

  await page.getByRole("button", { name: "Test connection" }).click();
  await expect(page.getByText(/The system answered in \d+ ms\./)).toBeVisible();

  // Someone created an account directly in the system: reconciliation finds it.
  const stranger = `stranger-${code.toLowerCase()}`;
  peer.users.set(stranger, { id: stranger, userName: stranger, active: true });
  await page.getByRole("button", { name: "Reconcile now" }).click();
  await expect(page.getByText(/0 accounts match; 1 differences found\./)).toBeVisible();
  const row = page.getByTestId("reconciliation-finding").filter({ hasText: stranger });
  await expect(row).toContainText("Unknown to the portal");
  await expect(row.getByRole("button", { name: "Push the portal's state" })).toHaveCount(0);
  await row.getByLabel("Reason").fill("Vendor's monitoring account, ticket OPS-7");
  await row.getByRole("button", { name: "Accept" }).click();
  // Resolved: the difference leaves the list (the page is revalidated), and stays gone.
  await expect(page.getByTestId("reconciliation-finding")).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId("reconciliation-finding")).toHaveCount(0);
  expect(await getDb().auditEvent.count({ where: { action: "provisioning.finding-remediated", targetId: system.id } })).toBe(1);
});

import { randomBytes } from "node:crypto";
import { expect, test, type Browser } from "@playwright/test";
import { getDb, inTransaction } from "@/lib/db";
import { systemActor, type PersonActor } from "@/lib/authz/actor";
import { createGrantUnderPolicy } from "@/lib/grants/create-grant";
import { createOrgUnit } from "@/lib/org/create-org-unit";
import { createPerson } from "@/lib/people/create-person";
import { grantPortalRole } from "@/lib/portal-roles/grant-portal-role";
import { setOrgUnitHead } from "@/lib/org/set-org-unit-head";
import { enrolKnownTotpSecret } from "@/lib/seed/enrol-known-totp";
import { newTotpSecret } from "@/lib/auth/totp";
import { submitRequest } from "@/lib/requests/submit-request";
import { formatRequestNumber } from "@/lib/requests/workflow";
import { signIn } from "./support/auth";
import { createTestPerson, TEST_PASSWORD } from "./support/data";

const SETUP = systemActor("e2e-setup");
const DAY = 86_400_000;

async function roleId(system: string, code: string) {
  return (await getDb().jobRole.findFirstOrThrow({ where: { code, system: { code: system } }, select: { id: true } })).id;
}

async function newContextPage(browser: Browser) {
  const context = await browser.newContext();
  return { context, page: await context.newPage() };
}

test("My access: the end date with its emphasis, renew opens the prefilled request, give up removes it once (the other tab is told)", async ({
  browser,
}) => {
  const me = await createTestPerson();
  const timeBound = await inTransaction(async (tx) =>
    createGrantUnderPolicy(tx, SETUP, {
      personId: me.id,
      roleId: await roleId("CRM", "STATS_ANALYST"),
      endsAt: new Date(Date.now() + 3 * DAY + 3_600_000),
      reason: "Campaign statistics",
    }),
  );
  await inTransaction(async (tx) =>
    createGrantUnderPolicy(tx, SETUP, {
      personId: me.id,
      roleId: await roleId("DATA-PLAT", "ANALYST"),
      endsAt: null,
      reason: "Monthly reports",
    }),
  );

  const { context, page } = await newContextPage(browser);
  await signIn(page, me.employeeNo, { password: TEST_PASSWORD, mfa: false });
  await page.getByTestId("sidebar").getByRole("link", { name: "My access" }).click();
  await expect(page.getByRole("heading", { name: "My access" })).toBeVisible();
  const rows = page.getByTestId("my-access").getByRole("row");
  await expect(rows).toHaveCount(2);
  // Soonest end first, with "ends in 3 days"; the permanent one last.
  await expect(rows.nth(0)).toContainText("Statistics analyst");
  await expect(rows.nth(0)).toContainText("ends in 3 days");
  await expect(rows.nth(0)).toContainText("Low sensitivity");
  await expect(rows.nth(1)).toContainText("Analyst");
  await expect(rows.nth(1)).toContainText("No end date");

  // Renew: the request form for the same role and person, nothing to retype.
  await rows.nth(0).getByRole("link", { name: "Renew" }).click();
  await expect(page).toHaveURL(new RegExp(`/requests/new\\?renew=${timeBound.id}`));
  await expect(page.getByText("Statistics analyst").first()).toBeVisible();
  await page.goBack();

  // Two tabs on the page; the first gives up the permanent grant, the second tries afterwards.
  const second = await context.newPage();
  await second.goto("/access");
  const giveUp = async (p: typeof page) => {
    const row = p.getByTestId("my-access").getByRole("row").filter({ hasText: "No end date" });
    await row.getByText("Give up…").click();
    await row.getByPlaceholder("Why (optional)").fill("Reports moved to another team");
    await row.getByRole("button", { name: "Yes, give it up" }).click();
    return row;
  };
  await page.goto("/access");
  await giveUp(page);
  await expect(page).toHaveURL(/\/access\?done=given-up/);
  await expect(page.getByRole("status")).toContainText("Given up");
  await expect(page.getByTestId("my-access").getByRole("row")).toHaveCount(1);
  const stale = await giveUp(second);
  await expect(stale.getByRole("alert")).toContainText("This access has already ended");
  expect(await getDb().auditEvent.count({ where: { action: "grant.given-up", actorId: me.id } })).toBe(1);
  await context.close();
});

/** A department with a head (approver, own authenticator), two staff, and a pending request by one of them. */
async function departmentWithPendingRequest() {
  const suffix = randomBytes(4).toString("hex");
  return inTransaction(async (tx) => {
    const parent = await tx.orgUnit.findUniqueOrThrow({ where: { code: "CS" }, select: { id: true } });
    const unit = await createOrgUnit(tx, SETUP, { code: `E2E-D-${suffix}`, name: `委托测试组${suffix}`, parentId: parent.id });
    const make = async (label: string) =>
      createPerson(
        tx,
        SETUP,
        {
          employeeNo: `T${label}${suffix}`,
          name: `${label}${suffix}`,
          orgUnitId: unit.id,
          jobTitle: "服务营销",
          employmentType: "EMPLOYEE",
          email: `t${label.toLowerCase()}${suffix}@e2e.example`,
        },
        { initialPassword: TEST_PASSWORD },
      );
    const head = await make("H");
    const staff = await make("S");
    const deputy = await make("D");
    await grantPortalRole(tx, SETUP, { personId: head.person.id, role: "APPROVER", orgUnitId: unit.id, reason: "e2e setup" });
    await setOrgUnitHead(tx, SETUP, { orgUnitId: unit.id, personId: head.person.id });
    const totpSecret = newTotpSecret();
    await enrolKnownTotpSecret(tx, SETUP, head.account.id, totpSecret);
    const staffActor: PersonActor = {
      kind: "person",
      personId: staff.person.id,
      accountId: staff.account.id,
      name: staff.person.name,
      employeeNo: staff.person.employeeNo,
      orgUnitId: unit.id,
      sessionId: null,
      roles: [],
      ctx: { requestId: "e2e", ip: null, userAgent: "e2e" },
    };
    const request = await submitRequest(tx, staffActor, {
      subjectId: staff.person.id,
      roleId: await roleId("CRM", "STATS_ANALYST"),
      justification: "Weekly campaign statistics",
      endsAt: new Date(Date.now() + 30 * DAY).toISOString().slice(0, 10),
    });
    return {
      head: { ...head.person, totpSecret },
      staff: staff.person,
      deputy: deputy.person,
      request: { id: request.id, number: formatRequestNumber(request.number) },
    };
  });
}

test("delegation: the head delegates while away, the deputy finds the item in their inbox at once and approves it for the head", async ({
  browser,
}) => {
  const d = await departmentWithPendingRequest();

  const head = await newContextPage(browser);
  await signIn(head.page, d.head.employeeNo, { password: TEST_PASSWORD, totpSecret: d.head.totpSecret });
  await head.page.getByTestId("sidebar").getByRole("link", { name: "Delegation" }).click();
  const form = head.page.getByRole("form", { name: "Delegate my approvals" });
  await form.getByLabel("Delegate (employee number)").fill(d.deputy.employeeNo);
  const firstDay = await form.getByLabel("First day away").inputValue();
  const lastDay = new Date(new Date(`${firstDay}T00:00:00Z`).getTime() + 3 * DAY).toISOString().slice(0, 10);
  await form.getByLabel("Last day away").fill(lastDay);
  await form.getByLabel("Reason").fill("Annual leave");
  await form.getByRole("button", { name: "Delegate" }).click();
  await expect(form.getByRole("status")).toContainText("1 waiting item is now in the delegate's inbox too");
  await expect(head.page.getByTestId("delegations-given")).toContainText(d.deputy.name);
  await expect(head.page.getByTestId("delegations-given")).toContainText("In force");

  // Bad input: delegating to oneself is refused with the reason, next to the field.
  await form.getByLabel("Delegate (employee number)").fill(d.head.employeeNo);
  await form.getByLabel("Last day away").fill(lastDay);
  await form.getByLabel("Reason").fill("Test");
  await form.getByRole("button", { name: "Delegate" }).click();
  await expect(form.getByRole("alert").first()).toContainText("You cannot delegate to yourself");
  await head.context.close();

  const deputy = await newContextPage(browser);
  await signIn(deputy.page, d.deputy.employeeNo, { password: TEST_PASSWORD, mfa: false });
  await deputy.page.goto("/delegation");
  await expect(deputy.page.getByTestId("delegations-received")).toContainText(d.head.name);
  await deputy.page.goto("/approvals");
  await deputy.page.getByRole("link", { name: d.request.number }).click();
  await expect(deputy.page).toHaveURL(new RegExp(`/requests/${d.request.id}`));
  await expect(deputy.page.getByTestId("decide-form")).toContainText(d.head.name);
  await deputy.page.getByTestId("approve").click();
  // The timeline records the decision as the deputy's, on the head's behalf.
  await expect(deputy.page.getByRole("main")).toContainText(`Approved by ${d.deputy.name}`);
  await expect(deputy.page.getByRole("main")).toContainText(`on behalf of ${d.head.name}`);

  const decision = await getDb().approvalDecision.findFirstOrThrow({ where: { requestId: d.request.id, approverId: d.deputy.id } });
  expect(decision).toMatchObject({ outcome: "APPROVE", onBehalfOfId: d.head.id });
  await deputy.context.close();
});

test("active elevations: the security officer sees a third party's elevation with its sponsor and approvers, and ends it early", async ({
  browser,
}) => {
  const contractor = await createTestPerson({ thirdParty: true });
  const officer = await createTestPerson({ role: "SECURITY_OFFICER" });
  const sponsor = await getDb().person.findUniqueOrThrow({ where: { employeeNo: "E0106" }, select: { id: true, name: true } });
  const role = await roleId("CRM", "STATS_ANALYST");
  const system = await getDb().businessSystem.findUniqueOrThrow({ where: { code: "CRM" }, select: { id: true } });
  // An approved R10 elevation (the sponsor and security approved it), ending in 6 hours.
  const request = await getDb().accessRequest.create({
    data: {
      kind: "ELEVATION",
      status: "APPROVED",
      requesterId: sponsor.id,
      subjectId: contractor.id,
      systemId: system.id,
      roleId: role,
      justification: "Migration weekend support",
      endsAt: new Date(Date.now() + 6 * 3_600_000),
      expiresAt: new Date(Date.now() + DAY),
      decidedAt: new Date(),
    },
  });
  const stage = await getDb().requestStage.create({
    data: { requestId: request.id, position: 0, kind: "SPONSOR", status: "APPROVED", activatedAt: new Date(), decidedAt: new Date() },
  });
  await getDb().approvalDecision.create({ data: { requestId: request.id, stageId: stage.id, approverId: sponsor.id, outcome: "APPROVE" } });
  const grant = await inTransaction((tx) =>
    createGrantUnderPolicy(
      tx,
      SETUP,
      { personId: contractor.id, roleId: role, endsAt: request.endsAt, reason: request.justification },
      { requestId: request.id, elevation: true },
    ),
  );
  await getDb().accessRequest.update({ where: { id: request.id }, data: { grantId: grant.id } });

  const { context, page } = await newContextPage(browser);
  await signIn(page, officer.employeeNo, { password: TEST_PASSWORD, totpSecret: officer.totpSecret });
  await page.getByTestId("sidebar").getByRole("link", { name: "Active elevations" }).click();
  const row = page.getByTestId("elevations").getByRole("row").filter({ hasText: contractor.employeeNo });
  await expect(row).toContainText(sponsor.name);
  await expect(row).toContainText("Statistics analyst");
  await expect(row).toContainText(`Sponsor: ${sponsor.name}`);
  await expect(row).toContainText(/ends in (5|6) hours/);
  await row.getByRole("button", { name: "End now" }).click();
  await expect(row.getByRole("alert")).toBeVisible(); // a reason is required
  await row.getByPlaceholder("Reason").fill("Work finished early");
  await row.getByRole("button", { name: "End now" }).click();
  await expect(page.getByRole("status")).toContainText("The elevation has ended.");
  await expect(page.getByTestId("elevations").getByText(contractor.employeeNo)).toHaveCount(0);
  expect((await getDb().accessGrant.findUniqueOrThrow({ where: { id: grant.id } })).revokeReason).toBe("Work finished early");
  await context.close();
});

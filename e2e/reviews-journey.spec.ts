import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { getDb, inTransaction } from "@/lib/db";
import { systemActor } from "@/lib/authz/actor";
import { createOrgUnit } from "@/lib/org/create-org-unit";
import { setOrgUnitHead } from "@/lib/org/set-org-unit-head";
import { createPerson } from "@/lib/people/create-person";
import { runReviewSchedule } from "@/lib/reviews/close-campaign";
import { signIn, signOut } from "./support/auth";
import { holdRoles, TEST_PASSWORD } from "./support/data";

// The journey (issue 12, Tests): a security officer starts a campaign over sensitive grants →
// a department head reviews (his own access is not his to review: it went to his head) → keeps one with
// a comment and ends one → the deadline passes (the schedule job run at a moment after it: the clock is
// an input) → the undecided item ends by default → the evidence export lists reviewer, decision, time
// and result for each.

async function department() {
  const suffix = randomBytes(3).toString("hex");
  const actor = systemActor("e2e-setup");
  return inTransaction(async (tx) => {
    const mkt = await tx.orgUnit.findUniqueOrThrow({ where: { code: "MKT" }, select: { id: true } });
    const unit = await createOrgUnit(tx, actor, { code: `E2E-RV-${suffix}`, name: `复核测试组 ${suffix}`, parentId: mkt.id });
    const person = async (label: string) => {
      const employeeNo = `R${label}${suffix}`;
      const { person } = await createPerson(
        tx,
        actor,
        {
          employeeNo,
          name: `${label}-${suffix}`,
          orgUnitId: unit.id,
          jobTitle: "服务营销",
          employmentType: "EMPLOYEE",
          email: `${employeeNo.toLowerCase()}@e2e.example`,
        },
        { initialPassword: TEST_PASSWORD },
      );
      return { id: person.id, employeeNo, name: person.name };
    };
    const head = await person("H");
    const keep = await person("K");
    const end = await person("X");
    const idle = await person("U");
    await setOrgUnitHead(tx, actor, { orgUnitId: unit.id, personId: head.id });
    return { unit: { id: unit.id, name: `复核测试组 ${suffix}` }, head, keep, end, idle };
  });
}

test("officer starts a review of sensitive grants; the head keeps one, ends one, not his own; the deadline ends the rest by default; the evidence shows it all", async ({
  page,
}) => {
  test.slow();
  const d = await department();
  for (const p of [d.head, d.keep, d.end, d.idle]) await holdRoles(p.id, [["CRM", "QUERY_ONLY"]]);

  // 1. The security officer defines the review through the form, scoped to that department's sensitive CRM access.
  await signIn(page, "E0005");
  await page.goto("/reviews/new");
  const form = page.getByRole("form", { name: "New access review" });
  const name = `E2E journey ${randomBytes(3).toString("hex")}`;
  await form.getByLabel("Name", { exact: true }).fill(name);
  const system = form.getByRole("combobox", { name: "System 1" });
  await system.fill("CRM");
  await page
    .getByRole("listbox")
    .getByRole("option", { name: /^CRM(?!-)/ })
    .first()
    .click();
  await expect(system).toHaveValue("CRM");
  await form.getByLabel("Sensitive grants only").check();
  const unit = form.getByRole("combobox", { name: "Department (and below)" });
  await unit.fill(d.unit.name);
  await page
    .getByRole("listbox")
    .getByRole("option", { name: new RegExp(d.unit.name) })
    .first()
    .click();
  await form.getByTestId("review-stage-0").getByLabel("Reviewer", { exact: true }).selectOption("DEPARTMENT_HEAD");
  // One day, so that running the schedule just after its deadline closes this campaign and none of the
  // longer ones other tests (and the demo's) rely on; no reminder before a one-day deadline.
  await form.getByLabel("Duration (days)").fill("1");
  await form.getByLabel("Remind reviewers this many days before the deadline").fill("0");
  await form.getByRole("button", { name: "Define review" }).click();
  await expect(page).toHaveURL(/\/reviews\/[0-9a-f-]{36}$/);
  const campaignUrl = page.url();
  const campaignId = campaignUrl.split("/").pop()!;
  await signOut(page);

  // The head's own item went past him to the head of Marketing (E0003), and says so.
  const own = await getDb().reviewItem.findFirstOrThrow({ where: { campaignId, personId: d.head.id } });
  const e0003 = await getDb().person.findUniqueOrThrow({ where: { employeeNo: "E0003" }, select: { id: true } });
  expect(own).toMatchObject({ reviewerId: e0003.id, reviewerSource: "ROUTED_UP" });

  // 2. The department head reviews: three items, none of them his own.
  await signIn(page, d.head.employeeNo, { password: TEST_PASSWORD, mfa: false });
  await page.goto(`/reviews/inbox?campaign=${campaignId}`);
  await expect(page.getByTestId("review-row")).toHaveCount(3);
  await expect(page.getByTestId("review-row").filter({ hasText: d.head.name })).toHaveCount(0);

  await page.goto(`/reviews/inbox?campaign=${campaignId}&q=${d.keep.employeeNo}`);
  await page.getByTestId("review-open").click();
  await page.getByLabel("Comment").fill("Handles the complaints desk");
  await page.getByTestId("review-submit").click();
  await expect(page.getByTestId("review-outcome")).toContainText("Keep");

  await page.goto(`/reviews/inbox?campaign=${campaignId}&q=${d.end.employeeNo}`);
  await page.getByTestId("review-open").click();
  await page.getByLabel("End the access").check();
  await page.getByLabel("Comment").fill("Moved to field sales");
  await page.getByTestId("review-submit").click();
  await expect(page.getByTestId("review-outcome")).toContainText("End");
  await signOut(page);

  // 3. The deadline passes: the schedule job, run at a moment after it, gives the undecided the default (END: sensitive).
  const campaign = await getDb().reviewCampaign.findUniqueOrThrow({ where: { id: campaignId } });
  const due = await getDb().reviewCampaign.findMany({
    where: { status: "ACTIVE", deadlineAt: { lte: new Date(campaign.deadlineAt.getTime() + 60_000) } },
    select: { id: true },
  });
  expect(due.map((c) => c.id)).toEqual([campaignId]);
  await runReviewSchedule(new Date(campaign.deadlineAt.getTime() + 60_000));
  const live = async (personId: string) =>
    getDb().accessGrant.count({
      where: { revokedAt: null, role: { code: "QUERY_ONLY", system: { code: "CRM" } }, slaveAccount: { personId } },
    });
  expect(await live(d.keep.id)).toBe(1);
  expect(await live(d.end.id)).toBe(0);
  expect(await live(d.idle.id)).toBe(0);
  expect(await live(d.head.id)).toBe(0);

  // 4. The officer reads the evidence: reviewer, decision, time and result per item.
  await signIn(page, "E0005");
  await page.goto(campaignUrl);
  await expect(page.getByText("Closed", { exact: true }).first()).toBeVisible();
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: /Evidence file/ }).click();
  const csv = await readFile((await (await downloading).path())!, "utf8");
  const lines = csv.replace(/^\uFEFF/, "").split("\r\n");
  const head = lines[3]!.split(",");
  const col = (line: string, c: string) => line.split(",")[head.indexOf(c)];
  // The person's own column (reviewer columns name people too: "name (employee no)").
  const rowOf = (p: { employeeNo: string }) => lines.slice(4).find((l) => col(l, "Employee number") === p.employeeNo)!;
  expect(col(rowOf(d.keep), "Decision")).toBe("KEEP");
  expect(col(rowOf(d.keep), "Stage 1 reviewer")).toContain(d.head.name);
  expect(col(rowOf(d.keep), "Stage 1 time")).toMatch(/^\d{4}-\d\d-\d\dT/);
  expect(col(rowOf(d.end), "Decision")).toBe("END");
  expect(col(rowOf(d.end), "Stage 1 reviewer")).toContain(d.head.name);
  expect(col(rowOf(d.idle), "Decision")).toBe("END");
  expect(col(rowOf(d.idle), "Source")).toBe("Default at the deadline");
  expect(col(rowOf(d.head), "Source")).toBe("Default at the deadline");
  for (const p of [d.end, d.idle]) expect(col(rowOf(p), "Result")).not.toBe("Nothing to apply");
});

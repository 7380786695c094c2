import { describe, expect, it } from "vitest";
import { getDb, inTransaction } from "@/lib/db";
import { defineReview, retireDefinition, startCampaignNow } from "@/lib/reviews/define";
import { bulkDecideItems, decideItem } from "@/lib/reviews/decide";
import { closeCampaign, runReviewSchedule } from "@/lib/reviews/close-campaign";
import { reassignItems, runReviewReminders } from "@/lib/reviews/remind-escalate";
import type { ReviewDefinitionInput } from "@/lib/reviews/schemas";
import { remediationOf } from "@/lib/reviews/remediation";
import type { z } from "zod";
import {
  actorFor,
  countAudit,
  dayFromToday,
  expectDomainError,
  expectZodError,
  FACTORY,
  lastAuditRow,
  makeActor,
  makeOrgUnit,
  makePerson,
  uniq,
} from "../factories";
import { giveGrant, roleOnNewSystem } from "../access-fixtures";
import { setHead } from "../request-factories";
import { staggered } from "../race";

const DAY = 86_400_000;

/**
 * division (head: boss)
 *   └ department (head: head) — staff works here; head works here too (heads his own unit)
 * A system with a sensitive role (EXTREME permission) and a plain one; staff and head hold the
 * sensitive one, staff the plain one; a security officer runs the reviews.
 */
async function scenario(opts: { connected?: boolean } = {}) {
  const division = await makeOrgUnit({ name: `Division ${uniq()}` });
  const department = await makeOrgUnit({ parentId: division.id, name: `Department ${uniq()}` });
  const boss = await makePerson({ orgUnitId: division.id, name: `Boss ${uniq()}` });
  const head = await makePerson({ orgUnitId: department.id, name: `Head ${uniq()}` });
  const staff = await makePerson({ orgUnitId: department.id, name: `Staff ${uniq()}` });
  await setHead(division.id, boss.person.id);
  await setHead(department.id, head.person.id);
  const sensitive = await roleOnNewSystem({ sensitivity: "EXTREME", connected: opts.connected });
  const system = sensitive.system;
  const { role: plain } = await (await import("../factories")).makeJobRole(FACTORY, system.id, {});
  const staffSensitive = await giveGrant(staff.person.id, sensitive.role.id, { endsAt: new Date(Date.now() + 60 * DAY) });
  const headSensitive = await giveGrant(head.person.id, sensitive.role.id, { endsAt: new Date(Date.now() + 60 * DAY) });
  const staffPlain = await giveGrant(staff.person.id, plain.id);
  const officer = await makeActor(["SECURITY_OFFICER"]);
  return {
    division,
    department,
    boss,
    head,
    staff,
    system,
    sensitiveRole: sensitive.role,
    plain,
    staffSensitive,
    headSensitive,
    staffPlain,
    officer,
  };
}
type Scenario = Awaited<ReturnType<typeof scenario>>;

function definition(s: Scenario, over: Partial<z.input<typeof ReviewDefinitionInput>> = {}): z.input<typeof ReviewDefinitionInput> {
  return {
    name: `Sensitive access ${uniq()}`,
    scope: { systemIds: [s.system.id], sensitiveOnly: true },
    stages: [{ strategy: "DEPARTMENT_HEAD" }],
    durationDays: 14,
    ...over,
  };
}

async function itemsOf(campaignId: string) {
  return getDb().reviewItem.findMany({ where: { campaignId }, orderBy: { id: "asc" } });
}

describe("access reviews: define and snapshot (issue 12 §1–3)", () => {
  it("snapshots the sensitive grants with frozen facts, routes the head's own access to his head, and audits the start", async () => {
    const s = await scenario();
    const started = await inTransaction((tx) => defineReview(tx, s.officer.actor, definition(s)));
    expect(started.campaign?.items).toBe(2);
    const items = await itemsOf(started.campaign!.campaignId);
    const staffItem = items.find((i) => i.grantId === s.staffSensitive.id)!;
    const headItem = items.find((i) => i.grantId === s.headSensitive.id)!;
    expect(items.some((i) => i.grantId === s.staffPlain.id)).toBe(false);
    expect(staffItem).toMatchObject({
      reviewerId: s.head.person.id,
      reviewerSource: "RESOLVED",
      isSensitive: true,
      stage: 0,
      status: "OPEN",
    });
    // Nobody reviews their own access: the head's item went up to the division's head, and says why.
    expect(headItem).toMatchObject({ reviewerId: s.boss.person.id, reviewerSource: "ROUTED_UP" });
    expect(headItem.routing).toEqual({ skipped: s.head.person.id, why: "self" });
    const facts = staffItem.facts as { person: Record<string, unknown>; grant: Record<string, unknown>; account: Record<string, unknown> };
    expect(facts.person).toMatchObject({ name: s.staff.person.name, employeeNo: s.staff.employeeNo, employmentType: "EMPLOYEE" });
    expect(facts.grant).toMatchObject({ code: s.sensitiveRole.code, reason: "Test setup" });
    const role = await getDb().reviewCampaignRole.findUniqueOrThrow({
      where: { campaignId_roleId: { campaignId: started.campaign!.campaignId, roleId: s.sensitiveRole.id } },
    });
    expect((role.permissions as { sensitivity: string }[])[0]!.sensitivity).toBe("EXTREME");
    const audit = await lastAuditRow({ action: "review.campaign-started", targetId: started.campaign!.campaignId });
    expect(audit.summary).toMatchObject({ items: 2, reviewers: 2, sensitive: 2 });
    const defined = await lastAuditRow({ action: "review.defined", targetId: started.definitionId });
    expect(defined).toMatchObject({ actorId: s.officer.person.id, summary: { stages: ["DEPARTMENT_HEAD"], riskyDefault: "END" } });
    // Reviewers are told.
    const told = await getDb().notification.count({
      where: { recipientId: { in: [s.head.person.id, s.boss.person.id] }, kind: "review-started" },
    });
    expect(told).toBe(2);
  });

  it("recommends with a reason: outside any request, no sign-in for N days, a third party near contract end", async () => {
    const s = await scenario();
    const old = new Date(Date.now() - 200 * DAY);
    await getDb().slaveAccount.updateMany({
      where: { personId: s.staff.person.id, systemId: s.system.id },
      data: { lastLoginAt: old, createdAt: old },
    });
    const started = await inTransaction((tx) => defineReview(tx, s.officer.actor, definition(s, { inactiveDays: 90 })));
    const items = await itemsOf(started.campaign!.campaignId);
    const staffItem = items.find((i) => i.grantId === s.staffSensitive.id)!;
    expect(staffItem.recommendation).toBe("NO_SIGN_IN");
    expect(staffItem.recommendationParams).toMatchObject({ days: 90 });
    const headItem = items.find((i) => i.grantId === s.headSensitive.id)!;
    expect(headItem.recommendation).toBe("OUTSIDE_REQUEST");

    const vendorStaff = await makePerson({ employmentType: "THIRD_PARTY", contractEndsOn: dayFromToday(10) });
    const third = await roleOnNewSystem({ sensitivity: "LOW" });
    await giveGrant(vendorStaff.person.id, third.role.id, { endsAt: new Date(Date.now() + 9 * DAY) });
    const tp = await inTransaction((tx) =>
      defineReview(
        tx,
        s.officer.actor,
        definition(s, { scope: { systemIds: [third.system.id], employmentType: "THIRD_PARTY" }, stages: [{ strategy: "SPONSOR" }] }),
      ),
    );
    const [tpItem] = await itemsOf(tp.campaign!.campaignId);
    expect(tpItem).toMatchObject({ recommendation: "CONTRACT_ENDING", isThirdParty: true, reviewerSource: "RESOLVED" });
    const sponsor = await getDb().person.findUniqueOrThrow({ where: { id: vendorStaff.person.id }, select: { sponsorId: true } });
    expect(tpItem!.reviewerId).toBe(sponsor.sponsorId);
  });

  it("refuses bad definitions with a clear code and writes nothing", async () => {
    const s = await scenario();
    const empty = await roleOnNewSystem({ sensitivity: "EXTREME" });
    const before = await getDb().reviewDefinition.count();
    await expectDomainError(
      inTransaction((tx) => defineReview(tx, s.officer.actor, definition(s, { scope: { systemIds: [empty.system.id] } }))),
      "REVIEW_SCOPE_EMPTY",
    );
    await expectDomainError(
      inTransaction((tx) => defineReview(tx, s.officer.actor, definition(s, { startOn: dayFromToday(-1) }))),
      "DATE_IN_PAST",
    );
    await expectZodError(inTransaction((tx) => defineReview(tx, s.officer.actor, definition(s, { scope: { includeOrphans: true } }))));
    await expectZodError(inTransaction((tx) => defineReview(tx, s.officer.actor, definition(s, { stages: [] }))));
    await expectZodError(
      inTransaction((tx) => defineReview(tx, s.officer.actor, definition(s, { durationDays: 5, escalateAfterDays: 9 }))),
    );
    // An account administrator reviews only their own systems.
    const other = await roleOnNewSystem();
    const admin = await makeActor([{ role: "ACCOUNT_ADMIN", systemId: other.system.id }]);
    await expectDomainError(
      inTransaction((tx) => defineReview(tx, admin.actor, definition(s))),
      "REVIEW_SCOPE_FORBIDDEN",
    );
    await expectDomainError(
      inTransaction((tx) => defineReview(tx, admin.actor, definition(s, { scope: {} }))),
      "REVIEW_SCOPE_FORBIDDEN",
    );
    const staffActor = await actorFor(s.staff.person.id);
    await expectDomainError(
      inTransaction((tx) => defineReview(tx, staffActor, definition(s))),
      "FORBIDDEN",
    );
    expect(await getDb().reviewDefinition.count()).toBe(before);
  });

  it("retires a definition (audited, never deleted), then refuses to start it again", async () => {
    const s = await scenario();
    const started = await inTransaction((tx) => defineReview(tx, s.officer.actor, definition(s, { schedule: "QUARTERLY" })));
    await expectZodError(inTransaction((tx) => retireDefinition(tx, s.officer.actor, { definitionId: started.definitionId, reason: "" })));
    await inTransaction((tx) =>
      retireDefinition(tx, s.officer.actor, { definitionId: started.definitionId, reason: "Replaced by the new policy" }),
    );
    expect(await getDb().reviewDefinition.findUniqueOrThrow({ where: { id: started.definitionId } })).toMatchObject({
      isActive: false,
      nextStartAt: null,
    });
    expect((await lastAuditRow({ action: "review.definition-retired", targetId: started.definitionId })).reason).toBe(
      "Replaced by the new policy",
    );
    await expectDomainError(
      inTransaction((tx) => startCampaignNow(tx, s.officer.actor, started.definitionId)),
      "REVIEW_DEFINITION_RETIRED",
    );
    await expectDomainError(
      inTransaction((tx) => retireDefinition(tx, s.officer.actor, { definitionId: started.definitionId, reason: "again" })),
      "REVIEW_DEFINITION_RETIRED",
    );
  });
});

describe("access reviews: deciding (issue 12 §4)", () => {
  it("keeps with a required comment, refuses self-review and strangers, and says who decided first", async () => {
    const s = await scenario();
    const started = await inTransaction((tx) => defineReview(tx, s.officer.actor, definition(s)));
    const items = await itemsOf(started.campaign!.campaignId);
    const staffItem = items.find((i) => i.grantId === s.staffSensitive.id)!;
    const headItem = items.find((i) => i.grantId === s.headSensitive.id)!;
    const head = await actorFor(s.head.person.id);
    const boss = await actorFor(s.boss.person.id);

    await expectDomainError(
      inTransaction((tx) => decideItem(tx, head, { itemId: staffItem.id, decision: "KEEP" })),
      "REVIEW_COMMENT_REQUIRED",
    );
    await expectDomainError(
      inTransaction((tx) => decideItem(tx, head, { itemId: headItem.id, decision: "KEEP", comment: "mine" })),
      "REVIEW_SELF",
    );
    await expectDomainError(
      inTransaction((tx) => decideItem(tx, boss, { itemId: staffItem.id, decision: "END" })),
      "NOT_A_REVIEWER",
    );
    await expectZodError(inTransaction((tx) => decideItem(tx, head, { itemId: staffItem.id, decision: "SHORTEN" })));
    await expectDomainError(
      inTransaction((tx) => decideItem(tx, head, { itemId: staffItem.id, decision: "SHORTEN", newEndOn: dayFromToday(90) })),
      "REVIEW_END_NOT_SHORTER",
    );
    const decisionsBefore = await getDb().reviewItemDecision.count({ where: { campaignId: started.campaign!.campaignId } });
    expect(decisionsBefore).toBe(0);

    await inTransaction((tx) =>
      decideItem(tx, head, {
        itemId: staffItem.id,
        decision: "KEEP",
        comment: "Still on the team",
        shownAt: new Date(Date.now() - 4000).toISOString(),
      }),
    );
    const kept = await getDb().reviewItem.findUniqueOrThrow({ where: { id: staffItem.id } });
    expect(kept).toMatchObject({
      status: "DECIDED",
      decision: "KEEP",
      decidedById: s.head.person.id,
      decisionSource: "REVIEWER",
      applyState: "NONE",
    });
    const record = await getDb().reviewItemDecision.findFirstOrThrow({ where: { itemId: staffItem.id } });
    expect(record.spentMs).toBeGreaterThanOrEqual(4000);
    const audit = await lastAuditRow({ action: "review.item-decided", targetId: staffItem.id });
    expect(audit.summary).toMatchObject({ decision: "KEEP", final: true, grantId: s.staffSensitive.id });
    expect(audit.reason).toBe("Still on the team");
    const again = await expectDomainError(
      inTransaction((tx) => decideItem(tx, head, { itemId: staffItem.id, decision: "END" })),
      "REVIEW_ITEM_DECIDED",
    );
    expect(again.params.by).toBe(s.head.person.name);
  });

  it("two deciding the same item at once (reviewer and delegate): one outcome, the other told it was decided", async () => {
    const s = await scenario();
    const started = await inTransaction((tx) => defineReview(tx, s.officer.actor, definition(s)));
    const staffItem = (await itemsOf(started.campaign!.campaignId)).find((i) => i.grantId === s.staffSensitive.id)!;
    const deputy = await makePerson({ orgUnitId: s.department.id });
    await getDb().approvalDelegation.create({
      data: {
        delegatorId: s.head.person.id,
        delegateId: deputy.person.id,
        startsAt: new Date(Date.now() - DAY),
        endsAt: new Date(Date.now() + DAY),
      },
    });
    const head = await actorFor(s.head.person.id);
    const deputyActor = await actorFor(deputy.person.id);
    const [a, b] = staggered(
      (tx) => decideItem(tx, head, { itemId: staffItem.id, decision: "END", comment: "Left the project" }),
      (tx) => decideItem(tx, deputyActor, { itemId: staffItem.id, decision: "KEEP", comment: "Needed" }),
    );
    await a;
    await expectDomainError(b, "REVIEW_ITEM_DECIDED");
    expect(await getDb().reviewItemDecision.count({ where: { itemId: staffItem.id } })).toBe(1);
    expect((await getDb().reviewItem.findUniqueOrThrow({ where: { id: staffItem.id } })).decision).toBe("END");
  });

  it("a delegate decides for the reviewer (on behalf of) but never their own access", async () => {
    const s = await scenario();
    const started = await inTransaction((tx) => defineReview(tx, s.officer.actor, definition(s)));
    const staffItem = (await itemsOf(started.campaign!.campaignId)).find((i) => i.grantId === s.staffSensitive.id)!;
    await getDb().approvalDelegation.create({
      data: {
        delegatorId: s.head.person.id,
        delegateId: s.staff.person.id,
        startsAt: new Date(Date.now() - DAY),
        endsAt: new Date(Date.now() + DAY),
      },
    });
    const staff = await actorFor(s.staff.person.id);
    await expectDomainError(
      inTransaction((tx) => decideItem(tx, staff, { itemId: staffItem.id, decision: "KEEP", comment: "me" })),
      "REVIEW_SELF",
    );
  });

  it("bulk: all-or-nothing over named items, accept recommendations only where a reason exists, one audit event with items", async () => {
    const s = await scenario();
    const old = new Date(Date.now() - 200 * DAY);
    await getDb().slaveAccount.updateMany({
      where: { personId: s.staff.person.id, systemId: s.system.id },
      data: { lastLoginAt: old, createdAt: old },
    });
    const started = await inTransaction((tx) =>
      defineReview(tx, s.officer.actor, definition(s, { scope: { systemIds: [s.system.id] }, applyImmediately: true })),
    );
    const campaignId = started.campaign!.campaignId;
    const items = await itemsOf(campaignId);
    const head = await actorFor(s.head.person.id);
    const mine = items.filter((i) => i.reviewerId === s.head.person.id);
    const foreign = items.find((i) => i.reviewerId !== s.head.person.id)!;
    expect(mine).toHaveLength(2);
    await expectDomainError(
      inTransaction((tx) =>
        bulkDecideItems(tx, head, { campaignId, itemIds: [...mine.map((i) => i.id), foreign.id], decision: "KEEP", comment: "All fine" }),
      ),
      "REVIEW_BULK_FOREIGN",
    );
    expect(await getDb().reviewItemDecision.count({ where: { campaignId } })).toBe(0);

    const accepted = await inTransaction((tx) =>
      bulkDecideItems(tx, head, { campaignId, filter: { recommendation: "ANY" }, decision: "RECOMMENDED", comment: "Unused for 200 days" }),
    );
    expect(accepted.decided).toBe(2);
    // Both of staff's grants were recommended (no sign-in) and ended at once (apply immediately) through endGrants.
    const grants = await getDb().accessGrant.findMany({ where: { id: { in: [s.staffSensitive.id, s.staffPlain.id] } } });
    expect(grants.every((g) => g.revokedAt && g.revokeReason?.startsWith("Access review REV-"))).toBe(true);
    const revoked = await lastAuditRow({ action: "grant.revoked", targetId: campaignId });
    expect(revoked.summary).toMatchObject({ cause: "review", count: 2 });
    const decided = await lastAuditRow({ action: "review.items-decided", targetId: campaignId });
    expect(decided.summary).toMatchObject({ decision: "END", source: "RECOMMENDATION", count: 2 });
    const applied = await getDb().reviewItem.findMany({ where: { id: { in: mine.map((i) => i.id) } } });
    // Not connected: applied in the portal, but nothing can confirm it (open remediation).
    expect([...(await remediationOf(mine.map((i) => i.id))).values()].map((r) => r.state)).toEqual(["NOT_TRACKED", "NOT_TRACKED"]);
    expect(applied.every((i) => i.applyState === "APPLIED" && i.decisionSource === "RECOMMENDATION")).toBe(true);
    await expectDomainError(
      inTransaction((tx) =>
        bulkDecideItems(tx, head, { campaignId, filter: { recommendation: "ANY" }, decision: "RECOMMENDED", comment: "again" }),
      ),
      "REVIEW_NOTHING_RECOMMENDED",
    );
  });

  it("shorten brings the grant's end forward when applied", async () => {
    const s = await scenario();
    const started = await inTransaction((tx) => defineReview(tx, s.officer.actor, definition(s, { applyImmediately: true })));
    const staffItem = (await itemsOf(started.campaign!.campaignId)).find((i) => i.grantId === s.staffSensitive.id)!;
    const head = await actorFor(s.head.person.id);
    await inTransaction((tx) =>
      decideItem(tx, head, { itemId: staffItem.id, decision: "SHORTEN", newEndOn: dayFromToday(7), comment: "One more week" }),
    );
    const grant = await getDb().accessGrant.findUniqueOrThrow({ where: { id: s.staffSensitive.id } });
    expect(grant.revokedAt).toBeNull();
    expect(grant.endsAt!.getTime()).toBeLessThan(Date.now() + 8 * DAY);
    const audit = await lastAuditRow({ action: "grant.shortened", targetId: started.campaign!.campaignId });
    expect(audit.summary).toMatchObject({ count: 1 });
  });

  it("two stages: a keep moves the item to the system owner, whose end is final", async () => {
    const s = await scenario();
    const owner = await makeActor([{ role: "ACCOUNT_ADMIN", systemId: s.system.id }]);
    const started = await inTransaction((tx) =>
      defineReview(tx, s.officer.actor, definition(s, { stages: [{ strategy: "DEPARTMENT_HEAD" }, { strategy: "SYSTEM_OWNER" }] })),
    );
    const staffItem = (await itemsOf(started.campaign!.campaignId)).find((i) => i.grantId === s.staffSensitive.id)!;
    const head = await actorFor(s.head.person.id);
    await inTransaction((tx) => decideItem(tx, head, { itemId: staffItem.id, decision: "KEEP", comment: "Needed for the audit project" }));
    const moved = await getDb().reviewItem.findUniqueOrThrow({ where: { id: staffItem.id } });
    expect(moved).toMatchObject({ stage: 1, status: "OPEN", reviewerId: owner.person.id, reviewerSource: "RESOLVED" });
    await expectDomainError(
      inTransaction((tx) => decideItem(tx, head, { itemId: staffItem.id, decision: "END" })),
      "NOT_A_REVIEWER",
    );
    await inTransaction((tx) => decideItem(tx, owner.actor, { itemId: staffItem.id, decision: "END", comment: "No longer needed" }));
    const final = await getDb().reviewItem.findUniqueOrThrow({ where: { id: staffItem.id } });
    expect(final).toMatchObject({ stage: 1, status: "DECIDED", decision: "END", applyState: "PENDING" });
    expect(await getDb().reviewItemDecision.count({ where: { itemId: staffItem.id } })).toBe(2);
  });
});

describe("access reviews: reminders, escalation, deadline (issue 12 §5, §6)", () => {
  it("reminds once, escalates to the reviewer's head, then at the deadline ends undecided sensitive access by default", async () => {
    const s = await scenario({ connected: true });
    const started = await inTransaction((tx) =>
      defineReview(tx, s.officer.actor, definition(s, { durationDays: 10, remindDaysBefore: 3, escalateAfterDays: 2 })),
    );
    const campaignId = started.campaign!.campaignId;
    const staffItem = (await itemsOf(campaignId)).find((i) => i.grantId === s.staffSensitive.id)!;
    const headItem = (await itemsOf(campaignId)).find((i) => i.grantId === s.headSensitive.id)!;

    // The boss keeps the head's access at once; the staff item waits.
    const boss = await actorFor(s.boss.person.id);
    await inTransaction((tx) => decideItem(tx, boss, { itemId: headItem.id, decision: "KEEP", comment: "Head of department" }));

    const day3 = new Date(Date.now() + 3 * DAY);
    const first = await runReviewReminders(day3);
    expect(first.escalated).toBeGreaterThanOrEqual(1);
    expect(first.reminded).toBe(0);
    const escalated = await getDb().reviewItem.findUniqueOrThrow({ where: { id: staffItem.id } });
    expect(escalated).toMatchObject({ reviewerId: s.boss.person.id, reviewerSource: "ESCALATED" });
    expect(escalated.routing).toEqual({ escalatedFrom: s.head.person.id });
    await lastAuditRow({ action: "review.items-escalated", targetId: campaignId });

    const day8 = new Date(Date.now() + 8 * DAY);
    expect((await runReviewReminders(day8)).reminded).toBeGreaterThanOrEqual(1);
    const again = await runReviewReminders(new Date(day8.getTime() + 60_000));
    expect(again.reminded).toBe(0);
    expect(await getDb().notification.count({ where: { recipientId: s.boss.person.id, kind: "review-reminder" } })).toBe(1);
    expect(await countAudit({ action: "review.reminded", targetId: campaignId })).toBe(1);

    const campaign = await getDb().reviewCampaign.findUniqueOrThrow({ where: { id: campaignId } });
    const after = new Date(campaign.deadlineAt.getTime() + 60_000);
    // Another campaign may be due in the shared test database; ours must be among those closed.
    await runReviewSchedule(after);
    const closed = await getDb().reviewCampaign.findUniqueOrThrow({ where: { id: campaignId } });
    expect(closed.status).toBe("CLOSED");
    expect(closed.closeCounts).toMatchObject({ items: 2, kept: 1, ended: 1, defaulted: 1, grantsEnded: 1 });
    const defaulted = await getDb().reviewItem.findUniqueOrThrow({ where: { id: staffItem.id } });
    expect(defaulted).toMatchObject({ status: "DECIDED", decision: "END", decisionSource: "DEFAULT", applyState: "APPLIED" });
    const grant = await getDb().accessGrant.findUniqueOrThrow({ where: { id: s.staffSensitive.id } });
    expect(grant.revokedAt).not.toBeNull();
    expect((await getDb().accessGrant.findUniqueOrThrow({ where: { id: s.headSensitive.id } })).revokedAt).toBeNull();
    // Connected system: the end is on its way (remediation follows the outbox).
    expect(await getDb().provisioningOutbox.count({ where: { grantId: s.staffSensitive.id, operation: "grant.revoked" } })).toBe(1);
    // Remediated only when the system confirms: open while the row waits, confirmed once delivered.
    expect((await remediationOf([staffItem.id, headItem.id])).get(staffItem.id)).toEqual({ state: "SENDING", at: null });
    expect((await remediationOf([headItem.id])).get(headItem.id)!.state).toBe("NONE");
    const deliveredAt = new Date();
    await getDb().provisioningOutbox.updateMany({ where: { grantId: s.staffSensitive.id }, data: { status: "DELIVERED", deliveredAt } });
    expect((await remediationOf([staffItem.id])).get(staffItem.id)).toEqual({ state: "REMEDIATED", at: deliveredAt });
    const defaults = await lastAuditRow({ action: "review.defaults-applied", targetId: campaignId });
    expect(defaults.summary).toMatchObject({ count: 1, ended: 1, riskyDefault: "END" });
    await lastAuditRow({ action: "review.campaign-closed", targetId: campaignId });
    const applied = await lastAuditRow({ action: "review.decisions-applied", targetId: campaignId });
    expect(applied.summary).toMatchObject({ count: 1, ended: 1, items: { count: 1 } });

    await expectDomainError(
      inTransaction((tx) => decideItem(tx, boss, { itemId: headItem.id, decision: "END" }, after)),
      "REVIEW_CAMPAIGN_CLOSED",
    );
    await expectDomainError(
      inTransaction((tx) => closeCampaign(tx, s.officer.actor, { campaignId, reason: "again" })),
      "REVIEW_CAMPAIGN_CLOSED",
    );
  });

  it("reassigns to an eligible reviewer, never to someone conflicted", async () => {
    const s = await scenario();
    const started = await inTransaction((tx) => defineReview(tx, s.officer.actor, definition(s)));
    const staffItem = (await itemsOf(started.campaign!.campaignId)).find((i) => i.grantId === s.staffSensitive.id)!;
    await expectDomainError(
      inTransaction((tx) => reassignItems(tx, s.officer.actor, { itemIds: [staffItem.id], reviewerId: s.staff.person.id, reason: "try" })),
      "REVIEW_SELF",
    );
    const stranger = await actorFor(s.boss.person.id);
    await expectDomainError(
      inTransaction((tx) => reassignItems(tx, stranger, { itemIds: [staffItem.id], reviewerId: s.boss.person.id, reason: "take" })),
      "NOT_A_REVIEWER",
    );
    await inTransaction((tx) =>
      reassignItems(tx, s.officer.actor, { itemIds: [staffItem.id], reviewerId: s.boss.person.id, reason: "Head on leave" }),
    );
    const reassigned = await lastAuditRow({ action: "review.items-reassigned", targetId: started.campaign!.campaignId });
    expect(reassigned).toMatchObject({ reason: "Head on leave", summary: { count: 1, reviewerId: s.boss.person.id } });
    expect(await getDb().reviewItem.findUniqueOrThrow({ where: { id: staffItem.id } })).toMatchObject({
      reviewerId: s.boss.person.id,
      reviewerSource: "REASSIGNED",
    });
  });
});

import { describe, expect, it } from "vitest";
import { getDb, inTransaction } from "@/lib/db";
import { defineReview } from "@/lib/reviews/define";
import { bulkDecideItems, decideItem } from "@/lib/reviews/decide";
import {
  countMyReviews,
  countReviewInbox,
  getReviewItem,
  INBOX_PAGE_SIZE,
  listReviewInbox,
  lookupReviewers,
} from "@/lib/reviews/inbox-queries";
import { actorFor, expectDomainError, expectZodError, FACTORY, makeActor, makeJobRole, makeOrgUnit, makePerson, uniq } from "../factories";
import { giveGrant, roleOnNewSystem } from "../access-fixtures";
import { setHead } from "../request-factories";
import { decideFromInbox } from "@/lib/reviews/decide-from-inbox";

const DAY = 86_400_000;

/**
 * A department whose head reviews his staff's sensitive access: `count` staff holding the sensitive
 * role (one of them with an old last sign-in → NO_SIGN_IN), and one plain grant on a second system.
 */
async function scenario(count = 3) {
  const division = await makeOrgUnit({ name: `Division ${uniq()}` });
  const department = await makeOrgUnit({ parentId: division.id, name: `Department ${uniq()}` });
  const boss = await makePerson({ orgUnitId: division.id, name: `Boss ${uniq()}` });
  const head = await makePerson({ orgUnitId: department.id, name: `Head ${uniq()}` });
  await setHead(division.id, boss.person.id);
  await setHead(department.id, head.person.id);
  const sensitive = await roleOnNewSystem({ sensitivity: "EXTREME" });
  const other = await roleOnNewSystem({ sensitivity: "EXTREME" });
  const { role: plain } = await makeJobRole(FACTORY, sensitive.system.id, {});
  const staff = [];
  for (let i = 0; i < count; i++) {
    const p = await makePerson({ orgUnitId: department.id, name: `Staff ${i} ${uniq()}` });
    await giveGrant(p.person.id, sensitive.role.id, { endsAt: new Date(Date.now() + 60 * DAY) });
    await giveGrant(p.person.id, plain.id);
    staff.push(p);
  }
  await giveGrant(staff[0]!.person.id, other.role.id);
  const old = new Date(Date.now() - 200 * DAY);
  await getDb().slaveAccount.updateMany({ where: { personId: staff[1]!.person.id }, data: { lastLoginAt: old, createdAt: old } });
  const officer = await makeActor(["SECURITY_OFFICER"]);
  const started = await inTransaction((tx) =>
    defineReview(tx, officer.actor, {
      name: `Inbox ${uniq()}`,
      scope: { systemIds: [sensitive.system.id, other.system.id], sensitiveOnly: true },
      stages: [{ strategy: "DEPARTMENT_HEAD" }],
      durationDays: 14,
      inactiveDays: 90,
    }),
  );
  const campaignId = started.campaign!.campaignId;
  const items = await getDb().reviewItem.findMany({ where: { campaignId }, orderBy: { id: "asc" } });
  return {
    division,
    department,
    boss,
    head,
    staff,
    sensitive,
    other,
    officer,
    campaignId,
    items,
    headActor: await actorFor(head.person.id),
  };
}

describe("review inbox queries (issue 12 §4, §8)", () => {
  it("lists the reviewer's open items with only the rendered fields, filters in SQL and pages by id", async () => {
    const s = await scenario(3);
    const staffItems = s.items.filter((i) => i.reviewerId === s.head.person.id);
    expect(staffItems).toHaveLength(4);
    const page = await listReviewInbox(s.headActor, {});
    expect(page.rows.map((r) => r.id)).toEqual(staffItems.map((i) => i.id));
    expect(page.nextCursor).toBeNull();
    const row = page.rows[0]!;
    // No facts blob, no conflicted ids, no reviewer id reach the page.
    expect(Object.keys(row).sort()).toEqual(
      [
        "access",
        "campaign",
        "campaignId",
        "deadlineAt",
        "decidedAt",
        "decision",
        "id",
        "isSensitive",
        "isThirdParty",
        "loginName",
        "onBehalfOf",
        "person",
        "recommendation",
        "recommendationParams",
        "reviewerSource",
        "status",
        "system",
      ].sort(),
    );
    expect(JSON.stringify(page.rows)).not.toContain("conflicted");
    expect(row.campaign).toMatch(/^REV-\d{6}$/);

    // Filters: system, recommendation (code / any / none), sensitive, q by name, employee no. and login.
    expect((await listReviewInbox(s.headActor, { system: s.other.system.id })).rows).toHaveLength(1);
    const noSignIn = await listReviewInbox(s.headActor, { recommendation: "NO_SIGN_IN" });
    expect(noSignIn.rows.map((r) => r.person?.employeeNo)).toEqual([s.staff[1]!.employeeNo]);
    expect(noSignIn.rows[0]!.recommendationParams).toMatchObject({ days: 90 });
    const any = (await listReviewInbox(s.headActor, { recommendation: "ANY" })).rows.length;
    const none = (await listReviewInbox(s.headActor, { recommendation: "NONE" })).rows.length;
    expect(any + none).toBe(4);
    expect(any).toBeGreaterThanOrEqual(1);
    expect((await listReviewInbox(s.headActor, { sensitive: "NO" })).rows).toHaveLength(0);
    expect((await listReviewInbox(s.headActor, { sensitive: "YES" })).rows).toHaveLength(4);
    expect((await listReviewInbox(s.headActor, { q: s.staff[2]!.person.name })).rows).toHaveLength(1);
    expect((await listReviewInbox(s.headActor, { q: s.staff[2]!.employeeNo.toLowerCase() })).rows).toHaveLength(1);
    expect((await listReviewInbox(s.headActor, { q: "%" })).rows).toHaveLength(0);
    expect((await listReviewInbox(s.headActor, { campaign: s.campaignId, q: s.staff[0]!.person.name })).rows).toHaveLength(2);
    // Garbage parameters are ignored, never an error.
    expect((await listReviewInbox(s.headActor, { system: "nope", recommendation: "BOGUS", cursor: "%%%" })).rows).toHaveLength(4);

    const counts = await countReviewInbox(s.headActor, {});
    expect(counts).toEqual({ matching: 4, recommended: any });
    expect(await countMyReviews(s.head.person.id)).toMatchObject({ open: 4, escalated: 0 });
  });

  it("pages of 50 in id order with a keyset cursor", async () => {
    const s = await scenario(2);
    // 55 more open items for the head in the same campaign (copies of his one staff item).
    const base = s.items.find((i) => i.reviewerId === s.head.person.id)!;
    await getDb().$executeRaw`
      INSERT INTO review_item (id, campaign_id, slave_account_id, grant_id, person_id, system_id, role_id, is_sensitive, is_third_party, facts,
                               stage, reviewer_id, reviewer_source, reviewer_assigned_at, status, apply_state)
      SELECT gen_random_uuid(), campaign_id, slave_account_id, NULL, person_id, system_id, role_id, is_sensitive, is_third_party, facts,
             0, reviewer_id, reviewer_source, reviewer_assigned_at, 'OPEN', 'NONE'
      FROM review_item, generate_series(1, 55) WHERE id = ${base.id}::uuid`;
    const first = await listReviewInbox(s.headActor, {});
    expect(first.rows).toHaveLength(INBOX_PAGE_SIZE);
    expect(first.nextCursor).not.toBeNull();
    const second = await listReviewInbox(s.headActor, { cursor: first.nextCursor });
    const all = [...first.rows, ...second.rows].map((r) => r.id);
    expect(all).toHaveLength(s.items.filter((i) => i.reviewerId === s.head.person.id).length + 55);
    expect([...all].sort()).toEqual(all);
    expect(new Set(all).size).toBe(all.length);
    expect(second.nextCursor).toBeNull();
  });

  it("a delegate sees the delegator's items (for whom), a stranger nothing; the detail is 404 to strangers", async () => {
    const s = await scenario(2);
    const deputy = await makePerson({ orgUnitId: s.department.id });
    await getDb().approvalDelegation.create({
      data: {
        delegatorId: s.head.person.id,
        delegateId: deputy.person.id,
        startsAt: new Date(Date.now() - DAY),
        endsAt: new Date(Date.now() + DAY),
      },
    });
    const deputyActor = await actorFor(deputy.person.id);
    const seen = await listReviewInbox(deputyActor, {});
    expect(seen.rows.length).toBe(3);
    expect(seen.rows.every((r) => r.onBehalfOf === s.head.person.name)).toBe(true);
    expect(await countMyReviews(deputy.person.id)).toMatchObject({ open: 3 });

    const stranger = await actorFor((await makePerson()).person.id);
    expect((await listReviewInbox(stranger, {})).rows).toHaveLength(0);
    expect(await countMyReviews(stranger.personId)).toEqual({ open: 0, dueSoon: 0, escalated: 0 });
    const itemId = seen.rows[0]!.id;
    await expectDomainError(getReviewItem(stranger, itemId), "NOT_FOUND");
    await expectDomainError(getReviewItem(stranger, "not-a-uuid"), "NOT_FOUND");
    await expectDomainError(getReviewItem(stranger, "0190a5b2-0000-7000-8000-000000000000"), "NOT_FOUND");

    const asDeputy = await getReviewItem(deputyActor, itemId);
    expect(asDeputy).toMatchObject({ mayDecide: true, onBehalfOf: s.head.person.name, mayReassign: false });
    // The officer (manager of every campaign) sees it, but does not decide it.
    const asOfficer = await getReviewItem(s.officer.actor, itemId);
    expect(asOfficer).toMatchObject({ mayDecide: false, mayReassign: true });
    expect(asOfficer.roles[0]!.permissions[0]!.sensitivity).toBe("EXTREME");
  });

  it("a decided item leaves the open view for 'decided by me', its detail shows the decision and history", async () => {
    const s = await scenario(2);
    const [first, second] = (await listReviewInbox(s.headActor, {})).rows;
    await inTransaction((tx) =>
      decideItem(tx, s.headActor, {
        itemId: first!.id,
        decision: "KEEP",
        comment: "Still on the project",
        shownAt: new Date(Date.now() - 4000).toISOString(),
      }),
    );
    const detail = await getReviewItem(s.headActor, first!.id);
    expect(detail).toMatchObject({ status: "DECIDED", decision: "KEEP", decidedBy: s.head.person.name, mayDecide: false });
    expect(detail.history).toHaveLength(1);
    expect(detail.history[0]).toMatchObject({
      reviewer: s.head.person.name,
      decision: "KEEP",
      comment: "Still on the project",
      source: "REVIEWER",
    });
    const open = await listReviewInbox(s.headActor, {});
    expect(open.rows.map((r) => r.id)).not.toContain(first!.id);
    expect(open.rows.map((r) => r.id)).toContain(second!.id);
    const decided = await listReviewInbox(s.headActor, { view: "decided" });
    expect(decided.rows.map((r) => r.id)).toEqual([first!.id]);
    expect(decided.rows[0]).toMatchObject({ status: "DECIDED", decision: "KEEP" });
  });

  it("routing notes name whom the item went past", async () => {
    const division = await makeOrgUnit({ name: `Division ${uniq()}` });
    const department = await makeOrgUnit({ parentId: division.id, name: `Department ${uniq()}` });
    const boss = await makePerson({ orgUnitId: division.id });
    const head = await makePerson({ orgUnitId: department.id });
    await setHead(division.id, boss.person.id);
    await setHead(department.id, head.person.id);
    const r = await roleOnNewSystem({ sensitivity: "EXTREME" });
    await giveGrant(head.person.id, r.role.id);
    const officer = await makeActor(["SECURITY_OFFICER"]);
    const started = await inTransaction((tx) =>
      defineReview(tx, officer.actor, {
        name: `Own ${uniq()}`,
        scope: { systemIds: [r.system.id], sensitiveOnly: true },
        stages: [{ strategy: "DEPARTMENT_HEAD" }],
        durationDays: 14,
      }),
    );
    const bossActor = await actorFor(boss.person.id);
    const [row] = (await listReviewInbox(bossActor, { campaign: started.campaign!.campaignId })).rows;
    expect(row!.reviewerSource).toBe("ROUTED_UP");
    const detail = await getReviewItem(bossActor, row!.id);
    expect(detail.routing).toEqual({ kind: "skipped", name: head.person.name, why: "self" });
    // The head himself may not see (nor decide) his own access: it is not his item.
    await expectDomainError(getReviewItem(await actorFor(head.person.id), row!.id), "NOT_FOUND");
  });
});

describe("review decisions as the forms post them: bad input changes nothing", () => {
  it("refuses unknown decisions, bad ids, a missing shorten date, keep-without-comment on sensitive, and foreign bulk items", async () => {
    const s = await scenario(2);
    const [a, b] = (await listReviewInbox(s.headActor, {})).rows;
    await expectZodError(inTransaction((tx) => decideItem(tx, s.headActor, { itemId: a!.id, decision: "MAYBE" as "KEEP" })));
    await expectZodError(inTransaction((tx) => decideItem(tx, s.headActor, { itemId: "x", decision: "KEEP" })));
    await expectZodError(inTransaction((tx) => decideItem(tx, s.headActor, { itemId: a!.id, decision: "SHORTEN" })));
    await expectZodError(
      inTransaction((tx) => decideItem(tx, s.headActor, { itemId: a!.id, decision: "SHORTEN", newEndOn: "31/12/2026" })),
    );
    await expectDomainError(
      inTransaction((tx) => decideItem(tx, s.headActor, { itemId: a!.id, decision: "KEEP" })),
      "REVIEW_COMMENT_REQUIRED",
    );
    const stranger = await actorFor((await makePerson()).person.id);
    await expectDomainError(
      inTransaction((tx) => decideItem(tx, stranger, { itemId: a!.id, decision: "END" })),
      "NOT_A_REVIEWER",
    );
    await expectDomainError(
      inTransaction((tx) =>
        bulkDecideItems(tx, stranger, { campaignId: s.campaignId, itemIds: [a!.id, b!.id], decision: "END", comment: "Clean up" }),
      ),
      "REVIEW_BULK_FOREIGN",
    );
    await expectZodError(
      inTransaction((tx) => bulkDecideItems(tx, s.headActor, { campaignId: s.campaignId, itemIds: [a!.id], decision: "END", comment: "" })),
    );
    expect(await getDb().reviewItemDecision.count({ where: { campaignId: s.campaignId } })).toBe(0);
    expect((await countReviewInbox(s.headActor, {})).matching).toBe(3);

    // Accepting recommendations ends only the recommended items of the filter.
    const before = await countReviewInbox(s.headActor, {});
    const done = await inTransaction((tx) =>
      bulkDecideItems(tx, s.headActor, { campaignId: s.campaignId, filter: {}, decision: "RECOMMENDED", comment: "As recommended" }),
    );
    expect(done.decided).toBe(before.recommended);
    expect(await countReviewInbox(s.headActor, {})).toEqual({ matching: before.matching - before.recommended, recommended: 0 });
  });
});

describe("the reassign picker's lookup", () => {
  it("answers reviewers and managers with eligible people by name or employee number; refuses anyone else", async () => {
    const s = await scenario(2);
    const page = await lookupReviewers(s.headActor, { q: s.staff[0]!.employeeNo });
    expect(page.items).toEqual([{ id: s.staff[0]!.person.id, label: s.staff[0]!.person.name, hint: s.staff[0]!.employeeNo }]);
    expect((await lookupReviewers(s.officer.actor, { q: s.boss.person.name })).items.map((i) => i.id)).toEqual([s.boss.person.id]);
    const stranger = await actorFor((await makePerson()).person.id);
    await expectDomainError(lookupReviewers(stranger, { q: "a" }), "FORBIDDEN");
  });
});

describe("the inbox's bulk bar (decideFromInbox): ticked items across campaigns, or the whole filter", () => {
  async function secondCampaign(s: Awaited<ReturnType<typeof scenario>>) {
    const again = await inTransaction((tx) =>
      defineReview(tx, s.officer.actor, {
        name: `Inbox again ${uniq()}`,
        scope: { systemIds: [s.sensitive.system.id, s.other.system.id], sensitiveOnly: true },
        stages: [{ strategy: "DEPARTMENT_HEAD" }],
        durationDays: 14,
      }),
    );
    return again.campaign!.campaignId;
  }

  it("ticked items of two campaigns: one decision each, nothing when one is foreign or none is ticked", async () => {
    const s = await scenario(2);
    const second = await secondCampaign(s);
    const rows = (await listReviewInbox(s.headActor, {})).rows;
    const picked = [rows.find((r) => r.campaignId === s.campaignId)!.id, rows.find((r) => r.campaignId === second)!.id];
    // Another department's item (another head's) among the ticked ones: nothing is decided.
    const elsewhere = await scenario(2);
    const foreign = elsewhere.items.find((i) => i.reviewerId === elsewhere.head.person.id)!;
    await expectDomainError(
      inTransaction((tx) =>
        decideFromInbox(tx, s.headActor, { scope: "selected", itemIds: [...picked, foreign.id], decision: "END", comment: "Clean up" }),
      ),
      "REVIEW_BULK_FOREIGN",
    );
    await expectDomainError(
      inTransaction((tx) =>
        decideFromInbox(tx, s.headActor, {
          scope: "selected",
          itemIds: [picked[0]!, "0190a5b2-0000-7000-8000-000000000000"],
          decision: "END",
          comment: "x y z",
        }),
      ),
      "REVIEW_BULK_FOREIGN",
    );
    const none = await expectDomainError(
      inTransaction((tx) => decideFromInbox(tx, s.headActor, { scope: "selected", itemIds: [], decision: "END", comment: "Clean up" })),
      "VALIDATION",
    );
    expect(none.field).toBe("itemIds");
    await expectZodError(
      inTransaction((tx) =>
        decideFromInbox(tx, s.headActor, { scope: "selected", itemIds: picked, decision: "MAYBE" as "END", comment: "Clean up" }),
      ),
    );
    await expectZodError(
      inTransaction((tx) => decideFromInbox(tx, s.headActor, { scope: "selected", itemIds: picked, decision: "END", comment: "" })),
    );
    expect(await getDb().reviewItemDecision.count({ where: { itemId: { in: picked } } })).toBe(0);

    const n = await inTransaction((tx) =>
      decideFromInbox(tx, s.headActor, { scope: "selected", itemIds: picked, decision: "END", comment: "No longer needed" }),
    );
    expect(n).toBe(2);
    const decided = await getDb().reviewItem.findMany({
      where: { id: { in: picked } },
      select: { decision: true, decisionSource: true, comment: true },
    });
    expect(decided.every((d) => d.decision === "END" && d.decisionSource === "BULK" && d.comment === "No longer needed")).toBe(true);
    expect(await getDb().auditEvent.count({ where: { action: "review.items-decided", targetId: { in: [s.campaignId, second] } } })).toBe(2);
  });

  it("the whole filter: every campaign the actor has open items in, or only the one chosen", async () => {
    const s = await scenario(2);
    const second = await secondCampaign(s);
    const before = await countReviewInbox(s.headActor, {});
    const inFirst = await countReviewInbox(s.headActor, { campaign: s.campaignId });
    const one = await inTransaction((tx) =>
      decideFromInbox(tx, s.headActor, {
        scope: "filter",
        filter: { campaign: s.campaignId },
        decision: "KEEP",
        comment: "All still needed",
      }),
    );
    expect(one).toBe(inFirst.matching);
    expect((await countReviewInbox(s.headActor, { campaign: s.campaignId })).matching).toBe(0);
    const rest = await inTransaction((tx) =>
      decideFromInbox(tx, s.headActor, {
        scope: "filter",
        filter: { system: s.sensitive.system.id },
        decision: "END",
        comment: "Ending the rest",
      }),
    );
    const left = await countReviewInbox(s.headActor, {});
    expect(one + rest + left.matching).toBe(before.matching);
    expect((await listReviewInbox(s.headActor, {})).rows.every((r) => r.campaignId === second)).toBe(true);
    // What remains carries recommendations (granted outside any request): accepting ends only those.
    expect(left.recommended).toBeGreaterThan(0);
    const accepted = await inTransaction((tx) =>
      decideFromInbox(tx, s.headActor, { scope: "filter", decision: "RECOMMENDED", comment: "As recommended" }),
    );
    expect(accepted).toBe(left.recommended);
    expect(await countReviewInbox(s.headActor, {})).toEqual({ matching: left.matching - left.recommended, recommended: 0 });
    // A stranger's "whole filter" covers nothing of anyone else's.
    const stranger = await actorFor((await makePerson()).person.id);
    await expectDomainError(
      inTransaction((tx) => decideFromInbox(tx, stranger, { scope: "filter", decision: "END", comment: "Clean up" })),
      "REVIEW_BULK_FOREIGN",
    );
  });
});

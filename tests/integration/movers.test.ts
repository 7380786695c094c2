import { describe, expect, it } from "vitest";
import { getDb, inTransaction } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { updatePerson } from "@/lib/people/update-person";
import { previewMoverRevocations } from "@/lib/people/mover";
import {
  actorFor,
  auditMark,
  auditSince,
  expectDomainError,
  expectZodError,
  FACTORY,
  lastAuditRow,
  makeActor,
  makeOrgUnit,
  makePerson,
} from "../factories";
import { setOrgUnitHead } from "@/lib/org/set-org-unit-head";
import { decideItem } from "@/lib/reviews/decide";
import { runReviewSchedule } from "@/lib/reviews/close-campaign";
import { grantOf, outboxFor, roleWith, systemWithRoles } from "../lifecycle-fixtures";

type UpdateInput = Parameters<typeof updatePerson>[2];
const update = (actor: Actor, input: UpdateInput) => inTransaction((tx) => updatePerson(tx, actor, input));

function editOf(p: { id: string; name: string; orgUnitId: string; jobTitle: string }, overrides: Partial<UpdateInput> = {}): UpdateInput {
  return { personId: p.id, name: p.name, orgUnitId: p.orgUnitId, jobTitle: p.jobTitle, reason: "Transferred to billing", ...overrides };
}

/** A person holding a sensitive and a low role in a connected system, and a low customer-information role in another. */
async function mover() {
  const a = await systemWithRoles({ connected: true });
  const b = await systemWithRoles();
  const customerInfo = await roleWith(b.admin.actor, b.system.id, "LOW", "IDENTITY");
  const target = await makePerson();
  const sensitive = await grantOf(a.admin.actor, target.person.id, a.sensitive.id);
  const low = await grantOf(a.admin.actor, target.person.id, a.low.id);
  const info = await grantOf(b.admin.actor, target.person.id, customerInfo.id);
  return { a, b, target, sensitive, low, info };
}

const live = async (id: string) => (await getDb().accessGrant.findUniqueOrThrow({ where: { id } })).revokedAt === null;

describe("movers (R5): a job change stops sensitive access at once", () => {
  it("the grants a move leaves go to the new department head, who keeps or ends each within the setting's days; undecided ones end", async () => {
    const { actor: hr } = await makeActor(["HR"]);
    const m = await mover();
    const newUnit = await makeOrgUnit();
    const newHead = await makePerson({ orgUnitId: newUnit.id });
    await inTransaction((tx) => setOrgUnitHead(tx, FACTORY, { orgUnitId: newUnit.id, personId: newHead.person.id }));
    await update(hr, editOf(m.target.person, { orgUnitId: newUnit.id }));
    const summary = (await lastAuditRow({ action: "person.updated", targetId: m.target.person.id })).summary as { moverReviewId: string };
    const campaign = await getDb().reviewCampaign.findUniqueOrThrow({ where: { id: summary.moverReviewId }, include: { items: true } });
    expect(campaign.items.map((i) => i.grantId).sort()).toEqual([m.low.id, m.info.id].sort());
    expect(campaign.items.every((i) => i.reviewerId === newHead.person.id && i.reviewerSource === "RESOLVED")).toBe(true);
    expect(campaign.deadlineAt.getTime() - Date.now()).toBeGreaterThan(13 * 86_400_000);
    expect(campaign.deadlineAt.getTime() - Date.now()).toBeLessThan(15 * 86_400_000);
    const head = await actorFor(newHead.person.id);
    const keep = campaign.items.find((i) => i.grantId === m.low.id)!;
    await inTransaction((tx) => decideItem(tx, head, { itemId: keep.id, decision: "KEEP", comment: "Same tool in the new team" }));
    await runReviewSchedule(new Date(campaign.deadlineAt.getTime() + 1000));
    expect(await live(m.low.id)).toBe(true);
    expect(await live(m.info.id)).toBe(false);
    expect((await getDb().accessGrant.findUniqueOrThrow({ where: { id: m.info.id } })).revokeReason).toMatch(/^Access review REV-/);
  });

  it("a new job title revokes only the sensitive grants, set-based, audited with cause 'mover', with outbox rows", async () => {
    const { actor: hr } = await makeActor(["HR"]);
    const m = await mover();
    expect(await previewMoverRevocations(m.target.person.id)).toBe(1);
    const mark = await auditMark();
    const result = await update(hr, editOf(m.target.person, { jobTitle: "Billing analyst", confirmMover: true }));
    expect(result).toEqual({ id: m.target.person.id, changed: ["jobTitle"], sensitiveGrantsRevoked: [m.sensitive.id] });

    expect(await getDb().accessGrant.findUniqueOrThrow({ where: { id: m.sensitive.id } })).toMatchObject({
      revokedAt: expect.any(Date),
      revokedById: hr.personId,
      revokeReason: "mover",
    });
    expect(await live(m.low.id)).toBe(true);
    expect(await live(m.info.id)).toBe(true);
    expect(await previewMoverRevocations(m.target.person.id)).toBe(0);

    const rows = await auditSince(mark);
    // The remaining grants go to the (new) department head to keep or end (issue 11 §2): an access review.
    expect(rows.map((r) => r.action)).toEqual(["grant.revoked", "review.defined", "review.campaign-started", "person.updated"]);
    expect(rows[3]).toMatchObject({ actorId: hr.personId, summary: { changed: ["jobTitle"], mover: true, sensitiveGrantsRevoked: 1 } });
    expect(rows[0]).toMatchObject({
      actorId: hr.personId,
      targetType: "person",
      targetId: m.target.person.id,
      reason: "Transferred to billing",
      summary: { personId: m.target.person.id, cause: "mover", count: 1, systemIds: [m.a.system.id] },
    });
    expect(rows[0]!.items).toEqual([expect.objectContaining({ kind: "grant", subjectId: m.sensitive.id, personId: m.target.person.id })]);
    const revokedRows = (await outboxFor(m.a.system.id)).filter((o) => o.operation === "grant.revoked");
    expect(revokedRows.map((o) => o.grantId)).toEqual([m.sensitive.id]);
    expect(revokedRows[0]!.payload).toMatchObject({ cause: "mover", roleCode: m.a.sensitive.code });
  });

  it("a new org unit or new job categories is a move too; a name or e-mail change is not", async () => {
    const { actor: hr } = await makeActor(["HR"]);
    const m1 = await mover();
    const unit = await makeOrgUnit();
    expect((await update(hr, editOf(m1.target.person, { orgUnitId: unit.id }))).sensitiveGrantsRevoked).toEqual([m1.sensitive.id]);

    const m2 = await mover();
    expect((await update(hr, editOf(m2.target.person, { jobCategories: ["PRODUCTION_OPERATIONS"] }))).sensitiveGrantsRevoked).toEqual([
      m2.sensitive.id,
    ]);

    const m3 = await mover();
    const mark = await auditMark();
    const renamed = await update(hr, editOf(m3.target.person, { name: "New Name", email: "renamed@test.example", confirmMover: false }));
    expect(renamed).toEqual({ id: m3.target.person.id, changed: ["name", "email"], sensitiveGrantsRevoked: [] });
    expect(await live(m3.sensitive.id)).toBe(true);
    expect((await auditSince(mark)).map((r) => r.action)).toEqual(["person.updated"]);
  });

  it("rebuilds the person's policy findings at once: what the move made non-compliant shows without waiting for the check", async () => {
    const { actor: hr } = await makeActor(["HR"]);
    const m = await mover();
    // Marketing policy & planning never gets customer information (catalogue rule, R16).
    await update(hr, editOf(m.target.person, { jobCategories: ["MARKETING_POLICY"], confirmMover: true }));
    const findings = await getDb().policyFinding.findMany({ where: { personId: m.target.person.id } });
    expect(findings.map((f) => [f.code, f.grantId])).toEqual([["MARKETING_POLICY_CUSTOMER_INFO", m.info.id]]);
    // Moving on again clears it.
    await update(hr, editOf(m.target.person, { jobCategories: ["PRODUCTION_OPERATIONS"] }));
    expect(await getDb().policyFinding.count({ where: { personId: m.target.person.id } })).toBe(0);
  });

  it("the edit form must confirm the revocation: unconfirmed, CONFIRMATION_REQUIRED with the count and nothing written", async () => {
    const { actor: hr } = await makeActor(["HR"]);
    const m = await mover();
    const mark = await auditMark();
    const error = await expectDomainError(
      update(hr, editOf(m.target.person, { jobTitle: "Billing analyst", confirmMover: false })),
      "CONFIRMATION_REQUIRED",
    );
    expect(error).toMatchObject({ field: "confirmMover", params: { count: 1 } });
    expect(await auditSince(mark)).toEqual([]);
    expect((await getDb().person.findUniqueOrThrow({ where: { id: m.target.person.id } })).jobTitle).toBe(m.target.person.jobTitle);
    expect(await live(m.sensitive.id)).toBe(true);
    // With nothing sensitive to lose, no confirmation is needed.
    const plain = await makePerson();
    expect((await update(hr, editOf(plain.person, { jobTitle: "Clerk", confirmMover: false }))).changed).toEqual(["jobTitle"]);
    await expectZodError(update(hr, { ...editOf(m.target.person, { jobTitle: "x" }), confirmMover: 3 as never }));
  });

  it("follows the classification setting: a role of a level not counted as sensitive stays", async () => {
    const { actor: hr } = await makeActor(["HR"]);
    const s = await systemWithRoles();
    const relative = await roleWith(s.admin.actor, s.system.id, "RELATIVE", "IDENTITY");
    const extreme = await roleWith(s.admin.actor, s.system.id, "EXTREME", "IDENTITY");
    const target = await makePerson();
    const gr = await grantOf(s.admin.actor, target.person.id, relative.id);
    const ge = await grantOf(s.admin.actor, target.person.id, extreme.id);
    const result = await update(hr, editOf(target.person, { jobTitle: "Moved" }));
    expect(result.sensitiveGrantsRevoked).toEqual([ge.id]);
    expect(await live(gr.id)).toBe(true);
  });
});

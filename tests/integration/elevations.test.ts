import { describe, expect, it } from "vitest";
import { getDb, inTransaction } from "@/lib/db";
import { systemActor } from "@/lib/authz/actor";
import { listActiveElevations } from "@/lib/access/queries";
import { endElevation } from "@/lib/access/end-elevation";
import { expireDueGrants } from "@/lib/grants/expire-grants";
import { runDueJobs } from "@/lib/jobs/scheduler";
import { auditMark, auditSince, itemIds, expectDomainError, expectZodError, lastAuditRow, makeActor, makePerson } from "../factories";
import { giveGrant, pendingRequest, roleOnNewSystem } from "../access-fixtures";

const HOUR = 3_600_000;

/**
 * An approved R10 elevation: a third party (with a sponsor) holds a role through an ELEVATION request
 * that their sponsor and a security officer approved, ending in `hours`.
 */
async function approvedElevation(opts: { hours?: number; connected?: boolean } = {}) {
  const { system, role } = await roleOnNewSystem({ connected: opts.connected });
  const vendorPerson = await makePerson({ employmentType: "THIRD_PARTY" });
  const person = await getDb().person.findUniqueOrThrow({ where: { id: vendorPerson.person.id }, select: { sponsorId: true } });
  const officer = await makePerson({ roles: ["SECURITY_OFFICER"] });
  const { request, stage } = await pendingRequest({
    kind: "ELEVATION",
    requesterId: person.sponsorId!,
    subjectId: vendorPerson.person.id,
    systemId: system.id,
    roleId: role.id,
    approverIds: [person.sponsorId!],
  });
  const grant = await giveGrant(vendorPerson.person.id, role.id, {
    endsAt: new Date(Date.now() + (opts.hours ?? 8) * HOUR),
    requestId: request.id,
    elevation: true,
  });
  await getDb().approvalDecision.createMany({
    data: [
      { requestId: request.id, stageId: stage.id, approverId: person.sponsorId!, outcome: "APPROVE" },
      { requestId: request.id, stageId: stage.id, approverId: officer.person.id, outcome: "APPROVE", comment: "Change window CHG-1" },
    ],
  });
  await getDb().accessRequest.update({ where: { id: request.id }, data: { status: "APPROVED", grantId: grant.id, decidedAt: new Date() } });
  return { system, role, vendorPerson, sponsorId: person.sponsorId!, request, grant };
}

describe("listActiveElevations", () => {
  it("shows live elevations to security officers, and to account administrators of that system only", async () => {
    const e = await approvedElevation();
    const officer = await makeActor(["SECURITY_OFFICER"]);
    const admin = await makeActor([{ role: "ACCOUNT_ADMIN", systemId: e.system.id }]);
    const otherAdmin = await makeActor(["ACCOUNT_ADMIN"]);
    // An ordinary grant of a time-bound role is no elevation.
    const plain = await roleOnNewSystem();
    await giveGrant((await makePerson()).person.id, plain.role.id, { endsAt: new Date(Date.now() + HOUR) });

    const all = await listActiveElevations(officer.actor, { pageSize: 500 });
    const row = all.rows.find((r) => r.grantId === e.grant.id);
    expect(row).toMatchObject({
      person: { id: e.vendorPerson.person.id },
      sponsor: { id: e.sponsorId },
      system: { id: e.system.id },
      role: { id: e.role.id },
      request: { id: e.request.id },
    });
    expect(row!.approvals).toHaveLength(2);
    expect(all.rows.every((r) => r.system.id !== plain.system.id)).toBe(true);
    expect((await listActiveElevations(admin.actor)).rows.map((r) => r.grantId)).toEqual([e.grant.id]);
    expect((await listActiveElevations(otherAdmin.actor)).rows).toEqual([]);
  });
});

describe("endElevation", () => {
  it("lets a security officer end one early: audited with its request, holder and sponsor told, outbox written", async () => {
    const e = await approvedElevation({ connected: true });
    const officer = await makeActor(["SECURITY_OFFICER"]);
    await inTransaction((tx) => endElevation(tx, officer.actor, { grantId: e.grant.id, reason: "Work finished early" }));
    const grant = await getDb().accessGrant.findUniqueOrThrow({ where: { id: e.grant.id } });
    expect(grant).toMatchObject({ revokedById: officer.person.id, revokeReason: "Work finished early" });
    expect(await lastAuditRow({ action: "elevation.ended", targetId: e.grant.id })).toMatchObject({
      actorId: officer.person.id,
      reason: "Work finished early",
      summary: { requestId: e.request.id },
    });
    for (const id of [e.vendorPerson.person.id, e.sponsorId]) {
      expect(await getDb().notification.count({ where: { recipientId: id, kind: "grant-expired" } })).toBe(1);
    }
    expect(await getDb().provisioningOutbox.findFirst({ where: { grantId: e.grant.id, operation: "grant.revoked" } })).toMatchObject({
      payload: { cause: "elevation-ended" },
    });
    expect((await listActiveElevations(officer.actor, { pageSize: 500 })).rows.some((r) => r.grantId === e.grant.id)).toBe(false);

    const mark = await auditMark();
    await expectDomainError(
      inTransaction((tx) => endElevation(tx, officer.actor, { grantId: e.grant.id, reason: "Again" })),
      "NOT_AN_ELEVATION",
    );
    expect(await auditSince(mark)).toEqual([]);
  });

  it("is for security officers only, for elevations only, with a reason", async () => {
    const e = await approvedElevation();
    const admin = await makeActor([{ role: "ACCOUNT_ADMIN", systemId: e.system.id }]);
    const officer = await makeActor(["SECURITY_OFFICER"]);
    const plain = await roleOnNewSystem();
    const ordinary = await giveGrant((await makePerson()).person.id, plain.role.id, { endsAt: new Date(Date.now() + HOUR) });
    const mark = await auditMark();
    await expectDomainError(
      inTransaction((tx) => endElevation(tx, admin.actor, { grantId: e.grant.id, reason: "Not mine to end" })),
      "FORBIDDEN",
    );
    await expectDomainError(
      inTransaction((tx) => endElevation(tx, officer.actor, { grantId: ordinary.id, reason: "Not an elevation" })),
      "NOT_AN_ELEVATION",
    );
    await expectZodError(inTransaction((tx) => endElevation(tx, officer.actor, { grantId: e.grant.id, reason: "" })));
    expect(await auditSince(mark)).toEqual([]);
    expect((await getDb().accessGrant.findUniqueOrThrow({ where: { id: e.grant.id } })).revokedAt).toBeNull();
  });
});

describe("automatic revocation (R10)", () => {
  it("the expiry job ends an elevation when its time is up; it leaves the active list and the holder is told", async () => {
    const e = await approvedElevation({ hours: 2 });
    const officer = await makeActor(["SECURITY_OFFICER"]);
    const before = new Date(e.grant.endsAt!.getTime() - 60_000);
    await inTransaction((tx) => expireDueGrants(tx, systemActor("scheduler"), before));
    expect((await getDb().accessGrant.findUniqueOrThrow({ where: { id: e.grant.id } })).revokedAt).toBeNull();

    const after = new Date(e.grant.endsAt!.getTime() + 1000);
    const mark = await auditMark();
    // The scheduler's own entry point (every minute in the server).
    await runDueJobs(after);
    const grant = await getDb().accessGrant.findUniqueOrThrow({ where: { id: e.grant.id } });
    expect(grant).toMatchObject({ revokedAt: e.grant.endsAt, revokeReason: "expired" });
    const audit = (await auditSince(mark)).find((r) => r.action === "grant.expired" && itemIds(r, "grant").includes(e.grant.id));
    expect(audit).toBeTruthy();
    expect(await getDb().notification.count({ where: { recipientId: e.vendorPerson.person.id, kind: "grant-expired" } })).toBe(1);
    expect((await listActiveElevations(officer.actor, { pageSize: 500 }, after)).rows.some((r) => r.grantId === e.grant.id)).toBe(false);
  });
});

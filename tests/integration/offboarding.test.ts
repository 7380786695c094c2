import { describe, expect, it } from "vitest";
import { getDb, inTransaction } from "@/lib/db";
import { systemActor } from "@/lib/authz/actor";
import { offboardPerson } from "@/lib/offboarding/offboard-person";
import { cancelOffboarding } from "@/lib/offboarding/cancel-offboarding";
import { runDueOffboarding, runDueOffboardings } from "@/lib/offboarding/run-due";
import { offboardVendor } from "@/lib/offboarding/offboard-vendor";
import { getReceipt, listCases } from "@/lib/offboarding/queries";
import { openManualTasks, completeManualTask } from "@/lib/provisioning/manual-tasks";
import { addDays, dayIn, zonedMidnight } from "@/lib/time/calendar";
import { auditMark, auditSince, expectDomainError, expectZodError, makeActor, makeOrgUnit, makePerson, makeVendor } from "../factories";
import { grantOf, liveGrantCount, systemWithRoles } from "../lifecycle-fixtures";
import { openApprovers, pendingRequest, roleOnNewSystem } from "../access-fixtures";
import { setHead } from "../request-factories";

const HOUR = 3_600_000;

async function hr() {
  return makeActor(["HR"]);
}

/** A person with a live grant in a connected system and one in a system with a manual connector. */
async function leaverWithAccess() {
  const scim = await systemWithRoles({ connected: true });
  const manual = await systemWithRoles({ connected: true });
  await getDb().systemConnector.create({ data: { systemId: manual.system.id, kind: "MANUAL" } });
  const person = await makePerson();
  await grantOf(scim.admin.actor, person.person.id, scim.low.id);
  await grantOf(scim.admin.actor, person.person.id, scim.sensitive.id);
  await grantOf(manual.admin.actor, person.person.id, manual.low.id);
  return { scim, manual, person };
}

describe("offboarding a person now (issue 11 §2)", () => {
  it("in one transaction: LEFT, master account disabled, sessions, grants, accounts, open requests, approver seats, delegations; a receipt", async () => {
    const { scim, manual, person } = await leaverWithAccess();
    const { actor } = await hr();
    const session = await getDb().portalSession.create({ data: { accountId: person.account.id } });
    // A request for the leaver, and a stage where the leaver is the open approver (their head takes it).
    const { system, role } = await roleOnNewSystem();
    const forLeaver = await pendingRequest({
      requesterId: person.person.id,
      systemId: system.id,
      roleId: role.id,
      approverIds: [(await makePerson()).person.id],
    });
    const unit = await makeOrgUnit();
    const head = await makePerson({ orgUnitId: unit.id });
    await setHead(unit.id, head.person.id);
    const approverLeaver = await makePerson({ orgUnitId: unit.id });
    await getDb().person.update({ where: { id: person.person.id }, data: { orgUnitId: unit.id } });
    const requester = await makePerson();
    const waiting = await pendingRequest({
      requesterId: requester.person.id,
      systemId: system.id,
      roleId: role.id,
      approverIds: [person.person.id],
    });
    // Delegations by the leaver and to the leaver end.
    const other = await makePerson();
    const now = new Date();
    const by = await getDb().approvalDelegation.create({
      data: { delegatorId: person.person.id, delegateId: other.person.id, startsAt: now, endsAt: new Date(now.getTime() + 48 * HOUR) },
    });
    const to = await getDb().approvalDelegation.create({
      data: { delegatorId: other.person.id, delegateId: person.person.id, startsAt: now, endsAt: new Date(now.getTime() + 48 * HOUR) },
    });
    void approverLeaver;

    const mark = await auditMark();
    const done = await inTransaction((tx) => offboardPerson(tx, actor, { personId: person.person.id, reason: "Resigned" }, now));
    expect(done.status).toBe("COMPLETED");

    expect((await getDb().person.findUniqueOrThrow({ where: { id: person.person.id } })).status).toBe("LEFT");
    expect((await getDb().masterAccount.findUniqueOrThrow({ where: { id: person.account.id } })).status).toBe("DISABLED");
    expect((await getDb().portalSession.findUniqueOrThrow({ where: { id: session.id } })).revokedAt).not.toBeNull();
    expect(await liveGrantCount(person.person.id)).toBe(0);
    expect(await getDb().slaveAccount.count({ where: { personId: person.person.id, status: { not: "DISABLED" } } })).toBe(0);
    expect((await getDb().accessRequest.findUniqueOrThrow({ where: { id: forLeaver.request.id } })).status).toBe("CANCELLED");
    expect(await openApprovers(waiting.stage.id)).toEqual([`${head.person.id}:REROUTED:${person.person.id}`]);
    for (const d of [by, to])
      expect((await getDb().approvalDelegation.findUniqueOrThrow({ where: { id: d.id } })).revokedAt).not.toBeNull();

    const c = await getDb().offboardingCase.findUniqueOrThrow({ where: { id: done.caseId } });
    expect(c).toMatchObject({ status: "COMPLETED", source: "HR", reason: "Resigned", executedAt: now, requestedById: actor.personId });
    expect(c.counts).toEqual({
      sessionsEnded: 1,
      grantsEnded: 3,
      accountsDisabled: 2,
      requestsCancelled: 1,
      stagesRerouted: 1,
      stagesWithoutHead: 0,
      delegationsEnded: 2,
    });
    // Every outbox row of the departure belongs to the case.
    const rows = await getDb().provisioningOutbox.findMany({ where: { offboardingCaseId: done.caseId } });
    expect(rows.map((r) => `${r.systemId === scim.system.id ? "scim" : "manual"}:${r.operation}`).sort()).toEqual(
      [
        "manual:grant.revoked",
        "manual:slave-account.disabled",
        "scim:grant.revoked",
        "scim:grant.revoked",
        "scim:slave-account.disabled",
      ].sort(),
    );

    const actions = (await auditSince(mark)).map((r) => r.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        "grant.revoked",
        "request.cancelled",
        "delegation.ended",
        "offboarding.completed",
        "person.status-changed",
        "slave-account.disabled",
      ]),
    );

    // The receipt: both systems, the portal side done, nothing confirmed yet.
    const receipt = (await getReceipt(done.caseId))!;
    expect(receipt.portalMs).toBe(0);
    expect(receipt.lines.map((l) => `${l.systemId === scim.system.id ? "scim" : "manual"}:${l.state}`).sort()).toEqual([
      "manual:SENDING",
      "scim:SENDING",
    ]);
    expect(receipt.lastConfirmedAt).toBeNull();
    // On the list, the case waits for two systems (not five rows).
    let page = await listCases({ status: "OPEN" });
    while (!page.rows.some((r) => r.id === done.caseId) && page.nextCursor) page = await listCases({ status: "OPEN" }, page.nextCursor);
    expect(page.rows.find((r) => r.id === done.caseId)?.open).toBe(2);

    // The manual system's task opens, is done by its administrator; the SCIM rows are delivered.
    await openManualTasks(new Date(now.getTime() + 1000));
    let line = (await getReceipt(done.caseId))!.lines.find((l) => l.systemId === manual.system.id)!;
    expect(line.state).toBe("TASK_OPEN");
    const tasks = await getDb().provisioningTask.findMany({
      where: { systemId: manual.system.id, status: "OPEN", slaveAccountId: { not: null } },
    });
    for (const t of tasks)
      await inTransaction((tx) => completeManualTask(tx, manual.admin.actor, { taskId: t.id, note: "Disabled in the system" }));
    line = (await getReceipt(done.caseId))!.lines.find((l) => l.systemId === manual.system.id)!;
    expect(line.state).toBe("TASK_DONE");
    const confirmAt = new Date(now.getTime() + 5000);
    await getDb().provisioningOutbox.updateMany({
      where: { offboardingCaseId: done.caseId, systemId: scim.system.id },
      data: { status: "DELIVERED", deliveredAt: confirmAt },
    });
    await getDb().provisioningTask.updateMany({
      where: { id: { in: tasks.map((t) => t.id) } },
      data: { status: "VERIFIED", verifiedAt: confirmAt },
    });
    const final = (await getReceipt(done.caseId))!;
    expect(final.lines.map((l) => l.state).sort()).toEqual(["CONFIRMED", "VERIFIED"]);
    expect(final.lastConfirmedAt).toEqual(confirmAt);
    expect(final.allConfirmedMs).toBe(5000);
  });

  it("refuses bad input with nothing written: unknown person, a past last working day, a leaver, oneself, no reason", async () => {
    const { actor, person: self } = await hr();
    const p = await makePerson();
    const mark = await auditMark();
    await expectDomainError(
      inTransaction((tx) => offboardPerson(tx, actor, { personId: "0190a000-0000-7000-8000-000000000000", reason: "Left" })),
      "NOT_FOUND",
    );
    await expectDomainError(
      inTransaction((tx) =>
        offboardPerson(tx, actor, { personId: p.person.id, lastWorkingDay: addDays(dayIn(new Date()), -1), reason: "Left" }),
      ),
      "OFFBOARDING_DATE_PAST",
    );
    await expectDomainError(
      inTransaction((tx) =>
        offboardPerson(tx, actor, { personId: self.id, lastWorkingDay: addDays(dayIn(new Date()), 3), reason: "Left" }),
      ),
      "FORBIDDEN",
    );
    await expectZodError(inTransaction((tx) => offboardPerson(tx, actor, { personId: p.person.id, reason: "" })));
    await expectZodError(
      inTransaction((tx) => offboardPerson(tx, actor, { personId: p.person.id, lastWorkingDay: "2026-02-30", reason: "Left" })),
    );
    expect(await auditSince(mark)).toEqual([]);
    expect(await getDb().offboardingCase.count({ where: { personId: p.person.id } })).toBe(0);
    // Staff without the HR role cannot offboard anyone.
    const staff = await makeActor([]);
    await expectDomainError(
      inTransaction((tx) => offboardPerson(tx, staff.actor, { personId: p.person.id, reason: "Left" })),
      "FORBIDDEN",
    );
    // A leaver cannot leave twice.
    await inTransaction((tx) => offboardPerson(tx, actor, { personId: p.person.id, reason: "Left" }));
    await expectDomainError(
      inTransaction((tx) => offboardPerson(tx, actor, { personId: p.person.id, reason: "Left" })),
      "STATUS_TRANSITION",
    );
  });
});

describe("offboarding on a last working day [calendar]", () => {
  it("waits until the day after the last working day begins (portal time zone), then the job runs it once; one waiting case per person", async () => {
    const { actor } = await hr();
    const { scim, person } = await leaverWithAccess();
    const now = new Date();
    const lastDay = dayIn(now);
    const scheduled = await inTransaction((tx) =>
      offboardPerson(tx, actor, { personId: person.person.id, lastWorkingDay: lastDay, reason: "Contract moves" }, now),
    );
    expect(scheduled.status).toBe("SCHEDULED");
    const c = await getDb().offboardingCase.findUniqueOrThrow({ where: { id: scheduled.caseId } });
    expect(c.effectiveAt).toEqual(zonedMidnight(addDays(lastDay, 1)));
    await expectDomainError(
      inTransaction((tx) => offboardPerson(tx, actor, { personId: person.person.id, lastWorkingDay: lastDay, reason: "Again" }, now)),
      "OFFBOARDING_SCHEDULED",
    );

    // Before its time the job leaves it alone (the person still works on the last day).
    const justBefore = new Date(c.effectiveAt.getTime() - 1000);
    expect(await inTransaction((tx) => runDueOffboarding(tx, systemActor("scheduler"), justBefore, []))).not.toBe(scheduled.caseId);
    expect((await getDb().person.findUniqueOrThrow({ where: { id: person.person.id } })).status).toBe("ACTIVE");
    expect(await liveGrantCount(person.person.id)).toBe(3);

    // At its time it runs, once, however many workers run the round.
    const at = new Date(c.effectiveAt.getTime() + 1000);
    await Promise.all([runDueOffboardings(at), runDueOffboardings(at)]);
    const ran = await getDb().offboardingCase.findUniqueOrThrow({ where: { id: scheduled.caseId } });
    expect(ran).toMatchObject({ status: "COMPLETED", executedAt: at });
    expect(await liveGrantCount(person.person.id)).toBe(0);
    expect(await getDb().offboardingCase.count({ where: { personId: person.person.id } })).toBe(1);
    expect(await getDb().provisioningOutbox.count({ where: { offboardingCaseId: ran.id, systemId: scim.system.id } })).toBe(3);
    const receipt = (await getReceipt(ran.id))!;
    expect(receipt.portalMs).toBe(1000);
  });

  it("HR cancels a waiting case (the person stays); a case that already ran cannot be cancelled", async () => {
    const { actor } = await hr();
    const p = await makePerson();
    const lastDay = addDays(dayIn(new Date()), 5);
    const c = await inTransaction((tx) => offboardPerson(tx, actor, { personId: p.person.id, lastWorkingDay: lastDay, reason: "Leaving" }));
    const mark = await auditMark();
    await inTransaction((tx) => cancelOffboarding(tx, actor, { caseId: c.caseId, reason: "Stays after all" }));
    expect((await getDb().offboardingCase.findUniqueOrThrow({ where: { id: c.caseId } })).status).toBe("CANCELLED");
    expect((await auditSince(mark)).map((r) => r.action)).toEqual(["offboarding.cancelled"]);
    const err = await expectDomainError(
      inTransaction((tx) => cancelOffboarding(tx, actor, { caseId: c.caseId, reason: "Twice" })),
      "CONFLICT",
    );
    expect(err.params.status).toBe("CANCELLED");
    // Nothing ran: a far-future round finds it cancelled.
    await runDueOffboardings(zonedMidnight(addDays(lastDay, 2)));
    expect((await getDb().person.findUniqueOrThrow({ where: { id: p.person.id } })).status).toBe("ACTIVE");

    // Cancel racing the job: one outcome — the job ran it, the cancel is told so.
    const q = await makePerson();
    const d = await inTransaction((tx) =>
      offboardPerson(tx, actor, { personId: q.person.id, lastWorkingDay: dayIn(new Date()), reason: "Leaving" }),
    );
    await runDueOffboardings(new Date(Date.now() + 48 * HOUR));
    const lost = await expectDomainError(
      inTransaction((tx) => cancelOffboarding(tx, actor, { caseId: d.caseId, reason: "Too late" })),
      "CONFLICT",
    );
    expect(lost.params.status).toBe("COMPLETED");
  });

  it("HR recording the departure by hand completes the waiting case instead of opening another", async () => {
    const { actor } = await hr();
    const p = await makePerson();
    const c = await inTransaction((tx) =>
      offboardPerson(tx, actor, { personId: p.person.id, lastWorkingDay: addDays(dayIn(new Date()), 10), reason: "Leaving" }),
    );
    const now = await inTransaction((tx) => offboardPerson(tx, actor, { personId: p.person.id, reason: "Left early" }));
    expect(now.caseId).toBe(c.caseId);
    const row = await getDb().offboardingCase.findUniqueOrThrow({ where: { id: c.caseId } });
    expect(row.status).toBe("COMPLETED");
    expect(row.effectiveAt.getTime()).toBeLessThanOrEqual(row.executedAt!.getTime());
  });
});

describe("offboarding a vendor's people at once (R10)", () => {
  it("terminated early: every person of the vendor leaves in one action, one batch of cases; the vendor becomes inactive", async () => {
    const { actor } = await hr();
    const vendor = await makeVendor({ contractEndsOn: addDays(dayIn(new Date()), 100) });
    const s = await systemWithRoles({ connected: true });
    const people = [];
    for (let i = 0; i < 3; i++) {
      const p = await makePerson({ employmentType: "THIRD_PARTY", vendorId: vendor.id });
      await grantOf(s.admin.actor, p.person.id, s.low.id);
      people.push(p);
    }
    const bystander = await makePerson({ employmentType: "THIRD_PARTY" });

    // "Contract ended" is refused while the contract runs.
    await expectDomainError(
      inTransaction((tx) => offboardVendor(tx, actor, { vendorId: vendor.id, mode: "CONTRACT_ENDED", reason: "Contract over" })),
      "VENDOR_CONTRACT_RUNNING",
    );
    const done = await inTransaction((tx) =>
      offboardVendor(tx, actor, { vendorId: vendor.id, mode: "TERMINATED", reason: "Terminated for breach" }),
    );
    expect(done.people).toBe(3);
    expect(done.grantsEnded).toBe(3);
    for (const p of people) {
      expect((await getDb().person.findUniqueOrThrow({ where: { id: p.person.id } })).status).toBe("LEFT");
      expect(await liveGrantCount(p.person.id)).toBe(0);
    }
    expect((await getDb().person.findUniqueOrThrow({ where: { id: bystander.person.id } })).status).toBe("ACTIVE");
    const v = await getDb().vendor.findUniqueOrThrow({ where: { id: vendor.id } });
    expect(v.isActive).toBe(false);
    expect(v.contractEndsOn.toISOString().slice(0, 10)).toBe(dayIn(new Date()));
    const batch = await listCases({ batchId: done.batchId });
    expect(batch.rows.map((r) => r.personId).sort()).toEqual(people.map((p) => p.person.id).sort());
    expect(batch.rows.every((r) => r.source === "VENDOR" && r.status === "COMPLETED")).toBe(true);
    // Again: nobody is left to offboard; the action says so by doing nothing.
    const again = await inTransaction((tx) => offboardVendor(tx, actor, { vendorId: vendor.id, mode: "CONTRACT_ENDED", reason: "Again" }));
    expect(again.people).toBe(0);
  });
});

describe("offboarding racing an approval (issue 11: both orders, real PostgreSQL)", () => {
  it("whichever commits first, no grant survives: the approver either finishes first (and the grant is ended) or is told the request was withdrawn", async () => {
    const { decideRequest } = await import("@/lib/requests/decide-request");
    const { submitAs } = await import("../request-factories");
    const { makeRequestScenario } = await import("../request-factories");
    const { staggered } = await import("../race");
    const { actor: hrActor } = await hr();
    for (const offboardFirst of [true, false]) {
      const s = await makeRequestScenario();
      const r = await submitAs(s.staff.actor, { roleId: s.role.id });
      await inTransaction((tx) => decideRequest(tx, s.head.actor, { requestId: r.id, outcome: "APPROVE" }));
      const offboard = (tx: Parameters<Parameters<typeof inTransaction>[0]>[0]) =>
        offboardPerson(tx, hrActor, { personId: s.staff.person.id, reason: "Dismissed" });
      const approve = (tx: Parameters<Parameters<typeof inTransaction>[0]>[0]) =>
        decideRequest(tx, s.owner.actor, { requestId: r.id, outcome: "APPROVE" });
      const results = await Promise.allSettled(offboardFirst ? staggered(offboard, approve) : staggered(approve, offboard));
      const [first, second] = results;
      expect(first!.status).toBe("fulfilled");
      if (offboardFirst) {
        // The approval waited for the request and found it withdrawn.
        expect(second!.status).toBe("rejected");
        expect((second as PromiseRejectedResult).reason).toMatchObject({ code: "REQUEST_CLOSED", params: { status: "CANCELLED" } });
        expect((await getDb().accessRequest.findUniqueOrThrow({ where: { id: r.id } })).closingNote).toBe("Dismissed");
      } else {
        // The approval finished first; the offboarding then ended the grant it made.
        expect(second!.status).toBe("fulfilled");
        expect(await getDb().accessGrant.count({ where: { requestId: r.id } })).toBe(1);
      }
      expect(await liveGrantCount(s.staff.person.id)).toBe(0);
      expect((await getDb().person.findUniqueOrThrow({ where: { id: s.staff.person.id } })).status).toBe("LEFT");
    }
  });
});

describe("the offboarding dashboard", () => {
  it("counts unconfirmed cases and stuck deliveries, and the week's confirmed cases once every system confirmed", async () => {
    const { offboardingDashboard } = await import("@/lib/offboarding/queries");
    const { actor } = await hr();
    const { scim, person } = await leaverWithAccess();
    const now = new Date();
    const before = await offboardingDashboard(now);
    const done = await inTransaction((tx) => offboardPerson(tx, actor, { personId: person.person.id, reason: "Resigned" }, now));
    const after = await offboardingDashboard(now);
    expect(after.unconfirmed).toBe(before.unconfirmed + 1);
    const week = (d: typeof after) => d.weeks[d.weeks.length - 1]!;
    expect(week(after).cases).toBeGreaterThanOrEqual(1);
    // Two hours on, its rows still pending are stuck.
    const later = await offboardingDashboard(new Date(now.getTime() + 2 * HOUR));
    expect(later.stuckDeliveries).toBeGreaterThanOrEqual(before.stuckDeliveries + 5);
    // Every system confirms: the case counts as confirmed in its week.
    await getDb().provisioningOutbox.updateMany({
      where: { offboardingCaseId: done.caseId },
      data: { status: "DELIVERED", deliveredAt: new Date(now.getTime() + 60_000) },
    });
    const confirmed = await offboardingDashboard(now);
    expect(confirmed.unconfirmed).toBe(before.unconfirmed);
    expect(week(confirmed).confirmed).toBe(week(after).confirmed + 1);
    void scim;
  });
});

import { describe, expect, it } from "vitest";
import { getDb, inTransaction } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { systemActor } from "@/lib/authz/actor";
import { createDelegation } from "@/lib/delegation/create-delegation";
import { revokeDelegation } from "@/lib/delegation/revoke-delegation";
import { syncDelegations } from "@/lib/delegation/sync-delegations";
import { activeDelegatesFor } from "@/lib/delegation/active-delegates";
import { listDelegationsFor } from "@/lib/delegation/queries";
import { dayIn } from "@/lib/time/calendar";
import { DEFAULT_TIME_ZONE } from "@/lib/delegation/schemas";
import { staggered } from "../race";
import { actorName, auditMark, auditSince, expectDomainError, lastAuditRow, makeActor, makePerson } from "../factories";
import { openApprovers, pendingRequest, roleOnNewSystem } from "../access-fixtures";
import { decideAs, makeRequestableRole, makeRequestScenario, submitAs } from "../request-factories";
import { listApprovalInbox } from "@/lib/requests/queries";
import { createTranslator } from "next-intl";
import { messagesFor } from "@/i18n/messages";

const DAY = 86_400_000;
const day = (offset: number, from = new Date()) => dayIn(new Date(from.getTime() + offset * DAY), DEFAULT_TIME_ZONE);

const delegate = (
  actor: Actor,
  input: { delegateEmployeeNo: string; startsOn?: string; endsOn?: string; delegatorEmployeeNo?: string; reason?: string },
  now = new Date(),
) => inTransaction((tx) => createDelegation(tx, actor, { startsOn: day(0), endsOn: day(5), reason: "Annual leave", ...input }, now));

async function nothingWritten(mark: bigint, delegatorId: string) {
  expect(await auditSince(mark)).toEqual([]);
  expect(await getDb().approvalDelegation.count({ where: { delegatorId } })).toBe(0);
}

describe("createDelegation", () => {
  it("hands the approver's open items to the delegate at once, notifies them and audits both names", async () => {
    const approver = await makeActor(["APPROVER"]);
    const deputy = await makePerson();
    const requester = await makePerson();
    const { system, role } = await roleOnNewSystem();
    const open = await pendingRequest({
      requesterId: requester.person.id,
      systemId: system.id,
      roleId: role.id,
      approverIds: [approver.person.id],
    });
    // The deputy asked for this one themself: it must not reach them (no self-approval).
    const own = await pendingRequest({
      requesterId: deputy.person.id,
      systemId: system.id,
      roleId: role.id,
      approverIds: [approver.person.id],
    });

    const { delegation, addedToStages } = await delegate(approver.actor, { delegateEmployeeNo: deputy.employeeNo });
    expect(addedToStages).toBe(1);
    expect(await openApprovers(open.stage.id)).toEqual(
      [`${approver.person.id}:RESOLVED:-`, `${deputy.person.id}:DELEGATED:${approver.person.id}`].sort(),
    );
    const row = await getDb().stageApprover.findFirstOrThrow({ where: { stageId: open.stage.id, approverId: deputy.person.id } });
    expect(row).toMatchObject({ delegationId: delegation.id, requestCreatedAt: open.request.createdAt, isOpen: true });
    expect(await openApprovers(own.stage.id)).toEqual([`${approver.person.id}:RESOLVED:-`]);

    const audit = await lastAuditRow({ action: "delegation.created", targetId: delegation.id });
    expect(audit).toMatchObject({ actorId: approver.person.id, reason: "Annual leave" });
    expect(audit.summary).toMatchObject({
      after: {
        delegator: { id: approver.person.id, employeeNo: approver.employeeNo },
        delegate: { id: deputy.person.id, employeeNo: deputy.employeeNo },
        onBehalfOfDelegator: false,
      },
      addedToStages: 1,
    });
    const note = await getDb().notification.findFirstOrThrow({ where: { recipientId: deputy.person.id, kind: "delegation-received" } });
    expect(note.params).toMatchObject({ delegator: approver.person.name, from: day(0), to: day(5), pending: 1 });

    // The request side resolves newly activated stages through activeDelegatesFor: the same delegation.
    expect(await inTransaction((tx) => activeDelegatesFor(tx, [approver.person.id]))).toEqual([
      { delegatorId: approver.person.id, delegateId: deputy.person.id, delegationId: delegation.id },
    ]);
    const lists = await listDelegationsFor(deputy.person.id);
    expect(lists.received.map((d) => d.id)).toEqual([delegation.id]);
  });

  it("set up in advance, it takes effect when its first day comes and ends after its last (scheduler round) [calendar]", async () => {
    const approver = await makeActor(["ACCOUNT_ADMIN"]);
    const deputy = await makePerson();
    const requester = await makePerson();
    const { system, role } = await roleOnNewSystem();
    const open = await pendingRequest({
      requesterId: requester.person.id,
      systemId: system.id,
      roleId: role.id,
      approverIds: [approver.person.id],
    });

    const { delegation, addedToStages } = await delegate(approver.actor, {
      delegateEmployeeNo: deputy.employeeNo,
      startsOn: day(2),
      endsOn: day(3),
    });
    expect(addedToStages).toBe(0);
    expect(await openApprovers(open.stage.id)).toEqual([`${approver.person.id}:RESOLVED:-`]);
    const job = systemActor("scheduler");
    expect(await inTransaction((tx) => syncDelegations(tx, job, new Date(delegation.startsAt.getTime() - 1000)))).toMatchObject({
      activated: 0,
    });

    const mark = await auditMark();
    const during = new Date(delegation.startsAt.getTime() + 3_600_000);
    expect((await inTransaction((tx) => syncDelegations(tx, job, during))).activated).toBeGreaterThanOrEqual(1);
    expect(await openApprovers(open.stage.id)).toContain(`${deputy.person.id}:DELEGATED:${approver.person.id}`);
    const activated = (await auditSince(mark)).find((r) => r.action === "delegation.activated");
    expect(activated?.summary).toMatchObject({ delegationIds: expect.arrayContaining([delegation.id]) });
    // A second round adds nothing twice.
    await inTransaction((tx) => syncDelegations(tx, job, during));
    expect(await getDb().stageApprover.count({ where: { stageId: open.stage.id, approverId: deputy.person.id } })).toBe(1);

    const after = new Date(delegation.endsAt.getTime() + 60_000);
    const mark2 = await auditMark();
    expect((await inTransaction((tx) => syncDelegations(tx, job, after))).closed).toBeGreaterThanOrEqual(1);
    expect(await openApprovers(open.stage.id)).toEqual([`${approver.person.id}:RESOLVED:-`]);
    expect((await auditSince(mark2)).some((r) => r.action === "delegation.ended")).toBe(true);
  });

  it("a delegate who has left by the time it begins gets nothing", async () => {
    const approver = await makeActor(["APPROVER"]);
    const deputy = await makePerson();
    const requester = await makePerson();
    const { system, role } = await roleOnNewSystem();
    const open = await pendingRequest({
      requesterId: requester.person.id,
      systemId: system.id,
      roleId: role.id,
      approverIds: [approver.person.id],
    });
    const { delegation } = await delegate(approver.actor, { delegateEmployeeNo: deputy.employeeNo, startsOn: day(1), endsOn: day(2) });
    await getDb().person.update({ where: { id: deputy.person.id }, data: { status: "LEFT" } });
    await inTransaction((tx) => syncDelegations(tx, systemActor("scheduler"), new Date(delegation.startsAt.getTime() + 60_000)));
    expect(await openApprovers(open.stage.id)).toEqual([`${approver.person.id}:RESOLVED:-`]);
  });

  it("lets an administrator set one up for an absent approver, audited with both names", async () => {
    const admin = await makeActor(["SYSTEM_ADMIN"]);
    const absent = await makePerson({ roles: ["SECURITY_OFFICER"] });
    const deputy = await makePerson({ roles: ["SECURITY_OFFICER"] });
    const { delegation } = await delegate(admin.actor, { delegatorEmployeeNo: absent.employeeNo, delegateEmployeeNo: deputy.employeeNo });
    const audit = await lastAuditRow({ action: "delegation.created", targetId: delegation.id });
    expect(audit.actorName).toBe(actorName(admin.actor));
    expect(audit.summary).toMatchObject({
      after: { delegator: { name: absent.person.name }, delegate: { name: deputy.person.name }, onBehalfOfDelegator: true },
    });
    expect(delegation).toMatchObject({ delegatorId: absent.person.id, createdById: admin.person.id });
  });

  it("is refused for someone else unless an administrator asks", async () => {
    const approver = await makeActor(["APPROVER"]);
    const other = await makePerson({ roles: ["APPROVER"] });
    const deputy = await makePerson();
    const mark = await auditMark();
    await expectDomainError(
      delegate(approver.actor, { delegatorEmployeeNo: other.employeeNo, delegateEmployeeNo: deputy.employeeNo }),
      "FORBIDDEN",
    );
    await nothingWritten(mark, other.person.id);
  });

  it("refuses bad input with a clear code and writes nothing [calendar]", async () => {
    const approver = await makeActor(["APPROVER"]);
    const staff = await makeActor();
    const deputy = await makePerson();
    const vendorPerson = await makePerson({ employmentType: "THIRD_PARTY" });
    const gone = await makePerson();
    await getDb().person.update({ where: { id: gone.person.id }, data: { status: "LEFT" } });
    const disabled = await makePerson();
    await getDb().masterAccount.update({ where: { personId: disabled.person.id }, data: { status: "DISABLED" } });
    const mark = await auditMark();

    const refused = async (
      actor: Actor,
      input: Parameters<typeof delegate>[1],
      code: Parameters<typeof expectDomainError>[1],
      field?: string,
    ) => {
      const error = await expectDomainError(delegate(actor, input), code);
      if (field) expect(error.field).toBe(field);
      return error;
    };
    await refused(approver.actor, { delegateEmployeeNo: deputy.employeeNo, startsOn: day(-1), endsOn: day(2) }, "DATE_IN_PAST", "startsOn");
    await refused(approver.actor, { delegateEmployeeNo: deputy.employeeNo, startsOn: day(3), endsOn: day(2) }, "VALIDATION", "endsOn");
    await refused(
      approver.actor,
      { delegateEmployeeNo: deputy.employeeNo, startsOn: day(1), endsOn: day(91) },
      "DELEGATION_TOO_LONG",
      "endsOn",
    );
    expect((await refused(approver.actor, { delegateEmployeeNo: approver.employeeNo }, "DELEGATE_NOT_ELIGIBLE")).params.reason).toBe(
      "self",
    );
    expect((await refused(approver.actor, { delegateEmployeeNo: vendorPerson.employeeNo }, "DELEGATE_NOT_ELIGIBLE")).params.reason).toBe(
      "thirdParty",
    );
    expect((await refused(approver.actor, { delegateEmployeeNo: gone.employeeNo }, "DELEGATE_NOT_ELIGIBLE")).params.reason).toBe(
      "inactive",
    );
    expect((await refused(approver.actor, { delegateEmployeeNo: disabled.employeeNo }, "DELEGATE_NOT_ELIGIBLE")).params.reason).toBe(
      "noAccount",
    );
    await refused(approver.actor, { delegateEmployeeNo: "NOPE-404" }, "NOT_FOUND", "delegateEmployeeNo");
    // Staff who approve nothing have nothing to delegate.
    await refused(staff.actor, { delegateEmployeeNo: deputy.employeeNo }, "DELEGATOR_NOT_APPROVER");
    await expect(delegate(approver.actor, { delegateEmployeeNo: deputy.employeeNo, startsOn: "2026-02-30" })).rejects.toThrow();
    await nothingWritten(mark, approver.person.id);
    await nothingWritten(mark, staff.person.id);
  });

  it("never hands security approvals to an account administrator, nor the other way round (SoD)", async () => {
    const officer = await makeActor(["SECURITY_OFFICER"]);
    const accountAdmin = await makeActor(["ACCOUNT_ADMIN"]);
    const sysAdmin = await makePerson({ roles: ["SYSTEM_ADMIN"] });
    const mark = await auditMark();
    const e1 = await expectDomainError(delegate(officer.actor, { delegateEmployeeNo: accountAdmin.employeeNo }), "DELEGATION_SOD_CONFLICT");
    expect(e1.params).toMatchObject({ held: "ACCOUNT_ADMIN", wanted: "SECURITY_OFFICER" });
    await expectDomainError(delegate(officer.actor, { delegateEmployeeNo: sysAdmin.employeeNo }), "DELEGATION_SOD_CONFLICT");
    await expectDomainError(delegate(accountAdmin.actor, { delegateEmployeeNo: officer.employeeNo }), "DELEGATION_SOD_CONFLICT");
    await nothingWritten(mark, officer.person.id);
    await nothingWritten(mark, accountAdmin.person.id);
  });

  it("refuses an overlapping delegation and chains, but not adjacent ranges [calendar]", async () => {
    const a = await makeActor(["APPROVER"]);
    const b = await makeActor(["APPROVER"]);
    const c = await makePerson();
    const d = await makeActor(["APPROVER"]);
    await delegate(a.actor, { delegateEmployeeNo: b.employeeNo, startsOn: day(1), endsOn: day(4) });
    const mark = await auditMark();
    await expectDomainError(
      delegate(a.actor, { delegateEmployeeNo: c.employeeNo, startsOn: day(4), endsOn: day(6) }),
      "DELEGATION_OVERLAP",
    );
    // b acts for a on days 1-4: b cannot be away then too (a's items would be stuck)…
    expect(
      (
        await expectDomainError(
          delegate(b.actor, { delegateEmployeeNo: c.employeeNo, startsOn: day(3), endsOn: day(8) }),
          "DELEGATION_CHAIN",
        )
      ).params.reason,
    ).toBe("delegatorActing");
    // …and nobody can delegate to a, who is away on those days.
    expect(
      (
        await expectDomainError(
          delegate(d.actor, { delegateEmployeeNo: a.employeeNo, startsOn: day(2), endsOn: day(2) }),
          "DELEGATION_CHAIN",
        )
      ).params.reason,
    ).toBe("delegateAway");
    expect(await auditSince(mark)).toEqual([]);
    // The day after the range is free.
    await delegate(a.actor, { delegateEmployeeNo: c.employeeNo, startsOn: day(5), endsOn: day(6) });
    await delegate(b.actor, { delegateEmployeeNo: c.employeeNo, startsOn: day(5), endsOn: day(6) });
  });

  it("two overlapping delegations set up at the same moment: one is created, the other refused", async () => {
    const a = await makeActor(["APPROVER"]);
    const b = await makePerson();
    const c = await makePerson();
    const input = (employeeNo: string) => ({ delegateEmployeeNo: employeeNo, startsOn: day(1), endsOn: day(3), reason: "Leave" });
    const [first, second] = staggered(
      (tx) => createDelegation(tx, a.actor, input(b.employeeNo)),
      (tx) => createDelegation(tx, a.actor, input(c.employeeNo)),
    );
    const results = await Promise.allSettled([first, second]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const failure = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(failure.reason).toMatchObject({ code: "DELEGATION_OVERLAP" });
    expect(await getDb().approvalDelegation.count({ where: { delegatorId: a.person.id } })).toBe(1);
  });
});

describe("delegation with real requests", () => {
  it("the delegate sees the head's pending item in their inbox at once and decides it for the head", async () => {
    const s = await makeRequestScenario();
    const deputy = await makeActor([], { orgUnitId: s.department.id });
    const submitted = await submitAs(s.staff.actor, { roleId: s.role.id });
    // The deputy's own request (for themself) must never reach them.
    const own = await submitAs(deputy.actor, { roleId: s.role.id });
    expect((await listApprovalInbox(deputy.actor, {})).rows).toEqual([]);

    // What moved and what stayed is told (the page said "No items were waiting for you" when only the
    // deputy's own request was waiting).
    const made = await delegate(s.head.actor, { delegateEmployeeNo: deputy.employeeNo });
    expect({ moved: made.addedToStages, stayed: made.stayedWithDelegator }).toEqual({ moved: 1, stayed: 1 });
    expect((await lastAuditRow({ action: "delegation.created", targetId: made.delegation.id })).summary).toMatchObject({
      addedToStages: 1,
      stayedWithDelegator: 1,
    });
    const inbox = await listApprovalInbox(deputy.actor, {});
    expect(inbox.rows.map((r) => r.requestId)).toEqual([submitted.id]);
    expect(inbox.rows[0]).toMatchObject({ source: "DELEGATED", onBehalfOfName: s.head.person.name });

    await decideAs(deputy.actor, submitted.id, "APPROVE");
    const decision = await getDb().approvalDecision.findFirstOrThrow({ where: { requestId: submitted.id, approverId: deputy.person.id } });
    expect(decision.onBehalfOfId).toBe(s.head.person.id);
    // The head's stage is done: the head's own seat closed too, the system owner's stage is next.
    expect((await listApprovalInbox(s.head.actor, {})).rows.map((r) => r.requestId)).toEqual([own.id]);
    expect((await listApprovalInbox(s.owner.actor, {})).rows.map((r) => r.requestId)).toEqual([submitted.id]);
    await expectDomainError(decideAs(deputy.actor, own.id, "APPROVE"), "SELF_APPROVAL");

    // Stages that open while the delegation is in force come with the delegate already on them.
    const otherRole = await makeRequestableRole(s.system.id);
    const later = await submitAs(s.staff.actor, { roleId: otherRole.id });
    expect((await listApprovalInbox(deputy.actor, {})).rows.map((r) => r.requestId)).toEqual([later.id]);
  });

  it("only the delegate's own request waiting: nothing moves, one stays, and the notice says so in both languages", async () => {
    const s = await makeRequestScenario();
    const deputy = await makeActor([], { orgUnitId: s.department.id });
    await submitAs(deputy.actor, { roleId: s.role.id });
    const made = await delegate(s.head.actor, { delegateEmployeeNo: deputy.employeeNo });
    expect({ moved: made.addedToStages, stayed: made.stayedWithDelegator }).toEqual({ moved: 0, stayed: 1 });
    for (const locale of ["en", "zh-CN"] as const) {
      const t = createTranslator({ locale, messages: messagesFor(locale) as never, namespace: "delegation" as never });
      const notice = (t as unknown as (k: string, p: object) => string)("created", { count: 0, stayed: 1 });
      expect(notice).not.toMatch(/No items were waiting|目前没有待您审批/);
      expect(notice).toMatch(locale === "en" ? /1 item stayed with you/ : /另有 1 项仍只由您审批/);
    }
  });

  it("once revoked, the delegate can no longer decide", async () => {
    const s = await makeRequestScenario();
    const deputy = await makeActor([], { orgUnitId: s.department.id });
    const submitted = await submitAs(s.staff.actor, { roleId: s.role.id });
    const { delegation } = await delegate(s.head.actor, { delegateEmployeeNo: deputy.employeeNo });
    await inTransaction((tx) => revokeDelegation(tx, s.head.actor, { delegationId: delegation.id }));
    expect((await listApprovalInbox(deputy.actor, {})).rows).toEqual([]);
    // Told why, not "already decided by - at 1970": the stage is still open, the seat is gone.
    await expectDomainError(decideAs(deputy.actor, submitted.id, "APPROVE"), "NO_LONGER_AN_APPROVER");
    await expectDomainError(decideAs(deputy.actor, submitted.id, "REJECT"), "NO_LONGER_AN_APPROVER");
    expect(await getDb().approvalDecision.count({ where: { requestId: submitted.id } })).toBe(0);
    // The head still decides.
    await decideAs(s.head.actor, submitted.id, "APPROVE");
  });
});

describe("revokeDelegation", () => {
  it("closes the delegate's still-open items, is audited, and a second revoke conflicts", async () => {
    const approver = await makeActor(["APPROVER"]);
    const deputy = await makePerson();
    const requester = await makePerson();
    const { system, role } = await roleOnNewSystem();
    const open = await pendingRequest({
      requesterId: requester.person.id,
      systemId: system.id,
      roleId: role.id,
      approverIds: [approver.person.id],
    });
    const { delegation } = await delegate(approver.actor, { delegateEmployeeNo: deputy.employeeNo });
    expect(await openApprovers(open.stage.id)).toHaveLength(2);

    const stranger = await makeActor(["APPROVER"]);
    await expectDomainError(
      inTransaction((tx) => revokeDelegation(tx, stranger.actor, { delegationId: delegation.id })),
      "NOT_FOUND",
    );

    const result = await inTransaction((tx) => revokeDelegation(tx, approver.actor, { delegationId: delegation.id, reason: "Back early" }));
    expect(result.closedItems).toBe(1);
    expect(await openApprovers(open.stage.id)).toEqual([`${approver.person.id}:RESOLVED:-`]);
    const audit = await lastAuditRow({ action: "delegation.revoked", targetId: delegation.id });
    expect(audit).toMatchObject({ actorId: approver.person.id, reason: "Back early", summary: { closedItems: 1 } });
    expect(await inTransaction((tx) => activeDelegatesFor(tx, [approver.person.id]))).toEqual([]);

    const mark = await auditMark();
    await expectDomainError(
      inTransaction((tx) => revokeDelegation(tx, approver.actor, { delegationId: delegation.id })),
      "CONFLICT",
    );
    expect(await auditSince(mark)).toEqual([]);
    // Revoked, the range is free again.
    await delegate(approver.actor, { delegateEmployeeNo: deputy.employeeNo });
  });

  it("lets an administrator end someone's delegation; refuses ids that are not uuids", async () => {
    const admin = await makeActor(["SYSTEM_ADMIN"]);
    const approver = await makeActor(["APPROVER"]);
    const deputy = await makePerson();
    const { delegation } = await delegate(approver.actor, { delegateEmployeeNo: deputy.employeeNo, startsOn: day(1), endsOn: day(2) });
    await inTransaction((tx) => revokeDelegation(tx, admin.actor, { delegationId: delegation.id }));
    expect(await getDb().approvalDelegation.findUniqueOrThrow({ where: { id: delegation.id } })).toMatchObject({
      revokedById: admin.person.id,
    });
    await expect(inTransaction((tx) => revokeDelegation(tx, admin.actor, { delegationId: "x' OR 1=1" }))).rejects.toThrow();
  });
});

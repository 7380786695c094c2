import { describe, expect, it } from "vitest";
import { getDb, inTransaction } from "@/lib/db";
import { systemActor } from "@/lib/authz/actor";
import { remindApprovers, escalateStages } from "@/lib/requests/remind-and-escalate";
import { expireRequests } from "@/lib/requests/expire-requests";
import { DEFAULT_REQUEST_SETTINGS } from "@/lib/policy/request-settings";
import { decideRequest } from "@/lib/requests/decide-request";
import { runAccessJobs } from "@/lib/jobs/access-jobs";
import { actorFor, auditMark, auditSince, expectDomainError, makeActor, makeOrgUnit, makePerson } from "../factories";
import { openApprovers, pendingRequest, roleOnNewSystem } from "../access-fixtures";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const JOB = systemActor("scheduler");
const SETTINGS = { ...DEFAULT_REQUEST_SETTINGS, reminderAfterHours: 24, escalateAfterDays: 3 };

const notes = (recipientId: string, kind: string) =>
  getDb().notification.findMany({ where: { recipientId, kind }, orderBy: { createdAt: "asc" } });
const setHead = (orgUnitId: string, headId: string) => getDb().orgUnit.update({ where: { id: orgUnitId }, data: { headId } });

describe("remindApprovers", () => {
  it("reminds the open approvers once after the wait, then at most once a day", async () => {
    const approver = await makePerson();
    const decided = await makePerson();
    const requester = await makePerson();
    const { system, role } = await roleOnNewSystem();
    const t0 = new Date();
    const old = await pendingRequest({
      requesterId: requester.person.id,
      systemId: system.id,
      roleId: role.id,
      approverIds: [approver.person.id, decided.person.id],
      activatedAt: new Date(t0.getTime() - 25 * HOUR),
    });
    await getDb().stageApprover.updateMany({ where: { stageId: old.stage.id, approverId: decided.person.id }, data: { isOpen: false } });
    const fresh = await pendingRequest({
      requesterId: requester.person.id,
      systemId: system.id,
      roleId: role.id,
      approverIds: [approver.person.id],
      activatedAt: new Date(t0.getTime() - 2 * HOUR),
    });

    const mark = await auditMark();
    expect(await inTransaction((tx) => remindApprovers(tx, JOB, t0, SETTINGS))).toBeGreaterThanOrEqual(1);
    const sent = await notes(approver.person.id, "request-reminder");
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      link: `/requests/${old.request.id}`,
      params: { system: system.name, role: role.name, hours: 25, requester: requester.person.name },
    });
    expect(await notes(decided.person.id, "request-reminder")).toHaveLength(0);
    expect((await getDb().requestStage.findUniqueOrThrow({ where: { id: old.stage.id } })).remindedAt).toEqual(t0);
    expect((await getDb().requestStage.findUniqueOrThrow({ where: { id: fresh.stage.id } })).remindedAt).toBeNull();
    const audit = (await auditSince(mark)).find((r) => r.action === "request.reminded");
    expect(audit?.summary).toMatchObject({ stageIds: expect.arrayContaining([old.stage.id]) });
    expect(audit?.summary).not.toMatchObject({ stageIds: expect.arrayContaining([fresh.stage.id]) });

    // Same round again, and later the same day: nothing new.
    await inTransaction((tx) => remindApprovers(tx, JOB, t0, SETTINGS));
    await inTransaction((tx) => remindApprovers(tx, JOB, new Date(t0.getTime() + 23 * HOUR), SETTINGS));
    expect(await notes(approver.person.id, "request-reminder")).toHaveLength(2); // the fresh one became due at +22h
    const perRequest = async (requestId: string) =>
      (await notes(approver.person.id, "request-reminder")).filter((n) => n.link === `/requests/${requestId}`).length;
    expect(await perRequest(old.request.id)).toBe(1);
    // A day after the first reminder: once more.
    await inTransaction((tx) => remindApprovers(tx, JOB, new Date(t0.getTime() + 24 * HOUR), SETTINGS));
    expect(await perRequest(old.request.id)).toBe(2);
  });

  it("leaves decided, cancelled and expired requests alone", async () => {
    const approver = await makePerson();
    const requester = await makePerson();
    const { system, role } = await roleOnNewSystem();
    const t0 = new Date();
    const r = await pendingRequest({
      requesterId: requester.person.id,
      systemId: system.id,
      roleId: role.id,
      approverIds: [approver.person.id],
      activatedAt: new Date(t0.getTime() - 30 * HOUR),
    });
    await getDb().accessRequest.update({ where: { id: r.request.id }, data: { status: "CANCELLED" } });
    await inTransaction((tx) => remindApprovers(tx, JOB, t0, SETTINGS));
    expect(await notes(approver.person.id, "request-reminder")).toHaveLength(0);
  });
});

describe("escalateStages", () => {
  async function tree() {
    const top = await makeOrgUnit();
    const dept = await makeOrgUnit({ parentId: top.id });
    const bigBoss = await makePerson({ orgUnitId: top.id });
    const head = await makePerson({ orgUnitId: dept.id });
    await setHead(top.id, bigBoss.person.id);
    await setHead(dept.id, head.person.id);
    return { top, dept, bigBoss, head };
  }

  it("adds the approver's head once after the wait, acting for the approver, and tells them", async () => {
    const { dept, head } = await tree();
    const approver = await makePerson({ orgUnitId: dept.id });
    const requester = await makePerson();
    const { system, role } = await roleOnNewSystem();
    const t0 = new Date();
    const r = await pendingRequest({
      requesterId: requester.person.id,
      systemId: system.id,
      roleId: role.id,
      approverIds: [approver.person.id],
      activatedAt: new Date(t0.getTime() - 2 * DAY),
    });

    await inTransaction((tx) => escalateStages(tx, JOB, t0, SETTINGS));
    expect(await openApprovers(r.stage.id)).toEqual([`${approver.person.id}:RESOLVED:-`]);

    const later = new Date(t0.getTime() + 1.5 * DAY);
    const mark = await auditMark();
    await inTransaction((tx) => escalateStages(tx, JOB, later, SETTINGS));
    expect(await openApprovers(r.stage.id)).toEqual(
      [`${approver.person.id}:RESOLVED:-`, `${head.person.id}:ESCALATED:${approver.person.id}`].sort(),
    );
    expect((await getDb().requestStage.findUniqueOrThrow({ where: { id: r.stage.id } })).escalatedAt).toEqual(later);
    const [note] = await notes(head.person.id, "request-escalated");
    expect(note).toMatchObject({ link: `/requests/${r.request.id}`, params: { days: 3, over: approver.person.name } });
    const audit = (await auditSince(mark)).find((row) => row.action === "request.escalated");
    expect(audit?.summary).toMatchObject({
      added: expect.arrayContaining([{ stageId: r.stage.id, approverId: head.person.id, onBehalfOfId: approver.person.id }]),
    });

    // Escalated once only.
    await inTransaction((tx) => escalateStages(tx, JOB, new Date(later.getTime() + 5 * DAY), SETTINGS));
    expect(await getDb().stageApprover.count({ where: { stageId: r.stage.id } })).toBe(2);
  });

  it("walks up past the approver themself, the requester and the subject", async () => {
    const { dept, bigBoss, head } = await tree();
    const requester = await makePerson();
    const { system, role } = await roleOnNewSystem();
    const t0 = new Date();
    // The approver is the department's head: their own head is the unit above.
    const r1 = await pendingRequest({
      requesterId: requester.person.id,
      systemId: system.id,
      roleId: role.id,
      approverIds: [head.person.id],
      activatedAt: new Date(t0.getTime() - 4 * DAY),
    });
    // The head asked for it: skipped too.
    const approver = await makePerson({ orgUnitId: dept.id });
    const r2 = await pendingRequest({
      requesterId: head.person.id,
      systemId: system.id,
      roleId: role.id,
      approverIds: [approver.person.id],
      activatedAt: new Date(t0.getTime() - 4 * DAY),
    });
    await inTransaction((tx) => escalateStages(tx, JOB, t0, SETTINGS));
    expect(await openApprovers(r1.stage.id)).toContain(`${bigBoss.person.id}:ESCALATED:${head.person.id}`);
    expect(await openApprovers(r2.stage.id)).toContain(`${bigBoss.person.id}:ESCALATED:${approver.person.id}`);
    expect(await openApprovers(r2.stage.id)).not.toContain(`${head.person.id}:ESCALATED:${approver.person.id}`);
  });

  it("never escalates a security stage to an account administrator", async () => {
    const { dept, bigBoss, head } = await tree();
    const { system, role } = await roleOnNewSystem();
    await makeActor([{ role: "ACCOUNT_ADMIN", systemId: system.id }]).then((a) => a); // another admin, unrelated
    await getDb().portalRoleAssignment.create({ data: { personId: head.person.id, role: "ACCOUNT_ADMIN", systemId: system.id } });
    const officer = await makePerson({ orgUnitId: dept.id, roles: ["SECURITY_OFFICER"] });
    const requester = await makePerson();
    const t0 = new Date();
    const r = await pendingRequest({
      requesterId: requester.person.id,
      systemId: system.id,
      roleId: role.id,
      approverIds: [officer.person.id],
      activatedAt: new Date(t0.getTime() - 4 * DAY),
    });
    await getDb().requestStage.update({ where: { id: r.stage.id }, data: { kind: "SECURITY" } });
    await inTransaction((tx) => escalateStages(tx, JOB, t0, SETTINGS));
    expect(await openApprovers(r.stage.id)).toEqual(
      [`${bigBoss.person.id}:ESCALATED:${officer.person.id}`, `${officer.person.id}:RESOLVED:-`].sort(),
    );
  });
});

describe("expireRequests", () => {
  it("expires undecided requests past their expiry: stages, open items, requester told, audited", async () => {
    const approver = await makeActor(["APPROVER"]);
    const requester = await makePerson();
    const subject = await makePerson();
    const { system, role } = await roleOnNewSystem();
    const t0 = new Date();
    const due = await pendingRequest({
      requesterId: requester.person.id,
      subjectId: subject.person.id,
      systemId: system.id,
      roleId: role.id,
      approverIds: [approver.person.id],
      createdAt: new Date(t0.getTime() - 15 * DAY),
      expiresAt: new Date(t0.getTime() - 1000),
    });
    const notYet = await pendingRequest({
      requesterId: requester.person.id,
      systemId: system.id,
      roleId: role.id,
      approverIds: [approver.person.id],
      expiresAt: new Date(t0.getTime() + DAY),
    });

    const mark = await auditMark();
    expect(await inTransaction((tx) => expireRequests(tx, JOB, t0))).toBeGreaterThanOrEqual(1);
    expect(await getDb().accessRequest.findUniqueOrThrow({ where: { id: due.request.id } })).toMatchObject({
      status: "EXPIRED",
      decidedAt: t0,
    });
    expect((await getDb().requestStage.findMany({ where: { requestId: due.request.id } })).map((s) => s.status)).toEqual([
      "EXPIRED",
      "EXPIRED",
    ]);
    expect(await openApprovers(due.stage.id)).toEqual([]);
    expect(await getDb().accessRequest.findUniqueOrThrow({ where: { id: notYet.request.id } })).toMatchObject({ status: "PENDING" });
    expect(await openApprovers(notYet.stage.id)).toHaveLength(1);
    expect(await notes(requester.person.id, "request-expired")).toEqual([expect.objectContaining({ link: `/requests/${due.request.id}` })]);
    expect(await notes(subject.person.id, "request-expired")).toHaveLength(1);
    const audit = (await auditSince(mark)).find((r) => r.action === "request.expired");
    expect(audit).toMatchObject({
      targetType: "request",
      summary: { requestIds: expect.arrayContaining([due.request.id]), after: { status: "EXPIRED" } },
    });

    // Nothing twice; and the approver can no longer decide it.
    const mark2 = await auditMark();
    await inTransaction((tx) => expireRequests(tx, JOB, t0));
    expect((await auditSince(mark2)).filter((r) => r.action === "request.expired")).toEqual([]);
    const actor = await actorFor(approver.person.id);
    await expectDomainError(
      inTransaction((tx) => decideRequest(tx, actor, { requestId: due.request.id, outcome: "APPROVE" })),
      "REQUEST_CLOSED",
    );
  });
});

describe("runAccessJobs", () => {
  it("runs every step in one round (the scheduler's entry point)", async () => {
    const approver = await makePerson();
    const requester = await makePerson();
    const { system, role } = await roleOnNewSystem();
    const now = new Date();
    const r = await pendingRequest({
      requesterId: requester.person.id,
      systemId: system.id,
      roleId: role.id,
      approverIds: [approver.person.id],
      createdAt: new Date(now.getTime() - 20 * DAY),
      expiresAt: new Date(now.getTime() - 60_000),
    });
    const result = await runAccessJobs(now);
    expect(result.requestsExpired).toBeGreaterThanOrEqual(1);
    expect(await getDb().accessRequest.findUniqueOrThrow({ where: { id: r.request.id } })).toMatchObject({ status: "EXPIRED" });
  });
});

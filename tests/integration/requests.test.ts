// Access requests on real PostgreSQL: every transition with its audit event, bad input refused with
// nothing written, chains, delegation, elevation, renewal and bulk approval.
import { describe, expect, it } from "vitest";
import { formatRequestNumber } from "@/lib/requests/workflow";
import { endOfDay } from "@/lib/time/calendar";
import { getDb, inTransaction } from "@/lib/db";
import { submitRequest } from "@/lib/requests/submit-request";
import { decideRequest } from "@/lib/requests/decide-request";
import { cancelRequest } from "@/lib/requests/cancel-request";
import { bulkDecide } from "@/lib/requests/bulk-decide";
import { setApprovalChain } from "@/lib/requests/set-approval-chain";
import { updateRequestSettings } from "@/lib/requests/update-request-settings";
import { getRequestSettings } from "@/lib/policy/request-settings";
import { createSodRule } from "@/lib/policy/sod-rules";
import { grantRole } from "@/lib/grants/grant-role";
import { changeRoleMatrix } from "@/lib/systems/change-role-matrix";
import { createPermission } from "@/lib/systems/permissions";
import { updateSecuritySettings } from "@/lib/settings/update-security-settings";
import { getSecuritySettings } from "@/lib/settings/security-settings";
import { DomainError } from "@/lib/errors";
import en from "@/messages/en/requests.json";
import zh from "@/messages/zh-CN/requests.json";
import {
  actorFor,
  auditMark,
  auditSince,
  dayFromToday,
  expectDomainError,
  expectZodError,
  FACTORY,
  lastAuditRow,
  makeActor,
  makePerson,
  uniq,
} from "../factories";
import { decideAs, makeRequestableRole, makeRequestScenario, requestDay, setHead, submitAs } from "../request-factories";

const db = () => getDb();

async function stagesOf(requestId: string) {
  return db().requestStage.findMany({
    where: { requestId },
    orderBy: { position: "asc" },
    select: { kind: true, status: true, approvers: { select: { approverId: true, source: true, isOpen: true, onBehalfOfId: true } } },
  });
}

async function notificationsFor(personId: string, kind: string) {
  return db().notification.findMany({ where: { recipientId: personId, kind }, select: { params: true, link: true } });
}

async function nothingWrittenSince(mark: bigint, requesterId: string) {
  expect(await auditSince(mark)).toEqual([]);
  expect(await db().accessRequest.count({ where: { requesterId } })).toBe(0);
}

describe("submitRequest", () => {
  it("builds the default chain, activates the department head's stage, tells them, audits [calendar]", async () => {
    const s = await makeRequestScenario();
    const mark = await auditMark();
    const r = await submitAs(s.staff.actor, { roleId: s.role.id, endsAt: requestDay(30), idempotencyKey: `k-${uniq()}` });
    expect(r.created).toBe(true);
    const request = await db().accessRequest.findUniqueOrThrow({ where: { id: r.id } });
    expect(request).toMatchObject({
      status: "PENDING",
      kind: "GRANT",
      requesterId: s.staff.person.id,
      subjectId: s.staff.person.id,
      systemId: s.system.id,
      isSensitive: false,
      currentStage: 0,
    });
    // Through the end of that day in the portal's time zone.
    expect(request.endsAt).toEqual(endOfDay(requestDay(30)));
    expect(await stagesOf(r.id)).toEqual([
      {
        kind: "DEPARTMENT_HEAD",
        status: "ACTIVE",
        approvers: [{ approverId: s.head.person.id, source: "RESOLVED", isOpen: true, onBehalfOfId: null }],
      },
      { kind: "SYSTEM_OWNER", status: "WAITING", approvers: [] },
    ]);
    expect(await notificationsFor(s.head.person.id, "request-awaiting-decision")).toEqual([
      {
        params: expect.objectContaining({
          number: `REQ-${String(r.number).padStart(6, "0")}`,
          role: s.role.name,
          system: s.system.name,
          subject: s.staff.person.name,
        }),
        link: `/requests/${r.id}`,
      },
    ]);
    const rows = await auditSince(mark);
    expect(rows.map((x) => x.action)).toEqual(["request.submitted"]);
    expect(rows[0]).toMatchObject({
      targetType: "request",
      targetId: r.id,
      actorId: s.staff.person.id,
      reason: "Needed for the quarterly campaign",
    });
  });

  it("sensitive and administrative roles get the security stage and must be time-bound", async () => {
    const s = await makeRequestScenario({ sensitive: true });
    const mark = await auditMark();
    await expectDomainError(submitAs(s.staff.actor, { roleId: s.role.id, endsAt: null }), "REQUEST_PERMANENT_NOT_ALLOWED");
    await expectDomainError(submitAs(s.staff.actor, { roleId: s.role.id, endsAt: requestDay(120) }), "REQUEST_TOO_LONG");
    await nothingWrittenSince(mark, s.staff.person.id);
    const r = await submitAs(s.staff.actor, { roleId: s.role.id, endsAt: requestDay(60) });
    expect((await stagesOf(r.id)).map((x) => x.kind)).toEqual(["DEPARTMENT_HEAD", "SYSTEM_OWNER", "SECURITY"]);
    expect(await db().accessRequest.findUniqueOrThrow({ where: { id: r.id }, select: { isSensitive: true } })).toEqual({
      isSensitive: true,
    });
  });

  it("permanent access for an employee on a standard role", async () => {
    const s = await makeRequestScenario();
    const r = await submitAs(s.staff.actor, { roleId: s.role.id, endsAt: null });
    expect((await db().accessRequest.findUniqueOrThrow({ where: { id: r.id } })).endsAt).toBeNull();
  });

  it("refuses bad input with a translated error and writes nothing [calendar]", async () => {
    const s = await makeRequestScenario();
    const hidden = await makeRequestableRole(s.system.id, { requestable: false });
    const mark = await auditMark();
    const me = s.staff.actor;
    await expectDomainError(submitAs(me, { roleId: "0190f0a0-0000-7000-8000-00000000abcd" }), "NOT_FOUND");
    await expectDomainError(submitAs(me, { roleId: hidden.id }), "REQUEST_NOT_REQUESTABLE");
    await expectDomainError(submitAs(me, { roleId: s.role.id, endsAt: dayFromToday(-2) }), "DATE_IN_PAST");
    await expectDomainError(submitAs(me, { roleId: s.role.id, endsAt: requestDay(400) }), "REQUEST_TOO_LONG");
    await expectDomainError(
      submitAs(me, { roleId: s.role.id, kind: "ELEVATION", endsAt: new Date(Date.now() + 3600_000).toISOString() }),
      "REQUEST_ELEVATION_THIRD_PARTY_ONLY",
    );
    expect((await expectZodError(submitAs(me, { roleId: s.role.id, justification: "   " }))).map((i) => i.path[0])).toEqual([
      "justification",
    ]);
    expect((await expectZodError(submitAs(me, { roleId: s.role.id, endsAt: "someday" }))).map((i) => i.path[0])).toEqual(["endsAt"]);
    expect((await expectZodError(submitAs(me, { roleId: "not-a-uuid" }))).map((i) => i.path[0])).toEqual(["roleId"]);
    await nothingWrittenSince(mark, me.personId);
  });

  it("third parties: never past their contract end, never permanent, never a sensitive role (R4, before submission) [calendar]", async () => {
    const s = await makeRequestScenario();
    const vendor = await makeActor([], { employmentType: "THIRD_PARTY", orgUnitId: s.department.id, contractEndsOn: dayFromToday(20) });
    const sensitive = await makeRequestableRole(s.system.id, { sensitive: true });
    const mark = await auditMark();
    const err = await expectDomainError(submitAs(vendor.actor, { roleId: s.role.id, endsAt: requestDay(25) }), "REQUEST_PAST_CONTRACT_END");
    expect(err.params).toEqual({ date: dayFromToday(20) });
    await expectDomainError(submitAs(vendor.actor, { roleId: s.role.id, endsAt: null }), "REQUEST_PERMANENT_NOT_ALLOWED");
    const policy = await expectDomainError(submitAs(vendor.actor, { roleId: sensitive.id, endsAt: requestDay(10) }), "POLICY_VIOLATION");
    expect((policy.details as { code: string }[]).map((v) => v.code)).toEqual(["THIRD_PARTY_SENSITIVE_PERMISSION"]);
    await nothingWrittenSince(mark, vendor.person.id);
    await submitAs(vendor.actor, { roleId: s.role.id, endsAt: requestDay(20) });
  });

  it("refuses a role already held and a second pending request for it", async () => {
    const s = await makeRequestScenario();
    await submitAs(s.staff.actor, { roleId: s.role.id });
    const dup = await expectDomainError(submitAs(s.head.actor, { roleId: s.role.id, subjectId: s.staff.person.id }), "REQUEST_DUPLICATE");
    expect(dup.params.number).toMatch(/^REQ-\d{6}$/);
    const other = await makeRequestScenario();
    await inTransaction((tx) =>
      grantRole(tx, other.owner.actor, { personId: other.staff.person.id, roleId: other.role.id, reason: "Existing access" }),
    );
    await expectDomainError(submitAs(other.staff.actor, { roleId: other.role.id }), "REQUEST_ALREADY_HELD");
  });

  it("the same idempotency key from the same requester is one request", async () => {
    const s = await makeRequestScenario();
    const key = `form-${uniq()}`;
    const first = await submitAs(s.staff.actor, { roleId: s.role.id, idempotencyKey: key });
    const mark = await auditMark();
    const again = await submitAs(s.staff.actor, { roleId: s.role.id, idempotencyKey: key });
    expect(again).toEqual({ id: first.id, number: first.number, created: false });
    expect(await auditSince(mark)).toEqual([]);
    expect(await db().accessRequest.count({ where: { requesterId: s.staff.person.id } })).toBe(1);
  });

  it("who may request for others: heads and approvers in their scope, account administrators on their systems; not colleagues", async () => {
    const s = await makeRequestScenario();
    const colleague = await makeActor([], { orgUnitId: s.department.id });
    const mark = await auditMark();
    await expectDomainError(submitAs(colleague.actor, { roleId: s.role.id, subjectId: s.staff.person.id }), "FORBIDDEN");
    await nothingWrittenSince(mark, colleague.person.id);
    // The division's head (no portal role) for someone in a unit below; the system's administrator for anyone.
    await submitAs(s.boss.actor, { roleId: s.role.id, subjectId: s.staff.person.id });
    const outsider = await makePerson();
    await setHead(outsider.orgUnitId, s.boss.person.id);
    await submitAs(s.owner.actor, { roleId: s.role.id, subjectId: outsider.person.id });
    const elsewhere = await makeRequestScenario();
    await expectDomainError(submitAs(s.owner.actor, { roleId: elsewhere.role.id, subjectId: outsider.person.id }), "FORBIDDEN");
  });

  it("nobody approves their own request: a head asking for themselves is routed up to the next head", async () => {
    const s = await makeRequestScenario();
    const r = await submitAs(s.head.actor, { roleId: s.role.id });
    const [first] = await stagesOf(r.id);
    expect(first!.approvers).toEqual([{ approverId: s.boss.person.id, source: "ROUTED_UP", isOpen: true, onBehalfOfId: null }]);
  });

  it("a request for someone by their own head: the head is the requester, so their head decides", async () => {
    const s = await makeRequestScenario();
    const r = await submitAs(s.head.actor, { roleId: s.role.id, subjectId: s.staff.person.id });
    expect((await stagesOf(r.id))[0]!.approvers.map((a) => [a.approverId, a.source])).toEqual([[s.boss.person.id, "ROUTED_UP"]]);
  });

  it("refuses a chain with a stage nobody eligible can decide", async () => {
    const s = await makeRequestScenario();
    // The only account administrator asks for themselves and the owning division has no other head.
    await setHead(s.division.id, s.owner.person.id);
    const mark = await auditMark();
    const e = await expectDomainError(submitAs(s.owner.actor, { roleId: s.role.id, subjectId: s.owner.person.id }), "REQUEST_NO_APPROVER");
    // The head stage has a top-of-tree fallback (security officers); the owner stage has nobody left.
    expect(e.params).toEqual({ stage: "SYSTEM_OWNER" });
    await nothingWrittenSince(mark, s.owner.person.id);
  });
});

describe("decideRequest", () => {
  it("head → system owner → security: the final approval creates slave account and end-dated grant with the request as basis", async () => {
    const s = await makeRequestScenario({ sensitive: true, connected: true });
    const r = await submitAs(s.staff.actor, { roleId: s.role.id, endsAt: requestDay(45) });

    const mark = await auditMark();
    expect(await decideAs(s.head.actor, r.id, "APPROVE", "Fine by me")).toMatchObject({ status: "PENDING", repeated: false });
    expect((await auditSince(mark)).map((x) => x.action)).toEqual(["request.decision-recorded", "request.stage-approved"]);
    let stages = await stagesOf(r.id);
    expect(stages.map((x) => x.status)).toEqual(["APPROVED", "ACTIVE", "WAITING"]);
    expect(stages[1]!.approvers).toEqual([{ approverId: s.owner.person.id, source: "RESOLVED", isOpen: true, onBehalfOfId: null }]);
    expect(await notificationsFor(s.owner.person.id, "request-awaiting-decision")).toHaveLength(1);

    await decideAs(s.owner.actor, r.id);
    stages = await stagesOf(r.id);
    expect(stages.map((x) => x.status)).toEqual(["APPROVED", "APPROVED", "ACTIVE"]);
    expect(stages[2]!.approvers.map((a) => a.approverId)).toContain(s.officer.person.id);

    const before = await auditMark();
    const final = await decideAs(s.officer.actor, r.id);
    expect(final).toMatchObject({ status: "APPROVED", repeated: false });
    const request = await db().accessRequest.findUniqueOrThrow({ where: { id: r.id } });
    expect(request).toMatchObject({ status: "APPROVED", grantId: final.grantId });
    const grant = await db().accessGrant.findUniqueOrThrow({ where: { id: final.grantId! }, include: { slaveAccount: true } });
    expect(grant).toMatchObject({
      roleId: s.role.id,
      requestId: r.id,
      basis: `request:REQ-${String(r.number).padStart(6, "0")}`,
      endsAt: request.endsAt,
      grantedById: s.officer.person.id,
    });
    expect(grant.slaveAccount).toMatchObject({ personId: s.staff.person.id, systemId: s.system.id });
    const outbox = await db().provisioningOutbox.findMany({ where: { requestId: r.id }, orderBy: { createdAt: "asc" } });
    expect(outbox.map((o) => o.operation)).toEqual(["slave-account.created", "grant.created"]);
    expect((await auditSince(before)).map((x) => x.action)).toEqual([
      "request.decision-recorded",
      "request.stage-approved",
      "slave-account.created",
      "grant.created",
      "request.approved",
    ]);
    expect(await notificationsFor(s.staff.person.id, "request-approved")).toHaveLength(1);
    // Nothing is left open in anyone's inbox.
    expect(await db().stageApprover.count({ where: { requestId: r.id, isOpen: true } })).toBe(0);
  });

  it("a rejection ends the request, closes every open item, tells the requester; a comment is required", async () => {
    const s = await makeRequestScenario();
    const r = await submitAs(s.staff.actor, { roleId: s.role.id });
    expect(
      (await expectZodError(inTransaction((tx) => decideRequest(tx, s.head.actor, { requestId: r.id, outcome: "REJECT" })))).map(
        (i) => i.path[0],
      ),
    ).toEqual(["comment"]);
    const mark = await auditMark();
    expect(await decideAs(s.head.actor, r.id, "REJECT", "Use the shared mailbox instead")).toMatchObject({ status: "REJECTED" });
    expect((await auditSince(mark)).map((x) => x.action)).toEqual(["request.decision-recorded", "request.rejected"]);
    expect(await db().accessRequest.findUniqueOrThrow({ where: { id: r.id } })).toMatchObject({
      status: "REJECTED",
      closingNote: "Use the shared mailbox instead",
    });
    expect((await stagesOf(r.id)).map((x) => x.status)).toEqual(["REJECTED", "CANCELLED"]);
    expect(await notificationsFor(s.staff.person.id, "request-rejected")).toEqual([
      expect.objectContaining({ params: expect.objectContaining({ comment: "Use the shared mailbox instead" }) }),
    ]);
  });

  it("refuses decisions on decided, cancelled and expired requests, by the wrong person, and on one's own request", async () => {
    const s = await makeRequestScenario();
    const r = await submitAs(s.staff.actor, { roleId: s.role.id });
    const stranger = await makeActor(["APPROVER"]);
    const mark = await auditMark();
    await expectDomainError(decideAs(s.owner.actor, r.id), "NOT_AN_APPROVER");
    await expectDomainError(decideAs(s.staff.actor, r.id), "SELF_APPROVAL");
    await expectDomainError(decideAs(stranger.actor, r.id), "NOT_AN_APPROVER");
    await expectDomainError(decideAs(s.head.actor, "0190f0a0-0000-7000-8000-00000000dead"), "NOT_FOUND");
    expect(await auditSince(mark)).toEqual([]);

    await decideAs(s.head.actor, r.id, "REJECT", "No");
    // Someone never asked to decide it learns nothing: not that it was decided, nor by whom (issue 9 §4),
    // also with a form naming a stage.
    const stageId = (await db().requestStage.findFirstOrThrow({ where: { requestId: r.id }, orderBy: { position: "asc" } })).id;
    for (const outsider of [s.owner.actor, stranger.actor]) {
      const refused = await expectDomainError(decideAs(outsider, r.id), "NOT_AN_APPROVER");
      expect(JSON.stringify(refused.params ?? {})).not.toContain(s.head.person.name);
      await expectDomainError(
        inTransaction((tx) => decideRequest(tx, outsider, { requestId: r.id, stageId, outcome: "APPROVE" })),
        "NOT_AN_APPROVER",
      );
    }
    // The requester, whose request it is, is told who decided and when.
    const decided = await expectDomainError(decideAs(s.staff.actor, r.id), "REQUEST_ALREADY_DECIDED");
    expect(decided.params).toMatchObject({ who: `${s.head.person.name} (${s.head.person.employeeNo})` });
    expect(typeof decided.params.when).toBe("number");

    const c = await submitAs(s.staff.actor, { roleId: s.role.id });
    await inTransaction((tx) => cancelRequest(tx, s.staff.actor, { requestId: c.id, reason: "Not needed anymore" }));
    await expectDomainError(decideAs(s.head.actor, c.id), "REQUEST_CLOSED");

    const e = await submitAs(s.staff.actor, { roleId: s.role.id });
    await db().accessRequest.update({ where: { id: e.id }, data: { status: "EXPIRED" } });
    const expired = await expectDomainError(decideAs(s.head.actor, e.id), "REQUEST_CLOSED");
    expect(expired.params).toEqual({ status: "EXPIRED" });
  });

  it("the same decision twice by the same person is one decision", async () => {
    const s = await makeRequestScenario();
    const r = await submitAs(s.staff.actor, { roleId: s.role.id });
    await decideAs(s.head.actor, r.id);
    const mark = await auditMark();
    expect(await decideAs(s.head.actor, r.id)).toMatchObject({ repeated: true, status: "PENDING" });
    expect(await auditSince(mark)).toEqual([]);
    expect(await db().approvalDecision.count({ where: { requestId: r.id } })).toBe(1);
    // The other outcome after deciding: already decided (by themself).
    await expectDomainError(decideAs(s.head.actor, r.id, "REJECT", "changed my mind"), "REQUEST_ALREADY_DECIDED");
  });

  it("the policy engine runs again at the final approval: a new incompatible pair refuses it, nothing written", async () => {
    const s = await makeRequestScenario();
    const held = await makeRequestableRole(s.system.id);
    await inTransaction((tx) => grantRole(tx, s.owner.actor, { personId: s.staff.person.id, roleId: held.id, reason: "Existing access" }));
    const r = await submitAs(s.staff.actor, { roleId: s.role.id });
    await decideAs(s.head.actor, r.id);
    const security = await makeActor(["SECURITY_OFFICER"]);
    await inTransaction((tx) =>
      createSodRule(tx, security.actor, { kind: "ROLE_PAIR", leftId: held.id, rightId: s.role.id, description: "Maker-checker" }),
    );
    const mark = await auditMark();
    const e = await expectDomainError(decideAs(s.owner.actor, r.id), "POLICY_VIOLATION");
    expect((e.details as { code: string }[]).map((v) => v.code)).toEqual(["SOD_ROLE_PAIR"]);
    expect(await auditSince(mark)).toEqual([]);
    expect(await db().approvalDecision.count({ where: { requestId: r.id } })).toBe(1);
    expect((await stagesOf(r.id)).map((x) => x.status)).toEqual(["APPROVED", "ACTIVE"]);
    // The approver can still reject it.
    expect(await decideAs(s.owner.actor, r.id, "REJECT", "Conflicts with the role they hold")).toMatchObject({ status: "REJECTED" });
  });

  it("a role that became sensitive after submission gets a security stage before any grant (R8)", async () => {
    const s = await makeRequestScenario();
    const r = await submitAs(s.staff.actor, { roleId: s.role.id, endsAt: requestDay(30) });
    await decideAs(s.head.actor, r.id);
    const perm = await inTransaction((tx) =>
      createPermission(tx, FACTORY, {
        systemId: s.system.id,
        code: `S.${uniq().toUpperCase()}`,
        name: "Customer ID numbers",
        dataKind: "IDENTITY",
        sensitivity: "EXTREME",
        operation: "QUERY",
        reason: "setup",
      }),
    );
    await inTransaction((tx) =>
      changeRoleMatrix(tx, FACTORY, {
        systemId: s.system.id,
        add: [{ roleId: s.role.id, permissionId: perm.id }],
        remove: [],
        reason: "setup",
      }),
    );
    const mark = await auditMark();
    expect(await decideAs(s.owner.actor, r.id)).toMatchObject({ status: "PENDING" });
    expect((await auditSince(mark)).map((x) => x.action)).toEqual([
      "request.decision-recorded",
      "request.stage-approved",
      "request.security-stage-added",
    ]);
    expect((await stagesOf(r.id)).map((x) => [x.kind, x.status])).toEqual([
      ["DEPARTMENT_HEAD", "APPROVED"],
      ["SYSTEM_OWNER", "APPROVED"],
      ["SECURITY", "ACTIVE"],
    ]);
    expect(await decideAs(s.officer.actor, r.id)).toMatchObject({ status: "APPROVED" });
  });

  it("one person, one say per request: a head who also administers the system is not asked twice", async () => {
    const s = await makeRequestScenario();
    const both = await makeActor([{ role: "ACCOUNT_ADMIN", systemId: s.system.id }], { orgUnitId: s.department.id });
    await setHead(s.department.id, both.person.id);
    const r = await submitAs(s.staff.actor, { roleId: s.role.id });
    await decideAs(both.actor, r.id);
    const second = (await stagesOf(r.id))[1]!;
    expect(second.approvers.map((a) => a.approverId)).toEqual([s.owner.person.id]);
    await expectDomainError(decideAs(both.actor, r.id, "REJECT", "again"), "REQUEST_ALREADY_DECIDED");
  });
});

describe("delegation", () => {
  it("an out-of-office head's delegate decides on their behalf; the timeline shows it", async () => {
    const s = await makeRequestScenario();
    const deputy = await makeActor([], { orgUnitId: s.department.id });
    await db().approvalDelegation.create({
      data: {
        delegatorId: s.head.person.id,
        delegateId: deputy.person.id,
        startsAt: new Date(Date.now() - 60_000),
        endsAt: new Date(Date.now() + 86_400_000),
        reason: "Holiday",
      },
    });
    const r = await submitAs(s.staff.actor, { roleId: s.role.id });
    const first = (await stagesOf(r.id))[0]!;
    expect(first.approvers.map((a) => [a.approverId, a.source, a.onBehalfOfId])).toEqual([
      [s.head.person.id, "RESOLVED", null],
      [deputy.person.id, "DELEGATED", s.head.person.id],
    ]);
    await decideAs(deputy.actor, r.id);
    const decision = await db().approvalDecision.findFirstOrThrow({ where: { requestId: r.id } });
    expect(decision).toMatchObject({ approverId: deputy.person.id, onBehalfOfId: s.head.person.id, outcome: "APPROVE" });
    expect(await lastAuditRow({ action: "request.decision-recorded", targetId: r.id })).toMatchObject({
      actorId: deputy.person.id,
      summary: expect.objectContaining({ onBehalfOfId: s.head.person.id }),
    });
    // The head's own item closed with the stage.
    expect((await stagesOf(r.id))[0]!.approvers.every((a) => !a.isOpen)).toBe(true);
  });

  it("never delegates to the requester", async () => {
    const s = await makeRequestScenario();
    await db().approvalDelegation.create({
      data: {
        delegatorId: s.head.person.id,
        delegateId: s.staff.person.id,
        startsAt: new Date(Date.now() - 60_000),
        endsAt: new Date(Date.now() + 86_400_000),
      },
    });
    const r = await submitAs(s.staff.actor, { roleId: s.role.id });
    expect((await stagesOf(r.id))[0]!.approvers.map((a) => a.approverId)).toEqual([s.head.person.id]);
  });
});

describe("approval chains per system (R7)", () => {
  it("the system's administrators set N-of-M and named stages; audited before/after; others may not", async () => {
    const s = await makeRequestScenario();
    const named1 = await makeActor();
    const named2 = await makeActor();
    const named3 = await makeActor();
    const definition = {
      standard: [
        {
          kind: "NAMED" as const,
          rule: "N_OF_M" as const,
          requiredCount: 2,
          namedApproverIds: [named1.person.id, named2.person.id, named3.person.id],
        },
      ],
      sensitive: [{ kind: "DEPARTMENT_HEAD" as const }, { kind: "SECURITY" as const }],
    };
    await expectDomainError(
      inTransaction((tx) => setApprovalChain(tx, s.head.actor, { systemId: s.system.id, definition, reason: "Our path" })),
      "FORBIDDEN",
    );
    const noSecurity = { ...definition, sensitive: [{ kind: "DEPARTMENT_HEAD" as const }] };
    expect(
      (
        await expectZodError(
          inTransaction((tx) => setApprovalChain(tx, s.owner.actor, { systemId: s.system.id, definition: noSecurity, reason: "x y" })),
        )
      ).map((i) => i.path.join(".")),
    ).toEqual(["definition.sensitive"]);

    await inTransaction((tx) => setApprovalChain(tx, s.owner.actor, { systemId: s.system.id, definition, reason: "Our path" }));
    expect(await lastAuditRow({ action: "approval-chain.updated", targetId: s.system.id })).toMatchObject({
      actorId: s.owner.person.id,
      summary: {
        before: { definition: null },
        after: { definition: expect.objectContaining({ standard: [expect.objectContaining({ kind: "NAMED", requiredCount: 2 })] }) },
      },
    });

    const r = await submitAs(s.staff.actor, { roleId: s.role.id });
    expect((await stagesOf(r.id))[0]!.approvers.map((a) => a.approverId).sort()).toEqual(
      [named1.person.id, named2.person.id, named3.person.id].sort(),
    );
    expect(await decideAs(named1.actor, r.id)).toMatchObject({ status: "PENDING" });
    // Changing one's mind while the stage is still open: told it is one's own decision that stands.
    const changed = await expectDomainError(decideAs(named1.actor, r.id, "REJECT", "on second thought"), "REQUEST_ALREADY_DECIDED");
    expect(changed.params).toMatchObject({ who: expect.stringContaining(named1.employeeNo) });
    expect(await decideAs(named3.actor, r.id)).toMatchObject({ status: "APPROVED" });
    // named2's item closed with the stage.
    expect(await db().stageApprover.count({ where: { requestId: r.id, isOpen: true } })).toBe(0);

    await inTransaction((tx) =>
      setApprovalChain(tx, s.owner.actor, { systemId: s.system.id, definition: null, reason: "Back to default" }),
    );
    expect(await db().approvalChain.count({ where: { systemId: s.system.id } })).toBe(0);
  });

  it("ALL: every named approver, a delegate counting for their delegator", async () => {
    const s = await makeRequestScenario();
    const a = await makeActor();
    const b = await makeActor();
    const deputy = await makeActor();
    await inTransaction((tx) =>
      setApprovalChain(tx, s.owner.actor, {
        systemId: s.system.id,
        definition: {
          standard: [{ kind: "NAMED", rule: "ALL", namedApproverIds: [a.person.id, b.person.id] }],
          sensitive: [{ kind: "SECURITY" }],
        },
        reason: "Two keys",
      }),
    );
    await db().approvalDelegation.create({
      data: {
        delegatorId: b.person.id,
        delegateId: deputy.person.id,
        startsAt: new Date(Date.now() - 1000),
        endsAt: new Date(Date.now() + 3600_000),
      },
    });
    const r = await submitAs(s.staff.actor, { roleId: s.role.id });
    expect(await decideAs(a.actor, r.id)).toMatchObject({ status: "PENDING" });
    expect(await decideAs(deputy.actor, r.id)).toMatchObject({ status: "APPROVED" });
  });

  it("named approvers must be eligible people", async () => {
    const s = await makeRequestScenario();
    const gone = await makePerson();
    await db().person.update({ where: { id: gone.person.id }, data: { status: "LEFT" } });
    await expectDomainError(
      inTransaction((tx) =>
        setApprovalChain(tx, s.owner.actor, {
          systemId: s.system.id,
          definition: { standard: [{ kind: "NAMED", namedApproverIds: [gone.person.id] }], sensitive: [{ kind: "SECURITY" }] },
          reason: "x y",
        }),
      ),
      "VALIDATION",
    );
  });
});

describe("R10 temporary elevation [calendar]", () => {
  it("a third party's administrative role: sponsor then security approve; the grant is time-boxed; R10 waived for it only", async () => {
    const s = await makeRequestScenario({ administrative: true, accountCreation: true });
    const sponsor = await makeActor([], { orgUnitId: s.department.id });
    const vendor = await makeActor([], {
      employmentType: "THIRD_PARTY",
      orgUnitId: s.department.id,
      sponsorId: sponsor.person.id,
      contractEndsOn: dayFromToday(60),
    });
    // As an ordinary request it is refused by the policy engine (R10)…
    const refused = await expectDomainError(
      submitAs(sponsor.actor, { roleId: s.role.id, subjectId: vendor.person.id, endsAt: requestDay(5) }),
      "POLICY_VIOLATION",
    );
    expect((refused.details as { code: string }[]).map((v) => v.code).sort()).toEqual([
      "THIRD_PARTY_ACCOUNT_CREATION",
      "THIRD_PARTY_ADMIN_ROLE",
    ]);
    // …as an elevation it is allowed, for at most maxElevationHours.
    await expectDomainError(
      submitAs(vendor.actor, { roleId: s.role.id, kind: "ELEVATION", endsAt: new Date(Date.now() + 100 * 3600_000).toISOString() }),
      "REQUEST_ELEVATION_TOO_LONG",
    );
    const ends = new Date(Date.now() + 8 * 3600_000);
    const r = await submitAs(vendor.actor, {
      roleId: s.role.id,
      kind: "ELEVATION",
      endsAt: ends.toISOString(),
      justification: "Database migration weekend",
    });
    const stages = await stagesOf(r.id);
    expect(stages.map((x) => x.kind)).toEqual(["SPONSOR", "SECURITY"]);
    expect(stages[0]!.approvers.map((a) => a.approverId)).toEqual([sponsor.person.id]);
    await decideAs(sponsor.actor, r.id);
    const final = await decideAs(s.officer.actor, r.id);
    const grant = await db().accessGrant.findUniqueOrThrow({ where: { id: final.grantId! } });
    expect(grant.endsAt!.getTime()).toBe(Math.floor(ends.getTime()));
    expect(await lastAuditRow({ action: "grant.created", targetId: grant.id })).toMatchObject({
      summary: { after: expect.objectContaining({ elevation: true, requestId: r.id }) },
    });
  });

  it("a sponsor asking for their own third party's elevation: their head approves instead", async () => {
    const s = await makeRequestScenario({ administrative: true });
    const vendor = await makeActor([], {
      employmentType: "THIRD_PARTY",
      orgUnitId: s.department.id,
      sponsorId: s.staff.person.id,
      contractEndsOn: dayFromToday(60),
    });
    const r = await submitAs(s.staff.actor, {
      roleId: s.role.id,
      subjectId: vendor.person.id,
      kind: "ELEVATION",
      endsAt: new Date(Date.now() + 3600_000).toISOString(),
    });
    // The sponsor is the requester, so the sponsor stage goes to the sponsor's head.
    expect((await stagesOf(r.id))[0]!.approvers.map((a) => [a.approverId, a.source])).toEqual([[s.head.person.id, "ROUTED_UP"]]);
  });
});

describe("renewal", () => {
  it("extends the live grant it names (same grant row), audited as grant.renewed [calendar]", async () => {
    const s = await makeRequestScenario({ connected: true });
    const first = await submitAs(s.staff.actor, { roleId: s.role.id, endsAt: requestDay(10) });
    await decideAs(s.head.actor, first.id);
    const granted = await decideAs(s.owner.actor, first.id);
    await expectDomainError(submitAs(s.staff.actor, { roleId: s.role.id, endsAt: requestDay(60) }), "REQUEST_ALREADY_HELD");
    await expectDomainError(
      submitAs(s.staff.actor, { roleId: s.role.id, renewsGrantId: granted.grantId!, endsAt: requestDay(5) }),
      "REQUEST_RENEWAL_INVALID",
    );
    const renewal = await submitAs(s.staff.actor, { roleId: s.role.id, renewsGrantId: granted.grantId!, endsAt: requestDay(60) });
    await decideAs(s.head.actor, renewal.id);
    const done = await decideAs(s.owner.actor, renewal.id);
    expect(done).toMatchObject({ status: "APPROVED", grantId: granted.grantId });
    const grant = await db().accessGrant.findUniqueOrThrow({ where: { id: granted.grantId! } });
    expect(grant.endsAt).toEqual(endOfDay(requestDay(60)));
    expect(await lastAuditRow({ action: "grant.renewed", targetId: grant.id })).toMatchObject({
      basis: `request:REQ-${String(renewal.number).padStart(6, "0")}`,
    });
    expect(await db().provisioningOutbox.findFirst({ where: { requestId: renewal.id } })).toMatchObject({
      operation: "grant.updated",
      grantId: grant.id,
    });
    expect(await db().accessRequest.findUniqueOrThrow({ where: { id: renewal.id } })).toMatchObject({
      renewsGrantId: grant.id,
      grantId: null,
    });
  });

  it("refuses a renewal of someone else's grant", async () => {
    const s = await makeRequestScenario();
    const g = await inTransaction((tx) =>
      grantRole(tx, s.owner.actor, {
        personId: s.head.person.id,
        roleId: s.role.id,
        reason: "x y",
        endsAt: new Date(Date.now() + 86_400_000),
      }),
    );
    await expectDomainError(submitAs(s.staff.actor, { roleId: s.role.id, renewsGrantId: g.id }), "REQUEST_RENEWAL_INVALID");
  });
});

describe("cancelRequest", () => {
  it("the requester or the subject withdraws a pending request; approvers are told; audited", async () => {
    const s = await makeRequestScenario();
    const r = await submitAs(s.head.actor, { roleId: s.role.id, subjectId: s.staff.person.id });
    const stranger = await makeActor();
    await expectDomainError(
      inTransaction((tx) => cancelRequest(tx, stranger.actor, { requestId: r.id })),
      "FORBIDDEN",
    );
    const mark = await auditMark();
    await inTransaction((tx) => cancelRequest(tx, s.staff.actor, { requestId: r.id, reason: "Found another way" }));
    expect((await auditSince(mark)).map((x) => [x.action, x.actorId])).toEqual([["request.cancelled", s.staff.person.id]]);
    expect(await db().accessRequest.findUniqueOrThrow({ where: { id: r.id } })).toMatchObject({
      status: "CANCELLED",
      closingNote: "Found another way",
    });
    expect(await db().stageApprover.count({ where: { requestId: r.id, isOpen: true } })).toBe(0);
    expect(await notificationsFor(s.boss.person.id, "request-cancelled")).toHaveLength(1);
    await expectDomainError(
      inTransaction((tx) => cancelRequest(tx, s.staff.actor, { requestId: r.id })),
      "REQUEST_CLOSED",
    );
  });

  it("a decided request cannot be cancelled", async () => {
    const s = await makeRequestScenario();
    const r = await submitAs(s.staff.actor, { roleId: s.role.id });
    await decideAs(s.head.actor, r.id, "REJECT", "No");
    await expectDomainError(
      inTransaction((tx) => cancelRequest(tx, s.staff.actor, { requestId: r.id })),
      "REQUEST_ALREADY_DECIDED",
    );
  });
});

describe("bulkDecide", () => {
  it("approves non-sensitive items, each on its own; sensitive ones and mistakes are reported per item", async () => {
    const s = await makeRequestScenario();
    const sensitive = await makeRequestableRole(s.system.id, { sensitive: true });
    const other = await makeRequestableRole(s.system.id);
    const colleague = await makeActor([], { orgUnitId: s.department.id });
    const a = await submitAs(s.staff.actor, { roleId: s.role.id });
    const b = await submitAs(colleague.actor, { roleId: other.id });
    const c = await submitAs(s.staff.actor, { roleId: sensitive.id, endsAt: requestDay(30) });
    const d = await submitAs(colleague.actor, { roleId: s.role.id });
    await decideAs(s.head.actor, d.id, "REJECT", "No");
    const results = await bulkDecide(s.head.actor, { requestIds: [a.id, b.id, c.id, d.id], outcome: "APPROVE", comment: "OK" });
    expect(results).toEqual([
      { requestId: a.id, ok: true, status: "PENDING", repeated: false },
      { requestId: b.id, ok: true, status: "PENDING", repeated: false },
      { requestId: c.id, ok: false, code: "REQUEST_NOT_BULK_APPROVABLE", params: { number: expect.any(Number) } },
      { requestId: d.id, ok: false, code: "REQUEST_ALREADY_DECIDED", params: expect.objectContaining({ who: expect.any(String) }) },
    ]);
    expect((await stagesOf(c.id))[0]!.status).toBe("ACTIVE");
    await expectZodError(bulkDecide(s.head.actor, { requestIds: [], outcome: "APPROVE" }));
  });
});

describe("request settings", () => {
  it("system administrators change the limits, audited with what changed; others may not", async () => {
    const admin = await makeActor(["SYSTEM_ADMIN"]);
    const staff = await makeActor();
    const before = await getRequestSettings(db());
    await expectDomainError(
      inTransaction((tx) => updateRequestSettings(tx, staff.actor, { ...before, reason: "Tighter" })),
      "FORBIDDEN",
    );
    expect(
      (
        await expectZodError(
          inTransaction((tx) => updateRequestSettings(tx, admin.actor, { ...before, maxSensitiveDays: 0, reason: "Tighter" })),
        )
      ).map((i) => i.path[0]),
    ).toEqual(["maxSensitiveDays"]);
    await inTransaction((tx) =>
      updateRequestSettings(tx, admin.actor, { ...before, maxSensitiveDays: before.maxSensitiveDays === 60 ? 61 : 60, reason: "Tighter" }),
    );
    expect(await lastAuditRow({ action: "settings.updated", targetId: "requests" })).toMatchObject({
      actorId: admin.person.id,
      summary: { before: { maxSensitiveDays: before.maxSensitiveDays } },
    });
    await inTransaction((tx) => updateRequestSettings(tx, admin.actor, { ...before, reason: "Restore" }));
  });
});

describe("actors", () => {
  it("a background job cannot submit or decide", async () => {
    const s = await makeRequestScenario();
    await expectDomainError(
      inTransaction((tx) =>
        submitRequest(tx, FACTORY, { subjectId: s.staff.person.id, roleId: s.role.id, justification: "x", endsAt: null }),
      ),
      "FORBIDDEN",
    );
    const r = await submitAs(s.staff.actor, { roleId: s.role.id });
    await expectDomainError(
      inTransaction((tx) => decideRequest(tx, FACTORY, { requestId: r.id, outcome: "APPROVE" })),
      "FORBIDDEN",
    );
    // The actor is rebuilt from the database, as a session would.
    expect((await actorFor(s.head.person.id)).roles.map((x) => x.role)).toEqual(["APPROVER"]);
  });
});

describe("queries", () => {
  it("the inbox: the approver's open items oldest first, keyset pages, filters, search; closed items gone", async () => {
    const { listApprovalInbox, countOpenApprovals } = await import("@/lib/requests/queries");
    const s = await makeRequestScenario();
    const sensitive = await makeRequestableRole(s.system.id, { sensitive: true });
    const made: { id: string; number: number }[] = [];
    const team = [];
    for (let i = 0; i < 3; i++) team.push(await makeActor([], { orgUnitId: s.department.id, name: `Member ${i} ${uniq()}` }));
    for (const m of team) made.push(await submitAs(m.actor, { roleId: s.role.id }));
    made.push(await submitAs(team[0]!.actor, { roleId: sensitive.id, endsAt: requestDay(10) }));

    const all = await listApprovalInbox(s.head.actor, {});
    expect(all.rows.map((r) => r.requestId)).toEqual(made.map((m) => m.id));
    expect(all.rows[3]).toMatchObject({
      isSensitive: true,
      stageKind: "DEPARTMENT_HEAD",
      role: { name: sensitive.name },
      system: { id: s.system.id },
    });
    expect(await countOpenApprovals(s.head.person.id)).toBe(4);
    expect((await listApprovalInbox(s.head.actor, { sensitive: "1" })).rows.map((r) => r.requestId)).toEqual([made[3]!.id]);
    expect((await listApprovalInbox(s.head.actor, { sensitive: "0" })).rows).toHaveLength(3);
    expect((await listApprovalInbox(s.head.actor, { q: team[1]!.person.name.slice(0, 8) })).rows.map((r) => r.requestId)).toEqual([
      made[1]!.id,
    ]);
    expect((await listApprovalInbox(s.head.actor, { q: team[2]!.employeeNo.slice(0, 8) })).rows.map((r) => r.requestId)).toEqual([
      made[2]!.id,
    ]);
    expect(
      (await listApprovalInbox(s.head.actor, { q: `REQ-${String(made[0]!.number).padStart(6, "0")}` })).rows.map((r) => r.requestId),
    ).toEqual([made[0]!.id]);
    // Garbage filters and cursors are ignored, never an error.
    expect((await listApprovalInbox(s.head.actor, { system: "nope", kind: "X", cursor: "%%%" })).rows).toHaveLength(4);

    await decideAs(s.head.actor, made[0]!.id);
    const after = await listApprovalInbox(s.head.actor, {});
    expect(after.rows.map((r) => r.requestId)).not.toContain(made[0]!.id);
    expect((await listApprovalInbox(s.owner.actor, {})).rows.map((r) => r.requestId)).toEqual([made[0]!.id]);
  });

  it("request detail: for the requester, subject, approvers, officers and the system's administrators only", async () => {
    const { getRequestDetail, listMyRequests } = await import("@/lib/requests/queries");
    const s = await makeRequestScenario();
    const r = await submitAs(s.head.actor, { roleId: s.role.id, subjectId: s.staff.person.id });
    const stranger = await makeActor();
    const otherAdmin = await makeActor([{ role: "ACCOUNT_ADMIN" }]);
    expect(await getRequestDetail(stranger.actor, r.id)).toBe("forbidden");
    expect(await getRequestDetail(otherAdmin.actor, r.id)).toBe("forbidden");
    expect(await getRequestDetail(stranger.actor, "not-a-uuid")).toBeNull();
    for (const who of [s.head, s.staff, s.boss, s.officer, s.owner])
      expect(await getRequestDetail(who.actor, r.id)).toMatchObject({ id: r.id });

    const asBoss = (await getRequestDetail(s.boss.actor, r.id)) as Exclude<
      Awaited<ReturnType<typeof getRequestDetail>>,
      null | "forbidden"
    >;
    expect(asBoss.viewer).toMatchObject({ canDecide: true, canCancel: false });
    expect(asBoss.stages[0]!.approvers).toEqual([expect.objectContaining({ approverId: s.boss.person.id, source: "ROUTED_UP" })]);
    const asStaff = (await getRequestDetail(s.staff.actor, r.id)) as typeof asBoss;
    expect(asStaff.viewer).toMatchObject({ canDecide: false, canCancel: true });

    await decideAs(s.boss.actor, r.id, "APPROVE", "OK for the team");
    const detail = (await getRequestDetail(s.staff.actor, r.id)) as typeof asBoss;
    expect(detail.stages[0]!.decisions).toEqual([
      expect.objectContaining({
        outcome: "APPROVE",
        comment: "OK for the team",
        approver: expect.objectContaining({ id: s.boss.person.id }),
      }),
    ]);

    // My requests: made by me or for me, newest first, by status.
    expect((await listMyRequests(s.staff.actor, {})).rows.map((x) => x.id)).toEqual([r.id]);
    expect((await listMyRequests(s.head.actor, { status: "PENDING" })).rows.map((x) => x.id)).toEqual([r.id]);
    expect((await listMyRequests(s.head.actor, { status: "APPROVED" })).rows).toEqual([]);
  });

  it("the catalog: active requestable roles with their permissions and sensitivity", async () => {
    const { listRequestableRoles, getRequestableRole } = await import("@/lib/requests/queries");
    const s = await makeRequestScenario({ sensitive: true });
    const hidden = await makeRequestableRole(s.system.id, { requestable: false });
    const page = await listRequestableRoles(s.staff.actor, { systemId: s.system.id });
    expect(page.rows.map((r) => r.id)).toEqual([s.role.id]);
    expect(page.rows[0]).toMatchObject({
      isSensitive: true,
      isAdministrative: false,
      description: "Test role",
      permissions: [expect.objectContaining({ sensitivity: "SENSITIVE", isSensitive: true })],
    });
    expect(await getRequestableRole(hidden.id)).toBeNull();
  });

  it("the catalog knows what the person holds (to renew) and has asked for (to follow), and only theirs", async () => {
    const { catalogStanding } = await import("@/lib/requests/queries");
    const s = await makeRequestScenario();
    const other = await makeRequestableRole(s.system.id);
    const third = await makeRequestableRole(s.system.id);
    const roles = [s.role.id, other.id, third.id];
    expect(await catalogStanding(s.staff.person.id, roles)).toEqual({ held: new Map(), pending: new Map() });

    const asked = await submitAs(s.staff.actor, { roleId: s.role.id, endsAt: requestDay(10) });
    const number = (await db().accessRequest.findUniqueOrThrow({ where: { id: asked.id } })).number;
    let standing = await catalogStanding(s.staff.person.id, roles);
    expect(standing.pending).toEqual(new Map([[s.role.id, { requestId: asked.id, number: formatRequestNumber(number) }]]));
    expect(standing.held.size).toBe(0);

    await decideAs(s.head.actor, asked.id);
    const done = await decideAs(s.owner.actor, asked.id);
    standing = await catalogStanding(s.staff.person.id, roles);
    expect(standing.pending.size).toBe(0);
    expect(standing.held).toEqual(new Map([[s.role.id, { grantId: done.grantId, endsAt: endOfDay(requestDay(10)) }]]));
    // Someone else's grants and requests are not theirs.
    expect(await catalogStanding(s.head.person.id, roles)).toEqual({ held: new Map(), pending: new Map() });
    // An ended grant is no longer held.
    await db().accessGrant.update({ where: { id: done.grantId! }, data: { endsAt: new Date(Date.now() - 1000) } });
    expect((await catalogStanding(s.staff.person.id, roles)).held.size).toBe(0);
  });
});

describe("role-matrix changes (R8: leaders approve them)", () => {
  it("a change giving permissions waits for the owning department's leader, then applies with the request as basis", async () => {
    const { submitMatrixChange } = await import("@/lib/requests/submit-matrix-change");
    const s = await makeRequestScenario();
    const perm = await inTransaction((tx) =>
      createPermission(tx, FACTORY, {
        systemId: s.system.id,
        code: `M.${uniq().toUpperCase()}`,
        name: "Bulk export",
        dataKind: "USER_DATA",
        sensitivity: "EXTREME",
        operation: "BULK_EXPORT",
        reason: "setup",
      }),
    );
    const cell = { roleId: s.role.id, permissionId: perm.id };
    const open = () => db().rolePermission.count({ where: { ...cell, endsAt: null } });
    await expectDomainError(
      inTransaction((tx) => submitMatrixChange(tx, s.staff.actor, { systemId: s.system.id, add: [cell], remove: [], reason: "Campaign" })),
      "FORBIDDEN",
    );

    const mark = await auditMark();
    const r = await inTransaction((tx) =>
      submitMatrixChange(tx, s.owner.actor, { systemId: s.system.id, add: [cell], remove: [], reason: "Anti-fraud project AF-12" }),
    );
    expect(await open()).toBe(0);
    expect((await auditSince(mark)).map((x) => x.action)).toEqual(["request.submitted"]);
    expect(await db().accessRequest.findUniqueOrThrow({ where: { id: r.id } })).toMatchObject({
      kind: "MATRIX_CHANGE",
      roleId: null,
      isSensitive: true,
      status: "PENDING",
    });
    expect((await stagesOf(r.id)).map((x) => [x.kind, x.approvers.map((a) => a.approverId)])).toEqual([
      ["OWNER_LEADER", [s.boss.person.id]],
    ]);

    expect(await decideAs(s.boss.actor, r.id, "APPROVE", "Agreed")).toMatchObject({ status: "APPROVED" });
    expect(await open()).toBe(1);
    expect(await lastAuditRow({ action: "matrix.changed", targetId: s.role.id })).toMatchObject({
      actorId: s.boss.person.id,
      basis: `request:REQ-${String(r.number).padStart(6, "0")}`,
    });
    expect(await notificationsFor(s.owner.person.id, "request-approved")).toEqual([
      expect.objectContaining({ params: expect.objectContaining({ kind: "MATRIX_CHANGE" }) }),
    ]);
  });

  it("a leader's own proposal goes to the head above; a rejection changes nothing", async () => {
    const { submitMatrixChange } = await import("@/lib/requests/submit-matrix-change");
    const s = await makeRequestScenario();
    const { makeSystem, grantRole: grantPortal } = await import("../factories");
    const system = await makeSystem({ ownerOrgId: s.department.id });
    await grantPortal(s.head.person.id, { role: "ACCOUNT_ADMIN", systemId: system.id });
    const role = await makeRequestableRole(system.id);
    const perm = await inTransaction((tx) =>
      createPermission(tx, FACTORY, {
        systemId: system.id,
        code: `M.${uniq().toUpperCase()}`,
        name: "Stats",
        dataKind: "NONE",
        sensitivity: "LOW",
        operation: "QUERY",
        reason: "setup",
      }),
    );
    const head = await actorFor(s.head.person.id);
    const r = await inTransaction((tx) =>
      submitMatrixChange(tx, head, {
        systemId: system.id,
        add: [{ roleId: role.id, permissionId: perm.id }],
        remove: [{ roleId: role.id, permissionId: role.permissionId }],
        reason: "Reorganise",
      }),
    );
    expect((await stagesOf(r.id))[0]!.approvers.map((a) => [a.approverId, a.source])).toEqual([[s.boss.person.id, "ROUTED_UP"]]);
    await decideAs(s.boss.actor, r.id, "REJECT", "Keep it as it is");
    expect(await db().rolePermission.count({ where: { roleId: role.id, permissionId: perm.id, endsAt: null } })).toBe(0);
    expect(await db().rolePermission.count({ where: { roleId: role.id, permissionId: role.permissionId, endsAt: null } })).toBe(1);
    // Not approvable in bulk.
    const again = await inTransaction((tx) =>
      submitMatrixChange(tx, head, {
        systemId: system.id,
        add: [{ roleId: role.id, permissionId: perm.id }],
        remove: [],
        reason: "Second try",
      }),
    );
    expect(await bulkDecide(s.boss.actor, { requestIds: [again.id], outcome: "APPROVE" })).toEqual([
      expect.objectContaining({ ok: false, code: "REQUEST_NOT_BULK_APPROVABLE" }),
    ]);
  });
});

describe("top of the org tree (issue 9 §5)", () => {
  const setRootApprover = (admin: Parameters<typeof updateSecuritySettings>[1], employeeNo: string) =>
    inTransaction(async (tx) =>
      updateSecuritySettings(
        tx,
        admin,
        { ...(await getSecuritySettings(tx)), rootApproverEmployeeNo: employeeNo },
        "Root approver for the board",
      ),
    );

  it("the head of a top-level unit asks for themselves: the system's owners and security decide the head stage, and the request says so", async () => {
    const s = await makeRequestScenario();
    // The boss heads the division, a unit at the top of the tree: nobody heads a level above.
    expect((await db().orgUnit.findUniqueOrThrow({ where: { id: s.division.id } })).parentId).toBeNull();
    const r = await submitAs(s.boss.actor, { roleId: s.role.id });
    const [head, owner] = await stagesOf(r.id);
    expect(head!.kind).toBe("DEPARTMENT_HEAD");
    const approvers = new Map(head!.approvers.map((a) => [a.approverId, a.source]));
    expect(approvers.get(s.officer.person.id)).toBe("TOP_OF_TREE");
    expect(approvers.has(s.boss.person.id)).toBe(false);
    // The owner is left to the system-owner stage that follows (one person, one say per request).
    expect(approvers.has(s.owner.person.id)).toBe(false);
    expect(new Set(approvers.values())).toEqual(new Set(["TOP_OF_TREE"]));
    expect(owner!.kind).toBe("SYSTEM_OWNER");
    // Shown on the request in both languages.
    expect(en.requests.sources.TOP_OF_TREE).toMatch(/nobody heads a level above/);
    expect(zh.requests.sources.TOP_OF_TREE).toMatch(/上级无负责人/);
    // A security officer approves for the top of the tree; the owner then decides their own stage.
    await decideAs(s.officer.actor, r.id, "APPROVE");
    const after = await stagesOf(r.id);
    expect(after[0]!.status).toBe("APPROVED");
    expect(after[1]!.approvers.map((a) => [a.approverId, a.source])).toEqual([[s.owner.person.id, "RESOLVED"]]);
  });

  it("an approver set for the top of the organisation (security settings) decides instead, unless they are the one asking", async () => {
    const { actor: admin } = await makeActor(["SYSTEM_ADMIN"]);
    const board = await makeActor([], { name: `Board ${uniq()}` });
    const previous = (await getSecuritySettings(db())).rootApproverId;
    try {
      const mark = await auditMark();
      await setRootApprover(admin, board.person.employeeNo);
      expect((await getSecuritySettings(db())).rootApproverId).toBe(board.person.id);
      expect((await auditSince(mark)).find((row) => row.action === "settings.updated")).toMatchObject({
        summary: { after: { rootApproverId: board.person.id } },
      });

      const s = await makeRequestScenario();
      const r = await submitAs(s.boss.actor, { roleId: s.role.id });
      expect((await stagesOf(r.id))[0]!.approvers).toEqual([
        { approverId: board.person.id, source: "ROOT_APPROVER", isOpen: true, onBehalfOfId: null },
      ]);
      expect(en.requests.sources.ROOT_APPROVER).toMatch(/top of the organisation/);
      expect(zh.requests.sources.ROOT_APPROVER).toMatch(/最高层审批人/);

      // The root approver heading a top-level unit and asking for themselves: back to owners and security.
      const t = await makeRequestScenario();
      await setHead(t.division.id, board.person.id);
      const own = await submitAs(board.actor, { roleId: t.role.id });
      const sources = (await stagesOf(own.id))[0]!.approvers.map((a) => [a.approverId, a.source]);
      expect(sources).toContainEqual([t.officer.person.id, "TOP_OF_TREE"]);
      expect(sources.map(([id]) => id)).not.toContain(board.person.id);
    } finally {
      await inTransaction(async (tx) =>
        updateSecuritySettings(tx, admin, { ...(await getSecuritySettings(tx)), rootApproverId: previous }, "Restore after the test"),
      );
    }
  });

  it("refuses an unknown, inactive or malformed root approver with a field error, writing nothing", async () => {
    const { actor: admin } = await makeActor(["SYSTEM_ADMIN"]);
    const left = await makePerson();
    await db().person.update({ where: { id: left.person.id }, data: { status: "LEFT" } });
    const { actor: hr } = await makeActor(["HR"]);
    const mark = await auditMark();
    for (const employeeNo of ["NOBODY-1", left.person.employeeNo]) {
      const error = await expectDomainError(setRootApprover(admin, employeeNo), "NOT_FOUND");
      expect((error as DomainError).field).toBe("rootApproverEmployeeNo");
    }
    for (const employeeNo of ["E\u0000", "not an employee number!"]) {
      const issues = await expectZodError(setRootApprover(admin, employeeNo));
      expect(issues.map((i) => i.path.join("."))).toEqual(["rootApproverEmployeeNo"]);
    }
    await expectDomainError(setRootApprover(hr, left.person.employeeNo), "FORBIDDEN");
    expect(await auditSince(mark)).toEqual([]);
  });
});

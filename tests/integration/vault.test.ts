// Vault mode (R14, lib/vault): a designated second person approves one operation at that moment; the
// approval is bound to the operation and target, single-use and short-lived. Real PostgreSQL.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { randomUUID } from "node:crypto";
import { getDb, inTransaction } from "@/lib/db";
import type { PersonActor } from "@/lib/authz/actor";
import { ensureBuiltInVaultScenarios } from "@/lib/vault/ensure-built-in-scenarios";
import { ADMIN_GRANT_SCENARIO, REVEAL_PII_SCENARIO, vaultOperation } from "@/lib/vault/built-in";
import { createVaultRequest } from "@/lib/vault/create-vault-request";
import { decideVaultRequest } from "@/lib/vault/decide-vault-request";
import { consumeVaultApproval } from "@/lib/vault/consume-vault-approval";
import { cancelVaultRequest } from "@/lib/vault/cancel-vault-request";
import { createVaultScenario } from "@/lib/vault/create-vault-scenario";
import { updateVaultScenario } from "@/lib/vault/update-vault-scenario";
import { expireVaultRequests } from "@/lib/vault/expire-vault-requests";
import { listEligibleOnlineApprovers } from "@/lib/vault/approvers";
import { waitForVaultDecision } from "@/lib/vault/wait-for-decision";
import { getVaultRequestView, listOpenPrompts } from "@/lib/vault/queries";
import { revealPersonPii } from "@/lib/people/reveal-pii";
import { grantRole } from "@/lib/grants/grant-role";
import { createJobRole } from "@/lib/systems/job-roles";
import { eventHub, PROCESS_ID, type HubEvent } from "@/lib/events/hub";
import { personTopic } from "@/lib/events/publish";
import { systemActor } from "@/lib/authz/actor";
import {
  auditMark,
  auditSince,
  countAudit,
  expectDomainError,
  expectZodError,
  goOnline,
  lastAuditRow,
  makeActor,
  makePerson,
  makeSystem,
  uniq,
} from "../factories";

const MINUTE = 60_000;

/** Audit rows of vault mode and personal-data reveals since a mark (setup writes person rows meanwhile). */
async function vaultOrPiiRowsSince(mark: bigint) {
  return (await auditSince(mark)).filter((r) => r.action.startsWith("vault") || r.action === "person.pii.revealed");
}

beforeAll(async () => {
  await inTransaction((tx) => ensureBuiltInVaultScenarios(tx));
});
afterAll(async () => {
  await eventHub().close();
});

/** An HR operator, an online security officer, and a person with full personal data. */
async function revealSetup() {
  const hr = await makeActor(["HR"]);
  const officer = await makeActor(["SECURITY_OFFICER"]);
  await goOnline(officer.account.id);
  const target = await makePerson({ phone: "13912345678", idNumber: "11010519491231002X" });
  return { hr, officer, target };
}

function askReveal(
  operator: PersonActor,
  approverId: string,
  targetId: string,
  field: "phone" | "idNumber" | "email" = "idNumber",
  now?: Date,
) {
  return inTransaction((tx) =>
    createVaultRequest(
      tx,
      operator,
      {
        scenarioCode: REVEAL_PII_SCENARIO,
        approverId,
        operation: vaultOperation.revealPii(field),
        targetType: "person",
        targetId,
        reason: "Customer complaint 4711",
      },
      now,
    ),
  );
}

const decide = (actor: PersonActor, vaultRequestId: string, outcome: "APPROVE" | "REJECT" = "APPROVE", now?: Date) =>
  inTransaction((tx) => decideVaultRequest(tx, actor, { vaultRequestId, outcome, comment: "ok" }, now));

const reveal = (actor: PersonActor, personId: string, field: "phone" | "idNumber" | "email", vaultRequestId?: string, now?: Date) =>
  inTransaction((tx) => revealPersonPii(tx, actor, { personId, field, vaultRequestId }, now));

describe("built-in scenarios", () => {
  it("are ensured once, idempotently, with security officers as approvers and a 300 s validity", async () => {
    expect(await inTransaction((tx) => ensureBuiltInVaultScenarios(tx))).toBe(0);
    const rows = await getDb().vaultScenario.findMany({ where: { code: { in: [REVEAL_PII_SCENARIO, ADMIN_GRANT_SCENARIO] } } });
    expect(rows).toHaveLength(2);
    for (const r of rows) expect(r).toMatchObject({ approverRoles: ["SECURITY_OFFICER"], validForSeconds: 300, isActive: true });
  });
});

describe("revealing full personal data through vault mode", () => {
  it("happy path: the operator asks an online officer, who sees the prompt and approves; the reveal proceeds once", async () => {
    const { hr, officer, target } = await revealSetup();
    const approvers = await listEligibleOnlineApprovers(hr.actor, REVEAL_PII_SCENARIO);
    expect(approvers.map((a) => a.id)).toContain(officer.person.id);
    expect(approvers.map((a) => a.id)).not.toContain(hr.person.id);

    const events: HubEvent[] = [];
    const stop = eventHub().subscribe([personTopic(officer.person.id), personTopic(hr.person.id)], (e) => events.push(e));
    await eventHub().ready();

    const mark = await auditMark();
    const asked = await askReveal(hr.actor, officer.person.id, target.person.id);
    expect(asked).toMatchObject({ status: "PENDING", approver: { id: officer.person.id } });
    expect((await auditSince(mark)).map((r) => r.action)).toEqual(["vault.requested"]);
    expect(await lastAuditRow({ action: "vault.requested", targetId: asked.id })).toMatchObject({
      actorId: hr.person.id,
      targetType: "vault-request",
      reason: "Customer complaint 4711",
      summary: expect.objectContaining({
        scenario: REVEAL_PII_SCENARIO,
        operation: "reveal:idNumber",
        targetId: target.person.id,
        approverId: officer.person.id,
      }),
    });
    // The approver's open pages learn at once (server push), and the inbox has it.
    await vi.waitFor(() =>
      expect(events.some((e) => e.type === "vault-prompt" && e.data.id === asked.id && e.topic === personTopic(officer.person.id))).toBe(
        true,
      ),
    );
    expect(await getDb().notification.findFirst({ where: { recipientId: officer.person.id, kind: "vault-prompt" } })).toMatchObject({
      link: `/vault/${asked.id}`,
    });
    expect((await listOpenPrompts(officer.person.id)).map((p) => p.id)).toContain(asked.id);
    expect((await getVaultRequestView(officer.actor, asked.id))?.role).toBe("approver");
    expect(await getVaultRequestView((await makeActor()).actor, asked.id)).toBeNull();

    // Not yet approved: nothing is revealed.
    await expectDomainError(reveal(hr.actor, target.person.id, "idNumber", asked.id), "VAULT_APPROVAL_PENDING");

    const decided = await decide(officer.actor, asked.id);
    expect(decided.status).toBe("APPROVED");
    expect(decided.validUntil!.getTime() - decided.decidedAt.getTime()).toBe(300_000);
    expect(await lastAuditRow({ action: "vault.approved", targetId: asked.id })).toMatchObject({
      actorId: officer.person.id,
      reason: "ok",
    });
    expect(await getDb().notification.findFirst({ where: { recipientId: hr.person.id, kind: "vault-decided" } })).toMatchObject({
      params: expect.objectContaining({ outcome: "APPROVED" }),
    });
    await vi.waitFor(() => expect(events.some((e) => e.type === "vault-decided" && e.topic === personTopic(hr.person.id))).toBe(true));
    stop();

    const before = await auditMark();
    expect(await reveal(hr.actor, target.person.id, "idNumber", asked.id)).toBe("11010519491231002X");
    expect((await auditSince(before)).map((r) => r.action)).toEqual(["vault.consumed", "person.pii.revealed"]);
    expect(await getDb().vaultRequest.findUniqueOrThrow({ where: { id: asked.id } })).toMatchObject({ status: "CONSUMED" });
    // Single use.
    await expectDomainError(reveal(hr.actor, target.person.id, "idNumber", asked.id), "VAULT_APPROVAL_USED");
  });

  it("refuses the reveal without an approval, and with one for another field, person or operator; nothing is written", async () => {
    const { hr, officer, target } = await revealSetup();
    const other = await makePerson({ phone: "13700000000" });
    const asked = await askReveal(hr.actor, officer.person.id, target.person.id, "phone");
    await decide(officer.actor, asked.id);
    const mark = await auditMark();
    await expectDomainError(reveal(hr.actor, target.person.id, "phone"), "VAULT_APPROVAL_REQUIRED");
    await expectDomainError(reveal(hr.actor, target.person.id, "idNumber", asked.id), "VAULT_APPROVAL_MISMATCH");
    await expectDomainError(reveal(hr.actor, other.person.id, "phone", asked.id), "VAULT_APPROVAL_MISMATCH");
    const otherHr = await makeActor(["HR"]);
    await expectDomainError(reveal(otherHr.actor, target.person.id, "phone", asked.id), "VAULT_APPROVAL_REQUIRED");
    await expectDomainError(reveal(hr.actor, target.person.id, "phone", randomUUID()), "VAULT_APPROVAL_REQUIRED");
    await expectZodError(reveal(hr.actor, target.person.id, "phone", "not-a-uuid"));
    // An approval belongs to a person at a screen: nothing else can use it.
    await expectDomainError(
      inTransaction((tx) =>
        consumeVaultApproval(tx, systemActor("integration"), {
          vaultRequestId: asked.id,
          operation: "reveal:phone",
          targetType: "person",
          targetId: target.person.id,
        }),
      ),
      "VAULT_APPROVAL_REQUIRED",
    );
    expect(await vaultOrPiiRowsSince(mark)).toEqual([]);
    // Still usable for what it was given for.
    expect(await reveal(hr.actor, target.person.id, "phone", asked.id)).toBe("13912345678");
  });

  it("refuses a rejected approval and an expired one", async () => {
    const { hr, officer, target } = await revealSetup();
    const rejected = await askReveal(hr.actor, officer.person.id, target.person.id, "phone");
    await decide(officer.actor, rejected.id, "REJECT");
    expect(await lastAuditRow({ action: "vault.rejected", targetId: rejected.id })).toMatchObject({ actorId: officer.person.id });
    await expectDomainError(reveal(hr.actor, target.person.id, "phone", rejected.id), "VAULT_APPROVAL_REJECTED");

    const approved = await askReveal(hr.actor, officer.person.id, target.person.id, "email");
    await decide(officer.actor, approved.id);
    const later = new Date(Date.now() + 301_000);
    await expectDomainError(reveal(hr.actor, target.person.id, "email", approved.id, later), "VAULT_APPROVAL_EXPIRED");
  });
});

describe("asking for approval: every refusal", () => {
  it("refuses an approver who is not eligible, one who is offline, and the operator themself", async () => {
    const { hr, target } = await revealSetup();
    const staff = await makeActor();
    await goOnline(staff.account.id);
    const mark = await auditMark();
    await expectDomainError(askReveal(hr.actor, staff.person.id, target.person.id), "VAULT_APPROVER_NOT_ELIGIBLE");
    const offline = await makeActor(["SECURITY_OFFICER"]);
    await expectDomainError(askReveal(hr.actor, offline.person.id, target.person.id), "VAULT_APPROVER_OFFLINE");
    // A session last used five minutes ago is not "online"; neither is a revoked one.
    await goOnline(offline.account.id, new Date(Date.now() - 5 * MINUTE));
    const revoked = await goOnline(offline.account.id);
    await getDb().portalSession.update({ where: { id: revoked }, data: { revokedAt: new Date() } });
    await expectDomainError(askReveal(hr.actor, offline.person.id, target.person.id), "VAULT_APPROVER_OFFLINE");
    // An officer operating cannot approve their own reveal.
    const selfOfficer = await makeActor(["SECURITY_OFFICER"]);
    await goOnline(selfOfficer.account.id);
    await expectDomainError(askReveal(selfOfficer.actor, selfOfficer.person.id, target.person.id), "VAULT_SELF_APPROVAL");
    expect(await vaultOrPiiRowsSince(mark)).toEqual([]);
    expect((await listEligibleOnlineApprovers(selfOfficer.actor, REVEAL_PII_SCENARIO)).map((a) => a.id)).not.toContain(
      selfOfficer.person.id,
    );
  });

  it("counts an open server-push connection as online, but not a stale one", async () => {
    const { hr, target } = await revealSetup();
    const officer = await makeActor(["SECURITY_OFFICER"]);
    const session = await goOnline(officer.account.id, new Date(Date.now() - 10 * MINUTE));
    await getDb().pushConnection.create({
      data: {
        id: randomUUID(),
        personId: officer.person.id,
        sessionId: session,
        processId: PROCESS_ID,
        seenAt: new Date(Date.now() - 5 * MINUTE),
      },
    });
    await expectDomainError(askReveal(hr.actor, officer.person.id, target.person.id), "VAULT_APPROVER_OFFLINE");
    await getDb().pushConnection.create({
      data: { id: randomUUID(), personId: officer.person.id, sessionId: session, processId: PROCESS_ID },
    });
    expect((await askReveal(hr.actor, officer.person.id, target.person.id)).status).toBe("PENDING");
  });

  it("refuses an operator who may not do the operation, unknown scenarios and targets, and bad input", async () => {
    const { officer, target } = await revealSetup();
    const staff = await makeActor();
    await expectDomainError(askReveal(staff.actor, officer.person.id, target.person.id), "FORBIDDEN");
    const { hr } = await revealSetup();
    await expectDomainError(askReveal(hr.actor, officer.person.id, randomUUID()), "NOT_FOUND");
    await expectDomainError(
      inTransaction((tx) =>
        createVaultRequest(tx, hr.actor, {
          scenarioCode: "no.such-scenario",
          approverId: officer.person.id,
          operation: "x",
          targetType: "person",
          targetId: target.person.id,
          reason: "because",
        }),
      ),
      "NOT_FOUND",
    );
    await expectDomainError(
      inTransaction((tx) =>
        createVaultRequest(tx, hr.actor, {
          scenarioCode: REVEAL_PII_SCENARIO,
          approverId: officer.person.id,
          operation: "reveal:passwordHash",
          targetType: "person",
          targetId: target.person.id,
          reason: "because",
        }),
      ),
      "VALIDATION",
    );
    await expectZodError(
      inTransaction((tx) =>
        createVaultRequest(tx, hr.actor, {
          scenarioCode: REVEAL_PII_SCENARIO,
          approverId: "nobody",
          operation: "reveal:phone",
          targetType: "person",
          targetId: target.person.id,
          reason: "",
        }),
      ),
    );
  });

  it("returns the open prompt on a double submission, and withdraws it when another approver is chosen", async () => {
    const { hr, officer, target } = await revealSetup();
    const first = await askReveal(hr.actor, officer.person.id, target.person.id);
    expect((await askReveal(hr.actor, officer.person.id, target.person.id)).id).toBe(first.id);
    const second = await makeActor(["SECURITY_OFFICER"]);
    await goOnline(second.account.id);
    const other = await askReveal(hr.actor, second.person.id, target.person.id);
    expect(other.id).not.toBe(first.id);
    expect(await getDb().vaultRequest.findUniqueOrThrow({ where: { id: first.id } })).toMatchObject({ status: "CANCELLED" });
    await expectDomainError(decide(officer.actor, first.id), "VAULT_ALREADY_DECIDED");
  });
});

describe("deciding", () => {
  it("only the chosen approver, only while pending and before it lapses", async () => {
    const { hr, officer, target } = await revealSetup();
    const asked = await askReveal(hr.actor, officer.person.id, target.person.id);
    const otherOfficer = await makeActor(["SECURITY_OFFICER"]);
    await expectDomainError(decide(otherOfficer.actor, asked.id), "NOT_FOUND");
    await expectDomainError(decide(hr.actor, asked.id), "NOT_FOUND");
    await expectDomainError(decide(officer.actor, asked.id, "APPROVE", new Date(Date.now() + 6 * MINUTE)), "VAULT_REQUEST_EXPIRED");
    await decide(officer.actor, asked.id, "REJECT");
    const error = await expectDomainError(decide(officer.actor, asked.id), "VAULT_ALREADY_DECIDED");
    expect(error.params.status).toBe("REJECTED");
  });

  it("an approver who lost the role meanwhile can no longer approve", async () => {
    const { hr, officer, target } = await revealSetup();
    const asked = await askReveal(hr.actor, officer.person.id, target.person.id);
    await getDb().portalRoleAssignment.deleteMany({ where: { personId: officer.person.id } });
    await expectDomainError(decide(officer.actor, asked.id), "VAULT_APPROVER_NOT_ELIGIBLE");
  });

  it("two decisions at the same moment: one outcome, the other told it was already decided", async () => {
    const { hr, officer, target } = await revealSetup();
    const asked = await askReveal(hr.actor, officer.person.id, target.person.id);
    const results = await Promise.allSettled([decide(officer.actor, asked.id, "APPROVE"), decide(officer.actor, asked.id, "REJECT")]);
    const ok = results.filter((r) => r.status === "fulfilled");
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(ok).toHaveLength(1);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.reason.code).toBe("VAULT_ALREADY_DECIDED");
    expect(
      (await countAudit({ targetId: asked.id, action: "vault.approved" })) +
        (await countAudit({ targetId: asked.id, action: "vault.rejected" })),
    ).toBe(1);
  });

  it("two uses of one approval at the same moment: exactly one succeeds", async () => {
    const { hr, officer, target } = await revealSetup();
    const asked = await askReveal(hr.actor, officer.person.id, target.person.id);
    await decide(officer.actor, asked.id);
    const results = await Promise.allSettled([
      reveal(hr.actor, target.person.id, "idNumber", asked.id),
      reveal(hr.actor, target.person.id, "idNumber", asked.id),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect((results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason.code).toBe("VAULT_APPROVAL_USED");
    expect(await countAudit({ targetId: asked.id, action: "vault.consumed" })).toBe(1);
  });

  it("the operator withdraws an unanswered prompt; someone else cannot", async () => {
    const { hr, officer, target } = await revealSetup();
    const asked = await askReveal(hr.actor, officer.person.id, target.person.id);
    await expectDomainError(
      inTransaction((tx) => cancelVaultRequest(tx, officer.actor, { vaultRequestId: asked.id })),
      "NOT_FOUND",
    );
    expect(await inTransaction((tx) => cancelVaultRequest(tx, hr.actor, { vaultRequestId: asked.id }))).toMatchObject({
      status: "CANCELLED",
    });
    expect(await lastAuditRow({ action: "vault.cancelled", targetId: asked.id })).toMatchObject({ actorId: hr.person.id });
    await expectDomainError(decide(officer.actor, asked.id), "VAULT_ALREADY_DECIDED");
  });
});

describe("expiry and waiting", () => {
  it("the job closes unanswered prompts and unused approvals, one audit row per batch", async () => {
    const { hr, officer, target } = await revealSetup();
    const unanswered = await askReveal(hr.actor, officer.person.id, target.person.id, "phone");
    const unused = await askReveal(hr.actor, officer.person.id, target.person.id, "email");
    await decide(officer.actor, unused.id);
    const later = new Date(Date.now() + 10 * MINUTE);
    const mark = await auditMark();
    let total = 0;
    for (let n = -1; n !== 0; total += n) n = await inTransaction((tx) => expireVaultRequests(tx, systemActor("scheduler"), later));
    expect(total).toBeGreaterThanOrEqual(2);
    for (const id of [unanswered.id, unused.id])
      expect((await getDb().vaultRequest.findUniqueOrThrow({ where: { id } })).status).toBe("EXPIRED");
    const rows = (await auditSince(mark)).filter((r) => r.action === "vault.expired");
    const summary = rows.map((r) => r.summary as { unanswered: string[]; unused: string[] });
    expect(summary.flatMap((s) => s.unanswered)).toContain(unanswered.id);
    expect(summary.flatMap((s) => s.unused)).toContain(unused.id);
    await expectDomainError(reveal(hr.actor, target.person.id, "email", unused.id), "VAULT_APPROVAL_EXPIRED");
  });

  it("waitForVaultDecision returns as soon as the approver decides, or the pending state after the timeout", async () => {
    const { hr, officer, target } = await revealSetup();
    const asked = await askReveal(hr.actor, officer.person.id, target.person.id);
    const timedOut = await waitForVaultDecision(asked.id, { timeoutMs: 300 });
    expect(timedOut).toMatchObject({ status: "PENDING", decidedAt: null, validUntil: null, approver: { id: officer.person.id } });

    const started = Date.now();
    const waiting = waitForVaultDecision(asked.id, { timeoutMs: 20_000 });
    setTimeout(() => void decide(officer.actor, asked.id), 300);
    const decided = await waiting;
    expect(decided).toMatchObject({ status: "APPROVED", approver: { id: officer.person.id, name: officer.person.name } });
    expect(decided!.validUntil).toBeInstanceOf(Date);
    expect(Date.now() - started).toBeLessThan(4_000);

    expect(await waitForVaultDecision(randomUUID(), { timeoutMs: 100 })).toBeNull();
    expect(await waitForVaultDecision(asked.id, { timeoutMs: 100, viewerId: (await makePerson()).person.id })).toBeNull();
  });
});

describe("granting an administrative role directly", () => {
  async function adminRoleSetup() {
    const system = await makeSystem();
    const admin = await makeActor([{ role: "ACCOUNT_ADMIN", systemId: system.id }]);
    const role = await inTransaction((tx) =>
      createJobRole(tx, admin.actor, {
        systemId: system.id,
        code: `SUPER.${uniq().toUpperCase()}`,
        name: "Super administrator",
        isAdministrative: true,
        reason: "setup",
      }),
    );
    const plain = await inTransaction((tx) =>
      createJobRole(tx, admin.actor, { systemId: system.id, code: `PLAIN.${uniq().toUpperCase()}`, name: "Clerk", reason: "setup" }),
    );
    const officer = await makeActor(["SECURITY_OFFICER"]);
    await goOnline(officer.account.id);
    const person = await makePerson();
    return { system, admin, role, plain, officer, person };
  }

  it("is refused without a security officer's approval, and allowed once with it", async () => {
    const { admin, role, plain, officer, person } = await adminRoleSetup();
    const grant = (vaultRequestId?: string, roleId = role.id) =>
      inTransaction((tx) =>
        grantRole(tx, admin.actor, {
          personId: person.person.id,
          roleId,
          endsAt: new Date(Date.now() + 30 * 86_400_000),
          reason: "Covers the platform on-call",
          vaultRequestId,
        }),
      );
    const mark = await auditMark();
    await expectDomainError(grant(), "VAULT_APPROVAL_REQUIRED");
    expect(await auditSince(mark)).toEqual([]);
    expect(await getDb().accessGrant.count({ where: { roleId: role.id } })).toBe(0);
    // A role that is not administrative needs no vault approval.
    await grant(undefined, plain.id);

    const asked = await inTransaction((tx) =>
      createVaultRequest(tx, admin.actor, {
        scenarioCode: ADMIN_GRANT_SCENARIO,
        approverId: officer.person.id,
        operation: vaultOperation.grantRole(role.id),
        targetType: "person",
        targetId: person.person.id,
        reason: "On-call cover",
      }),
    );
    await decide(officer.actor, asked.id);
    const created = await grant(asked.id);
    expect(await lastAuditRow({ action: "grant.created", targetId: created.id })).toMatchObject({ actorId: admin.person.id });
    expect(await lastAuditRow({ action: "vault.consumed", targetId: asked.id })).toMatchObject({ actorId: admin.person.id });
    await expectDomainError(grant(asked.id), "VAULT_APPROVAL_USED");
  });

  it("only an account administrator of that system may ask, and only for an administrative role", async () => {
    const { role, plain, officer, person } = await adminRoleSetup();
    const otherAdmin = await makeActor(["ACCOUNT_ADMIN"]);
    const ask = (actor: PersonActor, roleId: string) =>
      inTransaction((tx) =>
        createVaultRequest(tx, actor, {
          scenarioCode: ADMIN_GRANT_SCENARIO,
          approverId: officer.person.id,
          operation: vaultOperation.grantRole(roleId),
          targetType: "person",
          targetId: person.person.id,
          reason: "On-call cover",
        }),
      );
    await expectDomainError(ask(otherAdmin.actor, role.id), "FORBIDDEN");
    const { admin } = await adminRoleSetup();
    await expectDomainError(ask(admin.actor, plain.id), "NOT_FOUND");
  });

  it("the seed and background jobs (system actors) are not prompted", async () => {
    const { role, person } = await adminRoleSetup();
    const g = await inTransaction((tx) =>
      grantRole(tx, systemActor("seed"), {
        personId: person.person.id,
        roleId: role.id,
        endsAt: new Date(Date.now() + 30 * 86_400_000),
        reason: "Demo seed",
      }),
    );
    expect(g.id).toBeTruthy();
  });
});

describe("scenarios, defined by security officers", () => {
  it("an officer adds a system's scenario with roles and named approvers; it is audited; others may not", async () => {
    const { actor: officer } = await makeActor(["SECURITY_OFFICER"]);
    const system = await makeSystem();
    const named = await makePerson();
    const code = `T${uniq()}:bulk-export`;
    const input = {
      code,
      systemId: system.id,
      name: "批量导出",
      nameEn: "Bulk export",
      approverRoles: ["SECURITY_OFFICER" as const],
      approverEmployeeNos: [named.employeeNo],
      validForSeconds: 120,
      reason: "Export needs a second person",
    };
    const scenario = await inTransaction((tx) => createVaultScenario(tx, officer, input));
    expect(scenario).toMatchObject({ code, systemId: system.id, approverIds: [named.person.id], validForSeconds: 120, isActive: true });
    expect(await lastAuditRow({ action: "vault-scenario.created", targetId: scenario.id })).toMatchObject({
      actorId: officer.personId,
      reason: "Export needs a second person",
    });
    // A named approver (no portal role) is eligible once online.
    const operator = await makeActor();
    expect((await listEligibleOnlineApprovers(operator.actor, code)).map((a) => a.id)).not.toContain(named.person.id);
    await goOnline(named.account.id);
    expect((await listEligibleOnlineApprovers(operator.actor, code)).map((a) => a.id)).toContain(named.person.id);
    await expectDomainError(
      inTransaction((tx) => createVaultScenario(tx, officer, input)),
      "ALREADY_EXISTS",
    );
    for (const roles of [["SYSTEM_ADMIN"], ["HR"], []] as const) {
      const { actor } = await makeActor([...roles]);
      await expectDomainError(
        inTransaction((tx) => createVaultScenario(tx, actor, { ...input, code: `T${uniq()}:x` })),
        "FORBIDDEN",
      );
    }
    const unknown = await expectDomainError(
      inTransaction((tx) => createVaultScenario(tx, officer, { ...input, code: `T${uniq()}:y`, approverEmployeeNos: ["NOBODY-1"] })),
      "VALIDATION",
    );
    expect(unknown.params.list).toBe("NOBODY-1");
    await expectDomainError(
      inTransaction((tx) =>
        createVaultScenario(tx, officer, { ...input, code: `T${uniq()}:z`, approverRoles: [], approverEmployeeNos: [] }),
      ),
      "VALIDATION",
    );
    await expectZodError(inTransaction((tx) => createVaultScenario(tx, officer, { ...input, code: "bad code!", validForSeconds: 5 })));
  });

  it("an officer changes approvers and validity (audited before/after); built-ins cannot be switched off; inactive scenarios prompt nobody", async () => {
    const { actor: officer } = await makeActor(["SECURITY_OFFICER"]);
    const builtIn = await getDb().vaultScenario.findUniqueOrThrow({ where: { code: REVEAL_PII_SCENARIO } });
    const base = {
      scenarioId: builtIn.id,
      name: builtIn.name,
      nameEn: builtIn.nameEn ?? "",
      approverRoles: ["SECURITY_OFFICER" as const],
      approverEmployeeNos: [],
      reason: "Review",
    };
    await expectDomainError(
      inTransaction((tx) => updateVaultScenario(tx, officer, { ...base, isActive: false, validForSeconds: 300 })),
      "VAULT_SCENARIO_BUILT_IN",
    );
    const changed = await inTransaction((tx) => updateVaultScenario(tx, officer, { ...base, isActive: true, validForSeconds: 240 }));
    expect(changed.validForSeconds).toBe(240);
    expect(await lastAuditRow({ action: "vault-scenario.updated", targetId: builtIn.id })).toMatchObject({
      summary: { before: { validForSeconds: 300 }, after: { validForSeconds: 240 } },
    });
    await inTransaction((tx) => updateVaultScenario(tx, officer, { ...base, isActive: true, validForSeconds: 300 }));

    const code = `T${uniq()}:report`;
    const own = await inTransaction((tx) =>
      createVaultScenario(tx, officer, { code, name: "报表", approverRoles: ["SECURITY_OFFICER"], validForSeconds: 60, reason: "x1" }),
    );
    await inTransaction((tx) =>
      updateVaultScenario(tx, officer, {
        scenarioId: own.id,
        name: "报表",
        approverRoles: ["SECURITY_OFFICER"],
        validForSeconds: 60,
        isActive: false,
        reason: "Retired",
      }),
    );
    const operator = await makeActor();
    const approver = await makeActor(["SECURITY_OFFICER"]);
    await goOnline(approver.account.id);
    expect(await listEligibleOnlineApprovers(operator.actor, code)).toEqual([]);
    await expectDomainError(
      inTransaction((tx) =>
        createVaultRequest(tx, operator.actor, {
          scenarioCode: code,
          approverId: approver.person.id,
          operation: "export",
          targetType: "report",
          targetId: "R-1",
          reason: "Month end",
        }),
      ),
      "VAULT_SCENARIO_INACTIVE",
    );
  });
});

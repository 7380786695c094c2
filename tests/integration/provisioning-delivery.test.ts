// Provisioning delivery over SCIM 2.0 (issue 11 §3) against a real SCIM service provider on loopback.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb, inTransaction } from "@/lib/db";
import { changePersonStatus } from "@/lib/people/change-person-status";
import { configureConnector, removeConnector } from "@/lib/provisioning/configure-connector";
import { backoffMs, circuitCooldownMs, CIRCUIT_THRESHOLD, deliverProvisioning } from "@/lib/provisioning/deliver";
import { decryptSecret } from "@/lib/crypto";
import { requeueDelivery, testConnection } from "@/lib/provisioning/requeue-delivery";
import { reconcileSystem, remediateFinding } from "@/lib/provisioning/reconcile";
import { completeManualTask, listManualTasks, openManualTasks, recentlyDoneTasks } from "@/lib/provisioning/manual-tasks";
import { ScimPeer } from "../scim-peer";
import { auditSince, auditMark, expectDomainError, expectZodError, FACTORY, makeActor, makePerson } from "../factories";
import { grantOf, systemWithRoles } from "../lifecycle-fixtures";

const peer = new ScimPeer();
beforeAll(async () => {
  await peer.start();
});
afterAll(async () => {
  await peer.stop();
});

const SECOND = 1000;

async function connectedSystem(opts: { maxAttempts?: number; roleMapping?: "ROLES" | "ENTITLEMENTS" } = {}) {
  const s = await systemWithRoles();
  await inTransaction((tx) =>
    configureConnector(tx, s.admin.actor, {
      systemId: s.system.id,
      kind: "SCIM",
      baseUrl: `${peer.baseUrl}/`,
      auth: "BEARER",
      secret: peer.token,
      roleMapping: opts.roleMapping ?? "ROLES",
      maxAttempts: opts.maxAttempts ?? 8,
      reason: "Connect to the test peer",
    }),
  );
  return s;
}

/** Delivers until nothing more is due at `now` (rows of one account become due one after another). */
async function drain(now = new Date(), systemId?: string) {
  const total = { delivered: 0, retried: 0, dead: 0, skipped: 0 };
  for (let i = 0; i < 10; i++) {
    const run = await deliverProvisioning(now, { systemId, timeoutMs: 2000 });
    total.delivered += run.delivered;
    total.retried += run.retried;
    total.dead += run.dead;
    total.skipped += run.skipped;
    if (run.delivered + run.retried + run.dead + run.skipped === 0) break;
  }
  return total;
}

async function outbox(systemId: string) {
  return getDb().provisioningOutbox.findMany({ where: { systemId }, orderBy: { id: "asc" } });
}

describe("connectors", () => {
  it("stores a SCIM connector with its secret encrypted, marks the system connected, and audits without the secret", async () => {
    const mark = await auditMark();
    const s = await connectedSystem();
    const c = await getDb().systemConnector.findUniqueOrThrow({ where: { systemId: s.system.id } });
    expect(c).toMatchObject({ kind: "SCIM", baseUrl: peer.baseUrl, auth: "BEARER" });
    expect(c.secretEnc).not.toContain(peer.token);
    expect(decryptSecret(c.secretEnc!)).toBe(peer.token);
    expect((await getDb().businessSystem.findUniqueOrThrow({ where: { id: s.system.id } })).isConnected).toBe(true);
    const row = (await auditSince(mark)).find((r) => r.action === "provisioning.connector-configured")!;
    expect(row).toMatchObject({ targetId: s.system.id, reason: "Connect to the test peer" });
    expect(JSON.stringify(row, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v))).not.toContain(peer.token);

    // A blank secret keeps the stored one; removing disconnects.
    await inTransaction((tx) =>
      configureConnector(tx, s.admin.actor, {
        systemId: s.system.id,
        kind: "SCIM",
        baseUrl: peer.baseUrl,
        auth: "BEARER",
        secret: "",
        reason: "Same",
      }),
    );
    expect(decryptSecret((await getDb().systemConnector.findUniqueOrThrow({ where: { systemId: s.system.id } })).secretEnc!)).toBe(
      peer.token,
    );
    await inTransaction((tx) => removeConnector(tx, s.admin.actor, { systemId: s.system.id, reason: "Decommissioned" }));
    expect((await getDb().businessSystem.findUniqueOrThrow({ where: { id: s.system.id } })).isConnected).toBe(false);
  });

  it("refuses bad input and other systems' administrators, writing nothing", async () => {
    const s = await systemWithRoles();
    const other = await makeActor([{ role: "ACCOUNT_ADMIN", systemId: (await systemWithRoles()).system.id }]);
    const mark = await auditMark();
    const base = { systemId: s.system.id, kind: "SCIM" as const, auth: "BEARER" as const, secret: "t0ken", reason: "Connect" };
    for (const baseUrl of ["ftp://x/scim", "not a url", "https://user:pw@x/scim", "https://x/scim\u0000"]) {
      expect((await expectZodError(inTransaction((tx) => configureConnector(tx, s.admin.actor, { ...base, baseUrl }))))[0]?.path).toEqual([
        "baseUrl",
      ]);
    }
    // No stored secret yet: one is required.
    expect(
      (
        await expectDomainError(
          inTransaction((tx) => configureConnector(tx, s.admin.actor, { ...base, baseUrl: peer.baseUrl, secret: "" })),
          "VALIDATION",
        )
      ).field,
    ).toBe("secret");
    await expectDomainError(
      inTransaction((tx) => configureConnector(tx, other.actor, { ...base, baseUrl: peer.baseUrl })),
      "FORBIDDEN",
    );
    expect(await getDb().systemConnector.count({ where: { systemId: s.system.id } })).toBe(0);
    expect(await auditSince(mark)).toEqual([]);
  });
});

describe("delivering the outbox over SCIM", () => {
  it("creates the account with its role, then a leaver's account is deactivated and the role removed, in order, each audited", async () => {
    const s = await connectedSystem();
    const person = await makePerson();
    const grant = await grantOf(s.admin.actor, person.person.id, s.low.id);
    const account = await getDb().slaveAccount.findFirstOrThrow({ where: { systemId: s.system.id, personId: person.person.id } });
    const mark = await auditMark();

    expect(await drain()).toMatchObject({ delivered: 2, retried: 0, dead: 0 });
    const user = peer.byUserName(account.loginName)!;
    expect(user).toMatchObject({ externalId: account.id, active: true, roles: [{ value: s.low.code }] });
    expect(await getDb().provisioningLink.findUniqueOrThrow({ where: { slaveAccountId: account.id } })).toMatchObject({
      externalRef: user.id,
    });
    expect((await outbox(s.system.id)).map((o) => [o.operation, o.status])).toEqual([
      ["slave-account.created", "DELIVERED"],
      ["grant.created", "DELIVERED"],
    ]);
    const attempts = await getDb().provisioningAttempt.findMany({ where: { systemId: s.system.id }, orderBy: { id: "asc" } });
    expect(attempts.map((a) => a.outcome)).toEqual(["DELIVERED", "DELIVERED"]);
    expect(attempts[0]!.request).toMatch(/POST \/Users 201/);

    await inTransaction((tx) =>
      changePersonStatus(tx, FACTORY, { personId: person.person.id, status: "LEFT", reason: "Left the company" }),
    );
    expect(await drain()).toMatchObject({ delivered: 2, dead: 0 });
    expect(peer.byUserName(account.loginName)).toMatchObject({ active: false });
    expect(peer.byUserName(account.loginName)!.roles ?? []).toEqual([]);
    const delivered = (await auditSince(mark)).filter((r) => r.action === "provisioning.delivered");
    expect(delivered).toHaveLength(4);
    expect(delivered.every((r) => r.targetId === account.id && r.actorName === "provisioning worker")).toBe(true);
    expect(grant.id).toBeTruthy();

    // Delivering again changes nothing: everything is delivered.
    expect(await drain()).toMatchObject({ delivered: 0, retried: 0 });
  });

  it("is idempotent: when the answer to a create is lost, the retry finds the account by externalId instead of creating a second", async () => {
    const s = await connectedSystem({ roleMapping: "ENTITLEMENTS" });
    const person = await makePerson();
    await grantOf(s.admin.actor, person.person.id, s.low.id);
    const account = await getDb().slaveAccount.findFirstOrThrow({ where: { systemId: s.system.id, personId: person.person.id } });
    // The account-created row looks the account up twice (externalId, userName), then POSTs: that answer is lost.
    peer.loseResponse(3);
    const t0 = new Date();
    expect(await deliverProvisioning(t0, { systemId: s.system.id, timeoutMs: 2000 })).toMatchObject({ retried: 1, delivered: 0 });
    const [row] = await outbox(s.system.id);
    expect(row).toMatchObject({ status: "PENDING", attempts: 1 });
    expect(row!.nextAttemptAt.getTime()).toBe(t0.getTime() + backoffMs(1));
    expect(peer.byUserName(account.loginName)).toMatchObject({ externalId: account.id });
    // Not due yet: nothing is tried; the grant row waits behind it.
    expect(await deliverProvisioning(new Date(t0.getTime() + SECOND), { systemId: s.system.id })).toMatchObject({
      delivered: 0,
      retried: 0,
    });

    expect(await drain(new Date(t0.getTime() + backoffMs(1)), s.system.id)).toMatchObject({ delivered: 2, dead: 0 });
    const users = [...peer.users.values()].filter((u) => u.userName === account.loginName);
    expect(users).toHaveLength(1);
    expect(users[0]).toMatchObject({ externalId: account.id, entitlements: [{ value: s.low.code }] });
    expect((await outbox(s.system.id)).map((o) => [o.status, o.attempts])).toEqual([
      ["DELIVERED", 2],
      ["DELIVERED", 1],
    ]);
  });

  it("a 409 on create (the system had the login, its search lagging) looks the account up and links it", async () => {
    const s = await connectedSystem();
    const person = await makePerson();
    await grantOf(s.admin.actor, person.person.id, s.low.id);
    const account = await getDb().slaveAccount.findFirstOrThrow({ where: { systemId: s.system.id, personId: person.person.id } });
    const existingId = `pre-existing-${account.id}`;
    peer.users.set(existingId, { id: existingId, userName: account.loginName, active: true });
    peer.emptyListsNext(2);
    const from = peer.requests.length;
    expect(await drain(new Date(), s.system.id)).toMatchObject({ delivered: 2, retried: 0, dead: 0 });
    expect(peer.requests.slice(from).map((r) => `${r.method} ${r.status}`)).toContain("POST 409");
    expect(await getDb().provisioningLink.findUniqueOrThrow({ where: { slaveAccountId: account.id } })).toMatchObject({
      externalRef: existingId,
    });
    expect(peer.users.get(existingId)!.roles).toEqual([{ value: s.low.code }]);
    expect([...peer.users.values()].filter((u) => u.userName === account.loginName)).toHaveLength(1);
  });

  it("retries an outage with backoff, opens the circuit after repeated failures, and dead-letters with a notice to the administrators", async () => {
    const s = await connectedSystem({ maxAttempts: CIRCUIT_THRESHOLD + 1 });
    const person = await makePerson();
    await grantOf(s.admin.actor, person.person.id, s.low.id);
    peer.failNext(100, 503);
    const mark = await auditMark();
    let now = new Date();
    try {
      for (let i = 1; i <= CIRCUIT_THRESHOLD; i++) {
        const run = await deliverProvisioning(now, { systemId: s.system.id });
        expect(run).toMatchObject({ retried: 1 });
        const [row] = await outbox(s.system.id);
        expect(row).toMatchObject({ attempts: i, status: "PENDING", lastError: expect.stringContaining("injected fault") });
        now = new Date(row!.nextAttemptAt.getTime());
      }
      const connector = await getDb().systemConnector.findUniqueOrThrow({ where: { systemId: s.system.id } });
      expect(connector.consecutiveFailures).toBe(CIRCUIT_THRESHOLD);
      expect(connector.circuitOpenUntil).not.toBeNull();
      expect((await auditSince(mark)).some((r) => r.action === "provisioning.circuit-opened" && r.targetId === s.system.id)).toBe(true);
      // While the circuit is open nothing is tried, even when the row is due.
      const during = new Date(Math.min(connector.circuitOpenUntil!.getTime() - 1, now.getTime()));
      await getDb().provisioningOutbox.updateMany({ where: { systemId: s.system.id }, data: { nextAttemptAt: during } });
      expect(await deliverProvisioning(during, { systemId: s.system.id })).toMatchObject({ retried: 0, delivered: 0 });
      // After the cooldown: the last allowed try fails too → dead-lettered, administrators told.
      const after = new Date(connector.circuitOpenUntil!.getTime() + circuitCooldownMs(CIRCUIT_THRESHOLD));
      expect(await deliverProvisioning(after, { systemId: s.system.id })).toMatchObject({ dead: 1 });
    } finally {
      peer.clearFaults();
    }
    const [dead, waiting] = await outbox(s.system.id);
    expect(dead).toMatchObject({ status: "FAILED", attempts: CIRCUIT_THRESHOLD + 1 });
    // The grant row of the same account was not sent ahead of the failed account creation while it was pending.
    expect(waiting).toMatchObject({ operation: "grant.created", attempts: 0 });
    expect((await auditSince(mark)).some((r) => r.action === "provisioning.dead-lettered")).toBe(true);
    const notices = await getDb().notification.findMany({ where: { recipientId: s.admin.person.id, kind: "provisioning-dead-lettered" } });
    expect(notices).toHaveLength(1);
    expect(await getDb().provisioningAttempt.count({ where: { systemId: s.system.id } })).toBe(CIRCUIT_THRESHOLD + 1);
  });

  it("two workers at once deliver each row once", async () => {
    const s = await connectedSystem();
    const people = await Promise.all(Array.from({ length: 6 }, () => makePerson()));
    for (const p of people) await grantOf(s.admin.actor, p.person.id, s.low.id);
    const before = peer.requests.filter((r) => r.method === "POST").length;
    const now = new Date();
    for (let i = 0; i < 4; i++) {
      await Promise.all([deliverProvisioning(now, { systemId: s.system.id }), deliverProvisioning(now, { systemId: s.system.id })]);
    }
    const rows = await outbox(s.system.id);
    expect(rows.every((r) => r.status === "DELIVERED")).toBe(true);
    expect(rows.every((r) => r.attempts === 1)).toBe(true);
    expect(peer.requests.filter((r) => r.method === "POST").length - before).toBe(6);
    expect(await getDb().provisioningAttempt.count({ where: { systemId: s.system.id } })).toBe(12);
  });
});

describe("administering deliveries", () => {
  it("requeues a dead-lettered row once (a second click is a conflict), audited; others may not", async () => {
    const s = await connectedSystem({ maxAttempts: 1 });
    const person = await makePerson();
    await grantOf(s.admin.actor, person.person.id, s.low.id);
    peer.failNext(1, 500);
    expect(await deliverProvisioning(new Date(), { systemId: s.system.id })).toMatchObject({ dead: 1 });
    const [dead] = await outbox(s.system.id);
    expect(dead!.status).toBe("FAILED");
    const other = await makeActor([{ role: "ACCOUNT_ADMIN", systemId: (await systemWithRoles()).system.id }]);
    await expectDomainError(
      inTransaction((tx) => requeueDelivery(tx, other.actor, { outboxId: dead!.id, reason: "Try again" })),
      "FORBIDDEN",
    );
    expect(
      (await expectZodError(inTransaction((tx) => requeueDelivery(tx, s.admin.actor, { outboxId: dead!.id, reason: "" }))))[0]?.path,
    ).toEqual(["reason"]);
    const mark = await auditMark();
    await inTransaction((tx) => requeueDelivery(tx, s.admin.actor, { outboxId: dead!.id, reason: "Peer is back" }));
    await expectDomainError(
      inTransaction((tx) => requeueDelivery(tx, s.admin.actor, { outboxId: dead!.id, reason: "Peer is back" })),
      "CONFLICT",
    );
    expect((await auditSince(mark)).map((r) => r.action)).toEqual(["provisioning.requeued"]);
    expect(await drain(new Date(), s.system.id)).toMatchObject({ delivered: 2, dead: 0 });
    expect(peer.byUserName((await getDb().slaveAccount.findFirstOrThrow({ where: { systemId: s.system.id } })).loginName)).toBeTruthy();
  });

  it("tests the connection with the stored credentials", async () => {
    const s = await connectedSystem();
    expect(await inTransaction((tx) => testConnection(tx, s.admin.actor, s.system.id))).toMatchObject({ ok: true, status: 200 });
    await inTransaction((tx) =>
      configureConnector(tx, s.admin.actor, {
        systemId: s.system.id,
        kind: "SCIM",
        baseUrl: peer.baseUrl,
        auth: "BEARER",
        secret: "wrong-token",
        reason: "Rotate",
      }),
    );
    const failed = await inTransaction((tx) => testConnection(tx, s.admin.actor, s.system.id));
    expect(failed.ok).toBe(false);
    expect(failed.status).toBe(401);
  });
});

describe("manual connectors", () => {
  it("turns the outbox into tasks for the administrators, set-based and audited; a task is done once", async () => {
    const s = await systemWithRoles();
    await inTransaction((tx) =>
      configureConnector(tx, s.admin.actor, { systemId: s.system.id, kind: "MANUAL", reason: "No SCIM in BOSS" }),
    );
    const person = await makePerson();
    await grantOf(s.admin.actor, person.person.id, s.low.id);
    const account = await getDb().slaveAccount.findFirstOrThrow({ where: { systemId: s.system.id, personId: person.person.id } });
    const mark = await auditMark();
    expect(await openManualTasks(new Date())).toBeGreaterThanOrEqual(2);
    const tasks = await listManualTasks(s.system.id, "OPEN");
    expect(tasks.rows.map((t) => [t.operation, t.details.loginName, t.details.roleCode ?? null])).toEqual([
      ["slave-account.created", account.loginName, null],
      ["grant.created", account.loginName, s.low.code],
    ]);
    expect((await outbox(s.system.id)).every((o) => o.status === "DELIVERED")).toBe(true);
    const opened = (await auditSince(mark)).filter((r) => r.action === "provisioning.tasks-opened" && r.targetId === s.system.id);
    expect(opened).toHaveLength(1);
    expect(opened[0]!.summary).toMatchObject({ count: 2 });
    expect(await getDb().notification.count({ where: { recipientId: s.admin.person.id, kind: "provisioning-tasks-opened" } })).toBe(1);
    // Nothing more to open: a second run does nothing.
    await openManualTasks(new Date());
    expect((await listManualTasks(s.system.id, "OPEN")).rows).toHaveLength(2);

    const task = tasks.rows[0]!;
    const other = await makeActor([{ role: "ACCOUNT_ADMIN", systemId: (await systemWithRoles()).system.id }]);
    await expectDomainError(
      inTransaction((tx) => completeManualTask(tx, other.actor, { taskId: task.id, note: "Done" })),
      "FORBIDDEN",
    );
    expect(
      (await expectZodError(inTransaction((tx) => completeManualTask(tx, s.admin.actor, { taskId: task.id, note: " " }))))[0]?.path,
    ).toEqual(["note"]);
    const [a, b] = await Promise.allSettled([
      inTransaction((tx) => completeManualTask(tx, s.admin.actor, { taskId: task.id, note: "Created in BOSS console" })),
      inTransaction((tx) => completeManualTask(tx, s.admin.actor, { taskId: task.id, note: "Created in BOSS console" })),
    ]);
    expect([a.status, b.status].sort()).toEqual(["fulfilled", "rejected"]);
    const loser = (a.status === "rejected" ? a.reason : (b as PromiseRejectedResult).reason) as { code?: string };
    expect(loser.code).toBe("CONFLICT");
    expect(await getDb().provisioningTask.findUniqueOrThrow({ where: { id: task.id } })).toMatchObject({
      status: "DONE",
      doneById: s.admin.person.id,
      note: "Created in BOSS console",
    });
    expect((await recentlyDoneTasks(s.system.id)).map((t) => t.id)).toEqual([task.id]);
  });
});

describe("reconciliation", () => {
  it("finds what differs between the system and the portal, remediates by pushing the portal's state, and a later run agrees", async () => {
    const s = await connectedSystem();
    const people = await Promise.all(Array.from({ length: 4 }, () => makePerson()));
    for (const p of people) await grantOf(s.admin.actor, p.person.id, s.low.id);
    await drain(new Date(), s.system.id);
    const accounts = await getDb().slaveAccount.findMany({ where: { systemId: s.system.id }, orderBy: { id: "asc" } });
    const [gone, inactive, extraRole] = accounts.map((a) => peer.byUserName(a.loginName)!);
    // Drift made directly in the system's store.
    peer.users.delete(gone!.id);
    inactive!.active = false;
    extraRole!.roles = [...(extraRole!.roles ?? []), { value: "GOD_MODE" }];
    const stranger = `stranger-${s.system.id}`;
    peer.users.set(stranger, { id: stranger, userName: stranger, active: true });

    const mark = await auditMark();
    const first = await reconcileSystem(s.admin.actor, s.system.id);
    expect(first.counts).toMatchObject({
      portalAccounts: 4,
      matched: 3,
      MISSING_IN_SYSTEM: 1,
      STATUS_DRIFT: 1,
      ROLE_DRIFT: 1,
      OWNERLESS: 0,
    });
    expect(first.counts.UNKNOWN_IN_SYSTEM).toBeGreaterThanOrEqual(1);
    const findings = await getDb().reconciliationFinding.findMany({ where: { runId: first.runId, status: "OPEN" } });
    const kindOf = (login: string) => findings.find((f) => f.loginName === login)?.kind;
    expect(kindOf(accounts[0]!.loginName)).toBe("MISSING_IN_SYSTEM");
    expect(kindOf(accounts[1]!.loginName)).toBe("STATUS_DRIFT");
    expect(kindOf(accounts[2]!.loginName)).toBe("ROLE_DRIFT");
    expect(kindOf(stranger)).toBe("UNKNOWN_IN_SYSTEM");
    expect((await auditSince(mark)).filter((r) => r.action === "provisioning.reconciled")).toHaveLength(1);

    // Pushing the portal's state again; an unknown account cannot be pushed, only accepted.
    const unknown = findings.find((f) => f.loginName === stranger)!;
    expect(
      (
        await expectDomainError(
          inTransaction((tx) => remediateFinding(tx, s.admin.actor, { findingId: unknown.id, action: "push", reason: "Fix" })),
          "VALIDATION",
        )
      ).field,
    ).toBe("action");
    await inTransaction((tx) =>
      remediateFinding(tx, s.admin.actor, { findingId: unknown.id, action: "accept", reason: "Vendor's monitoring account" }),
    );
    for (const f of findings.filter((f) => f.slaveAccountId)) {
      await inTransaction((tx) =>
        remediateFinding(tx, s.admin.actor, { findingId: f.id, action: "push", reason: "Make the system agree" }),
      );
    }
    await expectDomainError(
      inTransaction((tx) => remediateFinding(tx, s.admin.actor, { findingId: findings[0]!.id, action: "accept", reason: "Twice" })),
      "CONFLICT",
    );
    await drain(new Date(), s.system.id);
    expect(peer.byUserName(accounts[0]!.loginName)).toMatchObject({ active: true, roles: [{ value: s.low.code }] });
    expect(peer.byUserName(accounts[1]!.loginName)).toMatchObject({ active: true });
    expect(peer.byUserName(accounts[2]!.loginName)!.roles).toEqual([{ value: s.low.code }]);

    const second = await reconcileSystem(s.admin.actor, s.system.id);
    expect(second.counts).toMatchObject({ matched: 4, MISSING_IN_SYSTEM: 0, STATUS_DRIFT: 0, ROLE_DRIFT: 0 });
    expect(
      await getDb().reconciliationFinding.count({ where: { systemId: s.system.id, status: "OPEN", slaveAccountId: { not: null } } }),
    ).toBe(0);
  });

  it("a system that does not answer is a clear error, and nothing is recorded", async () => {
    const s = await connectedSystem();
    peer.failNext(1, 503);
    await expectDomainError(reconcileSystem(s.admin.actor, s.system.id), "RECONCILIATION_FAILED");
    peer.clearFaults();
    expect(await getDb().reconciliationRun.count({ where: { systemId: s.system.id } })).toBe(0);
    const other = await makeActor([{ role: "ACCOUNT_ADMIN", systemId: (await systemWithRoles()).system.id }]);
    await expectDomainError(reconcileSystem(other.actor, s.system.id), "FORBIDDEN");
  });
});

describe("the safety valve (issue 11 §3)", () => {
  it("holds a round that would disable more than the set share of a system's accounts until an administrator confirms", async () => {
    const { releaseHeldDeliveries, SAFETY_MIN_ACCOUNTS } = await import("@/lib/provisioning/safety-valve");
    const s = await connectedSystem();
    const hr = await makeActor(["HR"]);
    const people = [];
    for (let i = 0; i < SAFETY_MIN_ACCOUNTS + 1; i++) {
      const p = await makePerson();
      await grantOf(s.admin.actor, p.person.id, s.low.id);
      people.push(p);
    }
    await drain();
    const accounts = await getDb().slaveAccount.findMany({ where: { systemId: s.system.id }, select: { id: true, loginName: true } });
    expect(accounts.every((a) => peer.byUserName(a.loginName)?.active !== false)).toBe(true);

    // A wrong HR run: every one of them leaves at once.
    for (const p of people)
      await inTransaction((tx) => changePersonStatus(tx, hr.actor, { personId: p.person.id, status: "LEFT", reason: "Wrong HR file" }));
    const mark = await auditMark();
    await drain();
    const connector = await getDb().systemConnector.findUniqueOrThrow({ where: { systemId: s.system.id } });
    expect(connector.heldAt).not.toBeNull();
    expect(connector.heldCount).toBe(people.length);
    // Nothing destructive reached the system; the rows wait.
    for (const a of accounts) expect(peer.byUserName(a.loginName)?.active).not.toBe(false);
    expect((await outbox(s.system.id)).filter((o) => o.status === "PENDING").length).toBeGreaterThanOrEqual(people.length);
    const held = (await auditSince(mark)).filter((r) => r.action === "provisioning.held");
    expect(held).toHaveLength(1);
    expect(held[0]!.summary).toMatchObject({ pending: people.length, maxPercent: 10 });
    const notice = await getDb().notification.findFirst({ where: { recipientId: s.admin.person.id, kind: "provisioning-held" } });
    expect(notice).not.toBeNull();

    // Only the system's administrators confirm; then the round delivers them, and the valve stays open for those.
    const other = await makeActor([{ role: "ACCOUNT_ADMIN", systemId: (await systemWithRoles()).system.id }]);
    await expectDomainError(
      inTransaction((tx) => releaseHeldDeliveries(tx, other.actor, { systemId: s.system.id, reason: "Not mine" })),
      "FORBIDDEN",
    );
    await inTransaction((tx) =>
      releaseHeldDeliveries(tx, s.admin.actor, { systemId: s.system.id, reason: "Checked with HR: they all left" }),
    );
    await expectDomainError(
      inTransaction((tx) => releaseHeldDeliveries(tx, s.admin.actor, { systemId: s.system.id, reason: "Twice" })),
      "CONFLICT",
    );
    await drain(new Date(Date.now() + 1000));
    for (const a of accounts) expect(peer.byUserName(a.loginName)?.active).toBe(false);
    expect((await outbox(s.system.id)).filter((o) => o.status === "PENDING")).toEqual([]);
    expect((await getDb().systemConnector.findUniqueOrThrow({ where: { systemId: s.system.id } })).heldAt).toBeNull();
  });
});

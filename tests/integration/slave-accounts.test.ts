import { describe, expect, it } from "vitest";
import { getDb, inTransaction, type Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import type { DomainError } from "@/lib/errors";
import { changeSlaveAccountStatus } from "@/lib/slave-accounts/change-slave-account-status";
import { assignSlaveAccountOwner } from "@/lib/slave-accounts/assign-slave-account-owner";
import { changePersonStatus } from "@/lib/people/change-person-status";
import { listSystemAccounts } from "@/lib/grants/queries";
import { grantRole } from "@/lib/grants/grant-role";
import { staggered } from "../race";
import { auditMark, auditSince, itemIds, expectDomainError, expectZodError, FACTORY, makeActor, makePerson, uniq } from "../factories";
import { grantOf, liveGrantCount, outboxFor, roleWith, systemWithRoles } from "../lifecycle-fixtures";

type ChangeInput = Parameters<typeof changeSlaveAccountStatus>[2];
const change = (actor: Actor, input: ChangeInput) => inTransaction((tx) => changeSlaveAccountStatus(tx, actor, input));
const assign = (actor: Actor, input: Parameters<typeof assignSlaveAccountOwner>[2]) =>
  inTransaction((tx) => assignSlaveAccountOwner(tx, actor, input));

async function accountOf(personId: string, systemId: string) {
  return getDb().slaveAccount.findFirstOrThrow({ where: { personId, systemId } });
}

/** A person holding the low and the sensitive role of a system (one slave account there). */
async function holder(opts: { connected?: boolean } = {}) {
  const s = await systemWithRoles(opts);
  const person = await makePerson();
  const g1 = await grantOf(s.admin.actor, person.person.id, s.low.id);
  const g2 = await grantOf(s.admin.actor, person.person.id, s.sensitive.id);
  const account = await accountOf(person.person.id, s.system.id);
  return { ...s, person, account, grants: [g1, g2] };
}

describe("changeSlaveAccountStatus (account administrators, R2/R5)", () => {
  it("disabling revokes the account's live grants at once, with one audit row listing them and outbox rows for a connected system", async () => {
    const h = await holder({ connected: true });
    // Another account of the same person in another system is not touched.
    const other = await systemWithRoles();
    const g3 = await grantOf(other.admin.actor, h.person.person.id, other.low.id);
    const mark = await auditMark();
    const result = await change(h.admin.actor, {
      slaveAccountId: h.account.id,
      change: "disable",
      expectedStatus: "ACTIVE",
      reason: "Account review: not used",
      basis: "REV-1",
    });
    const grantIds = h.grants.map((g) => g.id).sort();
    expect(result).toEqual({ id: h.account.id, status: "DISABLED", before: "ACTIVE", grantIds });

    expect((await getDb().slaveAccount.findUniqueOrThrow({ where: { id: h.account.id } })).status).toBe("DISABLED");
    for (const g of h.grants) {
      expect(await getDb().accessGrant.findUniqueOrThrow({ where: { id: g.id } })).toMatchObject({
        revokedAt: expect.any(Date),
        revokedById: h.admin.person.id,
        revokeReason: "Account review: not used",
      });
    }
    expect(await getDb().accessGrant.findUniqueOrThrow({ where: { id: g3.id } })).toMatchObject({ revokedAt: null });
    expect(await liveGrantCount(h.person.person.id)).toBe(1);

    const rows = await auditSince(mark);
    expect(rows.map((r) => r.action)).toEqual(["grant.revoked", "slave-account.disabled"]);
    expect(rows[1]).toMatchObject({
      actorId: h.admin.person.id,
      targetType: "slave-account",
      targetId: h.account.id,
      reason: "Account review: not used",
      basis: "REV-1",
      summary: {
        systemId: h.system.id,
        personId: h.person.person.id,
        loginName: h.account.loginName,
        before: { status: "ACTIVE" },
        after: { status: "DISABLED" },
        grantsRevoked: 2,
      },
    });
    expect(rows[0]).toMatchObject({
      targetType: "slave-account",
      targetId: h.account.id,
      summary: { cause: "slave-account-disable", count: 2 },
    });
    expect(itemIds(rows[0]!, "grant")).toEqual(grantIds);

    const outbox = (await outboxFor(h.system.id)).filter((o) => o.operation !== "grant.created" && o.operation !== "slave-account.created");
    expect(outbox.map((o) => [o.operation, o.slaveAccountId, o.grantId]).sort()).toEqual(
      [["slave-account.disabled", h.account.id, null], ...grantIds.map((id) => ["grant.revoked", h.account.id, id])].sort(),
    );
    expect(outbox.find((o) => o.operation === "slave-account.disabled")!.payload).toMatchObject({
      loginName: h.account.loginName,
      before: "ACTIVE",
      after: "DISABLED",
    });
    // The unconnected system gets no outbox rows at all.
    expect(await outboxFor(other.system.id)).toEqual([]);
  });

  it("locks and unlocks (grants stay), re-enables a disabled account (grants do not come back), deletes as a status", async () => {
    const h = await holder();
    const id = h.account.id;
    await change(h.admin.actor, { slaveAccountId: id, change: "lock", reason: "Suspicious logins" });
    expect((await getDb().slaveAccount.findUniqueOrThrow({ where: { id } })).status).toBe("LOCKED");
    expect(await liveGrantCount(h.person.person.id)).toBe(2);
    // A locked account takes no new grants.
    const more = await roleWith(h.admin.actor, h.system.id, "LOW");
    await expectDomainError(grantOf(h.admin.actor, h.person.person.id, more.id), "SLAVE_ACCOUNT_INACTIVE");

    let mark = await auditMark();
    await change(h.admin.actor, { slaveAccountId: id, change: "unlock", reason: "Cleared" });
    expect((await auditSince(mark)).map((r) => [r.action, (r.summary as { after: { status: string } }).after.status])).toEqual([
      ["slave-account.unlocked", "ACTIVE"],
    ]);
    expect(await liveGrantCount(h.person.person.id)).toBe(2);

    await change(h.admin.actor, { slaveAccountId: id, change: "disable", reason: "Not needed" });
    await expectDomainError(grantOf(h.admin.actor, h.person.person.id, more.id), "SLAVE_ACCOUNT_INACTIVE");
    mark = await auditMark();
    await change(h.admin.actor, { slaveAccountId: id, change: "enable", reason: "Needed again" });
    expect((await auditSince(mark)).map((r) => r.action)).toEqual(["slave-account.enabled"]);
    expect(await liveGrantCount(h.person.person.id)).toBe(0);
    await grantOf(h.admin.actor, h.person.person.id, more.id);

    mark = await auditMark();
    const deleted = await change(h.admin.actor, { slaveAccountId: id, change: "delete", reason: "Decommissioned" });
    expect(deleted.grantIds).toHaveLength(1);
    expect((await auditSince(mark)).map((r) => r.action)).toEqual(["grant.revoked", "slave-account.deleted"]);
    // Never a row delete: the row, its login name and its grant history stay.
    const row = await getDb().slaveAccount.findUniqueOrThrow({ where: { id }, include: { grants: true } });
    expect(row.status).toBe("DELETED");
    expect(row.grants).toHaveLength(3);
    // The system's list no longer shows it; a new grant opens a new account under another login name.
    expect((await listSystemAccounts(h.system.id)).rows.map((r) => r.id)).not.toContain(id);
    await inTransaction((tx) =>
      grantRole(tx, h.admin.actor, { personId: h.person.person.id, roleId: h.low.id, loginName: `new.${uniq()}`, reason: "Back" }),
    );
    expect(await getDb().slaveAccount.count({ where: { personId: h.person.person.id, systemId: h.system.id } })).toBe(2);
  });

  it("refuses a change the status does not allow (SLAVE_ACCOUNT_TRANSITION), a stale form (CONFLICT), and a deleted account stays deleted", async () => {
    const h = await holder();
    const id = h.account.id;
    const mark = await auditMark();
    for (const c of ["unlock", "enable"] as const) {
      const error = await expectDomainError(
        change(h.admin.actor, { slaveAccountId: id, change: c, reason: "x1" }),
        "SLAVE_ACCOUNT_TRANSITION",
      );
      expect(error.params).toEqual({ status: "ACTIVE", change: c });
    }
    await expectDomainError(
      change(h.admin.actor, { slaveAccountId: id, change: "lock", expectedStatus: "LOCKED", reason: "stale" }),
      "CONFLICT",
    );
    expect(await auditSince(mark)).toEqual([]);
    expect(await liveGrantCount(h.person.person.id)).toBe(2);

    await change(h.admin.actor, { slaveAccountId: id, change: "delete", reason: "Gone" });
    for (const c of ["lock", "unlock", "disable", "enable", "delete"] as const) {
      await expectDomainError(change(h.admin.actor, { slaveAccountId: id, change: c, reason: "again" }), "SLAVE_ACCOUNT_TRANSITION");
    }
  });

  it("is for the system's account administrators only (FORBIDDEN), and refuses bad input; nothing written", async () => {
    const h = await holder();
    const other = await systemWithRoles();
    const { actor: hr } = await makeActor(["HR"]);
    const { actor: officer } = await makeActor(["SECURITY_OFFICER"]);
    const { actor: sysadmin } = await makeActor(["SYSTEM_ADMIN"]);
    const mark = await auditMark();
    for (const actor of [other.admin.actor, hr, officer, sysadmin]) {
      await expectDomainError(change(actor, { slaveAccountId: h.account.id, change: "disable", reason: "Not mine" }), "FORBIDDEN");
    }
    await expectDomainError(
      change(h.admin.actor, { slaveAccountId: "00000000-0000-4000-8000-000000000000", change: "disable", reason: "x1" }),
      "NOT_FOUND",
    );
    const cases: [keyof ChangeInput, unknown][] = [
      ["slaveAccountId", "<script>"],
      ["slaveAccountId", ""],
      ["change", "destroy"],
      ["change", ""],
      ["expectedStatus", "GONE"],
      ["reason", ""],
      ["reason", "x".repeat(10_000)],
      ["reason", "a\u0000b"],
      ["basis", "y".repeat(10_000)],
    ];
    for (const [field, value] of cases) {
      const issues = await expectZodError(
        change(h.admin.actor, { slaveAccountId: h.account.id, change: "disable", reason: "ok reason", [field]: value } as ChangeInput),
      );
      expect(
        issues.map((i) => i.path[0]),
        field,
      ).toContain(field);
    }
    expect(await auditSince(mark)).toEqual([]);
    expect((await getDb().slaveAccount.findUniqueOrThrow({ where: { id: h.account.id } })).status).toBe("ACTIVE");
    expect(await liveGrantCount(h.person.person.id)).toBe(2);
  });

  it("re-enabling needs a current, active owner (SLAVE_ACCOUNT_ORPHAN, OWNER_NOT_ACTIVE)", async () => {
    const h = await holder();
    await change(h.admin.actor, { slaveAccountId: h.account.id, change: "disable", reason: "Review" });
    await inTransaction((tx) =>
      changePersonStatus(tx, FACTORY, { personId: h.person.person.id, status: "SUSPENDED", reason: "Investigation" }),
    );
    const mark = await auditMark();
    expect(
      (
        await expectDomainError(
          change(h.admin.actor, { slaveAccountId: h.account.id, change: "enable", reason: "Back" }),
          "OWNER_NOT_ACTIVE",
        )
      ).params,
    ).toEqual({ status: "SUSPENDED" });
    await inTransaction((tx) => changePersonStatus(tx, FACTORY, { personId: h.person.person.id, status: "LEFT", reason: "Dismissed" }));
    await expectDomainError(
      change(h.admin.actor, { slaveAccountId: h.account.id, change: "enable", reason: "Back" }),
      "SLAVE_ACCOUNT_ORPHAN",
    );
    const unknown = await getDb().slaveAccount.create({
      data: { systemId: h.system.id, personId: null, loginName: `ghost.${uniq()}`, status: "LOCKED" },
    });
    await expectDomainError(
      change(h.admin.actor, { slaveAccountId: unknown.id, change: "unlock", reason: "Back" }),
      "SLAVE_ACCOUNT_ORPHAN",
    );
    expect((await auditSince(mark)).map((r) => r.action)).toEqual(["offboarding.completed", "person.status-changed"]);
  });

  it("two administrators disabling the same account at once: one change, the other CONFLICT; grants revoked once", async () => {
    const h = await holder({ connected: true });
    const second = await makeActor([{ role: "ACCOUNT_ADMIN", systemId: h.system.id }]);
    for (let round = 0; round < 3; round++) {
      const person = await makePerson();
      const g = await grantOf(h.admin.actor, person.person.id, h.low.id);
      const account = await accountOf(person.person.id, h.system.id);
      const mark = await auditMark();
      const first = (tx: Tx) =>
        changeSlaveAccountStatus(tx, h.admin.actor, {
          slaveAccountId: account.id,
          change: "disable",
          expectedStatus: "ACTIVE",
          reason: "Race: first",
        });
      const other = (tx: Tx) =>
        changeSlaveAccountStatus(tx, second.actor, {
          slaveAccountId: account.id,
          change: round === 2 ? "delete" : "disable",
          expectedStatus: "ACTIVE",
          reason: "Race: second",
        });
      const results = await Promise.allSettled(round === 0 ? staggered(first, other) : [inTransaction(first), inTransaction(other)]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      expect(results.flatMap((r) => (r.status === "rejected" ? [(r.reason as DomainError).code] : []))).toEqual(["CONFLICT"]);
      const rows = await auditSince(mark);
      expect(rows.map((r) => r.action)).toHaveLength(2);
      expect(itemIds(rows[0]!, "grant")).toEqual([g.id]);
      expect(await getDb().provisioningOutbox.findMany({ where: { grantId: g.id, operation: "grant.revoked" } })).toHaveLength(1);
      if (round === 0) expect(rows[1]!.actorId).toBe(h.admin.person.id);
    }
  });

  it("a grant racing a disable either lands first and is revoked with the others, or is refused", async () => {
    const h = await holder();
    const extra = await roleWith(h.admin.actor, h.system.id, "LOW");
    const first = (tx: Tx) =>
      changeSlaveAccountStatus(tx, h.admin.actor, { slaveAccountId: h.account.id, change: "disable", reason: "Race" });
    const second = (tx: Tx) => grantRole(tx, h.admin.actor, { personId: h.person.person.id, roleId: extra.id, reason: "Race" });
    const [a, b] = await Promise.allSettled(staggered(first, second));
    expect(a.status).toBe("fulfilled");
    expect(b.status === "rejected" && (b.reason as DomainError).code).toBe("SLAVE_ACCOUNT_INACTIVE");
    expect(await liveGrantCount(h.person.person.id)).toBe(0);
  });
});

describe("leavers and suspensions (R5, R10): accounts follow the person", () => {
  it("a leaver's accounts are disabled and a suspended person's locked, set-based, with outbox rows for connected systems", async () => {
    const a = await systemWithRoles({ connected: true });
    const b = await systemWithRoles();
    const { actor: hr } = await makeActor(["HR"]);
    const person = await makePerson();
    await grantOf(a.admin.actor, person.person.id, a.sensitive.id);
    await grantOf(b.admin.actor, person.person.id, b.low.id);
    const accA = await accountOf(person.person.id, a.system.id);
    const accB = await accountOf(person.person.id, b.system.id);
    await change(b.admin.actor, { slaveAccountId: accB.id, change: "disable", reason: "Not used" });

    let mark = await auditMark();
    const suspended = await inTransaction((tx) =>
      changePersonStatus(tx, hr, { personId: person.person.id, status: "SUSPENDED", reason: "Investigation" }),
    );
    // The disabled account stays disabled; the active one is locked.
    expect(suspended.slaveAccountIds).toEqual([accA.id]);
    expect((await getDb().slaveAccount.findUniqueOrThrow({ where: { id: accA.id } })).status).toBe("LOCKED");
    expect((await getDb().slaveAccount.findUniqueOrThrow({ where: { id: accB.id } })).status).toBe("DISABLED");
    let rows = await auditSince(mark);
    expect(rows.map((r) => r.action)).toEqual(["grant.revoked", "person.status-changed", "slave-account.locked"]);
    expect(rows[2]).toMatchObject({
      targetType: "person",
      targetId: person.person.id,
      summary: { cause: "person-suspended", count: 1 },
    });
    expect(rows[2]!.items).toEqual([
      {
        kind: "slave-account",
        subjectId: accA.id,
        personId: person.person.id,
        detail: expect.objectContaining({ before: { status: "ACTIVE" }, after: { status: "LOCKED" } }),
      },
    ]);
    expect(
      (await outboxFor(a.system.id))
        .filter((o) => o.operation === "slave-account.locked" || o.operation === "grant.revoked")
        .map((o) => o.operation)
        .sort(),
    ).toEqual(["grant.revoked", "slave-account.locked"]);

    mark = await auditMark();
    const left = await inTransaction((tx) =>
      changePersonStatus(tx, hr, { personId: person.person.id, status: "LEFT", reason: "Resigned" }),
    );
    expect(left).toMatchObject({ grantIds: [], slaveAccountIds: [accA.id] });
    expect((await getDb().slaveAccount.findUniqueOrThrow({ where: { id: accA.id } })).status).toBe("DISABLED");
    rows = await auditSince(mark);
    expect(rows.map((r) => r.action)).toEqual(["offboarding.completed", "person.status-changed", "slave-account.disabled"]);
    const disabled = (await outboxFor(a.system.id)).find((o) => o.operation === "slave-account.disabled")!;
    expect(disabled.payload).toMatchObject({ loginName: accA.loginName, before: "LOCKED", after: "DISABLED", cause: "person-left" });
    expect(await outboxFor(b.system.id)).toEqual([]);

    // The leaver's accounts are now orphans on each system's list.
    expect((await listSystemAccounts(a.system.id, { orphans: true })).rows.map((r) => r.id)).toContain(accA.id);
  });
});

describe("assignSlaveAccountOwner (orphans, R2)", () => {
  async function orphanOf() {
    const h = await holder();
    await inTransaction((tx) => changePersonStatus(tx, FACTORY, { personId: h.person.person.id, status: "LEFT", reason: "Left" }));
    return h;
  }

  it("gives a leaver's account a new active owner; audited with before/after; the account keeps its status", async () => {
    const h = await orphanOf();
    const heir = await makePerson();
    const mark = await auditMark();
    const result = await assign(h.admin.actor, {
      slaveAccountId: h.account.id,
      employeeNo: heir.employeeNo,
      reason: "Handover to successor",
      basis: "HR-9",
    });
    expect(result).toEqual({ id: h.account.id, personId: heir.person.id, previousPersonId: h.person.person.id });
    const row = await getDb().slaveAccount.findUniqueOrThrow({ where: { id: h.account.id } });
    expect(row).toMatchObject({ personId: heir.person.id, status: "DISABLED" });
    const rows = await auditSince(mark);
    expect(rows.map((r) => r.action)).toEqual(["slave-account.owner-assigned"]);
    expect(rows[0]).toMatchObject({
      actorId: h.admin.person.id,
      targetType: "slave-account",
      targetId: h.account.id,
      reason: "Handover to successor",
      basis: "HR-9",
      summary: { before: { personId: h.person.person.id }, after: { personId: heir.person.id, employeeNo: heir.employeeNo } },
    });
    expect((await listSystemAccounts(h.system.id, { orphans: true })).rows.map((r) => r.id)).not.toContain(h.account.id);
    // Now owned and active, it can be re-enabled.
    await change(h.admin.actor, { slaveAccountId: h.account.id, change: "enable", reason: "Successor starts" });
  });

  it("refuses an account that has an owner, an inactive or unknown new owner, one who already has an account there; nothing written", async () => {
    const h = await orphanOf();
    const owned = await holder();
    const candidate = await makePerson();
    const leaver = await makePerson();
    await inTransaction((tx) => changePersonStatus(tx, FACTORY, { personId: leaver.person.id, status: "LEFT", reason: "Left" }));
    const holderThere = await makePerson();
    await grantOf(h.admin.actor, holderThere.person.id, h.low.id);

    const mark = await auditMark();
    await expectDomainError(
      assign(owned.admin.actor, { slaveAccountId: owned.account.id, employeeNo: candidate.employeeNo, reason: "Steal" }),
      "SLAVE_ACCOUNT_NOT_ORPHAN",
    );
    expect(
      (
        await expectDomainError(
          assign(h.admin.actor, { slaveAccountId: h.account.id, personId: leaver.person.id, reason: "x1" }),
          "OWNER_NOT_ACTIVE",
        )
      ).field,
    ).toBe("personId");
    await expectDomainError(
      assign(h.admin.actor, { slaveAccountId: h.account.id, employeeNo: `NOBODY${uniq()}`, reason: "x1" }),
      "NOT_FOUND",
    );
    expect(
      (
        await expectDomainError(
          assign(h.admin.actor, { slaveAccountId: h.account.id, employeeNo: holderThere.employeeNo, reason: "x1" }),
          "ALREADY_EXISTS",
        )
      ).field,
    ).toBe("employeeNo");
    await expectDomainError(
      assign(owned.admin.actor, { slaveAccountId: h.account.id, employeeNo: candidate.employeeNo, reason: "Not my system" }),
      "FORBIDDEN",
    );
    await expectDomainError(
      assign(h.admin.actor, { slaveAccountId: "00000000-0000-4000-8000-000000000000", employeeNo: candidate.employeeNo, reason: "x1" }),
      "NOT_FOUND",
    );
    for (const bad of [
      {},
      { employeeNo: "<script>" },
      { personId: "x" },
      { employeeNo: "E1", personId: leaver.person.id },
      { employeeNo: "E1", reason: "" },
    ]) {
      await expectZodError(assign(h.admin.actor, { slaveAccountId: h.account.id, reason: "x1", ...bad }));
    }
    expect(await auditSince(mark)).toEqual([]);
    expect((await getDb().slaveAccount.findUniqueOrThrow({ where: { id: h.account.id } })).personId).toBe(h.person.person.id);
  });

  it("an unowned account's live grants pass the policy engine for the new owner: a third party is refused a sensitive one (R4)", async () => {
    const s = await systemWithRoles();
    const ghost = await getDb().slaveAccount.create({ data: { systemId: s.system.id, personId: null, loginName: `ghost.${uniq()}` } });
    // An imported account with a grant and no known owner (test setup writes it directly).
    const g = await getDb().accessGrant.create({ data: { slaveAccountId: ghost.id, roleId: s.sensitive.id, reason: "imported" } });
    const contractor = await makePerson({ employmentType: "THIRD_PARTY" });
    const mark = await auditMark();
    const error = await expectDomainError(
      assign(s.admin.actor, { slaveAccountId: ghost.id, personId: contractor.person.id, reason: "Found the owner" }),
      "POLICY_VIOLATION",
    );
    expect((error.details as { code: string; subject: { grantId: string } }[]).map((v) => [v.code, v.subject.grantId])).toEqual([
      ["THIRD_PARTY_SENSITIVE_PERMISSION", g.id],
    ]);
    expect(await auditSince(mark)).toEqual([]);
    expect((await getDb().slaveAccount.findUniqueOrThrow({ where: { id: ghost.id } })).personId).toBeNull();
    // An employee may take it.
    const employee = await makePerson();
    await assign(s.admin.actor, { slaveAccountId: ghost.id, personId: employee.person.id, reason: "Found the owner" });
    expect(await liveGrantCount(employee.person.id)).toBe(1);
  });
});

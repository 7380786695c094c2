// Concurrency: two administrators acting at the same moment, in two real transactions.
import { describe, expect, it } from "vitest";
import { getDb, inTransaction, type Tx } from "@/lib/db";
import { DomainError } from "@/lib/errors";
import { revokePortalRole } from "@/lib/portal-roles/revoke-portal-role";
import { grantPortalRole } from "@/lib/portal-roles/grant-portal-role";
import { setAccountStatus } from "@/lib/accounts/set-account-status";
import { startSignIn } from "@/lib/auth/start-sign-in";
import { verifySecondFactor } from "@/lib/auth/verify-second-factor";
import { currentTotp } from "@/lib/auth/totp";
import { createPerson } from "@/lib/people/create-person";
import {
  actorFor,
  auditMark,
  auditSince,
  countAudit,
  DEFAULT_PASSWORD,
  enrolTotp,
  FACTORY,
  makeActor,
  makeOrgUnit,
  makePerson,
  lastAuditRow,
  makeSystem,
  onlySystemAdmins,
  testCtx,
  uniq,
} from "../factories";
import { staggered } from "../race";

const ROUNDS = 4;

/** Settles both, and splits into successes and DomainError codes (anything else is rethrown). */
async function race<A, B>(pair: [Promise<A>, Promise<B>]) {
  const results = await Promise.allSettled(pair);
  const ok = results.filter((r) => r.status === "fulfilled");
  const codes = results.flatMap((r) => {
    if (r.status === "fulfilled") return [];
    if (r.reason instanceof DomainError) return [r.reason.code];
    throw r.reason;
  });
  return { ok, codes };
}

describe("races", () => {
  it("two administrators removing each other at once: one succeeds, the other gets LAST_SYSTEM_ADMIN", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const a = await makePerson({ roles: ["SYSTEM_ADMIN"] });
      const b = await makePerson({ roles: ["SYSTEM_ADMIN"] });
      await onlySystemAdmins([a.person.id, b.person.id]);
      const [actorA, actorB] = [await actorFor(a.person.id), await actorFor(b.person.id)];
      const assignmentOf = async (personId: string) =>
        (await getDb().portalRoleAssignment.findFirstOrThrow({ where: { personId, role: "SYSTEM_ADMIN" } })).id;
      const [assignA, assignB] = [await assignmentOf(a.person.id), await assignmentOf(b.person.id)];
      const mark = await auditMark();

      const aRemovesB = (tx: Tx) => revokePortalRole(tx, actorA, { assignmentId: assignB, reason: "Race: A removes B" });
      const bRemovesA = (tx: Tx) => revokePortalRole(tx, actorB, { assignmentId: assignA, reason: "Race: B removes A" });
      // Round 0 overlaps for certain (A wins); the others start both at once.
      const { ok, codes } = await race(
        round === 0 ? staggered(aRemovesB, bRemovesA) : [inTransaction(aRemovesB), inTransaction(bRemovesA)],
      );
      expect(ok).toHaveLength(1);
      expect(codes).toEqual(["LAST_SYSTEM_ADMIN"]);
      expect(await getDb().portalRoleAssignment.count({ where: { role: "SYSTEM_ADMIN", person: { status: "ACTIVE" } } })).toBe(1);
      const rows = await auditSince(mark);
      expect(rows.map((r) => r.action)).toEqual(["portal-role.revoked"]);
      // The row names the winner and the one removed; the survivor still holds the role.
      const survivor = rows[0]!.actorId!;
      const removed = survivor === a.person.id ? b.person.id : a.person.id;
      expect(rows[0]).toMatchObject({ targetId: removed, reason: survivor === a.person.id ? "Race: A removes B" : "Race: B removes A" });
      expect(await getDb().portalRoleAssignment.count({ where: { personId: survivor, role: "SYSTEM_ADMIN" } })).toBe(1);
      if (round === 0) expect(survivor).toBe(a.person.id);
    }
  });

  it("two administrators locking one account at once: one succeeds, the other gets CONFLICT, one 'account.locked' row", async () => {
    const { actor: hr1 } = await makeActor(["HR"]);
    const { actor: hr2 } = await makeActor(["SYSTEM_ADMIN"]);
    for (let round = 0; round < ROUNDS; round++) {
      const target = await makePerson();
      await getDb().portalSession.create({ data: { accountId: target.account.id } });
      const lock1 = (tx: Tx) => setAccountStatus(tx, hr1, { accountId: target.account.id, change: "lock", reason: "Race: first" });
      const lock2 = (tx: Tx) => setAccountStatus(tx, hr2, { accountId: target.account.id, change: "lock", reason: "Race: second" });
      const { ok, codes } = await race(round === 0 ? staggered(lock1, lock2) : [inTransaction(lock1), inTransaction(lock2)]);
      expect(ok).toHaveLength(1);
      expect(ok[0]).toMatchObject({ value: { status: "LOCKED", sessionsEnded: 1 } });
      expect(codes).toEqual(["CONFLICT"]);
      expect((await getDb().masterAccount.findUniqueOrThrow({ where: { id: target.account.id } })).status).toBe("LOCKED");
      expect(await countAudit({ action: "account.locked", targetId: target.account.id })).toBe(1);
      const row = await lastAuditRow({ action: "account.locked", targetId: target.account.id });
      expect(row.reason).toBe(row.actorId === hr1.personId ? "Race: first" : "Race: second");
      if (round === 0) expect(row.actorId).toBe(hr1.personId);
    }
  });

  it("two incompatible grants to one person at once: one is refused with SOD_CONFLICT", async () => {
    const { actor: admin } = await makeActor(["SYSTEM_ADMIN"]);
    const system = await makeSystem();
    for (let round = 0; round < ROUNDS; round++) {
      const target = await makePerson();
      const asAdmin = (tx: Tx) =>
        grantPortalRole(tx, admin, { personId: target.person.id, role: "ACCOUNT_ADMIN", systemId: system.id, reason: "Race: admin" });
      const asOfficer = (tx: Tx) =>
        grantPortalRole(tx, admin, { personId: target.person.id, role: "SECURITY_OFFICER", reason: "Race: officer" });
      const { ok, codes } = await race(round === 0 ? staggered(asAdmin, asOfficer) : [inTransaction(asAdmin), inTransaction(asOfficer)]);
      expect(ok).toHaveLength(1);
      expect(codes).toEqual(["SOD_CONFLICT"]);
      expect(await getDb().portalRoleAssignment.count({ where: { personId: target.person.id } })).toBe(1);
      expect(await countAudit({ action: "portal-role.granted", targetId: target.person.id })).toBe(1);
    }
  });

  // BUG (lib/auth/verify-second-factor.ts:24-27): the replay guard reads totpLastStep without locking
  // the account (lockPendingSignIn locks only the pending sign-in), so two sign-ins submitting the same
  // code at once both pass. Remove `.fails` once the step is stored with a compare-and-set.
  it("one TOTP code used by two sign-ins at once is accepted only once", async () => {
    const { employeeNo, account } = await makePerson();
    const secret = await enrolTotp(account.id);
    const now = new Date();
    const ctx = testCtx();
    const password = async () => {
      const r = await inTransaction((tx) => startSignIn(tx, ctx, { login: employeeNo, password: DEFAULT_PASSWORD }, now));
      if (!r.ok) throw new Error(r.code);
      return r.token;
    };
    const [first, second] = [await password(), await password()];
    const code = currentTotp(secret, now.getTime());
    const results = await Promise.all(
      staggered(
        (tx) => verifySecondFactor(tx, ctx, first, { code }, now),
        (tx) => verifySecondFactor(tx, ctx, second, { code }, now),
      ),
    );
    expect(results[0]).toEqual({ ok: true });
    expect(results[1]).toEqual({ ok: false, code: "INVALID_CODE" });
  });

  // BUG (lib/people/create-person.ts:26-32): the duplicate check is a read before the insert; two
  // joiners with one employee number at once end in a unique-constraint error (P2002, a 500) for the
  // second instead of ALREADY_EXISTS. Remove `.fails` once P2002 is mapped to ALREADY_EXISTS.
  it("two people created with one employee number at once: the second gets ALREADY_EXISTS", async () => {
    const unit = await makeOrgUnit();
    const employeeNo = `R${uniq()}`;
    const input = { employeeNo, name: "Twin", orgUnitId: unit.id, jobTitle: "Analyst", employmentType: "EMPLOYEE" as const };
    const { ok, codes } = await race(
      staggered(
        (tx) => createPerson(tx, FACTORY, input),
        (tx) => createPerson(tx, FACTORY, input),
      ),
    );
    expect(ok).toHaveLength(1);
    expect(codes).toEqual(["ALREADY_EXISTS"]);
  });
});

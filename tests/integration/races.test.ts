// Concurrency: two administrators acting at the same moment, in two real transactions.
import { describe, expect, it } from "vitest";
import { getDb, inTransaction } from "@/lib/db";
import { DomainError } from "@/lib/errors";
import { revokePortalRole } from "@/lib/portal-roles/revoke-portal-role";
import { grantPortalRole } from "@/lib/portal-roles/grant-portal-role";
import { setAccountStatus } from "@/lib/accounts/set-account-status";
import { actorFor, auditSince, auditMark, countAudit, makeActor, makePerson, makeSystem, onlySystemAdmins } from "../factories";

const ROUNDS = 5;

/** Settles both, and splits into successes and DomainError codes (anything else is rethrown). */
async function race<T>(a: Promise<T>, b: Promise<T>) {
  const results = await Promise.allSettled([a, b]);
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

      const { ok, codes } = await race(
        inTransaction((tx) => revokePortalRole(tx, actorA, { assignmentId: assignB, reason: "Race: A removes B" })),
        inTransaction((tx) => revokePortalRole(tx, actorB, { assignmentId: assignA, reason: "Race: B removes A" })),
      );
      expect(ok).toHaveLength(1);
      expect(codes).toEqual(["LAST_SYSTEM_ADMIN"]);
      expect(await getDb().portalRoleAssignment.count({ where: { role: "SYSTEM_ADMIN", person: { status: "ACTIVE" } } })).toBe(1);
      const rows = await auditSince(mark);
      expect(rows.map((r) => r.action)).toEqual(["portal-role.revoked"]);
    }
  });

  it("two administrators locking one account at once: one succeeds, the other gets CONFLICT, one 'account.locked' row", async () => {
    const { actor: hr1 } = await makeActor(["HR"]);
    const { actor: hr2 } = await makeActor(["SYSTEM_ADMIN"]);
    for (let round = 0; round < ROUNDS; round++) {
      const target = await makePerson();
      await getDb().portalSession.create({ data: { accountId: target.account.id } });
      const { ok, codes } = await race(
        inTransaction((tx) => setAccountStatus(tx, hr1, { accountId: target.account.id, change: "lock", reason: "Race: first" })),
        inTransaction((tx) => setAccountStatus(tx, hr2, { accountId: target.account.id, change: "lock", reason: "Race: second" })),
      );
      expect(ok).toHaveLength(1);
      expect(ok[0]).toMatchObject({ value: { status: "LOCKED", sessionsEnded: 1 } });
      expect(codes).toEqual(["CONFLICT"]);
      expect((await getDb().masterAccount.findUniqueOrThrow({ where: { id: target.account.id } })).status).toBe("LOCKED");
      expect(await countAudit({ action: "account.locked", targetId: target.account.id })).toBe(1);
    }
  });

  it("two incompatible grants to one person at once: one is refused with SOD_CONFLICT", async () => {
    const { actor: admin } = await makeActor(["SYSTEM_ADMIN"]);
    const system = await makeSystem();
    for (let round = 0; round < ROUNDS; round++) {
      const target = await makePerson();
      const { ok, codes } = await race(
        inTransaction((tx) => grantPortalRole(tx, admin, { personId: target.person.id, role: "ACCOUNT_ADMIN", systemId: system.id, reason: "Race: admin" })),
        inTransaction((tx) => grantPortalRole(tx, admin, { personId: target.person.id, role: "SECURITY_OFFICER", reason: "Race: officer" })),
      );
      expect(ok).toHaveLength(1);
      expect(codes).toEqual(["SOD_CONFLICT"]);
      expect(await getDb().portalRoleAssignment.count({ where: { personId: target.person.id } })).toBe(1);
      expect(await countAudit({ action: "portal-role.granted", targetId: target.person.id })).toBe(1);
    }
  });
});

import { describe, expect, it } from "vitest";
import { getDb, inTransaction } from "@/lib/db";
import { systemActor } from "@/lib/authz/actor";
import { offboardEndedContracts, runContractOffboarding, CONTRACT_ENDED_REASON } from "@/lib/people/offboard-ended-contracts";
import { auditMark, auditSince, itemIds, dayFromToday, makePerson } from "../factories";
import { grantOf, liveGrantCount, outboxFor, systemWithRoles } from "../lifecycle-fixtures";

const JOB = systemActor("scheduler");

/** Sets a third party's contract end directly (the use cases refuse a day in the past). */
async function contractEnds(personId: string, day: string) {
  await getDb().person.update({ where: { id: personId }, data: { contractEndsOn: new Date(`${day}T00:00:00Z`) } });
}

describe("third parties whose contract has ended are offboarded by the daily job (R10) [calendar]", () => {
  it("offboards like a departure: LEFT, sessions ended, accounts disabled, grants revoked, outbox rows; audited per batch; once", async () => {
    const s = await systemWithRoles({ connected: true });
    const ended = await makePerson({ employmentType: "THIRD_PARTY" });
    const lastDayToday = await makePerson({ employmentType: "THIRD_PARTY" });
    const employee = await makePerson();
    for (const p of [ended, lastDayToday, employee]) await grantOf(s.admin.actor, p.person.id, s.low.id);
    await contractEnds(ended.person.id, dayFromToday(-1));
    await contractEnds(lastDayToday.person.id, dayFromToday(0));
    const session = await getDb().portalSession.create({ data: { accountId: ended.account.id } });

    const mark = await auditMark();
    const count = await inTransaction((tx) => offboardEndedContracts(tx, JOB, new Date()));
    expect(count).toBeGreaterThanOrEqual(1);

    expect((await getDb().person.findUniqueOrThrow({ where: { id: ended.person.id } })).status).toBe("LEFT");
    expect(await liveGrantCount(ended.person.id)).toBe(0);
    const account = await getDb().slaveAccount.findFirstOrThrow({ where: { personId: ended.person.id, systemId: s.system.id } });
    expect(account.status).toBe("DISABLED");
    expect(await getDb().portalSession.findUniqueOrThrow({ where: { id: session.id } })).toMatchObject({
      revokedAt: expect.any(Date),
      revokedReason: "contract-ended",
    });
    const grant = await getDb().accessGrant.findFirstOrThrow({ where: { slaveAccountId: account.id } });
    expect(grant).toMatchObject({ revokedById: null, revokeReason: CONTRACT_ENDED_REASON });
    expect(
      (await outboxFor(s.system.id))
        .filter((o) => o.slaveAccountId === account.id && o.operation !== "grant.created" && o.operation !== "slave-account.created")
        .map((o) => o.operation)
        .sort(),
    ).toEqual(["grant.revoked", "slave-account.disabled"]);

    // The last day of a contract is still a working day; employees have no contract end.
    for (const p of [lastDayToday, employee]) {
      expect((await getDb().person.findUniqueOrThrow({ where: { id: p.person.id } })).status).toBe("ACTIVE");
      expect(await liveGrantCount(p.person.id)).toBe(1);
    }

    const rows = await auditSince(mark);
    // The grants end first (lib/grants/end-grants.ts audits them), then the people and accounts are recorded.
    expect(rows.map((r) => r.action)).toEqual([
      "grant.revoked",
      "offboarding.completed",
      "person.status-changed",
      "slave-account.disabled",
    ]);
    for (const r of rows) expect(r).toMatchObject({ actorId: null, actorName: "scheduler", reason: CONTRACT_ENDED_REASON });
    // Bulk events (issue 14 §3): each grant, case, person and account touched is an item of its event.
    expect(itemIds(rows[0]!, "grant").length).toBeGreaterThan(0);
    expect(rows[0]!.items.every((i) => i.personId !== null)).toBe(true);
    expect(rows[1]!.items.filter((i) => i.kind === "offboarding-case").map((i) => i.personId)).toContain(ended.person.id);
    expect(itemIds(rows[2]!, "person")).toContain(ended.person.id);
    expect(rows[2]!.summary).toMatchObject({ cause: "contract-ended", after: { status: "LEFT" } });
    expect(itemIds(rows[3]!, "slave-account")).toContain(account.id);
    expect(rows[3]!.items.find((i) => i.subjectId === account.id)).toMatchObject({ personId: ended.person.id });

    // Done once: the next round finds nobody.
    const again = await auditMark();
    expect(await inTransaction((tx) => offboardEndedContracts(tx, JOB, new Date()))).toBe(0);
    expect(await auditSince(again)).toEqual([]);
  });

  it("the scheduled round works in batches under its advisory lock: a second process skips while one runs", async () => {
    const a = await makePerson({ employmentType: "THIRD_PARTY" });
    const b = await makePerson({ employmentType: "THIRD_PARTY" });
    await contractEnds(a.person.id, dayFromToday(-3));
    await contractEnds(b.person.id, dayFromToday(-2));

    // While another process holds the lock, this round does nothing.
    let release!: () => void;
    let acquired!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const gotIt = new Promise<void>((resolve) => (acquired = resolve));
    const holder = inTransaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(4040451)`;
      acquired();
      await held;
    });
    await gotIt;
    expect(await runContractOffboarding()).toBe(0);
    expect((await getDb().person.findUniqueOrThrow({ where: { id: a.person.id } })).status).toBe("ACTIVE");
    release();
    await holder;

    expect(await runContractOffboarding()).toBeGreaterThanOrEqual(2);
    for (const p of [a, b]) expect((await getDb().person.findUniqueOrThrow({ where: { id: p.person.id } })).status).toBe("LEFT");
  });
});

// The audit trail's guarantees (R13): written in the same transaction as the change it records,
// only through a transaction, append-only in the database, and hash-chained so tampering shows.
import { describe, expect, it } from "vitest";
import pg from "pg";
import { getDb, inTransaction, type Tx } from "@/lib/db";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { verifyAuditChain } from "@/lib/audit/verify-chain";
import { auditKey, sealOf } from "@/lib/audit/seal";
import { createOrgUnit } from "@/lib/org/create-org-unit";
import { setAccountStatus } from "@/lib/accounts/set-account-status";
import { auditMark, auditSince, FACTORY, makePerson, rejectionOf, uniq } from "../factories";

describe("an audit write that fails rolls the whole operation back", () => {
  it("when the database rejects the row (NUL byte in a text column)", async () => {
    const code = `T-OU-${uniq()}`;
    const mark = await auditMark();
    const error = await rejectionOf(
      inTransaction(async (tx) => {
        await createOrgUnit(tx, FACTORY, { code, name: "Doomed unit" });
        await recordAuditEvent(tx, FACTORY, { action: "settings.updated", actorNameOverride: "bad\u0000name" });
      }),
    );
    expect(String(error)).toMatch(/0x00|invalid byte sequence/i);
    expect(await getDb().orgUnit.findUnique({ where: { code } })).toBeNull();
    expect(await auditSince(mark)).toEqual([]); // not even the org-unit.created row of the same transaction
  });

  it("when the database rejects the summary (U+0000 in JSON), after a use case already wrote its own row", async () => {
    const target = await makePerson();
    const mark = await auditMark();
    const error = await rejectionOf(
      inTransaction(async (tx) => {
        await setAccountStatus(tx, FACTORY, { accountId: target.account.id, change: "disable", reason: "Test: will roll back" });
        await recordAuditEvent(tx, FACTORY, { action: "settings.updated", summary: { note: "a\u0000b" } });
      }),
    );
    expect(String(error)).toMatch(/\\u0000|unsupported unicode/i);
    expect((await getDb().masterAccount.findUniqueOrThrow({ where: { id: target.account.id } })).status).toBe("ACTIVE");
    expect(await auditSince(mark)).toEqual([]);
  });

  it("and the chain has no hole afterwards", async () => {
    expect(await verifyAuditChain(getDb())).toMatchObject({ ok: true });
  });
});

describe("recordAuditEvent", () => {
  it("refuses a client that is not a live transaction", async () => {
    const mark = await auditMark();
    await expect(recordAuditEvent(getDb() as unknown as Tx, FACTORY, { action: "settings.updated" })).rejects.toThrow(/transaction client/);
    // A transaction client kept after its transaction ended is refused too.
    let stale: Tx | undefined;
    await inTransaction(async (tx) => {
      stale = tx;
    });
    await expect(recordAuditEvent(stale!, FACTORY, { action: "settings.updated" })).rejects.toThrow(/transaction client/);
    expect(await auditSince(mark)).toEqual([]);
  });

  it("fills in actor, request context, clipped texts and the chain columns", async () => {
    const ctx = { requestId: `req-${uniq()}`, ip: "192.0.2.10", userAgent: "u".repeat(600) };
    const actor = { ...FACTORY, name: "auditor-bot", ctx };
    const id = await inTransaction((tx) =>
      recordAuditEvent(tx, actor, {
        action: "audit.exported",
        target: { type: "audit", id: "all" },
        reason: "r".repeat(2500),
        basis: "TICKET-1",
        summary: { rows: 3 },
      }),
    );
    const row = await getDb().auditEvent.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({
      actorId: null,
      actorName: "auditor-bot",
      action: "audit.exported",
      targetType: "audit",
      targetId: "all",
      basis: "TICKET-1",
      summary: { rows: 3 },
      requestId: ctx.requestId,
      ip: "192.0.2.10",
    });
    expect(row.reason).toBe(`${"r".repeat(2000)}…`);
    expect(row.userAgent).toBe(`${"u".repeat(500)}…`);
    expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.prevHash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("audit_event is append-only in the database", () => {
  it("the app role may not UPDATE, DELETE or TRUNCATE it, raw or through Prisma", async () => {
    const db = getDb();
    const id = await inTransaction((tx) => recordAuditEvent(tx, FACTORY, { action: "settings.updated", reason: "original" }));
    const count = await db.auditEvent.count();
    const denied = /permission denied/;
    await expect(db.$executeRawUnsafe(`UPDATE audit_event SET reason = 'forged' WHERE id = ${id}`)).rejects.toThrow(denied);
    await expect(db.$executeRawUnsafe(`DELETE FROM audit_event WHERE id = ${id}`)).rejects.toThrow(denied);
    await expect(db.$executeRawUnsafe("TRUNCATE audit_event")).rejects.toThrow(denied);
    await expect(db.auditEvent.update({ where: { id }, data: { reason: "forged" } })).rejects.toThrow(denied);
    await expect(db.auditEvent.deleteMany({})).rejects.toThrow(denied);
    // Inside a use-case transaction too.
    await expect(inTransaction((tx) => tx.auditEvent.updateMany({ data: { reason: "forged" } }))).rejects.toThrow(denied);
    expect(await db.auditEvent.count()).toBe(count);
    expect((await db.auditEvent.findUniqueOrThrow({ where: { id } })).reason).toBe("original");
  });

  it("even its owner is stopped by the triggers", async () => {
    const owner = new pg.Client({ connectionString: process.env.DATABASE_OWNER_URL });
    await owner.connect();
    try {
      const id = await inTransaction((tx) => recordAuditEvent(tx, FACTORY, { action: "settings.updated", reason: "original" }));
      await expect(owner.query(`UPDATE audit_event SET reason = 'forged' WHERE id = ${id}`)).rejects.toThrow(/append-only/);
      await expect(owner.query(`DELETE FROM audit_event WHERE id = ${id}`)).rejects.toThrow(/append-only/);
      await expect(owner.query("TRUNCATE audit_event, audit_event_seal, audit_event_item")).rejects.toThrow(/append-only/);
      expect((await getDb().auditEvent.findUniqueOrThrow({ where: { id } })).reason).toBe("original");
    } finally {
      await owner.end();
    }
  });

  it("chains rows itself: the id, time and hashes given by a writer are ignored", async () => {
    const before = await auditMark();
    await getDb().$executeRaw`
      INSERT INTO audit_event (id, occurred_at, actor_name, action, prev_hash, hash)
      VALUES (1, '2000-01-01', 'forger', 'settings.updated', 'x', 'y')`;
    const [row] = await auditSince(before);
    expect(row!.id).toBeGreaterThan(before);
    expect(row!.occurredAt.getFullYear()).toBeGreaterThan(2000);
    expect(row!.hash).not.toBe("y");
    expect(await verifyAuditChain(getDb())).toMatchObject({ ok: true });
  });
});

describe("verifyAuditChain", () => {
  it("verifies the whole chain of the test database, in any batch size", async () => {
    const db = getDb();
    const total = await db.auditEvent.count();
    expect(total).toBeGreaterThan(3);
    const last = await auditMark();
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, rows: total, lastId: last });
    const progress: number[] = [];
    expect(await verifyAuditChain(db, { batchSize: 3, onProgress: (n) => progress.push(n) })).toMatchObject({
      ok: true,
      rows: total,
      lastId: last,
    });
    expect(progress.at(-1)).toBe(total);
  });

  it("every row recordAuditEvent writes carries the app's seal over its id and hash", async () => {
    const id = await inTransaction((tx) => recordAuditEvent(tx, FACTORY, { action: "settings.updated", reason: "sealed" }));
    const row = await getDb().auditEvent.findUniqueOrThrow({ where: { id }, include: { seal: true } });
    expect(row.seal).toEqual({ eventId: id, keyId: auditKey().id, mac: sealOf(auditKey(), id, row.hash!) });
  });
});

// Issue 9 §2: the audit trail is tamper-evident against the database's own administrator. A superuser
// can switch the triggers off (session_replication_role = replica), rewrite a row and recompute the
// unkeyed SHA-256 chain, or delete the newest rows; the seals (keyed with AUDIT_SIGNING_KEY, which the
// database never holds) and the signed checkpoints kept outside the database expose both.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { readAuditCheckpoints, writeAuditCheckpoint } from "@/lib/audit/checkpoint";
import { itemsDigest } from "@/lib/audit/items";
import { auditKey, sealOf } from "@/lib/audit/seal";
import { verifyAuditChain } from "@/lib/audit/verify-chain";
import { handDatabaseToOwner } from "../../scripts/lib/db-roles";
import { migrate } from "../../scripts/db/migrate";
import { uniq } from "../factories";

const adminBase = new URL(process.env.DATABASE_ADMIN_URL!);
const ownerBase = new URL(process.env.DATABASE_OWNER_URL!);
const appRole = decodeURIComponent(new URL(process.env.DATABASE_URL!).username);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "audit-checkpoints-"));
const key = auditKey();

interface Scratch {
  name: string;
  admin: pg.Client; // a superuser connected to the scratch database
  prisma: PrismaClient; // the app role on the scratch database
  ids: bigint[];
  file: string;
}
const open: Scratch[] = [];

function urlFor(base: URL, name: string): string {
  const u = new URL(base);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A fresh database, migrated as the owner, with six rows written and sealed as the app writes them. */
async function scratch(rows = 6): Promise<Scratch> {
  const name = `portal_tamper_${uniq()
    .replace(/[^a-z0-9]/gi, "_")
    .toLowerCase()}`;
  const maintenance = new pg.Client({ connectionString: urlFor(adminBase, "postgres") });
  await maintenance.connect();
  await maintenance.query(`CREATE DATABASE ${maintenance.escapeIdentifier(name)}`);
  await maintenance.end();
  await handDatabaseToOwner(urlFor(adminBase, name), decodeURIComponent(ownerBase.username));
  await migrate(urlFor(ownerBase, name), { log: () => {}, appRole });
  const admin = new pg.Client({ connectionString: urlFor(adminBase, name) });
  await admin.connect();
  const prisma = new PrismaClient({
    adapter: new PrismaPg({ connectionString: urlFor(new URL(process.env.DATABASE_URL!), name), max: 2 }),
  });
  const app = new pg.Client({ connectionString: urlFor(new URL(process.env.DATABASE_URL!), name) });
  await app.connect();
  const ids: bigint[] = [];
  for (let i = 1; i <= rows; i++) {
    await app.query("BEGIN");
    const { rows: r } = await app.query<{ id: string; hash: string }>(
      "INSERT INTO audit_event (actor_name, action, reason) VALUES ($1, 'settings.updated', $2) RETURNING id, hash",
      [`writer-${i}`, `row ${i}`],
    );
    const id = BigInt(r[0]!.id);
    await app.query("INSERT INTO audit_event_seal (event_id, key_id, mac) VALUES ($1, $2, $3)", [id, key.id, sealOf(key, id, r[0]!.hash)]);
    await app.query("COMMIT");
    ids.push(id);
  }
  await app.end();
  const s: Scratch = { name, admin, prisma, ids, file: path.join(dir, `${name}.jsonl`) };
  open.push(s);
  return s;
}

async function dropAll(): Promise<void> {
  while (open.length) {
    const s = open.pop()!;
    await s.prisma.$disconnect();
    await s.admin.end();
    const maintenance = new pg.Client({ connectionString: urlFor(adminBase, "postgres") });
    await maintenance.connect();
    await maintenance.query(`DROP DATABASE IF EXISTS ${maintenance.escapeIdentifier(s.name)} WITH (FORCE)`);
    await maintenance.end();
  }
}
afterEach(dropAll);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function checkpointsOf(s: Scratch) {
  const { checkpoints, problems } = readAuditCheckpoints(s.file, key);
  expect(problems).toEqual([]);
  return checkpoints.filter((c) => c.database === s.name);
}

/** The exact attack, as a superuser: replica mode, UPDATE one row, recompute the chain after it. */
async function rewriteAndRechain(s: Scratch, id: bigint): Promise<void> {
  await s.admin.query("BEGIN");
  await s.admin.query("SET LOCAL session_replication_role = replica");
  await s.admin.query("UPDATE audit_event SET reason = 'forged' WHERE id = $1", [id]);
  await s.admin.query(`
    DO $$
    DECLARE r record; prev text;
    BEGIN
      SELECT hash INTO prev FROM audit_event WHERE id < ${id} ORDER BY id DESC LIMIT 1;
      FOR r IN SELECT id FROM audit_event WHERE id >= ${id} ORDER BY id LOOP
        UPDATE audit_event e SET prev_hash = prev,
               hash = encode(sha256(convert_to(coalesce(prev, '') || '|' || audit_event_canonical(e), 'UTF8')), 'hex')
        WHERE e.id = r.id RETURNING e.hash INTO prev;
      END LOOP;
    END $$`);
  await s.admin.query("COMMIT");
}

describe("a superuser's rewrite of one row with the chain recomputed", () => {
  it("fools the unkeyed chain, but is reported at the first altered row by its seal, and at the checkpoint", async () => {
    const s = await scratch();
    await writeAuditCheckpoint(new Date("2026-12-03T01:00:00Z"), { db: s.prisma, file: s.file, key });
    expect(await verifyAuditChain(s.prisma, { key, checkpoints: checkpointsOf(s) })).toMatchObject({
      ok: true,
      rows: 6,
      checkpointsMatched: 1,
    });

    await rewriteAndRechain(s, s.ids[2]!);
    expect((await s.admin.query("SELECT reason FROM audit_event WHERE id = $1", [s.ids[2]])).rows[0].reason).toBe("forged");

    // What audit:verify said before issue 9: the recomputed chain is consistent.
    expect(await verifyAuditChain(s.prisma)).toMatchObject({ ok: true, rows: 6 });
    // With the key: the first altered row, exactly.
    expect(await verifyAuditChain(s.prisma, { key, checkpoints: checkpointsOf(s) })).toMatchObject({
      ok: false,
      rows: 2,
      brokenId: s.ids[2],
      problem: "seal-mismatch",
    });
    expect(await verifyAuditChain(s.prisma, { key, batchSize: 2 })).toMatchObject({
      ok: false,
      brokenId: s.ids[2],
      problem: "seal-mismatch",
    });
    // With the checkpoints alone (say the seals were rewritten too): the signed head no longer matches.
    expect(await verifyAuditChain(s.prisma, { checkpoints: checkpointsOf(s) })).toMatchObject({
      ok: false,
      brokenId: s.ids[5],
      problem: "checkpoint-mismatch",
    });
  });

  it("removing the seals of the rewritten rows is reported as unsealed rows", async () => {
    const s = await scratch();
    await rewriteAndRechain(s, s.ids[3]!);
    await s.admin.query("BEGIN");
    await s.admin.query("SET LOCAL session_replication_role = replica");
    await s.admin.query("DELETE FROM audit_event_seal WHERE event_id >= $1", [s.ids[3]]);
    await s.admin.query("COMMIT");
    expect(await verifyAuditChain(s.prisma, { key })).toMatchObject({ ok: false, brokenId: s.ids[3], problem: "unsealed" });
  });

  it("a plain UPDATE (triggers off, chain not recomputed) is reported by its own hash, a deletion at the next row", async () => {
    const s = await scratch();
    await s.admin.query("ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update_delete");
    await s.admin.query("UPDATE audit_event SET reason = 'x' WHERE id = $1", [s.ids[2]]);
    expect(await verifyAuditChain(s.prisma, { key })).toMatchObject({ ok: false, rows: 2, brokenId: s.ids[2], problem: "hash-mismatch" });
    await s.admin.query("DELETE FROM audit_event_seal WHERE event_id = $1", [s.ids[2]]).catch(() => {});
    await s.admin.query("SET session_replication_role = replica");
    await s.admin.query("DELETE FROM audit_event_seal WHERE event_id = $1", [s.ids[2]]);
    await s.admin.query("DELETE FROM audit_event WHERE id = $1", [s.ids[2]]);
    await s.admin.query("RESET session_replication_role");
    expect(await verifyAuditChain(s.prisma, { key })).toMatchObject({ ok: false, rows: 2, brokenId: s.ids[3], problem: "prev-mismatch" });
  });
});

describe("deleting the newest rows (truncating the tail)", () => {
  it("leaves a consistent chain, but a signed checkpoint points past its end", async () => {
    const s = await scratch();
    // The periodic checkpoint of the head (row 6).
    await writeAuditCheckpoint(new Date("2026-12-03T02:00:00Z"), { db: s.prisma, file: s.file, key });

    await s.admin.query("BEGIN");
    await s.admin.query("SET LOCAL session_replication_role = replica");
    await s.admin.query("DELETE FROM audit_event_seal WHERE event_id >= $1", [s.ids[4]]);
    await s.admin.query("DELETE FROM audit_event WHERE id >= $1", [s.ids[4]]);
    await s.admin.query("COMMIT");

    // Seals and chain alone cannot tell: the remaining four rows are intact.
    expect(await verifyAuditChain(s.prisma, { key })).toMatchObject({ ok: true, rows: 4 });
    const result = await verifyAuditChain(s.prisma, { key, checkpoints: checkpointsOf(s) });
    expect(result).toMatchObject({ ok: false, rows: 4, brokenId: s.ids[5], problem: "truncated" });
    expect(result.ok === false && result.checkpoint?.lastId).toBe(s.ids[5]!.toString());
  });

  it("is reported at the earliest checkpoint whose row is gone", async () => {
    const s = await scratch(3);
    await writeAuditCheckpoint(new Date("2026-12-03T03:00:00Z"), { db: s.prisma, file: s.file, key }); // head: row 3
    const app = new pg.Client({ connectionString: urlFor(new URL(process.env.DATABASE_URL!), s.name) });
    await app.connect();
    await app.query("BEGIN");
    const { rows } = await app.query<{ id: string; hash: string }>(
      "INSERT INTO audit_event (actor_name, action) VALUES ('writer-4', 'settings.updated') RETURNING id, hash",
    );
    await app.query("INSERT INTO audit_event_seal (event_id, key_id, mac) VALUES ($1, $2, $3)", [
      rows[0]!.id,
      key.id,
      sealOf(key, BigInt(rows[0]!.id), rows[0]!.hash),
    ]);
    await app.query("COMMIT");
    await app.end();
    await writeAuditCheckpoint(new Date("2026-12-03T04:00:00Z"), { db: s.prisma, file: s.file, key }); // head: row 4
    await s.admin.query("BEGIN");
    await s.admin.query("SET LOCAL session_replication_role = replica");
    await s.admin.query("DELETE FROM audit_event_seal WHERE event_id >= $1", [s.ids[2]]);
    await s.admin.query("DELETE FROM audit_event WHERE id >= $1", [s.ids[2]]);
    await s.admin.query("COMMIT");
    expect(await verifyAuditChain(s.prisma, { key, checkpoints: checkpointsOf(s) })).toMatchObject({
      ok: false,
      rows: 2,
      brokenId: s.ids[2],
      problem: "truncated",
    });
  });
});

describe("bulk events' items are covered by the chain", () => {
  it("an item added, removed or changed by a superuser is reported at its event", async () => {
    const s = await scratch(1);
    const items = [
      { kind: "grant", subjectId: "g-1", detail: { role: "CRM-AGENT" } },
      { kind: "grant", subjectId: "g-2", detail: null },
    ];
    const app = new pg.Client({ connectionString: urlFor(new URL(process.env.DATABASE_URL!), s.name) });
    await app.connect();
    await app.query("BEGIN");
    const { rows } = await app.query<{ id: string; hash: string }>(
      "INSERT INTO audit_event (actor_name, action, summary) VALUES ('bulk', 'grant.revoked', $1) RETURNING id, hash",
      [JSON.stringify({ items: { count: 2, digest: itemsDigest(items), kinds: { grant: 2 } } })],
    );
    const id = BigInt(rows[0]!.id);
    await app.query("INSERT INTO audit_event_seal (event_id, key_id, mac) VALUES ($1, $2, $3)", [
      id,
      key.id,
      sealOf(key, id, rows[0]!.hash),
    ]);
    for (const [i, item] of items.entries()) {
      await app.query("INSERT INTO audit_event_item (event_id, position, kind, subject_id, detail) VALUES ($1, $2, $3, $4, $5)", [
        id,
        i,
        item.kind,
        item.subjectId,
        item.detail === null ? null : JSON.stringify(item.detail),
      ]);
    }
    await app.query("COMMIT");
    // The app role cannot touch items either.
    await expect(app.query("UPDATE audit_event_item SET subject_id = 'g-9'")).rejects.toThrow(/permission denied/);
    await expect(app.query("DELETE FROM audit_event_item")).rejects.toThrow(/permission denied/);
    await app.end();
    expect(await verifyAuditChain(s.prisma, { key })).toMatchObject({ ok: true, rows: 2 });

    await s.admin.query("BEGIN");
    await s.admin.query("SET LOCAL session_replication_role = replica");
    await s.admin.query("UPDATE audit_event_item SET subject_id = 'g-9' WHERE event_id = $1 AND position = 1", [id]);
    await s.admin.query("COMMIT");
    expect(await verifyAuditChain(s.prisma, { key })).toMatchObject({ ok: false, rows: 1, brokenId: id, problem: "items-mismatch" });

    await s.admin.query("BEGIN");
    await s.admin.query("SET LOCAL session_replication_role = replica");
    await s.admin.query("DELETE FROM audit_event_item WHERE event_id = $1 AND position = 1", [id]);
    await s.admin.query("COMMIT");
    expect(await verifyAuditChain(s.prisma, { key })).toMatchObject({ ok: false, brokenId: id, problem: "items-mismatch" });
  });
});

describe("the checkpoint file", () => {
  it("is append-only in effect: an edited, removed or foreign-key line is reported", async () => {
    const s = await scratch(2);
    for (let i = 0; i < 3; i++) await writeAuditCheckpoint(new Date(Date.UTC(2026, 11, 3, 5, i)), { db: s.prisma, file: s.file, key });
    expect(readAuditCheckpoints(s.file, key)).toMatchObject({ problems: [] });
    expect(readAuditCheckpoints(s.file, key).checkpoints).toHaveLength(3);
    const original = fs.readFileSync(s.file, "utf8").split("\n").filter(Boolean);

    const edited = JSON.parse(original[1]!) as { hash: string };
    edited.hash = "0".repeat(64);
    fs.writeFileSync(s.file, [original[0], JSON.stringify(edited), original[2]].join("\n") + "\n");
    expect(readAuditCheckpoints(s.file, key).problems).toEqual([
      { line: 2, problem: "bad-signature" },
      { line: 3, problem: "broken-link" },
    ]);

    fs.writeFileSync(s.file, [original[0], original[2]].join("\n") + "\n");
    expect(readAuditCheckpoints(s.file, key).problems).toEqual([{ line: 2, problem: "broken-link" }]);

    const other = { key: Buffer.alloc(32, 1), id: "someone-else" };
    expect(readAuditCheckpoints(s.file, other).problems.map((p) => p.problem)).toEqual(["unknown-key", "broken-link", "unknown-key"]);
  });
});

import { createHash } from "node:crypto";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { AuditCheckpoint } from "./checkpoint";
import { itemsDigest } from "./items";
import { sameHex, sealOf, type AuditKey } from "./seal";

export type ChainProblem =
  | "hash-mismatch" // the row's content does not give its stored hash
  | "prev-mismatch" // the row does not link to the row before it (a row deleted or inserted)
  | "seal-mismatch" // the row's keyed seal does not match: altered (and the chain recomputed) by someone without the key
  | "unsealed" // a row after the first sealed one has no seal: written around the app, or its seal removed
  | "items-mismatch" // a bulk event's items do not match the count and digest in its summary
  | "checkpoint-mismatch" // a checkpointed row's hash differs from the signed checkpoint: the chain was rewritten up to here
  | "truncated"; // rows up to a signed checkpoint are missing: the newest rows were deleted

export type ChainVerification =
  | { ok: true; rows: number; lastId: bigint | null; unsealedBefore: number; checkpointsMatched: number }
  | { ok: false; rows: number; brokenId: bigint; problem: ChainProblem; checkpoint?: AuditCheckpoint };

type Row = {
  id: bigint;
  prev_hash: string | null;
  hash: string | null;
  canonical: string;
  mac: string | null;
  summary: unknown;
  item_count: number;
};

export interface VerifyOptions {
  batchSize?: number;
  onProgress?: (rows: number) => void;
  /** Check every row's seal with this key (the audit key; without it only the unkeyed chain is checked). */
  key?: AuditKey;
  /** Signed checkpoints of this database (readAuditCheckpoints); the rows must reach and match each. */
  checkpoints?: AuditCheckpoint[];
}

/**
 * Walks the whole chain in id order, in keyset batches (constant memory at tens of millions of rows),
 * recomputing every hash from the row's canonical content. Reports the first row that does not fit:
 * an altered row fails its own hash; a deleted or inserted row breaks the next row's prev_hash; with the
 * key, an altered row whose chain was recomputed (a superuser's rewrite) fails its seal; with the
 * checkpoints, a rewritten head or a deleted tail no longer matches what was signed outside the database.
 */
export async function verifyAuditChain(db: PrismaClient, opts: VerifyOptions = {}): Promise<ChainVerification> {
  const batchSize = opts.batchSize ?? 5000;
  const byId = new Map<bigint, AuditCheckpoint>();
  for (const c of opts.checkpoints ?? []) if (c.lastId !== null) byId.set(BigInt(c.lastId), c);
  let afterId = -1n;
  let expectedPrev: string | null = null;
  let rows = 0;
  let lastId: bigint | null = null;
  let sealedSeen = false;
  let unsealedBefore = 0;
  let checkpointsMatched = 0;
  for (;;) {
    const batch = await db.$queryRaw<Row[]>`
      SELECT e.id, e.prev_hash, e.hash, audit_event_canonical(e) AS canonical, s.mac, e.summary,
             (SELECT count(*)::int FROM audit_event_item i WHERE i.event_id = e.id) AS item_count
      FROM audit_event e LEFT JOIN audit_event_seal s ON s.event_id = e.id
      WHERE e.id > ${afterId} ORDER BY e.id LIMIT ${batchSize}`;
    if (batch.length === 0) break;
    for (const row of batch) {
      const broken = (problem: ChainProblem, checkpoint?: AuditCheckpoint): ChainVerification => ({
        ok: false,
        rows,
        brokenId: row.id,
        problem,
        ...(checkpoint ? { checkpoint } : {}),
      });
      if ((row.prev_hash ?? null) !== expectedPrev) return broken("prev-mismatch");
      const expected: string = createHash("sha256")
        .update(`${expectedPrev ?? ""}|${row.canonical}`, "utf8")
        .digest("hex");
      if (row.hash !== expected) return broken("hash-mismatch");
      if (opts.key) {
        if (row.mac === null) {
          if (sealedSeen) return broken("unsealed");
          unsealedBefore += 1;
        } else {
          sealedSeen = true;
          if (!sameHex(row.mac, sealOf(opts.key, row.id, expected))) return broken("seal-mismatch");
        }
      }
      const declared = itemsDeclared(row.summary);
      if (declared || row.item_count > 0) {
        if (!declared || declared.count !== row.item_count || declared.digest !== (await itemsDigestOf(db, row.id))) {
          return broken("items-mismatch");
        }
      }
      const checkpoint = byId.get(row.id);
      if (checkpoint) {
        if (checkpoint.hash !== expected) return broken("checkpoint-mismatch", checkpoint);
        checkpointsMatched += 1;
        byId.delete(row.id);
      }
      expectedPrev = row.hash;
      rows += 1;
      lastId = row.id;
    }
    afterId = batch[batch.length - 1]!.id;
    opts.onProgress?.(rows);
  }
  // A checkpoint whose row never came: the rows up to it were deleted (the tail truncated), or it was
  // removed from between rows that still link (only possible with the chain recomputed).
  const missing = [...byId.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))[0];
  if (missing) return { ok: false, rows, brokenId: missing[0], problem: "truncated", checkpoint: missing[1] };
  return { ok: true, rows, lastId, unsealedBefore, checkpointsMatched };
}

function itemsDeclared(summary: unknown): { count: number; digest: string } | null {
  if (!summary || typeof summary !== "object" || Array.isArray(summary)) return null;
  const items = (summary as { items?: unknown }).items;
  if (!items || typeof items !== "object") return null;
  const { count, digest } = items as { count?: unknown; digest?: unknown };
  return typeof count === "number" && typeof digest === "string" ? { count, digest } : null;
}

async function itemsDigestOf(db: PrismaClient, eventId: bigint): Promise<string> {
  const items = await db.auditEventItem.findMany({
    where: { eventId },
    orderBy: { position: "asc" },
    select: { kind: true, subjectId: true, personId: true, detail: true },
  });
  return itemsDigest(items);
}

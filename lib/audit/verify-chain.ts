import { createHash } from "node:crypto";
import type { PrismaClient } from "@/lib/generated/prisma/client";

export type ChainVerification =
  | { ok: true; rows: number; lastId: bigint | null }
  | { ok: false; rows: number; brokenId: bigint; problem: "hash-mismatch" | "prev-mismatch" };

type Row = { id: bigint; prev_hash: string | null; hash: string | null; canonical: string };

/**
 * Walks the whole chain in id order, in keyset batches (constant memory at tens of millions of rows),
 * recomputing every hash from the row's canonical content. Reports the first row that does not fit:
 * an altered row fails its own hash; a deleted or inserted row breaks the next row's prev_hash.
 */
export async function verifyAuditChain(
  db: PrismaClient,
  opts: { batchSize?: number; onProgress?: (rows: number) => void } = {},
): Promise<ChainVerification> {
  const batchSize = opts.batchSize ?? 5000;
  let afterId = -1n;
  let expectedPrev: string | null = null;
  let rows = 0;
  let lastId: bigint | null = null;
  for (;;) {
    const batch = await db.$queryRaw<Row[]>`
      SELECT e.id, e.prev_hash, e.hash, audit_event_canonical(e) AS canonical
      FROM audit_event e WHERE e.id > ${afterId} ORDER BY e.id LIMIT ${batchSize}`;
    if (batch.length === 0) break;
    for (const row of batch) {
      if ((row.prev_hash ?? null) !== expectedPrev) return { ok: false, rows, brokenId: row.id, problem: "prev-mismatch" };
      const expected: string = createHash("sha256")
        .update(`${expectedPrev ?? ""}|${row.canonical}`, "utf8")
        .digest("hex");
      if (row.hash !== expected) return { ok: false, rows, brokenId: row.id, problem: "hash-mismatch" };
      expectedPrev = row.hash;
      rows += 1;
      lastId = row.id;
    }
    afterId = batch[batch.length - 1]!.id;
    opts.onProgress?.(rows);
  }
  return { ok: true, rows, lastId };
}

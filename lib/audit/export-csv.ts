import { getDb } from "@/lib/db";
import { csvStream } from "@/lib/csv";
import { AUDIT_SELECT, auditWhere, type AuditFilter } from "./queries";

const COLUMNS = [
  "id",
  "occurred_at_utc",
  "actor_id",
  "actor_name",
  "action",
  "target_type",
  "target_id",
  "summary",
  "reason",
  "basis",
  "request_id",
  "ip",
  "user_agent",
  "hash",
] as const;

/**
 * Streams the filtered audit trail as CSV (UTF-8 with BOM so spreadsheet software reads Chinese
 * correctly; times in UTC), in keyset batches: memory stays flat however many rows match.
 */
export function auditCsvStream(filter: AuditFilter, timeZone: string, batchSize = 2000): ReadableStream<Uint8Array> {
  let whereP: ReturnType<typeof auditWhere> | null = null;
  return csvStream<bigint>(COLUMNS, async (cursor) => {
    whereP ??= auditWhere(filter, timeZone);
    const where = await whereP;
    const rows = await getDb().auditEvent.findMany({
      where: cursor === null ? where : { AND: [where, { id: { lt: cursor } }] },
      orderBy: { id: "desc" },
      take: batchSize,
      select: AUDIT_SELECT,
    });
    const cells = rows.map((r) => [
      r.id,
      r.occurredAt,
      r.actorId,
      r.actorName,
      r.action,
      r.targetType,
      r.targetId,
      r.summary,
      r.reason,
      r.basis,
      r.requestId,
      r.ip,
      r.userAgent,
      r.hash,
    ]);
    return { cells, next: rows.length === batchSize ? rows[rows.length - 1]!.id : null };
  });
}

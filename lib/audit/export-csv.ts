import { getDb } from "@/lib/db";
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

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let s =
    typeof value === "string"
      ? value
      : typeof value === "bigint"
        ? value.toString()
        : value instanceof Date
          ? value.toISOString()
          : JSON.stringify(value);
  // Spreadsheet formula injection: a cell starting with = + - @ is neutralised.
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Streams the filtered audit trail as CSV (UTF-8 with BOM so spreadsheet software reads Chinese
 * correctly; times in UTC), in keyset batches: memory stays flat however many rows match.
 */
export function auditCsvStream(filter: AuditFilter, timeZone: string, batchSize = 2000): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cursor: bigint | null = null;
  let started = false;
  let whereP: ReturnType<typeof auditWhere> | null = null;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        whereP = auditWhere(filter, timeZone);
        controller.enqueue(encoder.encode(`\uFEFF${COLUMNS.join(",")}\r\n`));
        return;
      }
      const where = await whereP!;
      const rows = await getDb().auditEvent.findMany({
        where: cursor === null ? where : { AND: [where, { id: { lt: cursor } }] },
        orderBy: { id: "desc" },
        take: batchSize,
        select: AUDIT_SELECT,
      });
      if (rows.length === 0) {
        controller.close();
        return;
      }
      cursor = rows[rows.length - 1]!.id;
      const lines = rows.map((r) =>
        [
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
        ]
          .map(csvCell)
          .join(","),
      );
      controller.enqueue(encoder.encode(`${lines.join("\r\n")}\r\n`));
    },
  });
}

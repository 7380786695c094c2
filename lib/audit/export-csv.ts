import { getDb } from "@/lib/db";
import { csvStream } from "@/lib/csv";
import { latestAuditCheckpoint } from "./checkpoint";
import { auditPage, type AuditFilter, type AuditRow } from "./queries";

// One line per event, then (bulk events, issue 14 §3) one line per item right after its event, and a
// last line with the newest signed checkpoint of the chain (decision 0025) so a reader can check the
// export against the chain head it was taken under. `record` says which a line is.
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
  "record",
  "item_position",
  "item_kind",
  "item_subject_id",
  "item_person_id",
  "item_detail",
] as const;

const ITEM_BATCH = 5000;
const EVENT_COLUMNS = 14;

function eventCells(r: AuditRow): unknown[] {
  return [
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
    "event",
  ];
}

function declaresItems(summary: unknown): boolean {
  const items = (summary as { items?: { count?: unknown } } | null)?.items;
  return typeof items?.count === "number" && items.count > 0;
}

// Where the export stands: events read but not yet written (a bulk event stops the page so its items
// follow it), the item cursor of that event, and the keyset cursor of the events.
type Cursor = {
  before: bigint | null;
  exhausted: boolean;
  queue: AuditRow[];
  items: { eventId: bigint; after: number } | null;
};

/**
 * Streams the filtered audit trail as CSV (lib/csv.ts: UTF-8 with BOM, times in UTC) in keyset batches —
 * events by id, a bulk event's items by position — so memory stays flat however many rows and items
 * match; the last line is the newest signed checkpoint.
 */
export function auditCsvStream(filter: AuditFilter, timeZone: string, batchSize = 2000): ReadableStream<Uint8Array> {
  return csvStream<Cursor>(COLUMNS, async (cursor) => {
    const at: Cursor = cursor ?? { before: null, exhausted: false, queue: [], items: null };
    if (at.items) {
      const { eventId, after } = at.items;
      const page = await getDb().auditEventItem.findMany({
        where: { eventId, position: { gt: after } },
        orderBy: { position: "asc" },
        take: ITEM_BATCH,
        select: { position: true, kind: true, subjectId: true, personId: true, detail: true },
      });
      return {
        cells: page.map((i) => [
          eventId,
          ...Array(EVENT_COLUMNS - 1).fill(null),
          "item",
          i.position,
          i.kind,
          i.subjectId,
          i.personId,
          i.detail,
        ]),
        next: { ...at, items: page.length < ITEM_BATCH ? null : { eventId, after: page[page.length - 1]!.position } },
      };
    }
    let { queue, before, exhausted } = at;
    if (queue.length === 0 && !exhausted) {
      const page = await auditPage(filter, timeZone, { cursor: before, size: batchSize });
      queue = page.rows;
      exhausted = !page.more;
      if (page.rows.length) before = page.rows[page.rows.length - 1]!.id;
    }
    if (queue.length === 0) {
      const [db] = await getDb().$queryRaw<{ database: string }[]>`SELECT current_database() AS database`;
      const checkpoint = latestAuditCheckpoint(db!.database);
      const cells = [checkpoint?.lastId ?? null, checkpoint?.at ?? null, ...Array(5).fill(null), checkpoint, ...Array(5).fill(null)];
      return { cells: [[...cells, checkpoint?.hash ?? null, "checkpoint"]], next: null };
    }
    const cells: unknown[][] = [];
    let items: Cursor["items"] = null;
    let i = 0;
    while (i < queue.length) {
      const row = queue[i++]!;
      cells.push(eventCells(row));
      if (declaresItems(row.summary)) {
        items = { eventId: row.id, after: -1 };
        break;
      }
    }
    return { cells, next: { before, exhausted, queue: queue.slice(i), items } };
  });
}

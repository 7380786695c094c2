import { z } from "zod";
import { zonedMidnight } from "@/lib/time/calendar";
import { getDb, Prisma } from "@/lib/db";
import { AUDIT_ACTIONS, AUDIT_TARGET_TYPES } from "./events";
import { text } from "@/lib/validation";

const dateOnly = text().regex(/^\d{4}-\d{2}-\d{2}$/);
// At most 18 digits: always within bigint.
const cursorText = text()
  .regex(/^\d{1,18}$/)
  .optional()
  .catch(undefined);

export const AuditFilter = z.object({
  actor: text().trim().max(64).optional().catch(undefined),
  action: z.enum(AUDIT_ACTIONS).optional().catch(undefined),
  targetType: z.enum(AUDIT_TARGET_TYPES).optional().catch(undefined),
  targetId: text().trim().max(100).optional().catch(undefined),
  // Any grant, account, person… an event is about or (bulk events) touched: an id, or an employee number.
  subject: text().trim().max(100).optional().catch(undefined),
  from: dateOnly.optional().catch(undefined),
  to: dateOnly.optional().catch(undefined),
  cursor: cursorText,
});
export type AuditFilter = z.infer<typeof AuditFilter>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NOBODY = "00000000-0000-0000-0000-000000000000";

async function personIdOf(value: string): Promise<string> {
  if (UUID.test(value)) return value;
  const person = await getDb().person.findUnique({ where: { employeeNo: value }, select: { id: true } });
  return person?.id ?? NOBODY;
}

/** The WHERE of the filter's plain fields (all but `subject` and `cursor`). `actor` is an employee number or a person id. */
export async function auditWhere(filter: AuditFilter, timeZone: string): Promise<Prisma.AuditEventWhereInput> {
  const and: Prisma.AuditEventWhereInput[] = [];
  if (filter.actor) and.push({ actorId: await personIdOf(filter.actor) });
  if (filter.action) and.push({ action: filter.action });
  if (filter.targetType) and.push({ targetType: filter.targetType });
  if (filter.targetId) and.push({ targetId: filter.targetId });
  if (filter.from) and.push({ occurredAt: { gte: zonedMidnight(filter.from, timeZone) } });
  if (filter.to) and.push({ occurredAt: { lt: new Date(zonedMidnight(filter.to, timeZone).getTime() + 86_400_000) } });
  return { AND: and };
}

// 25 a page: with the list's clipped cells the page stays under the 150 KB budget whatever the events carry.
export const AUDIT_PAGE_SIZE = 25;

export const AUDIT_SELECT = {
  id: true,
  occurredAt: true,
  actorId: true,
  actorName: true,
  action: true,
  targetType: true,
  targetId: true,
  summary: true,
  reason: true,
  basis: true,
  requestId: true,
  ip: true,
  userAgent: true,
  hash: true,
} as const;

export type AuditRow = Prisma.AuditEventGetPayload<{ select: typeof AUDIT_SELECT }>;

// Candidate ids per round when a subject is filtered: each of the three index range scans returns at
// most this many, newest first, below the cursor.
const SUBJECT_BATCH = 500;

/**
 * Ids of the events about `subject` (target_id) or touching it (an item's subject_id, or the person an
 * item belongs to), newest first, below `before`: three index range scans (audit_event (target_id, id),
 * audit_event_item (subject_id, event_id) and (person_id, event_id)), merged.
 */
async function subjectEventIds(subject: string, before: bigint | null, limit: number): Promise<bigint[]> {
  const below = (column: string) => (before === null ? Prisma.empty : Prisma.sql`AND ${Prisma.raw(column)} < ${before}`);
  const rows = await getDb().$queryRaw<{ id: bigint }[]>`
    SELECT id FROM (
      (SELECT id FROM audit_event WHERE target_id = ${subject} ${below("id")} ORDER BY id DESC LIMIT ${limit})
      UNION
      (SELECT event_id FROM audit_event_item WHERE subject_id = ${subject} ${below("event_id")} ORDER BY event_id DESC LIMIT ${limit})
      UNION
      (SELECT event_id FROM audit_event_item WHERE person_id = ${subject} ${below("event_id")} ORDER BY event_id DESC LIMIT ${limit})
    ) u ORDER BY id DESC LIMIT ${limit}`;
  return rows.map((r) => r.id);
}

/**
 * One keyset page of the filtered trail, newest first: `size` rows with ids below `cursor`, and whether
 * more follow. Without a subject one query on audit_event; with one, rounds of candidate ids
 * (subjectEventIds) checked against the other fields until the page is full.
 */
export async function auditPage(
  filter: AuditFilter,
  timeZone: string,
  opts: { cursor?: bigint | null; size?: number } = {},
): Promise<{ rows: AuditRow[]; more: boolean }> {
  const size = opts.size ?? AUDIT_PAGE_SIZE;
  const cursor = opts.cursor ?? null;
  const where = await auditWhere(filter, timeZone);
  const db = getDb();
  if (!filter.subject) {
    const rows = await db.auditEvent.findMany({
      where: cursor === null ? where : { AND: [where, { id: { lt: cursor } }] },
      orderBy: { id: "desc" },
      take: size + 1,
      select: AUDIT_SELECT,
    });
    return { rows: rows.slice(0, size), more: rows.length > size };
  }
  const subject = UUID.test(filter.subject) ? filter.subject : await personIdOf(filter.subject);
  const found: AuditRow[] = [];
  let before = cursor;
  for (;;) {
    const ids = await subjectEventIds(subject, before, SUBJECT_BATCH);
    if (ids.length === 0) break;
    const rows = await db.auditEvent.findMany({
      where: { AND: [where, { id: { in: ids } }] },
      orderBy: { id: "desc" },
      select: AUDIT_SELECT,
    });
    found.push(...rows);
    if (found.length > size || ids.length < SUBJECT_BATCH) break;
    before = ids[ids.length - 1]!;
  }
  return { rows: found.slice(0, size), more: found.length > size };
}

export async function listAuditEvents(filter: AuditFilter, timeZone: string) {
  const { rows, more } = await auditPage(filter, timeZone, { cursor: filter.cursor ? BigInt(filter.cursor) : null });
  return { rows, nextCursor: more ? rows[rows.length - 1]!.id.toString() : null };
}

export async function getAuditEvent(id: bigint) {
  return getDb().auditEvent.findUnique({
    where: { id },
    select: { ...AUDIT_SELECT, prevHash: true, seal: { select: { keyId: true } } },
  });
}

export const AUDIT_ITEMS_PAGE_SIZE = 25;

/** One keyset page (by position) of a bulk event's items. */
export async function listAuditItems(eventId: bigint, after?: string, size = AUDIT_ITEMS_PAGE_SIZE) {
  const from = after !== undefined && /^\d{1,9}$/.test(after) ? Number(after) : -1;
  const rows = await getDb().auditEventItem.findMany({
    where: { eventId, position: { gt: from } },
    orderBy: { position: "asc" },
    take: size + 1,
    select: { position: true, kind: true, subjectId: true, personId: true, detail: true },
  });
  const items = rows.slice(0, size);
  return { items, nextAfter: rows.length > size ? String(items[items.length - 1]!.position) : null };
}

/**
 * The latest events about one person: their record, their master account, their grants and slave
 * accounts (targets), and bulk events with an item of theirs (items name the person). Served by the
 * target index for the first part (bounded by the person's own grant and account ids) and the items'
 * person index for the second.
 */
export async function listPersonHistory(personId: string, take = 30) {
  const db = getDb();
  const [account, accounts, grants, viaItems] = await Promise.all([
    db.masterAccount.findUnique({ where: { personId }, select: { id: true } }),
    db.slaveAccount.findMany({ where: { personId }, select: { id: true }, take: 500 }),
    db.accessGrant.findMany({ where: { slaveAccount: { personId } }, select: { id: true }, take: 2000 }),
    db.$queryRaw<{ eventId: bigint }[]>`
      SELECT DISTINCT event_id AS "eventId" FROM audit_event_item WHERE person_id = ${personId} ORDER BY event_id DESC LIMIT ${take}`,
  ]);
  const targets: Prisma.AuditEventWhereInput[] = [
    { targetType: "person", targetId: personId },
    ...(account ? [{ targetType: "account", targetId: account.id }] : []),
    ...(accounts.length ? [{ targetType: "slave-account", targetId: { in: accounts.map((a) => a.id) } }] : []),
    ...(grants.length ? [{ targetType: "grant", targetId: { in: grants.map((g) => g.id) } }] : []),
    ...(viaItems.length ? [{ id: { in: viaItems.map((i) => i.eventId) } }] : []),
  ];
  return db.auditEvent.findMany({ where: { OR: targets }, orderBy: { id: "desc" }, take, select: AUDIT_SELECT });
}

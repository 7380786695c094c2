import { z } from "zod";
import { zonedMidnight } from "@/lib/time/calendar";
import { getDb, Prisma } from "@/lib/db";
import { AUDIT_ACTIONS, AUDIT_TARGET_TYPES } from "./events";
import { text } from "@/lib/validation";

const dateOnly = text().regex(/^\d{4}-\d{2}-\d{2}$/);

export const AuditFilter = z.object({
  actor: text().trim().max(64).optional().catch(undefined),
  action: z.enum(AUDIT_ACTIONS).optional().catch(undefined),
  targetType: z.enum(AUDIT_TARGET_TYPES).optional().catch(undefined),
  targetId: text().trim().max(100).optional().catch(undefined),
  from: dateOnly.optional().catch(undefined),
  to: dateOnly.optional().catch(undefined),
  cursor: text()
    .regex(/^\d{1,20}$/)
    .optional()
    .catch(undefined),
});
export type AuditFilter = z.infer<typeof AuditFilter>;

/** Builds the WHERE for the audit list and export. `actor` is an employee number or a person id. */
export async function auditWhere(filter: AuditFilter, timeZone: string): Promise<Prisma.AuditEventWhereInput> {
  const and: Prisma.AuditEventWhereInput[] = [];
  if (filter.actor) {
    const isUuid = /^[0-9a-f-]{36}$/i.test(filter.actor);
    const person = isUuid
      ? { id: filter.actor }
      : await getDb().person.findUnique({ where: { employeeNo: filter.actor }, select: { id: true } });
    and.push({ actorId: person?.id ?? "00000000-0000-0000-0000-000000000000" });
  }
  if (filter.action) and.push({ action: filter.action });
  if (filter.targetType) and.push({ targetType: filter.targetType });
  if (filter.targetId) and.push({ targetId: filter.targetId });
  if (filter.from) and.push({ occurredAt: { gte: zonedMidnight(filter.from, timeZone) } });
  if (filter.to) and.push({ occurredAt: { lt: new Date(zonedMidnight(filter.to, timeZone).getTime() + 86_400_000) } });
  return { AND: and };
}

export const AUDIT_PAGE_SIZE = 50;

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

export async function listAuditEvents(filter: AuditFilter, timeZone: string) {
  const where = await auditWhere(filter, timeZone);
  const rows = await getDb().auditEvent.findMany({
    where: filter.cursor ? { AND: [where, { id: { lt: BigInt(filter.cursor) } }] } : where,
    orderBy: { id: "desc" },
    take: AUDIT_PAGE_SIZE + 1,
    select: AUDIT_SELECT,
  });
  const page = rows.slice(0, AUDIT_PAGE_SIZE);
  return { rows: page, nextCursor: rows.length > AUDIT_PAGE_SIZE ? page[page.length - 1]!.id.toString() : null };
}

/**
 * The latest events about one person: their record, their master account, their grants and slave
 * accounts (those rows name the person in their summary). Served by the target index for the first
 * part; the summary match is bounded by the person's own grant and account ids.
 */
export async function listPersonHistory(personId: string, take = 30) {
  const db = getDb();
  const [account, accounts, grants] = await Promise.all([
    db.masterAccount.findUnique({ where: { personId }, select: { id: true } }),
    db.slaveAccount.findMany({ where: { personId }, select: { id: true }, take: 500 }),
    db.accessGrant.findMany({ where: { slaveAccount: { personId } }, select: { id: true }, take: 2000 }),
  ]);
  const targets: Prisma.AuditEventWhereInput[] = [
    { targetType: "person", targetId: personId },
    ...(account ? [{ targetType: "account", targetId: account.id }] : []),
    ...(accounts.length ? [{ targetType: "slave-account", targetId: { in: accounts.map((a) => a.id) } }] : []),
    ...(grants.length ? [{ targetType: "grant", targetId: { in: grants.map((g) => g.id) } }] : []),
  ];
  return db.auditEvent.findMany({ where: { OR: targets }, orderBy: { id: "desc" }, take, select: AUDIT_SELECT });
}

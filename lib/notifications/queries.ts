import { getDb, Prisma } from "@/lib/db";
import type { PersonActor } from "@/lib/authz/actor";
import { decodeCursor, encodeCursor, type Page } from "@/lib/http/cursor";
import type { NotificationsFilter } from "./schemas";

// The bell shows at most "99+": counting stops there, so a huge backlog costs no more than 100 index entries.
export const UNREAD_CAP = 100;

/** The person's unread count, capped at UNREAD_CAP (index notification(recipient_id, read_at)). */
export async function unreadNotificationCount(personId: string): Promise<number> {
  const [row] = await getDb().$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM (
      SELECT 1 FROM notification WHERE recipient_id = ${personId}::uuid AND read_at IS NULL LIMIT ${UNREAD_CAP}) AS unread`;
  return row?.n ?? 0;
}

export type NotificationRow = {
  id: string;
  kind: string;
  params: Record<string, string | number>;
  link: string | null;
  readAt: Date | null;
  createdAt: Date;
};

const PAGE_SIZE = 30;

// Keyset over (segment, created_at, id), newest first; segment 0 = unread, 1 = read ("unread first"),
// always 0 for "newest first".
type Cursor = { s: 0 | 1; c: string; id: string };
const isCursor = (v: unknown): v is Cursor =>
  typeof v === "object" &&
  v !== null &&
  ((v as Cursor).s === 0 || (v as Cursor).s === 1) &&
  typeof (v as Cursor).c === "string" &&
  !Number.isNaN(Date.parse((v as Cursor).c)) &&
  typeof (v as Cursor).id === "string" &&
  /^[0-9a-f-]{36}$/.test((v as Cursor).id);

const select = { id: true, kind: true, params: true, link: true, readAt: true, createdAt: true } as const;

async function segment(personId: string, where: Prisma.NotificationWhereInput, after: { c: Date; id: string } | null, take: number) {
  const keyset: Prisma.NotificationWhereInput[] = after
    ? [{ createdAt: { lte: after.c } }, { OR: [{ createdAt: { lt: after.c } }, { createdAt: after.c, id: { lt: after.id } }] }]
    : [];
  return getDb().notification.findMany({
    where: { AND: [{ recipientId: personId }, where, ...keyset] },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take,
    select,
  });
}

/** The actor's own notifications, a page at a time. */
export async function listNotifications(actor: PersonActor, filter: NotificationsFilter): Promise<Page<NotificationRow>> {
  const cursor = decodeCursor(filter.cursor, isCursor);
  const after = cursor ? { c: new Date(cursor.c), id: cursor.id } : null;
  const want = PAGE_SIZE + 1;
  const rows: (Awaited<ReturnType<typeof segment>>[number] & { s: 0 | 1 })[] = [];
  if (filter.show === "unread" || filter.order === "newest") {
    const where = filter.show === "unread" ? { readAt: null } : {};
    rows.push(...(await segment(actor.personId, where, after, want)).map((r) => ({ ...r, s: 0 as const })));
  } else {
    if (!cursor || cursor.s === 0)
      rows.push(...(await segment(actor.personId, { readAt: null }, after, want)).map((r) => ({ ...r, s: 0 as const })));
    if (rows.length < want) {
      const readAfter = cursor?.s === 1 ? after : null;
      rows.push(
        ...(await segment(actor.personId, { readAt: { not: null } }, readAfter, want - rows.length)).map((r) => ({ ...r, s: 1 as const })),
      );
    }
  }
  const page = rows.slice(0, PAGE_SIZE);
  const last = page[page.length - 1];
  return {
    rows: page.map(({ s: _s, params, ...r }) => ({ ...r, params: (params ?? {}) as Record<string, string | number> })),
    nextCursor: rows.length > PAGE_SIZE && last ? encodeCursor({ s: last.s, c: last.createdAt.toISOString(), id: last.id }) : null,
  };
}

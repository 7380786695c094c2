import { getDb } from "@/lib/db";
import { decodeCursor, encodeCursor, type Page } from "@/lib/http/cursor";
import { loadDelegatorFacts } from "./delegator-facts";
import { canDelegate } from "./rules";

const PERSON = { select: { id: true, name: true, employeeNo: true } } as const;

const DELEGATION_SELECT = {
  id: true,
  startsAt: true,
  endsAt: true,
  reason: true,
  revokedAt: true,
  createdAt: true,
  createdById: true,
  delegator: PERSON,
  delegate: PERSON,
  _count: { select: { stageApprovers: { where: { isOpen: true } } } },
} as const;

export type DelegationState = "upcoming" | "active" | "ended" | "revoked";

export function delegationState(d: { startsAt: Date; endsAt: Date; revokedAt: Date | null }, now = new Date()): DelegationState {
  if (d.revokedAt) return "revoked";
  if (d.endsAt <= now) return "ended";
  return d.startsAt <= now ? "active" : "upcoming";
}

// How many past delegations a person's page shows (current and upcoming ones are always shown).
const RECENT = 20;

/** A person's delegations: given (as the approver away) and received (as the delegate), newest first. */
export async function listDelegationsFor(personId: string, now = new Date()) {
  const db = getDb();
  const mine = (where: { delegatorId: string } | { delegateId: string }) =>
    Promise.all([
      db.approvalDelegation.findMany({
        where: { ...where, revokedAt: null, endsAt: { gt: now } },
        orderBy: { startsAt: "asc" },
        select: DELEGATION_SELECT,
      }),
      db.approvalDelegation.findMany({
        where: { ...where, OR: [{ revokedAt: { not: null } }, { endsAt: { lte: now } }] },
        orderBy: { endsAt: "desc" },
        take: RECENT,
        select: DELEGATION_SELECT,
      }),
    ]).then(([current, past]) =>
      [...current, ...past].map((d) => ({ ...d, openItems: d._count.stageApprovers, state: delegationState(d, now) })),
    );
  const [given, received] = await Promise.all([mine({ delegatorId: personId }), mine({ delegateId: personId })]);
  return { given, received };
}

type Cursor = { s: string; id: string };
const isCursor = (v: unknown): v is Cursor =>
  typeof v === "object" && v !== null && typeof (v as Cursor).s === "string" && typeof (v as Cursor).id === "string";

/** For administrators: every delegation in force or to come, by start, keyset-paginated. */
export async function listCurrentDelegations(opts: { cursor?: string; pageSize?: number } = {}, now = new Date()) {
  const pageSize = opts.pageSize ?? 50;
  const after = decodeCursor(opts.cursor, isCursor);
  const afterStart = after ? new Date(after.s) : null;
  const rows = await getDb().approvalDelegation.findMany({
    where: {
      revokedAt: null,
      endsAt: { gt: now },
      ...(after && afterStart && !Number.isNaN(afterStart.getTime())
        ? { OR: [{ startsAt: { gt: afterStart } }, { startsAt: afterStart, id: { gt: after.id } }] }
        : {}),
    },
    orderBy: [{ startsAt: "asc" }, { id: "asc" }],
    take: pageSize + 1,
    select: DELEGATION_SELECT,
  });
  const page = rows.slice(0, pageSize).map((d) => withState(d, now));
  const last = page[page.length - 1];
  const result: Page<(typeof page)[number]> = {
    rows: page,
    nextCursor: rows.length > pageSize && last ? encodeCursor({ s: last.startsAt.toISOString(), id: last.id }) : null,
  };
  return result;
}

function withState<T extends { startsAt: Date; endsAt: Date; revokedAt: Date | null; _count: { stageApprovers: number } }>(
  d: T,
  now: Date,
) {
  return { ...d, openItems: d._count.stageApprovers, state: delegationState(d, now) };
}

/** Whether the person approves anything, so has something to delegate (the page shows the form). */
export async function mayDelegate(personId: string): Promise<boolean> {
  return canDelegate(await loadDelegatorFacts(getDb(), personId));
}

import { Prisma, type Tx } from "@/lib/db";

// One lock for every structural change of the org tree (create, move, deactivate). Moves are rare,
// and reading the new parent's path under this lock is what makes "no cycles" hold when two moves
// race (A under B while B goes under A). The key only has to differ from the audit chain's (4040404).
const ORG_TREE_LOCK_KEY = 4_040_501;

/** Waits for, then holds until commit or rollback, the org-tree lock. Take it before reading paths. */
export async function lockOrgTree(tx: Tx): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${ORG_TREE_LOCK_KEY}::bigint)`;
}

export type LockedOrgUnit = {
  id: string;
  code: string;
  name: string;
  nameEn: string | null;
  parentId: string | null;
  path: string;
  headId: string | null;
  isActive: boolean;
};

const UNIT_COLUMNS = Prisma.sql`id::text AS "id", code, name, name_en AS "nameEn", parent_id::text AS "parentId", path,
  head_id::text AS "headId", is_active AS "isActive"`;

/**
 * Reads one unit with a row lock, so changes of the same unit queue and each audit row's "before"
 * is what was really replaced. `blockAttach` takes FOR UPDATE instead of FOR NO KEY UPDATE: it also
 * waits for, then holds off, people and systems being attached to the unit (their foreign keys take
 * KEY SHARE on this row), which deactivation needs to be sure the unit stays empty.
 */
export async function lockOrgUnit(tx: Tx, id: string, opts: { blockAttach?: boolean } = {}): Promise<LockedOrgUnit | null> {
  const rows = opts.blockAttach
    ? await tx.$queryRaw<LockedOrgUnit[]>`SELECT ${UNIT_COLUMNS} FROM org_unit WHERE id = ${id}::uuid FOR UPDATE`
    : await tx.$queryRaw<LockedOrgUnit[]>`SELECT ${UNIT_COLUMNS} FROM org_unit WHERE id = ${id}::uuid FOR NO KEY UPDATE`;
  return rows[0] ?? null;
}

import { z } from "zod";
import { getDb, Prisma } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import type { PolicyRule } from "@/lib/policy/types";
import type { PolicyFinding } from "@/lib/generated/prisma/client";
import { decodeCursor, encodeCursor, type Page } from "@/lib/http/cursor";
import { systemsScope } from "@/lib/authz/can";
import { text } from "@/lib/validation";

/** The active incompatible pairs with their two sides labelled "SYSTEM · CODE" (one query). */
export async function listSodRules() {
  const rows = await getDb().$queryRaw<
    {
      id: string;
      kind: "ROLE_PAIR" | "PERMISSION_PAIR";
      description: string;
      created_at: Date;
      left: string | null;
      right: string | null;
    }[]
  >`
    SELECT r.id::text, r.kind::text AS kind, r.description, r.created_at,
           COALESCE(ls.code || ' · ' || lr.code, lps.code || ' · ' || lp.code) AS "left",
           COALESCE(rs.code || ' · ' || rr.code, rps.code || ' · ' || rp.code) AS "right"
    FROM sod_rule r
    LEFT JOIN job_role lr ON lr.id = r.left_role_id LEFT JOIN business_system ls ON ls.id = lr.system_id
    LEFT JOIN permission lp ON lp.id = r.left_permission_id LEFT JOIN business_system lps ON lps.id = lp.system_id
    LEFT JOIN job_role rr ON rr.id = r.right_role_id LEFT JOIN business_system rs ON rs.id = rr.system_id
    LEFT JOIN permission rp ON rp.id = r.right_permission_id LEFT JOIN business_system rps ON rps.id = rp.system_id
    WHERE r.is_active
    ORDER BY r.created_at DESC, r.id
    LIMIT 500`;
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    description: r.description,
    createdAt: r.created_at,
    left: r.left ?? "?",
    right: r.right ?? "?",
  }));
}

/** The systems an actor's findings can be filtered by: theirs for account administrators, else all. */
export async function listFindingSystems(actor: Actor) {
  const scope = systemsScope(actor);
  return getDb().businessSystem.findMany({
    where: scope ? { id: { in: scope } } : {},
    orderBy: { code: "asc" },
    select: { id: true, code: true },
  });
}

/** The systems whose roles or permissions may form a pair, for the pair form's first choice. */
export async function listPairSystems() {
  return getDb().businessSystem.findMany({
    where: { isActive: true },
    orderBy: { code: "asc" },
    select: { id: true, code: true, name: true, nameEn: true },
  });
}

export const PairOptionsInput = z.object({ kind: z.enum(["ROLE_PAIR", "PERMISSION_PAIR"]), systemId: z.uuid() });

/**
 * One system's active roles (or permissions) to pick a side of a pair from: the form asks per system,
 * so every role of every system can be chosen however many there are (no truncated list of all).
 */
export async function listPairOptions(input: z.infer<typeof PairOptionsInput>, english = false): Promise<{ id: string; label: string }[]> {
  const where = { systemId: input.systemId, isActive: true };
  const select = { id: true, code: true, name: true, nameEn: true } as const;
  const rows =
    input.kind === "ROLE_PAIR"
      ? await getDb().jobRole.findMany({ where, select, orderBy: { code: "asc" } })
      : await getDb().permission.findMany({ where, select, orderBy: { code: "asc" } });
  return rows.map((r) => ({ id: r.id, label: `${r.code} · ${english && r.nameEn ? r.nameEn : r.name}` }));
}

export const POLICY_RULES = ["R1", "R2", "R4", "R6", "R10", "R16"] as const satisfies readonly PolicyRule[];

export const FindingFilter = z.object({
  system: z.uuid().optional().catch(undefined),
  rule: z.enum(POLICY_RULES).optional().catch(undefined),
  // An employee number (exact) or the start of a name.
  person: text()
    .trim()
    .max(100)
    .optional()
    .catch(undefined)
    .transform((v) => v || undefined),
  cursor: text().max(1000).optional().catch(undefined),
});
export type FindingFilter = z.infer<typeof FindingFilter>;

export const FINDINGS_PAGE_SIZE = 100;

type FindingCursor = { t: string; id: string };
const isFindingCursor = (v: unknown): v is FindingCursor =>
  typeof v === "object" &&
  v !== null &&
  typeof (v as FindingCursor).t === "string" &&
  !Number.isNaN(Date.parse((v as FindingCursor).t)) &&
  typeof (v as FindingCursor).id === "string" &&
  /^[0-9a-f-]{36}$/.test((v as FindingCursor).id);

/**
 * Current findings, newest first, in keyset pages on (detected_at, id) both descending, filtered by
 * system, rule and person, and limited to the actor's systems for account administrators. The keyset
 * is one row comparison, so each filter walks its index from the cursor on: (detected_at, id),
 * (system_id, detected_at, id) or (rule, detected_at, id). The person filter looks the people up on
 * their own indexes first (at most 500 matches) and reads only their findings (person_id index,
 * materialized), never the newest-first walk over every finding filtered by person.
 */
export async function listFindings(
  actor: Actor,
  filter: Partial<FindingFilter> = {},
): Promise<Page<FindingRow> & { lastCheckedAt: Date | null }> {
  const db = getDb();
  const scope = systemsScope(actor);
  const conds: Prisma.Sql[] = [];
  if (scope) conds.push(Prisma.sql`f.system_id = ANY(${scope}::uuid[])`);
  if (filter.system) conds.push(Prisma.sql`f.system_id = ${filter.system}::uuid`);
  if (filter.rule) conds.push(Prisma.sql`f.rule = ${filter.rule}`);
  const cursor = decodeCursor(filter.cursor, isFindingCursor);
  const keyset = cursor ? Prisma.sql`AND (f.detected_at, f.id) < (${new Date(cursor.t)}::timestamptz, ${cursor.id}::uuid)` : Prisma.empty;
  const where = conds.length ? Prisma.join(conds, " AND ") : Prisma.sql`TRUE`;
  const take = FINDINGS_PAGE_SIZE + 1;
  let found: FindingSqlRow[];
  if (filter.person) {
    const people = await db.person.findMany({
      where: { OR: [{ employeeNo: filter.person }, { name: { startsWith: filter.person } }] },
      select: { id: true },
      take: 500,
    });
    found = people.length
      ? await db.$queryRaw<FindingSqlRow[]>`
          WITH theirs AS MATERIALIZED (SELECT f.* FROM policy_finding f WHERE f.person_id = ANY(${people.map((p) => p.id)}::uuid[]) AND ${where} ${keyset})
          SELECT ${FINDING_COLUMNS} FROM theirs f ORDER BY f.detected_at DESC, f.id DESC LIMIT ${take}`
      : [];
  } else {
    found = await db.$queryRaw<FindingSqlRow[]>`
      SELECT ${FINDING_COLUMNS} FROM policy_finding f WHERE ${where} ${keyset} ORDER BY f.detected_at DESC, f.id DESC LIMIT ${take}`;
  }
  // The newest finding's time (an index probe; Prisma's aggregate wraps MAX in a subquery and scans).
  const last = await db.policyFinding.findFirst({
    where: scope ? { systemId: { in: scope } } : {},
    orderBy: { detectedAt: "desc" },
    select: { detectedAt: true },
  });
  const findings = found.slice(0, FINDINGS_PAGE_SIZE);
  const personIds = [...new Set(findings.map((f) => f.personId))];
  const systemIds = [...new Set(findings.map((f) => f.systemId))];
  const [people, systems] = await Promise.all([
    db.person.findMany({ where: { id: { in: personIds } }, select: { id: true, name: true, employeeNo: true } }),
    db.businessSystem.findMany({ where: { id: { in: systemIds } }, select: { id: true, code: true } }),
  ]);
  const person = new Map(people.map((p) => [p.id, p]));
  const system = new Map(systems.map((s) => [s.id, s]));
  const lastRow = findings.at(-1);
  return {
    rows: findings.map((f) => ({ ...f, person: person.get(f.personId), system: system.get(f.systemId) })),
    nextCursor: found.length > FINDINGS_PAGE_SIZE && lastRow ? encodeCursor({ t: lastRow.detectedAt.toISOString(), id: lastRow.id }) : null,
    lastCheckedAt: last?.detectedAt ?? null,
  };
}

const FINDING_COLUMNS = Prisma.sql`f.id::text AS "id", f.person_id::text AS "personId", f.grant_id::text AS "grantId", f.system_id::text AS "systemId",
  f.code, f.rule, f.params, f.conflicts_with_grant_id::text AS "conflictsWithGrantId", f.detected_at AS "detectedAt"`;
type FindingSqlRow = Omit<PolicyFinding, "params"> & { params: Record<string, string> };

export type FindingRow = Omit<PolicyFinding, "params"> & {
  person?: { id: string; name: string; employeeNo: string };
  system?: { id: string; code: string };
  params: Record<string, string>;
};

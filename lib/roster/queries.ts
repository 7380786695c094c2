import { z } from "zod";
import { getDb, Prisma } from "@/lib/db";
import { endOfDay, zonedDayTime } from "@/lib/time/calendar";
import type { Actor } from "@/lib/authz/actor";
import { getClassificationSettings } from "@/lib/settings/classification";
import { systemsScope } from "@/lib/authz/can";
import { decodeCursor, encodeCursor } from "@/lib/http/cursor";
import { text } from "@/lib/validation";

const SENSITIVITY = ["EXTREME", "SENSITIVE", "RELATIVE", "LOW"] as const;

export const RosterFilter = z.object({
  system: text().uuid().optional().catch(undefined),
  org: text().uuid().optional().catch(undefined),
  level: z.enum(SENSITIVITY).optional().catch(undefined),
  type: z.enum(["EMPLOYEE", "THIRD_PARTY"]).optional().catch(undefined),
  // "As of" a past day: the end of that day in the portal's time zone, or with asOfTime ("HH:mm") that
  // minute of that day there (to look behind a revocation earlier today); absent = now.
  asOf: text()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), "invalid date")
    .optional()
    .catch(undefined),
  asOfTime: text()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/)
    .optional()
    .catch(undefined),
  cursor: text().max(500).optional().catch(undefined),
});
export type RosterFilter = z.infer<typeof RosterFilter>;

export type RosterEntry = {
  personId: string;
  employeeNo: string;
  name: string;
  employmentType: "EMPLOYEE" | "THIRD_PARTY";
  vendorName: string | null;
  orgUnit: string;
  orgUnitEn: string | null;
  jobTitle: string;
  holdings: { system: string; loginName: string; role: string; permissions: { code: string; name: string; sensitivity: string }[] }[];
};

type Cursor = { n: string; id: string };
const isCursor = (v: unknown): v is Cursor =>
  typeof v === "object" && v !== null && typeof (v as Cursor).n === "string" && typeof (v as Cursor).id === "string";

export function rosterInstant(filter: RosterFilter, now = new Date()): Date {
  if (!filter.asOf) return now;
  if (!filter.asOfTime) return endOfDay(filter.asOf);
  return zonedDayTime(filter.asOf, filter.asOfTime);
}

/**
 * The sensitive-personnel roster (R3), derived from grants and the matrix, never kept by hand: every
 * person who, at instant D, held a live grant of a role whose matrix (at D) included a permission of
 * a sensitive level. History works because grants and matrix cells are end-dated, never deleted.
 * Keyset-paginated by (name, id); the detail of one page is fetched for that page's people only.
 */
export async function listRoster(actor: Actor, filter: RosterFilter, opts: { pageSize?: number; now?: Date } = {}) {
  const pageSize = opts.pageSize ?? 50;
  const at = rosterInstant(filter, opts.now);
  const db = getDb();
  const levels = filter.level ? [filter.level] : (await getClassificationSettings(db)).sensitiveLevels;
  const scope = systemsScope(actor);
  const systemIds = filter.system ? (scope && !scope.includes(filter.system) ? [] : [filter.system]) : scope;
  const orgPath = filter.org
    ? ((await db.orgUnit.findUnique({ where: { id: filter.org }, select: { path: true } }))?.path ?? "/none/")
    : null;
  const cursor = decodeCursor(filter.cursor, isCursor);

  const heldAt = Prisma.sql`
    g.starts_at <= ${at} AND (g.revoked_at IS NULL OR g.revoked_at > ${at}) AND (g.ends_at IS NULL OR g.ends_at > ${at})
    AND rp.starts_at <= ${at} AND (rp.ends_at IS NULL OR rp.ends_at > ${at})
    AND p.sensitivity = ANY(${levels as string[]}::"Sensitivity"[])
    ${systemIds ? Prisma.sql`AND sa.system_id = ANY(${systemIds}::uuid[]) AND p.system_id = ANY(${systemIds}::uuid[])` : Prisma.empty}`;
  // (p.system_id always equals sa.system_id — a role's matrix holds only its own system's permissions —
  // but saying so lets the planner start from the system's few sensitive permissions: docs/benchmarks.md.)

  const people = await db.$queryRaw<{ id: string; name: string }[]>`
    SELECT pe.id, pe.name FROM person pe
    JOIN org_unit o ON o.id = pe.org_unit_id
    WHERE EXISTS (
      SELECT 1 FROM slave_account sa
      JOIN access_grant g ON g.slave_account_id = sa.id
      JOIN role_permission rp ON rp.role_id = g.role_id
      JOIN permission p ON p.id = rp.permission_id
      WHERE sa.person_id = pe.id AND ${heldAt})
    ${orgPath ? Prisma.sql`AND o.path LIKE ${`${orgPath}%`}` : Prisma.empty}
    ${filter.type ? Prisma.sql`AND pe.employment_type = ${filter.type}::"EmploymentType"` : Prisma.empty}
    ${cursor ? Prisma.sql`AND (pe.name, pe.id) > (${cursor.n}, ${cursor.id}::uuid)` : Prisma.empty}
    ORDER BY pe.name, pe.id
    LIMIT ${pageSize + 1}`;
  const page = people.slice(0, pageSize);
  const ids = page.map((p) => p.id);
  const rows = ids.length
    ? await db.$queryRaw<
        {
          person_id: string;
          employee_no: string;
          name: string;
          employment_type: "EMPLOYEE" | "THIRD_PARTY";
          vendor_name: string | null;
          org_name: string;
          org_name_en: string | null;
          job_title: string;
          system_code: string;
          login_name: string;
          role_code: string;
          permission_code: string;
          permission_name: string;
          sensitivity: string;
        }[]
      >`
        SELECT pe.id AS person_id, pe.employee_no, pe.name, pe.employment_type::text AS employment_type, pe.vendor_name,
               o.name AS org_name, o.name_en AS org_name_en, pe.job_title, s.code AS system_code, sa.login_name,
               r.code AS role_code, p.code AS permission_code, p.name AS permission_name, p.sensitivity::text AS sensitivity
        FROM person pe
        JOIN org_unit o ON o.id = pe.org_unit_id
        JOIN slave_account sa ON sa.person_id = pe.id
        JOIN business_system s ON s.id = sa.system_id
        JOIN access_grant g ON g.slave_account_id = sa.id
        JOIN job_role r ON r.id = g.role_id
        JOIN role_permission rp ON rp.role_id = g.role_id
        JOIN permission p ON p.id = rp.permission_id
        WHERE pe.id = ANY(${ids}::uuid[]) AND ${heldAt}
        ORDER BY pe.name, pe.id, s.code, r.code, p.code`
    : [];
  const entries = new Map<string, RosterEntry>();
  for (const r of rows) {
    let entry = entries.get(r.person_id);
    if (!entry) {
      entry = {
        personId: r.person_id,
        employeeNo: r.employee_no,
        name: r.name,
        employmentType: r.employment_type,
        vendorName: r.vendor_name,
        orgUnit: r.org_name,
        orgUnitEn: r.org_name_en,
        jobTitle: r.job_title,
        holdings: [],
      };
      entries.set(r.person_id, entry);
    }
    let holding = entry.holdings.find((h) => h.system === r.system_code && h.role === r.role_code);
    if (!holding) {
      holding = { system: r.system_code, loginName: r.login_name, role: r.role_code, permissions: [] };
      entry.holdings.push(holding);
    }
    holding.permissions.push({ code: r.permission_code, name: r.permission_name, sensitivity: r.sensitivity });
  }
  const last = page[page.length - 1];
  return {
    at,
    rows: ids.map((id) => entries.get(id)!).filter(Boolean),
    nextCursor: people.length > pageSize && last ? encodeCursor({ n: last.name, id: last.id }) : null,
  };
}

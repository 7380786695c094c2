/**
 * Locally patched copies of lib/ queries, so the benchmark can measure a proposed change side by side
 * with the current code without editing lib/. Each differs from the original only where marked
 * "PROPOSED"; docs/benchmarks.md gives the exact before/after. Copied from lib/ on 2026-11-22: once
 * the proposals are applied (or rejected), delete this file and the --proposed flag.
 */
import { csvCell } from "@/lib/audit/export-csv";
import { getDb, Prisma } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { decodeCursor, encodeCursor, type Page } from "@/lib/http/cursor";
import { maskEmail, maskPhone } from "@/lib/people/masking";
import { peopleScope, type PeopleFilter, type PersonRow } from "@/lib/people/queries";
import { rosterInstant, type RosterEntry, type RosterFilter } from "@/lib/roster/queries";
import { getClassificationSettings } from "@/lib/settings/classification";
import { systemsScope } from "@/lib/systems/queries";

// ---------------------------------------------------------------------------------------------------
// lib/people/queries.ts listPeople
// ---------------------------------------------------------------------------------------------------

const PAGE_SIZE = 50;
type PersonCursor = { v: string; id: string };
const isPersonCursor = (v: unknown): v is PersonCursor =>
  typeof v === "object" && v !== null && typeof (v as PersonCursor).v === "string" && typeof (v as PersonCursor).id === "string" && /^[0-9a-f-]{36}$/.test((v as PersonCursor).id);

export async function listPeopleProposed(actor: Actor, filter: PeopleFilter): Promise<Page<PersonRow>> {
  const scope = peopleScope(actor);
  const where: Prisma.PersonWhereInput[] = [];
  if (scope) where.push({ OR: scope.map((p) => ({ orgUnit: { path: { startsWith: p } } })) });
  if (filter.status) where.push({ status: filter.status });
  if (filter.type) where.push({ employmentType: filter.type });
  if (filter.vendor) where.push({ vendorId: filter.vendor });
  if (filter.org) {
    const org = await getDb().orgUnit.findUnique({ where: { id: filter.org }, select: { path: true } });
    where.push({ orgUnit: { path: { startsWith: org?.path ?? "/none/" } } });
  }
  if (filter.q) where.push({ OR: [{ employeeNo: { startsWith: filter.q } }, { name: { startsWith: filter.q } }] });
  const sortKey = filter.sort;
  const cursor = decodeCursor(filter.cursor, isPersonCursor);
  // PROPOSED: the redundant `>=` bound makes the keyset an index range (without it PostgreSQL reads the
  // index from the start and filters out every earlier row: page N costs O(N)).
  if (cursor) where.push({ [sortKey]: { gte: cursor.v } }, { OR: [{ [sortKey]: { gt: cursor.v } }, { [sortKey]: cursor.v, id: { gt: cursor.id } }] });

  const rows = await getDb().person.findMany({
    where: { AND: where },
    orderBy: [{ [sortKey]: "asc" }, { id: "asc" }],
    take: PAGE_SIZE + 1,
    select: {
      id: true, employeeNo: true, name: true, jobTitle: true, employmentType: true, vendorName: true, status: true,
      phone: true, email: true, contractEndsOn: true,
      vendor: { select: { name: true } },
      orgUnit: { select: { name: true, nameEn: true } },
      account: { select: { status: true } },
    },
  });
  const page = rows.slice(0, PAGE_SIZE);
  const last = page[page.length - 1];
  return {
    rows: page.map((p) => ({
      id: p.id, employeeNo: p.employeeNo, name: p.name, jobTitle: p.jobTitle, employmentType: p.employmentType, vendorName: p.vendor?.name ?? p.vendorName,
      contractEndsOn: p.contractEndsOn, status: p.status, orgUnitName: p.orgUnit.name, orgUnitNameEn: p.orgUnit.nameEn, accountStatus: p.account?.status ?? null,
      phoneMasked: maskPhone(p.phone), emailMasked: maskEmail(p.email),
    })),
    nextCursor: rows.length > PAGE_SIZE && last ? encodeCursor({ v: last[sortKey], id: last.id }) : null,
  };
}

// ---------------------------------------------------------------------------------------------------
// lib/roster/queries.ts listRoster
// ---------------------------------------------------------------------------------------------------

type Cursor = { n: string; id: string };
const isCursor = (v: unknown): v is Cursor => typeof v === "object" && v !== null && typeof (v as Cursor).n === "string" && typeof (v as Cursor).id === "string";

export async function listRosterProposed(actor: Actor, filter: RosterFilter, opts: { pageSize?: number; now?: Date } = {}) {
  const pageSize = opts.pageSize ?? 50;
  const at = rosterInstant(filter, opts.now);
  const db = getDb();
  const levels = filter.level ? [filter.level] : (await getClassificationSettings(db)).sensitiveLevels;
  const scope = systemsScope(actor);
  const systemIds = filter.system ? (scope && !scope.includes(filter.system) ? [] : [filter.system]) : scope;
  const orgPath = filter.org ? (await db.orgUnit.findUnique({ where: { id: filter.org }, select: { path: true } }))?.path ?? "/none/" : null;
  const cursor = decodeCursor(filter.cursor, isCursor);

  // PROPOSED: (1) compare the enums as enums (`::text` hides the column statistics from the planner:
  // it guessed 60 sensitive permissions instead of 1,500 and 148 third parties instead of 2,466);
  // (2) with a system filter, also restrict the permission to those systems. A role's matrix only
  // holds permissions of the role's own system and a grant only puts a role on an account of that
  // system (change-role-matrix.ts, grant-role.ts), so the result is the same, but the planner can now
  // start from the system's few sensitive permissions instead of all 1,500 of every system.
  const heldAt = Prisma.sql`
    g.starts_at <= ${at} AND (g.revoked_at IS NULL OR g.revoked_at > ${at}) AND (g.ends_at IS NULL OR g.ends_at > ${at})
    AND rp.starts_at <= ${at} AND (rp.ends_at IS NULL OR rp.ends_at > ${at})
    AND p.sensitivity = ANY(${levels as string[]}::"Sensitivity"[])
    ${systemIds ? Prisma.sql`AND sa.system_id = ANY(${systemIds}::uuid[]) AND p.system_id = ANY(${systemIds}::uuid[])` : Prisma.empty}`;

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
    ? await db.$queryRaw<{
        person_id: string; employee_no: string; name: string; employment_type: "EMPLOYEE" | "THIRD_PARTY"; vendor_name: string | null;
        org_name: string; org_name_en: string | null; job_title: string; system_code: string; login_name: string; role_code: string;
        permission_code: string; permission_name: string; sensitivity: string;
      }[]>`
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
      entry = { personId: r.person_id, employeeNo: r.employee_no, name: r.name, employmentType: r.employment_type, vendorName: r.vendor_name, orgUnit: r.org_name, orgUnitEn: r.org_name_en, jobTitle: r.job_title, holdings: [] };
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

// ---------------------------------------------------------------------------------------------------
// lib/roster/export-csv.ts rosterCsvStream
// ---------------------------------------------------------------------------------------------------

const HEADER = ["employee_no", "name", "employment_type", "vendor", "department", "job_title", "system", "login_name", "role", "permission", "permission_name", "sensitivity", "as_of_utc"];

export function rosterCsvStreamProposed(actor: Actor, filter: RosterFilter): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  // PROPOSED: one instant for the whole file. Each page otherwise computes its own "now", so a
  // two-minute export mixes the roster of two minutes (and its as_of_utc column changes mid-file).
  const now = new Date();
  let cursor: string | undefined;
  let started = false;
  let done = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(`\uFEFF${HEADER.join(",")}\r\n`));
        return;
      }
      if (done) {
        controller.close();
        return;
      }
      const page = await listRosterProposed(actor, { ...filter, cursor }, { pageSize: 500, now });
      const at = page.at.toISOString();
      const lines: string[] = [];
      for (const e of page.rows)
        for (const h of e.holdings)
          for (const p of h.permissions)
            lines.push([e.employeeNo, e.name, e.employmentType, e.vendorName, e.orgUnit, e.jobTitle, h.system, h.loginName, h.role, p.code, p.name, p.sensitivity, at].map(csvCell).join(","));
      if (lines.length) controller.enqueue(encoder.encode(`${lines.join("\r\n")}\r\n`));
      cursor = page.nextCursor ?? undefined;
      if (!page.nextCursor) done = true;
    },
  });
}

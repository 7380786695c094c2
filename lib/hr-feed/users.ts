import SCIMMY from "scimmy";
import { getDb, type Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { Prisma } from "@/lib/generated/prisma/client";
import { createPerson } from "@/lib/people/create-person";
import { isoDay } from "@/lib/time/calendar-input";
import { updatePerson } from "@/lib/people/update-person";
import { offboardPerson } from "@/lib/offboarding/offboard-person";
import { applyPatch, ENTERPRISE, parseScimUser, ScimError, toScimUser, type PersonFacts, type ScimUserInput } from "./scim-user";

// The HR feed's User operations (issue 11 §1, R11): each runs the same use case as the HR screens and the
// staff import — a joiner is createPerson, a change is updatePerson (a mover loses sensitive grants at once),
// a deactivation or DELETE is an offboarding now — in the caller's transaction, so a refusal writes nothing.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const REASON = "HR feed (SCIM)";

type FactsRow = {
  id: string;
  employee_no: string;
  name: string;
  job_title: string;
  status: PersonFacts["status"];
  employment_type: PersonFacts["employmentType"];
  org_code: string | null;
  org_name: string;
  vendor_name: string | null;
  sponsor_no: string | null;
  contract_ends_on: Date | null;
  head_id: string | null;
  head_name: string | null;
  created_at: Date;
  updated_at: Date;
};

const FACTS = Prisma.sql`
  SELECT p.id::text, p.employee_no, p.name, p.job_title, p.status::text AS status, p.employment_type::text AS employment_type,
         u.code AS org_code, u.name AS org_name, v.name AS vendor_name, sp.employee_no AS sponsor_no, p.contract_ends_on,
         h.id::text AS head_id, h.name AS head_name, p.created_at, p.updated_at
  FROM person p
  JOIN org_unit u ON u.id = p.org_unit_id
  LEFT JOIN vendor v ON v.id = p.vendor_id
  LEFT JOIN person sp ON sp.id = p.sponsor_id
  LEFT JOIN person h ON h.id = u.head_id AND h.id <> p.id`;

function facts(r: FactsRow): PersonFacts {
  return {
    id: r.id,
    employeeNo: r.employee_no,
    name: r.name,
    jobTitle: r.job_title,
    status: r.status,
    employmentType: r.employment_type,
    orgUnitCode: r.org_code,
    orgUnitName: r.org_name,
    vendorName: r.vendor_name,
    sponsorEmployeeNo: r.sponsor_no,
    contractEndsOn: r.contract_ends_on,
    head: r.head_id ? { id: r.head_id, name: r.head_name ?? "" } : null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

async function loadFacts(db: Tx | ReturnType<typeof getDb>, id: string): Promise<PersonFacts | null> {
  if (!UUID.test(id)) return null;
  const [row] = await db.$queryRaw<FactsRow[]>`${FACTS} WHERE p.id = ${id}::uuid`;
  return row ? facts(row) : null;
}

export async function getUser(id: string, base: string, db: Tx | ReturnType<typeof getDb> = getDb()) {
  const p = await loadFacts(db, id);
  if (!p) throw new ScimError(404, null, `User ${id.slice(0, 64)} not found.`);
  return toScimUser(p, base);
}

/** Resolves the names the feed uses (org unit code, vendor name, manager) to the portal's ids. */
async function resolve(tx: Tx, input: ScimUserInput) {
  let orgUnitId: string | null = null;
  if (input.department) {
    const org = await tx.orgUnit.findFirst({ where: { code: input.department }, select: { id: true, isActive: true } });
    if (!org || !org.isActive) throw new ScimError(400, "invalidValue", `Unknown department ${input.department}.`);
    orgUnitId = org.id;
  }
  let vendorId: string | null = null;
  if (input.vendor) {
    const vendor = await tx.vendor.findFirst({ where: { name: input.vendor }, select: { id: true } });
    if (!vendor) throw new ScimError(400, "invalidValue", `Unknown vendor ${input.vendor}.`);
    vendorId = vendor.id;
  }
  if (input.manager) {
    const manager = await tx.person.findFirst({
      where: UUID.test(input.manager) ? { id: input.manager } : { employeeNo: input.manager },
      select: { status: true },
    });
    if (!manager || manager.status === "LEFT") throw new ScimError(400, "invalidValue", `Unknown manager ${input.manager}.`);
  }
  return { orgUnitId, vendorId };
}

/** POST /Users: a joiner. */
export async function createUser(tx: Tx, actor: Actor, body: unknown, base: string, now: Date) {
  const input = parseScimUser(body);
  if (!input.active) throw new ScimError(400, "invalidValue", "A joiner must be active.");
  if (!input.department) throw new ScimError(400, "invalidValue", `${ENTERPRISE}:department (an org unit code) is required.`);
  if (!input.name) throw new ScimError(400, "invalidValue", "displayName is required.");
  if (!input.title) throw new ScimError(400, "invalidValue", "title (the job title) is required.");
  const exists = await tx.person.findUnique({ where: { employeeNo: input.userName }, select: { id: true } });
  if (exists) throw new ScimError(409, "uniqueness", `A person with employee number ${input.userName} exists.`);
  const { orgUnitId, vendorId } = await resolve(tx, input);
  const { person } = await createPerson(
    tx,
    actor,
    {
      employeeNo: input.userName,
      name: input.name,
      orgUnitId: orgUnitId!,
      jobTitle: input.title,
      employmentType: input.employmentType ?? "EMPLOYEE",
      vendorId: vendorId ?? "",
      sponsorEmployeeNo: input.sponsor ?? "",
      contractEndsOn: input.contractEndsOn ?? "",
      phone: input.phone ?? "",
      email: input.email ?? "",
    },
    { now },
  );
  return getUser(person.id, base, tx);
}

/**
 * PUT /Users/{id} (and PATCH after applying it): the record as HR now has it. A change of department,
 * job title or categories is a mover (sensitive grants end at once); `active: false` offboards now. The
 * employment type is fixed; a leaver cannot come back (a returning person is a new joiner).
 */
export async function replaceUser(tx: Tx, actor: Actor, id: string, body: unknown, base: string, now: Date) {
  const current = await loadFacts(tx, id);
  if (!current) throw new ScimError(404, null, `User ${id.slice(0, 64)} not found.`);
  const input = parseScimUser(body);
  if (input.userName !== current.employeeNo) throw new ScimError(400, "mutability", "userName (the employee number) cannot change.");
  if (input.employmentType && input.employmentType !== current.employmentType)
    throw new ScimError(400, "mutability", "The employment type cannot change: offboard and register the person again.");
  if (current.status === "LEFT")
    throw new ScimError(
      409,
      null,
      input.active ? "The person has left; a returning person is a new joiner." : "The person has already left.",
    );
  const { orgUnitId, vendorId } = await resolve(tx, input);
  const changed =
    (input.name && input.name !== current.name) ||
    (input.title && input.title !== current.jobTitle) ||
    (input.department && input.department !== current.orgUnitCode) ||
    !!input.email ||
    !!input.phone ||
    (input.vendor && input.vendor !== current.vendorName) ||
    (input.sponsor && input.sponsor !== current.sponsorEmployeeNo) ||
    (input.contractEndsOn && input.contractEndsOn !== isoDay(current.contractEndsOn));
  if (changed) {
    const person = await tx.person.findUniqueOrThrow({ where: { id }, select: { orgUnitId: true, jobCategories: true } });
    await updatePerson(
      tx,
      actor,
      {
        personId: id,
        name: input.name ?? current.name,
        orgUnitId: orgUnitId ?? person.orgUnitId,
        jobTitle: input.title ?? current.jobTitle,
        jobCategories: person.jobCategories,
        phone: input.phone ?? "",
        email: input.email ?? "",
        ...(vendorId ? { vendorId } : {}),
        ...(current.employmentType === "THIRD_PARTY"
          ? {
              sponsorEmployeeNo: input.sponsor ?? current.sponsorEmployeeNo ?? "",
              contractEndsOn: input.contractEndsOn ?? isoDay(current.contractEndsOn) ?? "",
            }
          : {}),
        reason: REASON,
      },
      now,
    );
  }
  if (!input.active) await offboardPerson(tx, actor, { personId: id, reason: `${REASON}: deactivated` }, now);
  return getUser(id, base, tx);
}

export async function patchUser(tx: Tx, actor: Actor, id: string, body: unknown, base: string, now: Date) {
  const current = await loadFacts(tx, id);
  if (!current) throw new ScimError(404, null, `User ${id.slice(0, 64)} not found.`);
  const patched = await applyPatch(toScimUser(current, base), body);
  return replaceUser(tx, actor, id, patched, base, now);
}

/** DELETE /Users/{id}: the person leaves now (the record stays, as history and as the receipt's subject). */
export async function deleteUser(tx: Tx, actor: Actor, id: string, now: Date) {
  const current = await loadFacts(tx, id);
  if (!current) throw new ScimError(404, null, `User ${id.slice(0, 64)} not found.`);
  if (current.status === "LEFT") throw new ScimError(409, null, "The person has already left.");
  await offboardPerson(tx, actor, { personId: id, reason: `${REASON}: deleted` }, now);
}

// Filters the feed answers with an index (RFC 7644 §3.4.2.2): equality on the employee number and
// friends, `active`, and displayName eq/sw/co, joined by `and`.
const FILTERABLE: Record<string, { column: Prisma.Sql; ops: string[]; kind: "text" | "bool" }> = {
  username: { column: Prisma.sql`p.employee_no`, ops: ["eq"], kind: "text" },
  externalid: { column: Prisma.sql`p.employee_no`, ops: ["eq"], kind: "text" },
  id: { column: Prisma.sql`p.id::text`, ops: ["eq"], kind: "text" },
  [`${ENTERPRISE}:employeenumber`.toLowerCase()]: { column: Prisma.sql`p.employee_no`, ops: ["eq"], kind: "text" },
  displayname: { column: Prisma.sql`p.name`, ops: ["eq", "sw", "co"], kind: "text" },
  active: { column: Prisma.sql`(p.status <> 'LEFT')`, ops: ["eq"], kind: "bool" },
};

function whereOf(filter: string | null): Prisma.Sql {
  if (!filter) return Prisma.sql`TRUE`;
  let groups: Record<string, unknown>[];
  try {
    groups = JSON.parse(JSON.stringify(new SCIMMY.Types.Filter(filter.slice(0, 500)))) as Record<string, unknown>[];
  } catch (error) {
    throw new ScimError(400, "invalidFilter", error instanceof Error ? error.message.slice(0, 200) : "Invalid filter.");
  }
  if (groups.length !== 1) throw new ScimError(400, "invalidFilter", "Only filters joined by 'and' are supported.");
  const parts: Prisma.Sql[] = [];
  for (const [attr, expr] of Object.entries(groups[0]!)) {
    const spec = FILTERABLE[attr.toLowerCase()];
    if (!spec || !Array.isArray(expr) || expr.length !== 2)
      throw new ScimError(400, "invalidFilter", `Filtering on ${attr.slice(0, 100)} is not supported.`);
    const [op, value] = expr as [string, unknown];
    if (!spec.ops.includes(op)) throw new ScimError(400, "invalidFilter", `Operator ${op} is not supported on ${attr}.`);
    if (spec.kind === "bool") {
      if (typeof value !== "boolean") throw new ScimError(400, "invalidFilter", `${attr} takes true or false.`);
      parts.push(Prisma.sql`${spec.column} = ${value}`);
    } else {
      if (typeof value !== "string" || value.length > 200) throw new ScimError(400, "invalidFilter", `${attr} takes a string.`);
      const like = value.replace(/[\\%_]/g, (c) => `\\${c}`);
      parts.push(
        op === "eq"
          ? Prisma.sql`${spec.column} = ${value}`
          : op === "sw"
            ? Prisma.sql`${spec.column} LIKE ${`${like}%`}`
            : Prisma.sql`${spec.column} LIKE ${`%${like}%`}`,
      );
    }
  }
  return Prisma.join(parts, " AND ");
}

export const MAX_PAGE = 200;

/** GET /Users: a page in employee-number order (startIndex is 1-based, RFC 7644 §3.4.2.4). */
export async function listUsers(query: URLSearchParams, base: string) {
  const filter = query.get("filter");
  const startIndex = Math.max(1, Math.min(Number.parseInt(query.get("startIndex") ?? "1", 10) || 1, 10_000_000));
  const count = Math.max(0, Math.min(Number.parseInt(query.get("count") ?? "100", 10) || 0, MAX_PAGE));
  const where = whereOf(filter);
  const db = getDb();
  const [total] = await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM person p WHERE ${where}`;
  const rows = count
    ? await db.$queryRaw<FactsRow[]>`${FACTS} WHERE ${where} ORDER BY p.employee_no LIMIT ${count} OFFSET ${startIndex - 1}`
    : [];
  return {
    schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
    totalResults: total?.n ?? 0,
    startIndex,
    itemsPerPage: rows.length,
    Resources: rows.map((r) => toScimUser(facts(r), base)),
  };
}

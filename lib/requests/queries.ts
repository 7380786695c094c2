import { z } from "zod";
import { getDb, inTransaction, Prisma } from "@/lib/db";
import type { Actor, PersonActor } from "@/lib/authz/actor";
import { can } from "@/lib/authz/can";
import { isSensitive } from "@/lib/policy/engine";
import type { Sensitivity } from "@/lib/generated/prisma/enums";
import { getClassificationSettings } from "@/lib/settings/classification";
import { decodeCursor, encodeCursor, type Page } from "@/lib/http/cursor";
import { assessRequest, mayRequestFor } from "./assess-request";
import { chainFor, DEFAULT_CHAIN_DEFINITION, parseChainDefinition } from "./chain";
import { SubmitRequestInput } from "./schemas";
import { formatRequestNumber } from "./workflow";
import { getRequestSettings } from "@/lib/policy/request-settings";
import { parseMatrixChange } from "./submit-matrix-change";
import { text } from "@/lib/validation";

const PAGE_SIZE = 50;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type TimeCursor = { t: string; id: string };
const isTimeCursor = (v: unknown): v is TimeCursor =>
  typeof v === "object" &&
  v !== null &&
  typeof (v as TimeCursor).t === "string" &&
  !Number.isNaN(Date.parse((v as TimeCursor).t)) &&
  UUID.test(String((v as TimeCursor).id));

// --- The approvals inbox ----------------------------------------------------------------------------

export const InboxFilter = z.object({
  system: text().uuid().optional().catch(undefined),
  // "1" = only sensitive or administrative, "0" = only the others (bulk-approvable).
  sensitive: z.enum(["0", "1"]).optional().catch(undefined),
  kind: z.enum(["GRANT", "ELEVATION", "MATRIX_CHANGE"]).optional().catch(undefined),
  // Requester or subject: employee number or name prefix, or a request number (REQ-000123 / 123).
  q: text().trim().max(100).optional().catch(undefined),
  cursor: text().max(1000).optional().catch(undefined),
});
export type InboxFilter = z.infer<typeof InboxFilter>;

export type InboxRow = {
  requestId: string;
  stageId: string;
  number: string;
  kind: "GRANT" | "ELEVATION" | "MATRIX_CHANGE";
  createdAt: Date;
  expiresAt: Date;
  endsAt: Date | null;
  isSensitive: boolean;
  isAdministrative: boolean;
  stageKind: string;
  stagePosition: number;
  source: string;
  onBehalfOfName: string | null;
  requester: { name: string; employeeNo: string };
  subject: { name: string; employeeNo: string; employmentType: string };
  system: { id: string; name: string };
  role: { name: string } | null;
  justification: string;
};

/**
 * The actor's open approval items, oldest first: one range scan of the stage_approver index
 * (approver_id, is_open, request_created_at, request_id) with a keyset, joined to one page of requests.
 */
export async function listApprovalInbox(actor: PersonActor, raw: Partial<Record<keyof InboxFilter, unknown>>): Promise<Page<InboxRow>> {
  const f = InboxFilter.parse(raw);
  const rows = await getDb().$queryRaw<InboxSqlRow[]>(approvalInboxSql(actor.personId, f));
  const page = rows.slice(0, PAGE_SIZE);
  const last = page[page.length - 1];
  return {
    rows: page.map((r) => ({
      requestId: r.request_id,
      stageId: r.stage_id,
      number: formatRequestNumber(r.number),
      kind: r.kind,
      createdAt: r.request_created_at,
      expiresAt: r.expires_at,
      endsAt: r.ends_at,
      isSensitive: r.is_sensitive,
      isAdministrative: r.is_administrative,
      stageKind: r.stage_kind,
      stagePosition: r.stage_position,
      source: r.source,
      onBehalfOfName: r.on_behalf_of_name,
      justification: r.justification,
      requester: { name: r.requester_name, employeeNo: r.requester_no },
      subject: { name: r.subject_name, employeeNo: r.subject_no, employmentType: r.subject_type },
      system: { id: r.system_id, name: r.system_name },
      role: r.role_name ? { name: r.role_name } : null,
    })),
    nextCursor: rows.length > PAGE_SIZE && last ? encodeCursor({ t: last.request_created_at.toISOString(), id: last.request_id }) : null,
  };
}

type InboxSqlRow = {
  request_id: string;
  stage_id: string;
  request_created_at: Date;
  source: string;
  on_behalf_of_name: string | null;
  number: number;
  kind: InboxRow["kind"];
  expires_at: Date;
  ends_at: Date | null;
  is_sensitive: boolean;
  is_administrative: boolean;
  justification: string;
  stage_kind: string;
  stage_position: number;
  requester_name: string;
  requester_no: string;
  subject_name: string;
  subject_no: string;
  subject_type: string;
  system_id: string;
  system_name: string;
  role_name: string | null;
};

/**
 * The inbox query (exported for the benchmark's EXPLAIN). One page of the actor's open rows is picked
 * first — an index range scan of (approver_id, is_open, request_created_at, request_id), keyset after
 * the cursor — and only those 51 rows are joined to their request, stage and people (few relations, so
 * planning stays cheap). A search finds the matching people first (employee-number or name prefix, on
 * their indexes) and then only their pending requests.
 */
export function approvalInboxSql(personId: string, f: InboxFilter): Prisma.Sql {
  const cursor = decodeCursor(f.cursor, isTimeCursor);
  const where: Prisma.Sql[] = [Prisma.sql`sa.approver_id = ${personId}::uuid`, Prisma.sql`sa.is_open`];
  if (cursor) where.push(Prisma.sql`(sa.request_created_at, sa.request_id) > (${new Date(cursor.t)}, ${cursor.id}::uuid)`);
  const onRequest: Prisma.Sql[] = [];
  if (f.system) onRequest.push(Prisma.sql`r.system_id = ${f.system}::uuid`);
  if (f.kind) onRequest.push(Prisma.sql`r.kind = ${f.kind}::"RequestKind"`);
  if (f.sensitive === "1") onRequest.push(Prisma.sql`(r.is_sensitive OR r.is_administrative)`);
  if (f.sensitive === "0") onRequest.push(Prisma.sql`NOT (r.is_sensitive OR r.is_administrative)`);
  if (f.q) {
    const number = /^(REQ-)?0*(\d{1,9})$/i.exec(f.q);
    if (number) {
      onRequest.push(Prisma.sql`r.number = ${Number(number[2])}`);
    } else {
      const escape = (v: string) => v.replace(/[\\%_]/g, (c) => `\\${c}`);
      const name = `${escape(f.q)}%`;
      const employeeNo = `${escape(f.q.toUpperCase())}%`;
      // As typed, and upper-cased (employee numbers are usually upper case): both are index ranges.
      const matches = Prisma.sql`(m.employee_no LIKE ${name} OR m.employee_no LIKE ${employeeNo} OR m.name LIKE ${name})`;
      where.push(Prisma.sql`sa.request_id IN (
        SELECT r2.id FROM person m JOIN access_request r2 ON r2.subject_id = m.id WHERE ${matches} AND r2.status = 'PENDING'
        UNION
        SELECT r2.id FROM person m JOIN access_request r2 ON r2.requester_id = m.id WHERE ${matches} AND r2.status = 'PENDING')`);
    }
  }
  const filtered = onRequest.length
    ? Prisma.sql`FROM stage_approver sa JOIN access_request r ON r.id = sa.request_id WHERE ${Prisma.join([...where, ...onRequest], " AND ")}`
    : Prisma.sql`FROM stage_approver sa WHERE ${Prisma.join(where, " AND ")}`;
  return Prisma.sql`
    WITH page AS MATERIALIZED (
      SELECT sa.request_id, sa.stage_id, sa.request_created_at, sa.source, sa.on_behalf_of_id
      ${filtered}
      ORDER BY sa.request_created_at, sa.request_id
      LIMIT ${PAGE_SIZE + 1}
    )
    SELECT p.request_id::text, p.stage_id::text, p.request_created_at, p.source::text,
      (SELECT name FROM person WHERE id = p.on_behalf_of_id) AS on_behalf_of_name,
      r.number, r.kind::text, r.expires_at, r.ends_at, r.is_sensitive, r.is_administrative, r.justification,
      st.kind::text AS stage_kind, st.position AS stage_position,
      rq.name AS requester_name, rq.employee_no AS requester_no, sb.name AS subject_name, sb.employee_no AS subject_no, sb.employment_type::text AS subject_type,
      r.system_id::text AS system_id, (SELECT name FROM business_system WHERE id = r.system_id) AS system_name,
      (SELECT name FROM job_role WHERE id = r.role_id) AS role_name
    FROM page p
    JOIN access_request r ON r.id = p.request_id
    JOIN request_stage st ON st.id = p.stage_id
    JOIN person rq ON rq.id = r.requester_id
    JOIN person sb ON sb.id = r.subject_id
    ORDER BY p.request_created_at, p.request_id`;
}

/** How many items wait for the actor's decision (the navigation badge): an index-only count. */
export async function countOpenApprovals(personId: string): Promise<number> {
  const [row] = await getDb().$queryRaw<
    { n: number }[]
  >`SELECT count(*)::int AS n FROM stage_approver WHERE approver_id = ${personId}::uuid AND is_open`;
  return row?.n ?? 0;
}

/** The systems the actor has open items on (the inbox's system filter). */
export async function inboxSystems(personId: string) {
  return getDb().$queryRaw<{ id: string; name: string }[]>`
    SELECT DISTINCT sy.id::text, sy.name FROM stage_approver sa
    JOIN access_request r ON r.id = sa.request_id JOIN business_system sy ON sy.id = r.system_id
    WHERE sa.approver_id = ${personId}::uuid AND sa.is_open ORDER BY sy.name LIMIT 200`;
}

// --- My requests ------------------------------------------------------------------------------------

export const REQUEST_STATUSES = ["PENDING", "APPROVED", "REJECTED", "CANCELLED", "EXPIRED"] as const;
export const MyRequestsFilter = z.object({
  status: z.enum(REQUEST_STATUSES).optional().catch(undefined),
  cursor: text().max(1000).optional().catch(undefined),
});

/** Requests the actor made or that are for them, newest first. */
export async function listMyRequests(actor: PersonActor, raw: Partial<Record<"status" | "cursor", unknown>>) {
  const f = MyRequestsFilter.parse(raw);
  const cursor = decodeCursor(f.cursor, isTimeCursor);
  const where: Prisma.AccessRequestWhereInput[] = [{ OR: [{ requesterId: actor.personId }, { subjectId: actor.personId }] }];
  if (f.status) where.push({ status: f.status });
  if (cursor) {
    const t = new Date(cursor.t);
    where.push({ createdAt: { lte: t } }, { OR: [{ createdAt: { lt: t } }, { createdAt: t, id: { lt: cursor.id } }] });
  }
  const rows = await getDb().accessRequest.findMany({
    where: { AND: where },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: PAGE_SIZE + 1,
    select: {
      id: true,
      number: true,
      kind: true,
      status: true,
      createdAt: true,
      decidedAt: true,
      endsAt: true,
      isSensitive: true,
      isAdministrative: true,
      currentStage: true,
      requester: { select: { id: true, name: true, employeeNo: true } },
      subject: { select: { id: true, name: true, employeeNo: true } },
      system: { select: { id: true, name: true } },
      role: { select: { name: true } },
      stages: { where: { status: "ACTIVE" }, select: { kind: true } },
    },
  });
  const page = rows.slice(0, PAGE_SIZE);
  const last = page[page.length - 1];
  return {
    rows: page.map((r) => ({ ...r, label: formatRequestNumber(r.number), activeStage: r.stages[0]?.kind ?? null })),
    nextCursor: rows.length > PAGE_SIZE && last ? encodeCursor({ t: last.createdAt.toISOString(), id: last.id }) : null,
  };
}

// --- Request detail ---------------------------------------------------------------------------------

/**
 * One request with its timeline: every stage, its approvers (resolved, routed up past self-approval,
 * delegated or escalated, and for whom), every decision with who, when and the comment. Visible to the
 * requester, the subject, anyone who is or was an approver of it, security officers and the system's
 * account administrators. null = no such request; "forbidden" = exists, not for this actor.
 */
export async function getRequestDetail(actor: PersonActor, id: string) {
  if (!UUID.test(id)) return null;
  const r = await getDb().accessRequest.findUnique({
    where: { id },
    select: {
      id: true,
      number: true,
      kind: true,
      status: true,
      justification: true,
      startsAt: true,
      endsAt: true,
      createdAt: true,
      decidedAt: true,
      expiresAt: true,
      isSensitive: true,
      isAdministrative: true,
      closingNote: true,
      currentStage: true,
      grantId: true,
      renewsGrantId: true,
      matrixChange: true,
      requester: { select: { id: true, name: true, employeeNo: true } },
      subject: {
        select: {
          id: true,
          name: true,
          employeeNo: true,
          employmentType: true,
          contractEndsOn: true,
          orgUnit: { select: { name: true, nameEn: true } },
        },
      },
      system: { select: { id: true, code: true, name: true, nameEn: true } },
      role: { select: { id: true, code: true, name: true, nameEn: true, description: true } },
      grant: { select: { id: true, startsAt: true, endsAt: true, revokedAt: true } },
      renewsGrant: { select: { id: true, endsAt: true } },
      stages: {
        orderBy: { position: "asc" },
        select: {
          id: true,
          position: true,
          kind: true,
          rule: true,
          requiredCount: true,
          status: true,
          activatedAt: true,
          decidedAt: true,
          escalatedAt: true,
          approvers: {
            orderBy: { createdAt: "asc" },
            select: {
              approverId: true,
              source: true,
              isOpen: true,
              createdAt: true,
              onBehalfOfId: true,
              approver: { select: { name: true, employeeNo: true } },
            },
          },
          decisions: {
            orderBy: { createdAt: "asc" },
            select: {
              id: true,
              outcome: true,
              comment: true,
              createdAt: true,
              onBehalfOfId: true,
              approver: { select: { id: true, name: true, employeeNo: true } },
            },
          },
        },
      },
    },
  });
  if (!r) return null;
  const me = actor.personId;
  const isApprover = r.stages.some((s) => s.approvers.some((a) => a.approverId === me));
  const visible =
    r.requester.id === me ||
    r.subject.id === me ||
    isApprover ||
    can(actor, "requests:read-all") ||
    can(actor, "requests:read-system", { systemId: r.system.id });
  if (!visible) return "forbidden" as const;

  const names = new Map<string, string>();
  for (const s of r.stages) for (const a of s.approvers) names.set(a.approverId, a.approver.name);
  const missing = [
    ...new Set(
      r.stages
        .flatMap((s) => [...s.approvers.map((a) => a.onBehalfOfId), ...s.decisions.map((d) => d.onBehalfOfId)])
        .filter((x): x is string => !!x && !names.has(x)),
    ),
  ];
  if (missing.length)
    for (const p of await getDb().person.findMany({ where: { id: { in: missing } }, select: { id: true, name: true } }))
      names.set(p.id, p.name);

  const active = r.stages.find((s) => s.status === "ACTIVE") ?? null;
  const mySeat = active?.approvers.find((a) => a.approverId === me && a.isOpen) ?? null;
  return {
    ...r,
    label: formatRequestNumber(r.number),
    matrixChange: parseMatrixChange(r.matrixChange),
    stages: r.stages.map((s) => ({
      ...s,
      approvers: s.approvers.map((a) => ({ ...a, onBehalfOfName: a.onBehalfOfId ? (names.get(a.onBehalfOfId) ?? null) : null })),
      decisions: s.decisions.map((d) => ({ ...d, onBehalfOfName: d.onBehalfOfId ? (names.get(d.onBehalfOfId) ?? null) : null })),
    })),
    activeStageId: active?.id ?? null,
    viewer: {
      canDecide: r.status === "PENDING" && !!mySeat && r.requester.id !== me && r.subject.id !== me,
      onBehalfOfName: mySeat?.onBehalfOfId ? (names.get(mySeat.onBehalfOfId) ?? null) : null,
      canCancel: r.status === "PENDING" && (r.requester.id === me || r.subject.id === me),
      bulkApprovable: !r.isSensitive && !r.isAdministrative && r.kind === "GRANT",
    },
  };
}
export type RequestDetail = Exclude<NonNullable<Awaited<ReturnType<typeof getRequestDetail>>>, "forbidden">;

// --- The catalog ------------------------------------------------------------------------------------

/** Active systems with at least one requestable role (the catalog's first level). */
export async function listRequestableSystems(q?: string) {
  const query = q?.trim().slice(0, 100);
  return getDb().businessSystem.findMany({
    where: {
      isActive: true,
      jobRoles: { some: { isActive: true, isRequestable: true } },
      ...(query
        ? {
            OR: [
              { name: { contains: query, mode: "insensitive" } },
              { code: { startsWith: query.toUpperCase() } },
              { nameEn: { contains: query, mode: "insensitive" } },
            ],
          }
        : {}),
    },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    take: 200,
    select: {
      id: true,
      code: true,
      name: true,
      nameEn: true,
      description: true,
      environment: true,
      _count: { select: { jobRoles: { where: { isActive: true, isRequestable: true } } } },
    },
  });
}

type NameCursor = { n: string; id: string };
const isNameCursor = (v: unknown): v is NameCursor =>
  typeof v === "object" && v !== null && typeof (v as NameCursor).n === "string" && UUID.test(String((v as NameCursor).id));

export type CatalogRole = {
  id: string;
  code: string;
  name: string;
  nameEn: string | null;
  description: string | null;
  isAdministrative: boolean;
  isSensitive: boolean;
  system: { id: string; name: string; nameEn: string | null };
  permissions: {
    id: string;
    name: string;
    nameEn: string | null;
    sensitivity: Sensitivity;
    dataKind: string;
    operation: string;
    isSensitive: boolean;
  }[];
};

/**
 * What a person already has among these roles, for the catalog: a live grant (with its end, to renew)
 * or an open request (to follow instead of asking twice). Two indexed queries (subject_id; the person's
 * accounts' grants), however long the catalog page.
 */
export async function catalogStanding(personId: string, roleIds: string[], now = new Date()) {
  const held = new Map<string, { grantId: string; endsAt: Date | null }>();
  const pending = new Map<string, { requestId: string; number: string }>();
  if (roleIds.length === 0) return { held, pending };
  const grants = await getDb().accessGrant.findMany({
    where: { roleId: { in: roleIds }, revokedAt: null, OR: [{ endsAt: null }, { endsAt: { gt: now } }], slaveAccount: { personId } },
    select: { id: true, roleId: true, endsAt: true },
  });
  for (const g of grants) held.set(g.roleId, { grantId: g.id, endsAt: g.endsAt });
  const requests = await getDb().accessRequest.findMany({
    where: { subjectId: personId, status: "PENDING", roleId: { in: roleIds } },
    select: { id: true, number: true, roleId: true },
    orderBy: { number: "asc" },
  });
  for (const r of requests)
    if (r.roleId && !pending.has(r.roleId)) pending.set(r.roleId, { requestId: r.id, number: formatRequestNumber(r.number) });
  return { held, pending };
}

/**
 * Requestable roles of active systems (of one system, or matching a search), by name, keyset-paged,
 * each with its current permissions and their sensitivity, flagged sensitive by today's classification.
 */
export async function listRequestableRoles(
  _actor: Actor,
  raw: { systemId?: string; q?: string; cursor?: string },
): Promise<Page<CatalogRole>> {
  const systemId = raw.systemId && UUID.test(raw.systemId) ? raw.systemId : undefined;
  const q = raw.q?.trim().slice(0, 100);
  const cursor = decodeCursor(raw.cursor, isNameCursor);
  const where: Prisma.JobRoleWhereInput[] = [{ isActive: true, isRequestable: true, system: { isActive: true } }];
  if (systemId) where.push({ systemId });
  if (q)
    where.push({
      OR: [
        { name: { contains: q, mode: "insensitive" } },
        { nameEn: { contains: q, mode: "insensitive" } },
        { code: { startsWith: q.toUpperCase() } },
      ],
    });
  if (cursor) where.push({ name: { gte: cursor.n } }, { OR: [{ name: { gt: cursor.n } }, { name: cursor.n, id: { gt: cursor.id } }] });
  const { rows, levels } = await catalogRoles({ AND: where }, PAGE_SIZE + 1);
  const page = rows.slice(0, PAGE_SIZE);
  const last = page[page.length - 1];
  return {
    rows: page.map((r) => toCatalogRole(r, levels)),
    nextCursor: rows.length > PAGE_SIZE && last ? encodeCursor({ n: last.name, id: last.id }) : null,
  };
}

async function catalogRoles(where: Prisma.JobRoleWhereInput, take: number) {
  const [rows, classification] = await Promise.all([
    getDb().jobRole.findMany({
      where,
      orderBy: [{ name: "asc" }, { id: "asc" }],
      take,
      select: {
        id: true,
        code: true,
        name: true,
        nameEn: true,
        description: true,
        isAdministrative: true,
        system: { select: { id: true, name: true, nameEn: true } },
        matrix: {
          where: { endsAt: null, permission: { isActive: true } },
          select: { permission: { select: { id: true, name: true, nameEn: true, sensitivity: true, dataKind: true, operation: true } } },
        },
      },
    }),
    getClassificationSettings(getDb()),
  ]);
  return { rows, levels: classification.sensitiveLevels as Sensitivity[] };
}

function toCatalogRole(r: Awaited<ReturnType<typeof catalogRoles>>["rows"][number], levels: readonly Sensitivity[]): CatalogRole {
  const permissions = r.matrix.map((m) => ({ ...m.permission, isSensitive: isSensitive(m.permission, levels) }));
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    nameEn: r.nameEn,
    description: r.description,
    isAdministrative: r.isAdministrative,
    isSensitive: permissions.some((p) => p.isSensitive),
    system: r.system,
    permissions,
  };
}

/** One requestable role for the request form. */
export async function getRequestableRole(roleId: string): Promise<CatalogRole | null> {
  if (!UUID.test(roleId)) return null;
  const { rows, levels } = await catalogRoles({ id: roleId, isActive: true, isRequestable: true, system: { isActive: true } }, 1);
  return rows[0] ? toCatalogRole(rows[0], levels) : null;
}

/**
 * The person a request is for, named by employee number (empty = the actor). null when unknown or
 * when the actor may not request for them.
 */
export async function resolveSubject(actor: PersonActor, employeeNo: string | undefined, systemId: string) {
  const no = employeeNo?.trim();
  const person = await getDb().person.findUnique({
    where: no ? { employeeNo: no } : { id: actor.personId },
    select: {
      id: true,
      name: true,
      employeeNo: true,
      employmentType: true,
      sponsorId: true,
      contractEndsOn: true,
      status: true,
      orgUnit: { select: { path: true } },
    },
  });
  if (!person) return null;
  const allowed = await inTransaction((tx) =>
    mayRequestFor(tx, actor, { id: person.id, orgUnitPath: person.orgUnit.path, sponsorId: person.sponsorId }, systemId),
  );
  return allowed ? person : "forbidden";
}

/** May the actor request for anyone but themself (shows the "for someone else" field)? */
export async function mayRequestForOthers(actor: PersonActor): Promise<boolean> {
  if (actor.roles.some((r) => r.role === "APPROVER" || r.role === "ACCOUNT_ADMIN")) return true;
  const [head, sponsor] = await Promise.all([
    getDb().orgUnit.findFirst({ where: { headId: actor.personId, isActive: true }, select: { id: true } }),
    getDb().person.findFirst({ where: { sponsorId: actor.personId, status: "ACTIVE" }, select: { id: true } }),
  ]);
  return !!head || !!sponsor;
}

/**
 * The form's pre-check, in a read-only transaction: every problem submission would report (the policy
 * engine's violations, duration limits, duplicates), the latest end allowed, whether permanent is
 * allowed, and the stages the request would go through.
 */
export async function previewRequest(actor: PersonActor, raw: z.input<typeof SubmitRequestInput>) {
  const input = SubmitRequestInput.parse(raw);
  return inTransaction(async (tx) => {
    const a = await assessRequest(tx, actor, input, new Date());
    return {
      isSensitive: a.isSensitive,
      isAdministrative: a.isAdministrative,
      latestEnd: a.latestEnd,
      permanentAllowed: a.permanentAllowed,
      problems: a.problems.map((p) => ({ code: p.code, params: p.params, field: p.field, details: p.details })),
      stages: a.stages.map((s) => s.kind),
      subject: a.subject,
      renewsGrant: a.renewsGrant,
    };
  });
}

/** A grant the actor may renew by request (their own, or someone's they may request for), for the form. */
export async function getRenewableGrant(actor: PersonActor, grantId: string) {
  if (!UUID.test(grantId)) return null;
  const now = new Date();
  const g = await getDb().accessGrant.findUnique({
    where: { id: grantId },
    select: {
      id: true,
      endsAt: true,
      revokedAt: true,
      roleId: true,
      role: { select: { systemId: true } },
      slaveAccount: {
        select: { person: { select: { id: true, employeeNo: true, sponsorId: true, orgUnit: { select: { path: true } } } } },
      },
    },
  });
  const person = g?.slaveAccount.person;
  if (!g || !person || g.revokedAt || (g.endsAt && g.endsAt <= now)) return null;
  const allowed = await inTransaction((tx) =>
    mayRequestFor(tx, actor, { id: person.id, orgUnitPath: person.orgUnit.path, sponsorId: person.sponsorId }, g.role.systemId),
  );
  if (!allowed) return null;
  return {
    id: g.id,
    endsAt: g.endsAt,
    roleId: g.roleId,
    systemId: g.role.systemId,
    subjectId: person.id,
    subjectEmployeeNo: person.employeeNo,
  };
}

/** The request limits and timings (for forms and the settings page). */
export async function readRequestSettings() {
  return getRequestSettings(getDb());
}

// --- Approval chain configuration --------------------------------------------------------------------

/** A system's configured chain (or the default), with the named approvers' names, for its page. */
export async function getApprovalChain(actor: Actor, systemId: string) {
  if (!UUID.test(systemId)) return null;
  const system = await getDb().businessSystem.findUnique({
    where: { id: systemId },
    select: { id: true, code: true, name: true, nameEn: true, approvalChain: { select: { definition: true, updatedAt: true } } },
  });
  if (!system) return null;
  if (!can(actor, "approval-chains:manage", { systemId }) && !can(actor, "systems:read", { systemId })) return "forbidden" as const;
  const configured = parseChainDefinition(system.approvalChain?.definition);
  const definition = configured ?? DEFAULT_CHAIN_DEFINITION;
  const ids = [...definition.standard, ...definition.sensitive].flatMap((s) => s.namedApproverIds ?? []);
  const people = ids.length
    ? await getDb().person.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, employeeNo: true } })
    : [];
  return {
    system: { id: system.id, code: system.code, name: system.name, nameEn: system.nameEn },
    isDefault: !configured,
    updatedAt: system.approvalChain?.updatedAt ?? null,
    definition,
    people: Object.fromEntries(people.map((p) => [p.id, p])),
    effective: {
      standard: chainFor({ kind: "GRANT", isSensitive: false, isAdministrative: false }, configured).map((s) => s.kind),
      sensitive: chainFor({ kind: "GRANT", isSensitive: true, isAdministrative: false }, configured).map((s) => s.kind),
    },
    canManage: can(actor, "approval-chains:manage", { systemId }),
  };
}

/** Active people by employee number, for the chain form's named approvers (unknown numbers are reported). */
export async function peopleByEmployeeNo(employeeNos: string[]) {
  const nos = [...new Set(employeeNos.map((n) => n.trim()).filter(Boolean))].slice(0, 40);
  if (!nos.length) return { found: [] as { id: string; employeeNo: string }[], unknown: [] as string[] };
  const found = await getDb().person.findMany({ where: { employeeNo: { in: nos } }, select: { id: true, employeeNo: true } });
  return { found, unknown: nos.filter((n) => !found.some((f) => f.employeeNo === n)) };
}

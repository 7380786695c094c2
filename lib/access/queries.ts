import { getDb, Prisma } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { hasRole } from "@/lib/authz/actor";
import { can } from "@/lib/authz/can";
import { decodeCursor, encodeCursor, type Page } from "@/lib/http/cursor";
import { getClassificationSettings } from "@/lib/settings/classification";
import { formatRequestNumber } from "@/lib/requests/workflow";

type Sensitivity = "EXTREME" | "SENSITIVE" | "RELATIVE" | "LOW";
const RANK: Record<Sensitivity, number> = { EXTREME: 4, SENSITIVE: 3, RELATIVE: 2, LOW: 1 };

/** The highest sensitivity among a role's current permissions (null: it reaches no classified data). */
export function highestSensitivity(levels: readonly string[] | null): Sensitivity | null {
  let best: Sensitivity | null = null;
  for (const l of levels ?? []) if (l in RANK && (!best || RANK[l as Sensitivity] > RANK[best])) best = l as Sensitivity;
  return best;
}

type Cursor = { e: string | null; id: string };
const isCursor = (v: unknown): v is Cursor =>
  typeof v === "object" &&
  v !== null &&
  typeof (v as Cursor).id === "string" &&
  /^[0-9a-f-]{36}$/i.test((v as Cursor).id) &&
  ((v as Cursor).e === null || (typeof (v as Cursor).e === "string" && !Number.isNaN(new Date((v as Cursor).e!).getTime())));

export type MyGrant = {
  id: string;
  startsAt: Date;
  endsAt: Date | null;
  basis: string | null;
  reason: string;
  loginName: string;
  system: { id: string; code: string; name: string; nameEn: string | null };
  role: { id: string; code: string; name: string; nameEn: string | null; isAdministrative: boolean };
  sensitivity: Sensitivity | null;
  isSensitive: boolean;
  // The request whose approval created it (its basis, R13), if any.
  request: { id: string; number: string; kind: string } | null;
  // A renewal of this grant waiting for approval.
  pendingRenewal: { id: string; number: string } | null;
};

type MyGrantRow = {
  id: string;
  starts_at: Date;
  ends_at: Date | null;
  basis: string | null;
  reason: string;
  login_name: string;
  system_id: string;
  system_code: string;
  system_name: string;
  system_name_en: string | null;
  role_id: string;
  role_code: string;
  role_name: string;
  role_name_en: string | null;
  is_administrative: boolean;
  sensitivities: string[] | null;
  req_id: string | null;
  req_number: number | null;
  req_kind: string | null;
};

const FOREVER = "infinity";

/**
 * My access: every live grant of the person, soonest end first (permanent ones last), keyset-paginated
 * on (end, id); with the role's sensitivity, the request it came from, and pending renewals. Plus the
 * number of the person's requests still waiting for a decision.
 */
export async function listMyAccess(personId: string, opts: { cursor?: string; pageSize?: number } = {}, now = new Date()) {
  const db = getDb();
  const pageSize = opts.pageSize ?? 50;
  const after = decodeCursor(opts.cursor, isCursor);
  const afterKey = after
    ? Prisma.sql`AND (COALESCE(g.ends_at, ${FOREVER}::timestamptz), g.id) > (COALESCE(${after.e}::timestamptz, ${FOREVER}::timestamptz), ${after.id}::uuid)`
    : Prisma.empty;
  const rows = await db.$queryRaw<MyGrantRow[]>`
    SELECT g.id::text AS id, g.starts_at, g.ends_at, g.basis, g.reason, sa.login_name,
           s.id::text AS system_id, s.code AS system_code, s.name AS system_name, s.name_en AS system_name_en,
           r.id::text AS role_id, r.code AS role_code, r.name AS role_name, r.name_en AS role_name_en, r.is_administrative,
           (SELECT array_agg(DISTINCT p.sensitivity::text) FROM role_permission rp JOIN permission p ON p.id = rp.permission_id
             WHERE rp.role_id = r.id AND rp.ends_at IS NULL AND p.is_active) AS sensitivities,
           req.id::text AS req_id, req.number AS req_number, req.kind::text AS req_kind
    FROM slave_account sa
    JOIN access_grant g ON g.slave_account_id = sa.id
    JOIN business_system s ON s.id = sa.system_id
    JOIN job_role r ON r.id = g.role_id
    LEFT JOIN access_request req ON req.id = g.request_id
    WHERE sa.person_id = ${personId}::uuid AND g.revoked_at IS NULL AND (g.ends_at IS NULL OR g.ends_at > ${now})
      ${afterKey}
    ORDER BY COALESCE(g.ends_at, ${FOREVER}::timestamptz), g.id
    LIMIT ${pageSize + 1}`;
  const [classification, pending] = await Promise.all([
    getClassificationSettings(db),
    db.accessRequest.findMany({
      where: { subjectId: personId, status: "PENDING" },
      select: { id: true, number: true, renewsGrantId: true },
    }),
  ]);
  const sensitiveLevels = new Set<string>(classification.sensitiveLevels);
  const renewals = new Map(
    pending.filter((p) => p.renewsGrantId).map((p) => [p.renewsGrantId!, { id: p.id, number: formatRequestNumber(p.number) }]),
  );
  const page = rows.slice(0, pageSize).map((r): MyGrant => ({
    id: r.id,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    basis: r.basis,
    reason: r.reason,
    loginName: r.login_name,
    system: { id: r.system_id, code: r.system_code, name: r.system_name, nameEn: r.system_name_en },
    role: { id: r.role_id, code: r.role_code, name: r.role_name, nameEn: r.role_name_en, isAdministrative: r.is_administrative },
    sensitivity: highestSensitivity(r.sensitivities),
    isSensitive: (r.sensitivities ?? []).some((l) => sensitiveLevels.has(l)),
    request: r.req_id ? { id: r.req_id, number: formatRequestNumber(r.req_number!), kind: r.req_kind! } : null,
    pendingRenewal: renewals.get(r.id) ?? null,
  }));
  const last = page[page.length - 1];
  const result: Page<MyGrant> & { pendingRequests: number } = {
    rows: page,
    nextCursor: rows.length > pageSize && last ? encodeCursor({ e: last.endsAt?.toISOString() ?? null, id: last.id }) : null,
    pendingRequests: pending.length,
  };
  return result;
}

export type ElevationRow = {
  grantId: string;
  startsAt: Date;
  endsAt: Date;
  loginName: string;
  person: { id: string; name: string; employeeNo: string; vendor: string | null };
  sponsor: { id: string; name: string; employeeNo: string } | null;
  system: { id: string; name: string; nameEn: string | null; code: string };
  role: { id: string; name: string; nameEn: string | null; code: string };
  request: { id: string; number: string; justification: string };
  approvals: { approver: string; onBehalfOf: string | null; stage: string; at: Date }[];
};

/** Which systems' elevations the actor sees: null = all (security officers), else their systems. */
export function elevationScope(actor: Actor): string[] | null {
  if (actor.kind === "system" || hasRole(actor, "SECURITY_OFFICER")) return null;
  return actor.roles
    .filter((r) => r.role === "ACCOUNT_ADMIN" && r.systemId && can(actor, "elevations:read", { systemId: r.systemId }))
    .map((r) => r.systemId!);
}

/**
 * R10 temporary elevations while they last: live grants created by approved ELEVATION requests, the
 * soonest to end first, keyset-paginated on (end, id), with the third party, their sponsor and who
 * approved. (A partial index on access_request keeps this a small scan.)
 */
export async function listActiveElevations(
  actor: Actor,
  opts: { cursor?: string; pageSize?: number } = {},
  now = new Date(),
): Promise<Page<ElevationRow>> {
  const scope = elevationScope(actor);
  if (scope && !scope.length) return { rows: [], nextCursor: null };
  const pageSize = opts.pageSize ?? 50;
  const after = decodeCursor(opts.cursor, isCursor);
  const afterKey = after?.e ? Prisma.sql`AND (g.ends_at, g.id) > (${after.e}::timestamptz, ${after.id}::uuid)` : Prisma.empty;
  const inScope = scope ? Prisma.sql`AND sa.system_id = ANY(${scope}::uuid[])` : Prisma.empty;
  const rows = await getDb().$queryRaw<
    {
      grant_id: string;
      starts_at: Date;
      ends_at: Date;
      login_name: string;
      person_id: string;
      person_name: string;
      employee_no: string;
      vendor: string | null;
      sponsor_id: string | null;
      sponsor_name: string | null;
      sponsor_no: string | null;
      system_id: string;
      system_name: string;
      system_name_en: string | null;
      system_code: string;
      role_id: string;
      role_name: string;
      role_name_en: string | null;
      role_code: string;
      request_id: string;
      number: number;
      justification: string;
    }[]
  >`
    SELECT g.id::text AS grant_id, g.starts_at, g.ends_at, sa.login_name,
           p.id::text AS person_id, p.name AS person_name, p.employee_no, COALESCE(v.name, p.vendor_name) AS vendor,
           sp.id::text AS sponsor_id, sp.name AS sponsor_name, sp.employee_no AS sponsor_no,
           s.id::text AS system_id, s.name AS system_name, s.name_en AS system_name_en, s.code AS system_code,
           r.id::text AS role_id, r.name AS role_name, r.name_en AS role_name_en, r.code AS role_code,
           req.id::text AS request_id, req.number, req.justification
    FROM access_request req
    JOIN access_grant g ON g.id = req.grant_id
    JOIN slave_account sa ON sa.id = g.slave_account_id
    JOIN person p ON p.id = sa.person_id
    LEFT JOIN vendor v ON v.id = p.vendor_id
    LEFT JOIN person sp ON sp.id = p.sponsor_id
    JOIN business_system s ON s.id = sa.system_id
    JOIN job_role r ON r.id = g.role_id
    WHERE req.kind = 'ELEVATION' AND req.status = 'APPROVED' AND req.grant_id IS NOT NULL
      AND g.revoked_at IS NULL AND g.ends_at > ${now}
      ${inScope} ${afterKey}
    ORDER BY g.ends_at, g.id
    LIMIT ${pageSize + 1}`;
  const page = rows.slice(0, pageSize);
  const requestIds = page.map((r) => r.request_id);
  const decisions = requestIds.length
    ? await getDb().approvalDecision.findMany({
        where: { requestId: { in: requestIds }, outcome: "APPROVE" },
        orderBy: { createdAt: "asc" },
        select: {
          requestId: true,
          createdAt: true,
          approverId: true,
          onBehalfOfId: true,
          approver: { select: { name: true } },
          stage: { select: { kind: true } },
        },
      })
    : [];
  const onBehalfIds = [...new Set(decisions.map((d) => d.onBehalfOfId).filter((id): id is string => !!id))];
  const names = new Map(
    (onBehalfIds.length ? await getDb().person.findMany({ where: { id: { in: onBehalfIds } }, select: { id: true, name: true } }) : []).map(
      (p) => [p.id, p.name],
    ),
  );
  const out = page.map((r): ElevationRow => ({
    grantId: r.grant_id,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    loginName: r.login_name,
    person: { id: r.person_id, name: r.person_name, employeeNo: r.employee_no, vendor: r.vendor },
    sponsor: r.sponsor_id ? { id: r.sponsor_id, name: r.sponsor_name!, employeeNo: r.sponsor_no! } : null,
    system: { id: r.system_id, name: r.system_name, nameEn: r.system_name_en, code: r.system_code },
    role: { id: r.role_id, name: r.role_name, nameEn: r.role_name_en, code: r.role_code },
    request: { id: r.request_id, number: formatRequestNumber(r.number), justification: r.justification },
    approvals: decisions
      .filter((d) => d.requestId === r.request_id)
      .map((d) => ({
        approver: d.approver.name,
        onBehalfOf: d.onBehalfOfId ? (names.get(d.onBehalfOfId) ?? null) : null,
        stage: d.stage.kind,
        at: d.createdAt,
      })),
  }));
  const last = out[out.length - 1];
  return {
    rows: out,
    nextCursor: rows.length > pageSize && last ? encodeCursor({ e: last.endsAt.toISOString(), id: last.grantId }) : null,
  };
}

import { getDb, Prisma } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { can, systemsScope } from "@/lib/authz/can";

/** A person's slave accounts with their grants (live first, then history), newest first. */
export async function listPersonAccess(personId: string) {
  return getDb().slaveAccount.findMany({
    where: { personId },
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      loginName: true,
      status: true,
      createdAt: true,
      system: { select: { id: true, code: true, name: true, nameEn: true } },
      grants: {
        orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { startsAt: "desc" }],
        take: 50,
        select: {
          id: true,
          startsAt: true,
          endsAt: true,
          revokedAt: true,
          revokeReason: true,
          reason: true,
          basis: true,
          role: { select: { code: true, name: true, nameEn: true } },
        },
      },
    },
  });
}

/** The roles an actor may grant: active roles of the systems they administer. */
export async function grantableRoles(actor: Actor) {
  const scope = systemsScope(actor);
  if (!scope?.length) return [];
  const roles = await getDb().jobRole.findMany({
    where: { isActive: true, systemId: { in: scope }, system: { isActive: true } },
    orderBy: [{ system: { code: "asc" } }, { code: "asc" }],
    select: { id: true, code: true, name: true, nameEn: true, systemId: true, system: { select: { code: true } } },
  });
  return roles.filter((r) => can(actor, "grants:manage", { systemId: r.systemId }));
}

export type SystemAccountRow = {
  id: string;
  loginName: string;
  status: string;
  lastLoginAt: Date | null;
  person: { id: string; name: string; employeeNo: string; status: string } | null;
  liveGrants: number;
  isOrphan: boolean;
};

/**
 * A system's slave accounts, keyset-paginated by login name; `orphans` keeps only accounts whose owner
 * is unknown or has left (R2), the ones a review must stop. One query: the (system_id, login_name)
 * unique index gives the order, and each row's live grants are counted for that row only (a relation
 * count over the whole grant table took 1.5 s at 1M grants: docs/benchmarks.md).
 */
export async function listSystemAccounts(systemId: string, opts: { orphans?: boolean; after?: string; pageSize?: number } = {}) {
  const pageSize = opts.pageSize ?? 50;
  const now = new Date();
  const rows = await getDb().$queryRaw<
    {
      id: string;
      login_name: string;
      status: string;
      last_login_at: Date | null;
      person_id: string | null;
      person_name: string | null;
      employee_no: string | null;
      person_status: string | null;
      live: number;
    }[]
  >`
    SELECT sa.id::text, sa.login_name, sa.status::text AS status, sa.last_login_at,
           p.id::text AS person_id, p.name AS person_name, p.employee_no, p.status::text AS person_status,
           (SELECT count(*)::int FROM access_grant g
            WHERE g.slave_account_id = sa.id AND g.revoked_at IS NULL AND (g.ends_at IS NULL OR g.ends_at > ${now})) AS live
    FROM slave_account sa LEFT JOIN person p ON p.id = sa.person_id
    WHERE sa.system_id = ${systemId}::uuid AND sa.status <> 'DELETED'
      ${opts.after ? Prisma.sql`AND sa.login_name > ${opts.after}` : Prisma.empty}
      ${opts.orphans ? Prisma.sql`AND (sa.person_id IS NULL OR p.status = 'LEFT')` : Prisma.empty}
    ORDER BY sa.login_name
    LIMIT ${pageSize + 1}`;
  const page = rows.slice(0, pageSize).map((r): SystemAccountRow => {
    const person = r.person_id ? { id: r.person_id, name: r.person_name!, employeeNo: r.employee_no!, status: r.person_status! } : null;
    return {
      id: r.id,
      loginName: r.login_name,
      status: r.status,
      lastLoginAt: r.last_login_at,
      person,
      liveGrants: r.live,
      isOrphan: !person || person.status === "LEFT",
    };
  });
  return { rows: page, next: rows.length > pageSize ? page[page.length - 1]!.loginName : null };
}

import { getDb } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { can } from "@/lib/authz/can";
import { systemsScope } from "@/lib/systems/queries";

/** A person's slave accounts with their grants (live first, then history), newest first. */
export async function listPersonAccess(personId: string) {
  return getDb().slaveAccount.findMany({
    where: { personId },
    orderBy: { createdAt: "asc" },
    select: {
      id: true, loginName: true, status: true, createdAt: true,
      system: { select: { id: true, code: true, name: true, nameEn: true } },
      grants: {
        orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { startsAt: "desc" }],
        take: 50,
        select: { id: true, startsAt: true, endsAt: true, revokedAt: true, revokeReason: true, reason: true, basis: true, role: { select: { code: true, name: true, nameEn: true } } },
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
 * is unknown or has left (R2), the ones a review must stop.
 */
export async function listSystemAccounts(systemId: string, opts: { orphans?: boolean; after?: string; pageSize?: number } = {}) {
  const pageSize = opts.pageSize ?? 50;
  const now = new Date();
  const rows = await getDb().slaveAccount.findMany({
    where: {
      systemId,
      status: { not: "DELETED" },
      ...(opts.after ? { loginName: { gt: opts.after } } : {}),
      ...(opts.orphans ? { OR: [{ personId: null }, { person: { status: "LEFT" } }] } : {}),
    },
    orderBy: { loginName: "asc" },
    take: pageSize + 1,
    select: {
      id: true, loginName: true, status: true, lastLoginAt: true,
      person: { select: { id: true, name: true, employeeNo: true, status: true } },
      _count: { select: { grants: { where: { revokedAt: null, OR: [{ endsAt: null }, { endsAt: { gt: now } }] } } } },
    },
  });
  const page = rows.slice(0, pageSize).map(
    (r): SystemAccountRow => ({
      id: r.id, loginName: r.loginName, status: r.status, lastLoginAt: r.lastLoginAt, person: r.person,
      liveGrants: r._count.grants, isOrphan: !r.person || r.person.status === "LEFT",
    }),
  );
  return { rows: page, next: rows.length > pageSize ? page[page.length - 1]!.loginName : null };
}

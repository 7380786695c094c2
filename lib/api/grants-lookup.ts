import { getDb } from "@/lib/db";
import { encodeCursor } from "@/lib/http/cursor";
import type { GrantView } from "./schemas";

const SELECT = {
  id: true,
  startsAt: true,
  endsAt: true,
  requestId: true,
  role: { select: { code: true, name: true } },
  slaveAccount: {
    select: { loginName: true, system: { select: { code: true, name: true } }, person: { select: { employeeNo: true, name: true } } },
  },
} as const;

/**
 * Live grants (not revoked, not ended) in the given systems, optionally of one person, in grant-id order
 * (uuid v7: creation order), a keyset page at a time.
 */
export async function lookupLiveGrants(opts: { systemIds: string[]; employeeNo?: string; after?: string; limit: number; now?: Date }) {
  const now = opts.now ?? new Date();
  const rows = await getDb().accessGrant.findMany({
    where: {
      revokedAt: null,
      OR: [{ endsAt: null }, { endsAt: { gt: now } }],
      ...(opts.after ? { id: { gt: opts.after } } : {}),
      slaveAccount: {
        systemId: { in: opts.systemIds },
        ...(opts.employeeNo ? { person: { employeeNo: opts.employeeNo } } : { personId: { not: null } }),
      },
    },
    orderBy: { id: "asc" },
    take: opts.limit + 1,
    select: SELECT,
  });
  const page = rows.slice(0, opts.limit);
  return { data: page.map(toGrantView), nextCursor: rows.length > opts.limit ? encodeCursor(page[page.length - 1]!.id) : null };
}

function toGrantView(g: {
  id: string;
  startsAt: Date;
  endsAt: Date | null;
  requestId: string | null;
  role: { code: string; name: string };
  slaveAccount: { loginName: string; system: { code: string; name: string }; person: { employeeNo: string; name: string } | null };
}): GrantView {
  return {
    id: g.id,
    person: { employeeNo: g.slaveAccount.person?.employeeNo ?? "", name: g.slaveAccount.person?.name ?? "" },
    system: g.slaveAccount.system,
    account: { loginName: g.slaveAccount.loginName },
    role: g.role,
    startsAt: g.startsAt.toISOString(),
    endsAt: g.endsAt?.toISOString() ?? null,
    requestId: g.requestId,
  };
}

export async function findSystemByCode(code: string) {
  return getDb().businessSystem.findUnique({ where: { code }, select: { id: true, code: true } });
}

/**
 * The person with this employee number, only if they have an account (not deleted) in one of these
 * systems: a token learns nothing about people its systems do not know.
 */
export async function findPersonKnownTo(employeeNo: string, systemIds: string[]) {
  return getDb().person.findFirst({
    where: { employeeNo, slaveAccounts: { some: { systemId: { in: systemIds }, status: { not: "DELETED" } } } },
    select: { id: true, employeeNo: true, name: true, status: true },
  });
}

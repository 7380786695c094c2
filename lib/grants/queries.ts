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

import { DomainError } from "@/lib/errors";
import type { PortalRole } from "@/lib/generated/prisma/enums";
import type { Actor, RoleGrant } from "./actor";
import { INCOMPATIBLE_PORTAL_ROLES, PERMISSIONS, type Permission } from "./permissions";

// What a scoped permission is checked against: the org-unit path of the person concerned, or the
// business system concerned. Omit it to ask "may the actor do this anywhere at all" (navigation).
export type Resource = { orgUnitPath?: string; systemId?: string };

function grantCovers(grant: RoleGrant, scoped: "org" | "system" | undefined, resource: Resource | undefined): boolean {
  if (!resource || !scoped) return true;
  if (scoped === "org" && grant.role === "APPROVER") {
    return !!grant.orgUnitPath && !!resource.orgUnitPath && resource.orgUnitPath.startsWith(grant.orgUnitPath);
  }
  if (scoped === "system" && grant.role === "ACCOUNT_ADMIN") {
    return !!grant.systemId && grant.systemId === resource.systemId;
  }
  return true;
}

export function can(actor: Actor, permission: Permission, resource?: Resource): boolean {
  if (actor.kind === "system") return true;
  const rule = PERMISSIONS[permission];
  if (!rule) return false;
  if (rule.roles === "everyone") return true;
  const scoped = "scoped" in rule ? rule.scoped : undefined;
  const allowed = rule.roles as readonly PortalRole[];
  return actor.roles.some((g) => allowed.includes(g.role) && grantCovers(g, scoped, resource));
}

export function assertCan(actor: Actor, permission: Permission, resource?: Resource): void {
  if (!can(actor, permission, resource)) {
    throw new DomainError("FORBIDDEN", { params: { permission } });
  }
}

export function incompatibleRoleFor(held: readonly PortalRole[], wanted: PortalRole): PortalRole | null {
  for (const [a, b] of INCOMPATIBLE_PORTAL_ROLES) {
    if (wanted === a && held.includes(b)) return b;
    if (wanted === b && held.includes(a)) return a;
  }
  return null;
}

/** The systems an actor may see: null = all (officers, system administrators, approvers). */
export function systemsScope(actor: Actor): string[] | null {
  if (actor.kind === "system") return null;
  if (actor.roles.some((r) => r.role !== "ACCOUNT_ADMIN" && can({ ...actor, roles: [r] }, "systems:read"))) return null;
  return actor.roles.filter((r) => r.role === "ACCOUNT_ADMIN" && r.systemId).map((r) => r.systemId!);
}

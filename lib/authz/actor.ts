import type { PortalRole } from "@/lib/generated/prisma/enums";

export type RequestContext = {
  requestId: string;
  ip: string | null;
  userAgent: string | null;
  // Set when the call came through the REST API: the token that made it (its audit rows say "via").
  apiToken?: { id: string; prefix: string };
};

export type RoleGrant = {
  role: PortalRole;
  // ACCOUNT_ADMIN: the business system administered; APPROVER: the org-unit subtree (path prefix).
  systemId: string | null;
  orgUnitId: string | null;
  orgUnitPath: string | null;
};

export type PersonActor = {
  kind: "person";
  personId: string;
  accountId: string;
  name: string;
  employeeNo: string;
  orgUnitId: string;
  sessionId: string | null;
  roles: RoleGrant[];
  ctx: RequestContext;
};

// Background jobs, the seed, and sign-in attempts before anyone is known.
export type SystemActor = {
  kind: "system";
  name: string;
  ctx: RequestContext;
};

export type Actor = PersonActor | SystemActor;

export const NO_CONTEXT: RequestContext = { requestId: "-", ip: null, userAgent: null };

export function systemActor(name = "system", ctx: RequestContext = NO_CONTEXT): SystemActor {
  return { kind: "system", name, ctx };
}

export function hasRole(actor: Actor, role: PortalRole): boolean {
  return actor.kind === "person" && actor.roles.some((r) => r.role === role);
}

import type { PortalRole } from "@/lib/generated/prisma/enums";

// The typed permission catalogue. Each permission lists the portal roles that hold it; staff
// (every signed-in person) hold only the self-service ones. Anything not listed is denied.
export const PERMISSIONS = {
  "self:read": { roles: "everyone" },
  "self:manage-security": { roles: "everyone" },
  "settings:manage": { roles: ["SYSTEM_ADMIN"] },
  "portal-roles:read": { roles: ["SYSTEM_ADMIN", "SECURITY_OFFICER"] },
  "portal-roles:manage": { roles: ["SYSTEM_ADMIN"] },
  "audit:read": { roles: ["SECURITY_OFFICER"] },
  "audit:export": { roles: ["SECURITY_OFFICER"] },
  // People: HR and officers see everyone; approvers see their subtree; account administrators see
  // people so they can find whom to give an account in their system.
  "people:read": { roles: ["SYSTEM_ADMIN", "HR", "SECURITY_OFFICER", "APPROVER", "ACCOUNT_ADMIN"], scoped: "org" },
  "people:reveal-pii": { roles: ["HR", "SECURITY_OFFICER"], scoped: "org" },
  "org:manage": { roles: ["HR", "SYSTEM_ADMIN"] },
  "people:manage": { roles: ["HR"] },
  // Offboarding cases and their receipts (lib/offboarding): HR runs them, security officers check them.
  "offboarding:read": { roles: ["HR", "SECURITY_OFFICER"] },
  // Vendors of third-party staff (R10): HR keeps them; system administrators and officers look them up.
  "vendors:read": { roles: ["HR", "SYSTEM_ADMIN", "SECURITY_OFFICER"] },
  "vendors:manage": { roles: ["HR"] },
  "systems:manage": { roles: ["SYSTEM_ADMIN"] },
  "org:read": { roles: ["SYSTEM_ADMIN", "HR", "SECURITY_OFFICER", "APPROVER", "ACCOUNT_ADMIN"] },
  // Master account status: HR and system administrators lock, disable, unlock, reset MFA.
  "accounts:manage": { roles: ["SYSTEM_ADMIN", "HR"] },
  "systems:read": { roles: ["SYSTEM_ADMIN", "ACCOUNT_ADMIN", "SECURITY_OFFICER", "APPROVER"], scoped: "system" },
  // A system's permissions, job roles and role-permission matrix belong to its appointed account
  // administrators (R7), not to the portal's system administrators (R16).
  "catalog:manage": { roles: ["ACCOUNT_ADMIN"], scoped: "system" },
  // A system's provisioning connector (SCIM address and credentials, or manual tasks): its account administrators.
  "connectors:manage": { roles: ["ACCOUNT_ADMIN"], scoped: "system" },
  // Who holds what: officers and approvers (their people); account administrators (their systems).
  // HR sees people, not grants' internals.
  "grants:read": { roles: ["SECURITY_OFFICER", "APPROVER", "ACCOUNT_ADMIN"] },
  // Slave accounts and grants in a system: its account administrators.
  "grants:manage": { roles: ["ACCOUNT_ADMIN"], scoped: "system" },
  // The policy check: findings for officers and (their systems') account administrators; the
  // configurable incompatible pairs (R6) belong to security.
  "policy:read": { roles: ["SECURITY_OFFICER", "ACCOUNT_ADMIN"], scoped: "system" },
  "policy:manage": { roles: ["SECURITY_OFFICER"] },
  // The sensitive-personnel roster (R3): officers see all of it, account administrators their systems.
  "roster:read": { roles: ["SECURITY_OFFICER", "ACCOUNT_ADMIN"], scoped: "system" },
  // Access requests (lib/requests). Everyone requests for themselves; approvers for people in their
  // subtree (department heads too, checked against org_unit.head_id); account administrators for
  // anyone, on their systems.
  "self:request": { roles: "everyone" },
  "requests:submit-for-people": { roles: ["APPROVER"], scoped: "org" },
  "requests:submit-for-system": { roles: ["ACCOUNT_ADMIN"], scoped: "system" },
  // Any request's detail: security officers; a system's requests: its account administrators.
  "requests:read-all": { roles: ["SECURITY_OFFICER"] },
  "requests:read-system": { roles: ["ACCOUNT_ADMIN"], scoped: "system" },
  // The approvals inbox in the navigation (anyone with open items sees it too; deciding is checked per
  // request against its stage's approvers, never by role).
  "approvals:read": { roles: ["APPROVER", "ACCOUNT_ADMIN", "SECURITY_OFFICER"] },
  // A system's own approval path (R7) belongs to its appointed account administrators; the security
  // stage for sensitive and administrative roles cannot be configured away (R8).
  "approval-chains:manage": { roles: ["ACCOUNT_ADMIN"], scoped: "system" },
  // Vault mode (R14): security officers define which operations need a second person's real-time
  // approval and who gives it (they are the approvers of the built-in scenarios too); system
  // administrators, whose own administrative grants it guards, may look but not change it (R16).
  "vault-scenarios:read": { roles: ["SECURITY_OFFICER", "SYSTEM_ADMIN"] },
  "vault-scenarios:manage": { roles: ["SECURITY_OFFICER"] },
  // API tokens of business systems and integrations (/api/v1): created and revoked by system administrators.
  "api-tokens:manage": { roles: ["SYSTEM_ADMIN"] },
  // The background jobs page (/admin/jobs): queues, runs, failures, dead letters; retrying a failed job.
  "jobs:manage": { roles: ["SYSTEM_ADMIN"] },
  // Out of office (issue 4): everyone manages their own delegations (lib/delegation checks that they
  // can approve); system administrators set one up, or end one, for an absent approver.
  "self:delegate": { roles: "everyone" },
  // My access: one's own grants, renewed through a request, given up by oneself.
  "self:access": { roles: "everyone" },
  "delegations:manage": { roles: ["SYSTEM_ADMIN"] },
  // R10 temporary elevations while they last: officers see all and end one early; account
  // administrators see their systems'.
  "elevations:read": { roles: ["SECURITY_OFFICER", "ACCOUNT_ADMIN"], scoped: "system" },
  "elevations:end": { roles: ["SECURITY_OFFICER"] },
  // Periodic access reviews (lib/reviews, issue 12): account administrators define and run campaigns
  // over their systems, security officers over anything; both follow their campaigns' progress and
  // evidence. Only officers see decision-quality signals. Deciding an item is checked per item against
  // its reviewer (and their delegates), never by role: everyone may have items in their inbox.
  "reviews:manage": { roles: ["ACCOUNT_ADMIN", "SECURITY_OFFICER"], scoped: "system" },
  "reviews:quality": { roles: ["SECURITY_OFFICER"] },
  "self:review": { roles: "everyone" },
} as const satisfies Record<string, { roles: readonly PortalRole[] | "everyone"; scoped?: "org" | "system" }>;

export type Permission = keyof typeof PERMISSIONS;

export const ALL_PORTAL_ROLES: readonly PortalRole[] = ["SYSTEM_ADMIN", "ACCOUNT_ADMIN", "APPROVER", "HR", "SECURITY_OFFICER"];

// Pairs one person may not hold together (R6, and "officers must not also administer accounts").
export const INCOMPATIBLE_PORTAL_ROLES: ReadonlyArray<readonly [PortalRole, PortalRole]> = [
  ["ACCOUNT_ADMIN", "SECURITY_OFFICER"],
  ["SYSTEM_ADMIN", "SECURITY_OFFICER"],
];

export const PRIVILEGED_ROLES: readonly PortalRole[] = ALL_PORTAL_ROLES;

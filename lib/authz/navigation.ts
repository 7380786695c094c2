import type { Actor } from "./actor";
import { can } from "./can";
import type { Permission } from "./permissions";

// Role-based views: each item appears only for those who hold its permission. The page itself
// checks again; hiding a link is never the only check.
export const NAVIGATION: ReadonlyArray<{ href: string; key: string; permission: Permission }> = [
  { href: "/", key: "home", permission: "self:read" },
  { href: "/access", key: "myAccess", permission: "self:access" },
  { href: "/requests", key: "requests", permission: "self:read" },
  { href: "/approvals", key: "approvals", permission: "approvals:read" },
  { href: "/reviews/inbox", key: "reviewInbox", permission: "self:review" },
  { href: "/delegation", key: "delegation", permission: "self:delegate" },
  { href: "/notifications", key: "notifications", permission: "self:read" },
  { href: "/people", key: "people", permission: "people:read" },
  { href: "/vendors", key: "vendors", permission: "vendors:read" },
  { href: "/offboarding", key: "offboarding", permission: "offboarding:read" },
  { href: "/reviews", key: "reviews", permission: "reviews:manage" },
  { href: "/org", key: "org", permission: "org:read" },
  { href: "/systems", key: "systems", permission: "systems:read" },
  { href: "/roster", key: "roster", permission: "roster:read" },
  { href: "/policy", key: "policy", permission: "policy:read" },
  { href: "/elevations", key: "elevations", permission: "elevations:read" },
  { href: "/audit", key: "audit", permission: "audit:read" },
  { href: "/admin/portal-roles", key: "portalRoles", permission: "portal-roles:read" },
  { href: "/admin/settings", key: "settings", permission: "settings:manage" },
  { href: "/admin/api-tokens", key: "apiTokens", permission: "api-tokens:manage" },
  { href: "/admin/vault", key: "vault", permission: "vault-scenarios:read" },
  { href: "/admin/jobs", key: "jobs", permission: "jobs:manage" },
  { href: "/account", key: "account", permission: "self:read" },
];

// `openApprovals`: the items waiting for the actor's decision. Whoever has some sees the approvals
// inbox (a department head, a sponsor or a named approver holds no portal role), with the count.
// `openReviews`: access review items the actor decides now (issue 12); "Reviews to do" appears only
// while there are some, with the count (anyone may be named a reviewer; nobody needs it otherwise).
export function navigationFor(actor: Actor, context: { openApprovals?: number; openReviews?: number } = {}) {
  const open = context.openApprovals ?? 0;
  const reviews = context.openReviews ?? 0;
  return NAVIGATION.filter((item) =>
    item.key === "reviewInbox" ? reviews > 0 : can(actor, item.permission) || (item.key === "approvals" && open > 0),
  ).map((item) =>
    item.key === "approvals" && open > 0 ? { ...item, badge: open } : item.key === "reviewInbox" ? { ...item, badge: reviews } : item,
  );
}

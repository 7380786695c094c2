import type { Actor } from "./actor";
import { can } from "./can";
import type { Permission } from "./permissions";

// Role-based views: each item appears only for those who hold its permission. The page itself
// checks again; hiding a link is never the only check.
export const NAVIGATION: ReadonlyArray<{ href: string; key: string; permission: Permission }> = [
  { href: "/", key: "home", permission: "self:read" },
  { href: "/access", key: "myAccess", permission: "self:access" },
  { href: "/people", key: "people", permission: "people:read" },
  { href: "/vendors", key: "vendors", permission: "vendors:read" },
  { href: "/org", key: "org", permission: "org:read" },
  { href: "/systems", key: "systems", permission: "systems:read" },
  { href: "/roster", key: "roster", permission: "roster:read" },
  { href: "/policy", key: "policy", permission: "policy:read" },
  { href: "/audit", key: "audit", permission: "audit:read" },
  { href: "/admin/portal-roles", key: "portalRoles", permission: "portal-roles:read" },
  { href: "/admin/settings", key: "settings", permission: "settings:manage" },
  { href: "/admin/api-tokens", key: "apiTokens", permission: "api-tokens:manage" },
  { href: "/elevations", key: "elevations", permission: "elevations:read" },
  { href: "/delegation", key: "delegation", permission: "self:delegate" },
  { href: "/account", key: "account", permission: "self:read" },
  { href: "/notifications", key: "notifications", permission: "self:read" },
  { href: "/admin/vault", key: "vault", permission: "vault-scenarios:read" },
];

export function navigationFor(actor: Actor) {
  return NAVIGATION.filter((item) => can(actor, item.permission));
}

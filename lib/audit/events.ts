// The catalogue of audited actions. Adding an action here is the only way to write one, so the audit
// page's action filter and the translations (messages: audit.actions.<action>) stay complete.
export const AUDIT_ACTIONS = [
  "auth.sign-in.succeeded",
  "auth.sign-in.failed",
  "auth.sign-out",
  "auth.mfa.enrolled",
  "auth.mfa.failed",
  "auth.mfa.reset",
  "auth.recovery-code.used",
  "auth.recovery-codes.regenerated",
  "auth.password.changed",
  "auth.password.reset",
  "auth.account.auto-locked",
  "auth.session.expired",
  "auth.sessions.revoked",
  "account.locked",
  "account.unlocked",
  "account.disabled",
  "account.enabled",
  "account.created",
  "person.created",
  "person.pii.revealed",
  "person.updated",
  "person.status-changed",
  "people.imported",
  "vendor.created",
  "vendor.updated",
  "org-unit.created",
  "org-unit.head-changed",
  "org-unit.renamed",
  "org-unit.moved",
  "org-unit.deactivated",
  "system.created",
  "system.updated",
  "permission.created",
  "permission.updated",
  "job-role.created",
  "job-role.updated",
  "matrix.changed",
  "slave-account.created",
  // Per-system imports and exports (lib/imports/account-import.ts, last-login-import.ts, system-export.ts).
  "slave-account.imported",
  "slave-account.last-login-imported",
  "slave-account.exported",
  "slave-account.locked",
  "slave-account.unlocked",
  "slave-account.disabled",
  "slave-account.enabled",
  "slave-account.deleted",
  "slave-account.owner-assigned",
  "grant.created",
  "grant.revoked",
  "grant.expired",
  "grant.imported",
  "grant.exported",
  "portal-role.granted",
  "portal-role.revoked",
  "settings.updated",
  "audit.exported",
  "roster.exported",
  "sod-rule.created",
  "sod-rule.deactivated",
  "policy.rechecked",
  "request.submitted",
  "request.decision-recorded",
  "request.stage-approved",
  "request.security-stage-added",
  "request.approved",
  "request.rejected",
  "request.cancelled",
  "request.expired",
  "grant.renewed",
  "approval-chain.updated",
  // Vault mode (lib/vault): a second person's real-time approval of one operation (R14).
  "vault.requested",
  "vault.approved",
  "vault.rejected",
  "vault.cancelled",
  "vault.expired",
  "vault.consumed",
  "vault-scenario.created",
  "vault-scenario.updated",
  "api-token.created",
  "api-token.revoked",
  "api.called",
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_TARGET_TYPES = [
  "account",
  "person",
  "vendor",
  "org-unit",
  "system",
  "permission",
  "job-role",
  "slave-account",
  "grant",
  "sod-rule",
  "portal-role",
  "settings",
  "session",
  "audit",
  "request",
  "vault-request",
  "vault-scenario",
  "api-token",
] as const;

export type AuditTargetType = (typeof AUDIT_TARGET_TYPES)[number];

export type AuditEventInput = {
  action: AuditAction;
  target?: { type: AuditTargetType; id: string | null };
  // Small before/after summary; never secrets or full personal data.
  summary?: { before?: Record<string, unknown>; after?: Record<string, unknown>; [k: string]: unknown };
  reason?: string | null;
  // What authorises the change: a request id, ticket number, HR event...
  basis?: string | null;
  // Overrides the actor name (e.g. the login name typed in a failed sign-in).
  actorNameOverride?: string;
};

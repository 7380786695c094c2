// Every kind of notification. Each is translated as notifications.kinds.<kind>.title / .body (ICU
// arguments from the notification's params) in both languages; a unit test keeps that complete.
// Next-intl keys cannot contain dots, so kinds use dashes only.
export const NOTIFICATION_KINDS = [
  // Requests (lib/requests)
  "request-submitted",
  "request-awaiting-decision",
  "request-approved",
  "request-rejected",
  "request-cancelled",
  "request-expired",
  "request-reminder",
  "request-escalated",
  // Time-bound access (lib/access)
  "grant-expiring",
  "grant-expired",
  "delegation-received",
  // Vault mode (lib/vault)
  "vault-prompt",
  "vault-decided",
  // Provisioning (lib/provisioning)
  "provisioning-dead-lettered",
  "provisioning-tasks-opened",
  "provisioning-held",
  // Access reviews (lib/reviews)
  "review-started",
  "review-reminder",
  "review-escalated",
  "review-assigned",
] as const;

export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

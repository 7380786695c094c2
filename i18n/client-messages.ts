import type { Messages } from "./messages";

/**
 * The message namespaces the browser needs (issue 13: every page carried all ~70 KB of messages, in
 * the HTML and again in the RSC payload). The root provider hands out ROOT_NAMESPACES (the shell, the
 * error pages); a route whose client components read more renders <ClientMessages route> in its
 * layout with ROUTE_NAMESPACES[route], which replaces the root's below it. tests/unit/
 * client-messages.test.ts follows each page's imports (scripts/lib/client-namespaces.ts) and fails
 * when a namespace a page's components read is missing here, or one is listed that none reads.
 */
export const ROOT_NAMESPACES = ["errorPages", "notifications.bell", "shell", "vault"] as const;

export const ROUTE_NAMESPACES = {
  "(auth)/sign-in": ["enrol", "mfa", "recoveryCodes", "signIn"],
  "(portal)/access": ["elevations", "myAccess"],
  "(portal)/account": ["account", "recoveryCodes"],
  "(portal)/account/password": ["password"],
  "(portal)/admin/api-tokens": ["apiTokens"],
  "(portal)/admin/jobs": ["jobs.retryForm"],
  "(portal)/admin/portal-roles": ["combobox", "portalRoles", "roles"],
  "(portal)/admin/settings": ["catalog", "lifecycle.classification", "requests.settings", "roles", "settings"],
  "(portal)/admin/vault": ["roles", "vault.admin"],
  "(portal)/approvals": ["requests.inbox"],
  "(portal)/delegation": ["delegation"],
  "(portal)/elevations": ["elevations", "myAccess"],
  "(portal)/org": ["combobox", "org", "orgAdmin"],
  "(portal)/people": ["combobox"],
  "(portal)/people/[id]": [
    "access",
    "combobox",
    "lifecycle.accounts",
    "lifecycle.mover",
    "lifecycle.password",
    "people",
    "personDetail",
    "staffAdmin",
    "vault.gate",
  ],
  "(portal)/people/[id]/offboard": ["offboarding.personForm"],
  "(portal)/people/import": ["accountImport", "imports"],
  "(portal)/people/new": ["combobox", "lifecycle.mover", "people", "staffAdmin"],
  "(portal)/offboarding": ["combobox", "offboarding.receipt", "offboarding.vendor"],
  "(portal)/policy": ["combobox", "policyAdmin"],
  "(portal)/requests/[id]": ["requests.detail"],
  "(portal)/requests/new": ["requests.form"],
  "(portal)/reviews": [
    "combobox",
    "reviewItem.form",
    "reviewsCampaigns.detail",
    "reviewsCampaigns.form",
    "reviewsCampaigns.list",
    "reviewsInbox.bulk",
  ],
  "(portal)/roster": ["combobox"],
  "(portal)/systems": ["catalog", "combobox", "systems"],
  "(portal)/systems/[id]": ["catalog", "combobox", "lifecycle.accounts", "systems"],
  "(portal)/systems/[id]/approvals": ["requests.chain", "requests.stages"],
  "(portal)/systems/[id]/import": ["accountImport", "imports"],
  "(portal)/systems/[id]/provisioning": ["provisioning"],
  "(portal)/vault/[id]": ["vault.prompt"],
  "(portal)/vendors": ["vendors"],
} as const satisfies Record<string, readonly string[]>;

export type ClientRoute = keyof typeof ROUTE_NAMESPACES;

/** `messages` cut down to `namespaces` (dotted paths keep their parents, nothing else). */
export function clientMessages(messages: Messages, namespaces: readonly string[]): Messages {
  const out: Messages = {};
  for (const ns of namespaces) {
    const keys = ns.split(".");
    let from: Messages | string | undefined = messages;
    for (const k of keys) from = typeof from === "object" ? from[k] : undefined;
    if (from === undefined) continue;
    let into = out;
    for (const k of keys.slice(0, -1)) {
      const next = into[k];
      into = (into[k] = typeof next === "object" ? next : {}) as Messages;
    }
    into[keys[keys.length - 1]!] = from;
  }
  return out;
}

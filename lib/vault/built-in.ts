import type { PortalRole } from "@/lib/generated/prisma/enums";

// The portal's own vault-guarded operations (R14). They exist in every installation (ensured at
// startup, in the seed and on first use) and cannot be switched off; security officers may change who
// approves them and for how long an approval stays valid.
export const REVEAL_PII_SCENARIO = "person.reveal-pii";
export const ADMIN_GRANT_SCENARIO = "grant.administrative-role";

export type BuiltInScenario = {
  code: string;
  // Its description in the UI's language: messages vault.admin.builtInDescriptions.<messageKey>.
  messageKey: "revealPii" | "adminGrant";
  name: string;
  nameEn: string;
  description: string;
  approverRoles: PortalRole[];
  validForSeconds: number;
};

export const BUILT_IN_SCENARIOS: readonly BuiltInScenario[] = [
  {
    code: REVEAL_PII_SCENARIO,
    messageKey: "revealPii",
    name: "查看完整个人信息",
    nameEn: "Reveal full personal data",
    description:
      "Showing a person's full ID number, phone number or e-mail address (R15) needs a security officer's approval at that moment.",
    approverRoles: ["SECURITY_OFFICER"],
    validForSeconds: 300,
  },
  {
    code: ADMIN_GRANT_SCENARIO,
    messageKey: "adminGrant",
    name: "授予超级管理员角色",
    nameEn: "Grant a super-administrator role",
    description:
      "Granting a job role flagged administrative (super-administrator) directly, outside an approved access request, needs a security officer's approval at that moment.",
    approverRoles: ["SECURITY_OFFICER"],
    validForSeconds: 300,
  },
];

export const isBuiltInScenario = (code: string) => BUILT_IN_SCENARIOS.some((s) => s.code === code);

/**
 * The message key of a built-in scenario's description while it is the one the portal wrote (shown in
 * the reader's language); null for other scenarios or once an officer has written their own.
 */
export function builtInDescriptionKey(code: string, stored: string | null): BuiltInScenario["messageKey"] | null {
  const builtIn = BUILT_IN_SCENARIOS.find((s) => s.code === code);
  return builtIn && (!stored || stored === builtIn.description) ? builtIn.messageKey : null;
}

/** The operation string a portal vault approval is bound to. */
export const vaultOperation = {
  revealPii: (field: "phone" | "email" | "idNumber") => `reveal:${field}`,
  grantRole: (roleId: string) => `grant:${roleId}`,
};

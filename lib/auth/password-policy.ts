import { dictionary } from "@zxcvbn-ts/language-common";

export type PasswordProfile = "modern" | "operator";

export type PasswordViolation = "too-short" | "too-long" | "common" | "contains-identity" | "character-classes" | "reused";

export const PASSWORD_RULES = {
  modern: { minLength: 12, maxLength: 128, rotationDays: null, historySize: 0, classes: 0 },
  operator: { minLength: 8, maxLength: 128, rotationDays: 90, historySize: 5, classes: 3 },
} as const;

let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  // ~49,000 most common passwords, shipped with @zxcvbn-ts/language-common.
  common ??= new Set((dictionary["passwords-common"] as string[]).map((p) => p.toLowerCase()));
  return common;
}

export function characterClasses(password: string): number {
  return [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
}

/** Pure checks that need no history. `identity` holds the employee number, name and e-mail. */
export function checkPassword(profile: PasswordProfile, password: string, identity: string[] = []): PasswordViolation[] {
  const rules = PASSWORD_RULES[profile];
  const violations: PasswordViolation[] = [];
  const length = [...password].length;
  if (length < rules.minLength) violations.push("too-short");
  if (length > rules.maxLength) violations.push("too-long");
  if (rules.classes > 0 && characterClasses(password) < rules.classes) violations.push("character-classes");
  const lower = password.toLowerCase();
  if (commonPasswords().has(lower)) violations.push("common");
  const parts = identity.map((s) => s.trim().toLowerCase()).filter((s) => s.length >= 3);
  if (parts.some((p) => lower.includes(p))) violations.push("contains-identity");
  return violations;
}

export function isPasswordExpired(profile: PasswordProfile, changedAt: Date | null, now = new Date()): boolean {
  const days = PASSWORD_RULES[profile].rotationDays;
  if (days === null) return false;
  if (!changedAt) return true;
  return now.getTime() - changedAt.getTime() > days * 86_400_000;
}

import { z } from "zod";
import type { Tx } from "@/lib/db";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { PRIVILEGED_ROLES } from "@/lib/authz/permissions";
import { text } from "@/lib/validation";

export const SECURITY_SETTINGS_KEY = "security";

/** Portal roles whose second factor no security setting can turn off. */
export const MFA_MANDATORY_ROLES = ["SYSTEM_ADMIN", "SECURITY_OFFICER"] as const;

const RoleOrStaff = z.enum(["SYSTEM_ADMIN", "ACCOUNT_ADMIN", "APPROVER", "HR", "SECURITY_OFFICER", "STAFF"]);

export const SecuritySettingsSchema = z.object({
  passwordProfile: z.enum(["modern", "operator"]),
  // Portal roles whose holders must use a second factor; "STAFF" means everyone.
  // System administrators and security & audit officers always need one (issue 9 §3): they can change
  // everyone's access and the audit's settings, so a stolen password alone must not be enough.
  mfaRequiredRoles: z
    .array(RoleOrStaff)
    .max(6)
    .refine((roles) => roles.includes("STAFF") || MFA_MANDATORY_ROLES.every((r) => roles.includes(r)), "mfa-roles-mandatory"),
  lockoutThreshold: z.coerce.number().int().min(3).max(20),
  lockoutMinutes: z.coerce.number().int().min(1).max(1440),
  ipThrottleThreshold: z.coerce.number().int().min(5).max(1000),
  ipThrottleWindowMinutes: z.coerce.number().int().min(1).max(1440),
  idleTimeoutMinutes: z.coerce.number().int().min(5).max(480),
  absoluteTimeoutHours: z.coerce.number().int().min(1).max(72),
  // Who approves for the head of a unit at the top of the org tree, where nobody heads a level above
  // (issue 9 §5); null: the system's owners and the security officers do.
  rootApproverId: text().uuid("invalid").nullable().default(null),
});

export type SecuritySettings = z.infer<typeof SecuritySettingsSchema>;

export function defaultSecuritySettings(passwordProfile: "modern" | "operator" = "modern"): SecuritySettings {
  return {
    passwordProfile,
    mfaRequiredRoles: [...PRIVILEGED_ROLES],
    lockoutThreshold: 5,
    lockoutMinutes: 15,
    ipThrottleThreshold: 30,
    ipThrottleWindowMinutes: 15,
    idleTimeoutMinutes: 30,
    absoluteTimeoutHours: 12,
    rootApproverId: null,
  };
}

export async function getSecuritySettings(db: Tx | PrismaClient): Promise<SecuritySettings> {
  const row = await db.setting.findUnique({ where: { key: SECURITY_SETTINGS_KEY }, select: { value: true } });
  const fallback = defaultSecuritySettings((process.env.PASSWORD_PROFILE as "modern" | "operator" | undefined) ?? "modern");
  if (!row) return fallback;
  const parsed = SecuritySettingsSchema.safeParse({ ...fallback, ...(row.value as object) });
  return parsed.success ? parsed.data : fallback;
}

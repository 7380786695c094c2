import { z } from "zod";
import { decryptOptional } from "@/lib/crypto";
import type { Tx } from "@/lib/db";
import type { PersonActor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { getSecuritySettings } from "@/lib/settings/security-settings";
import { hashPassword, verifyPassword } from "./hashing";
import { checkPassword, PASSWORD_RULES } from "./password-policy";
import { text } from "@/lib/validation";

export const ChangePasswordInput = z
  .object({
    currentPassword: text().min(1, "required").max(1024, "too-long"),
    newPassword: text().min(1, "required").max(1024, "too-long"),
    confirmPassword: text().max(1024, "too-long"),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { path: ["confirmPassword"], message: "mismatch" });

export async function changePassword(tx: Tx, actor: PersonActor, input: z.infer<typeof ChangePasswordInput>): Promise<void> {
  assertCan(actor, "self:manage-security");
  const settings = await getSecuritySettings(tx);
  const account = await tx.masterAccount.findUniqueOrThrow({
    where: { id: actor.accountId },
    select: { id: true, passwordHash: true, person: { select: { employeeNo: true, name: true, emailEnc: true } } },
  });
  if (!account.passwordHash || !(await verifyPassword(account.passwordHash, input.currentPassword))) {
    throw new DomainError("PASSWORD_WRONG", { field: "currentPassword" });
  }
  const identity = [account.person.employeeNo, account.person.name, decryptOptional(account.person.emailEnc)?.split("@")[0] ?? ""];
  const violations = checkPassword(settings.passwordProfile, input.newPassword, identity);
  if (violations.length) throw new DomainError("PASSWORD_POLICY", { field: "newPassword", params: { rule: violations[0]! } });
  await assertNotReused(tx, account.id, account.passwordHash, input.newPassword, settings.passwordProfile);
  await setPassword(tx, account.id, input.newPassword);
  await recordAuditEvent(tx, actor, { action: "auth.password.changed", target: { type: "account", id: account.id } });
}

async function assertNotReused(
  tx: Tx,
  accountId: string,
  currentHash: string,
  password: string,
  profile: "modern" | "operator",
): Promise<void> {
  const size = PASSWORD_RULES[profile].historySize;
  if (await verifyPassword(currentHash, password))
    throw new DomainError("PASSWORD_POLICY", { field: "newPassword", params: { rule: "reused" } });
  if (size <= 1) return;
  const history = await tx.passwordHistory.findMany({
    where: { accountId },
    orderBy: { createdAt: "desc" },
    take: size - 1,
    select: { hash: true },
  });
  for (const h of history) {
    if (await verifyPassword(h.hash, password))
      throw new DomainError("PASSWORD_POLICY", { field: "newPassword", params: { rule: "reused" } });
  }
}

/** Stores a new password and keeps the old hash in the history (for the operator profile's reuse rule). */
export async function setPassword(tx: Tx, accountId: string, password: string, opts: { mustChange?: boolean } = {}): Promise<void> {
  const current = await tx.masterAccount.findUniqueOrThrow({ where: { id: accountId }, select: { passwordHash: true } });
  if (current.passwordHash) await tx.passwordHistory.create({ data: { accountId, hash: current.passwordHash } });
  await tx.masterAccount.update({
    where: { id: accountId },
    data: { passwordHash: await hashPassword(password), passwordChangedAt: new Date(), mustChangePassword: opts.mustChange ?? false },
  });
}

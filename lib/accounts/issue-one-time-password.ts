import { z } from "zod";
import { decryptOptional } from "@/lib/crypto";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan, can } from "@/lib/authz/can";
import { hasRole } from "@/lib/authz/actor";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { getSecuritySettings } from "@/lib/settings/security-settings";
import { setPassword } from "@/lib/auth/change-password";
import { generateOneTimePassword } from "@/lib/auth/one-time-password";
import { ReasonInput, text } from "@/lib/validation";

export const IssueOneTimePasswordInput = z.object({ personId: text().uuid("invalid"), reason: ReasonInput });

/**
 * For people without a password (created in the portal or by import) or who lost theirs: HR or a
 * system administrator ("accounts:manage") issues a one-time password. The person's master account is
 * created if missing (exactly one per person, R2: the person row is locked and the key is unique).
 * A strong random password satisfying the active password profile is generated; only its argon2
 * hash is stored, with must_change_password so the first sign-in forces a new one (and, if their role
 * requires it, TOTP enrolment). Every open session and half-finished sign-in of the account ends; a
 * temporary lock-out is lifted. The password is returned once, to be shown once; it is never logged
 * or audited. Not for oneself (the normal change is) and not for a person who has left. Holders of
 * portal roles get theirs from a system administrator only (R16: HR cannot take over an administrator's
 * sign-in).
 */
export async function issueOneTimePassword(tx: Tx, actor: Actor, raw: z.input<typeof IssueOneTimePasswordInput>, now = new Date()) {
  const input = IssueOneTimePasswordInput.parse(raw);
  assertCan(actor, "accounts:manage");
  const [person] = await tx.$queryRaw<{ id: string; employee_no: string; name: string; email_enc: string | null; status: string }[]>`
    SELECT id::text, employee_no, name, email_enc, status::text FROM person WHERE id = ${input.personId}::uuid FOR UPDATE`;
  if (!person) throw new DomainError("NOT_FOUND", { field: "personId" });
  if (actor.kind === "person" && actor.personId === person.id) throw new DomainError("FORBIDDEN", { params: { permission: "self" } });
  if (person.status === "LEFT") throw new DomainError("PERSON_LEFT");
  const privileged = await tx.portalRoleAssignment.count({ where: { personId: person.id } });
  if (privileged > 0 && actor.kind === "person" && !hasRole(actor, "SYSTEM_ADMIN")) {
    throw new DomainError("FORBIDDEN", { params: { permission: "accounts:manage" } });
  }

  let account = await tx.masterAccount.findUnique({ where: { personId: person.id }, select: { id: true } });
  const accountCreated = !account;
  if (!account) account = await tx.masterAccount.create({ data: { personId: person.id }, select: { id: true } });

  const settings = await getSecuritySettings(tx);
  const password = generateOneTimePassword(settings.passwordProfile, [
    person.employee_no,
    person.name,
    decryptOptional(person.email_enc)?.split("@")[0] ?? "",
  ]);
  await setPassword(tx, account.id, password, { mustChange: true });
  await tx.masterAccount.update({ where: { id: account.id }, data: { failedAttempts: 0, lockedUntil: null } });
  const ended = await tx.portalSession.updateMany({
    where: { accountId: account.id, revokedAt: null },
    data: { revokedAt: now, revokedReason: "password-reset" },
  });
  await tx.pendingSignIn.deleteMany({ where: { accountId: account.id } });

  if (accountCreated) {
    await recordAuditEvent(tx, actor, {
      action: "account.created",
      target: { type: "account", id: account.id },
      summary: { personId: person.id },
      reason: input.reason,
    });
  }
  await recordAuditEvent(tx, actor, {
    action: "auth.password.reset",
    target: { type: "account", id: account.id },
    summary: { personId: person.id, employeeNo: person.employee_no, accountCreated, mustChangePassword: true, sessionsEnded: ended.count },
    reason: input.reason,
  });
  return { password, accountId: account.id, accountCreated, sessionsEnded: ended.count };
}

/** Whether the actor may issue one for this person (for the page; the use case decides). */
export function canIssueOneTimePassword(actor: Actor, person: { id: string; status: string; hasPortalRoles: boolean }): boolean {
  if (!can(actor, "accounts:manage") || person.status === "LEFT") return false;
  if (actor.kind === "person" && actor.personId === person.id) return false;
  return !person.hasPortalRoles || hasRole(actor, "SYSTEM_ADMIN");
}

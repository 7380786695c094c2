import { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { assertSystemAdminRemains } from "@/lib/portal-roles/last-system-admin";
import { ReasonInput, text } from "@/lib/validation";

export const SetAccountStatusInput = z.object({
  accountId: text().uuid("invalid"),
  change: z.enum(["lock", "unlock", "disable", "enable"]),
  reason: ReasonInput,
});

const TRANSITIONS = {
  lock: { from: ["ACTIVE"], to: "LOCKED", action: "account.locked" },
  unlock: { from: ["LOCKED"], to: "ACTIVE", action: "account.unlocked" },
  disable: { from: ["ACTIVE", "LOCKED"], to: "DISABLED", action: "account.disabled" },
  enable: { from: ["DISABLED"], to: "ACTIVE", action: "account.enabled" },
} as const;

/**
 * Locks, unlocks, disables or re-enables a master account. Compare-and-set on the current status,
 * so two administrators acting at once get one change and a conflict; locking or disabling ends
 * every open session in the same transaction.
 */
export async function setAccountStatus(tx: Tx, actor: Actor, raw: z.input<typeof SetAccountStatusInput>) {
  const input = SetAccountStatusInput.parse(raw);
  assertCan(actor, "accounts:manage");
  const t = TRANSITIONS[input.change];
  const account = await tx.masterAccount.findUnique({ where: { id: input.accountId }, select: { id: true, status: true, personId: true } });
  if (!account) throw new DomainError("NOT_FOUND");
  if (actor.kind === "person" && account.personId === actor.personId && input.change !== "unlock") {
    throw new DomainError("FORBIDDEN", { params: { permission: "self" } });
  }
  if (t.to !== "ACTIVE") {
    const isAdmin = await tx.portalRoleAssignment.count({ where: { personId: account.personId, role: "SYSTEM_ADMIN" } });
    if (isAdmin > 0) await assertSystemAdminRemains(tx, { personId: account.personId });
  }
  const changed = await tx.masterAccount.updateMany({
    where: { id: account.id, status: { in: [...t.from] } },
    data: { status: t.to, ...(input.change === "unlock" ? { lockedUntil: null, failedAttempts: 0 } : {}) },
  });
  if (changed.count !== 1) throw new DomainError("CONFLICT", { params: { status: account.status } });
  let sessionsEnded = 0;
  if (t.to !== "ACTIVE") {
    const ended = await tx.portalSession.updateMany({
      where: { accountId: account.id, revokedAt: null },
      data: { revokedAt: new Date(), revokedReason: input.change },
    });
    sessionsEnded = ended.count;
  }
  await recordAuditEvent(tx, actor, {
    action: t.action,
    target: { type: "account", id: account.id },
    summary: { before: { status: account.status }, after: { status: t.to }, sessionsEnded },
    reason: input.reason,
  });
  return { status: t.to, sessionsEnded };
}

import type { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { enqueueProvisioning } from "@/lib/provisioning/enqueue";
import { endGrants, liveGrantIds } from "@/lib/grants/end-grants";
import { ChangeSlaveAccountStatusInput, type SlaveAccountChange, type SlaveAccountStatus } from "./schemas";
import { accountStatusRows, statusChangeAction } from "./stop-access";

const TRANSITIONS: Record<SlaveAccountChange, { from: readonly SlaveAccountStatus[]; to: SlaveAccountStatus; endsGrants: boolean }> = {
  lock: { from: ["ACTIVE"], to: "LOCKED", endsGrants: false },
  unlock: { from: ["LOCKED"], to: "ACTIVE", endsGrants: false },
  disable: { from: ["ACTIVE", "LOCKED"], to: "DISABLED", endsGrants: true },
  enable: { from: ["DISABLED"], to: "ACTIVE", endsGrants: false },
  // Deleting is a status: the row, its login name and its grant history stay (R12, R13).
  delete: { from: ["ACTIVE", "LOCKED", "DISABLED"], to: "DELETED", endsGrants: true },
};

/** The changes an account in this status allows (for the forms). */
export function allowedSlaveAccountChanges(status: SlaveAccountStatus): SlaveAccountChange[] {
  return (Object.keys(TRANSITIONS) as SlaveAccountChange[]).filter((c) => TRANSITIONS[c].from.includes(status));
}

/**
 * Locks, unlocks, disables, re-enables or deletes a slave account, by an account administrator of its
 * system, with a reason. The account row is locked and the status compared-and-set, so two
 * administrators acting at once produce one change; the other gets CONFLICT (their form showed an older
 * status) or SLAVE_ACCOUNT_TRANSITION. Disabling or deleting revokes the account's live grants in the
 * same transaction (lib/grants/end-grants.ts: one UPDATE, outbox rows, the owner's findings rebuilt,
 * one audit row listing them). Unlocking or re-enabling needs a current, active owner (an orphan gets
 * an owner first, R2). Connected systems get outbox rows for the account.
 */
export async function changeSlaveAccountStatus(tx: Tx, actor: Actor, raw: z.input<typeof ChangeSlaveAccountStatusInput>, now = new Date()) {
  const input = ChangeSlaveAccountStatusInput.parse(raw);
  const t = TRANSITIONS[input.change];
  const [account] = await tx.$queryRaw<
    { id: string; system_id: string; person_id: string | null; login_name: string; status: SlaveAccountStatus }[]
  >`
    SELECT id::text, system_id::text, person_id::text, login_name, status::text AS status FROM slave_account WHERE id = ${input.slaveAccountId}::uuid FOR UPDATE`;
  if (!account) throw new DomainError("NOT_FOUND", { field: "slaveAccountId" });
  assertCan(actor, "grants:manage", { systemId: account.system_id });
  if (input.expectedStatus && input.expectedStatus !== account.status)
    throw new DomainError("CONFLICT", { params: { status: account.status } });
  if (!t.from.includes(account.status)) {
    throw new DomainError("SLAVE_ACCOUNT_TRANSITION", { field: "change", params: { status: account.status, change: input.change } });
  }
  if (t.to === "ACTIVE") {
    // A separate statement, so the owner's status is read after the account lock was granted.
    const owner = account.person_id ? await tx.person.findUnique({ where: { id: account.person_id }, select: { status: true } }) : null;
    if (!owner || owner.status === "LEFT") throw new DomainError("SLAVE_ACCOUNT_ORPHAN");
    if (owner.status !== "ACTIVE") throw new DomainError("OWNER_NOT_ACTIVE", { params: { status: owner.status } });
  }

  const changed = await tx.slaveAccount.updateMany({ where: { id: account.id, status: account.status }, data: { status: t.to } });
  if (changed.count !== 1) throw new DomainError("CONFLICT", { params: { status: account.status } });

  const cause = `slave-account-${input.change}`;
  const accountChange = {
    id: account.id,
    systemId: account.system_id,
    personId: account.person_id,
    loginName: account.login_name,
    before: account.status,
    after: t.to,
  };
  await enqueueProvisioning(tx, accountStatusRows([accountChange], cause));
  const grants = t.endsGrants
    ? await endGrants(tx, actor, await liveGrantIds(tx, { slaveAccountIds: [account.id] }, { now }), {
        cause,
        reason: input.reason,
        basis: input.basis,
        target: { type: "slave-account", id: account.id },
        summary: { personId: account.person_id, systemId: account.system_id },
        now,
      })
    : [];

  const action = statusChangeAction(account.status, t.to);
  await recordAuditEvent(tx, actor, {
    action,
    target: { type: "slave-account", id: account.id },
    summary: {
      systemId: account.system_id,
      personId: account.person_id,
      loginName: account.login_name,
      before: { status: account.status },
      after: { status: t.to },
      grantsRevoked: grants.length,
    },
    reason: input.reason,
    basis: input.basis,
  });
  return { id: account.id, status: t.to, before: account.status, grantIds: grants.map((g) => g.id) };
}

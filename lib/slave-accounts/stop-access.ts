import type { Tx } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/authz/actor";
import { enqueueProvisioning, type ProvisioningRow } from "@/lib/provisioning/enqueue";
import { endGrants, liveGrantIds, type EndedGrant, type GrantEnd } from "@/lib/grants/end-grants";
import type { AuditItemInput } from "@/lib/audit/items";
import type { SlaveAccountStatus } from "./schemas";

// Set-based building blocks for stopping access (leavers, suspensions, an administrator disabling or
// deleting an account); grants end through lib/grants/end-grants.ts. Lock order everywhere: person,
// then slave accounts (by id), then grants; audit rows last (the audit insert takes the chain lock
// until commit: docs/decisions/0003).

export type ChangedAccount = {
  id: string;
  systemId: string;
  personId: string | null;
  loginName: string;
  before: SlaveAccountStatus;
  after: SlaveAccountStatus;
};

/**
 * Moves the selected people's accounts (or the accounts named) that are in one of the `from` statuses
 * to `to`, in one UPDATE after locking them in id order. Returns the accounts changed with their
 * previous status.
 */
export async function setPeopleAccountsStatus(
  tx: Tx,
  sel: readonly string[] | { slaveAccountIds: readonly string[] },
  from: readonly SlaveAccountStatus[],
  to: SlaveAccountStatus,
): Promise<ChangedAccount[]> {
  const ids = Array.isArray(sel) ? sel : (sel as { slaveAccountIds: readonly string[] }).slaveAccountIds;
  if (ids.length === 0) return [];
  const which = Array.isArray(sel) ? Prisma.sql`person_id = ANY(${[...ids]}::uuid[])` : Prisma.sql`id = ANY(${[...ids]}::uuid[])`;
  const rows = await tx.$queryRaw<
    { id: string; system_id: string; person_id: string | null; login_name: string; before: SlaveAccountStatus }[]
  >`
    WITH locked AS (
      SELECT id, status FROM slave_account
      WHERE ${which} AND status::text = ANY(${[...from]}::text[])
      ORDER BY id FOR UPDATE)
    UPDATE slave_account s SET status = ${to}::"SlaveAccountStatus", updated_at = now()
    FROM locked WHERE s.id = locked.id
    RETURNING s.id::text, s.system_id::text, s.person_id::text, s.login_name, locked.status::text AS before`;
  return rows
    .map((r) => ({ id: r.id, systemId: r.system_id, personId: r.person_id, loginName: r.login_name, before: r.before, after: to }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The audit action and outbox operation of a status change ("slave-account.disabled"…). */
export function statusChangeAction(before: SlaveAccountStatus, after: SlaveAccountStatus) {
  if (after === "ACTIVE") return before === "LOCKED" ? "slave-account.unlocked" : "slave-account.enabled";
  return after === "LOCKED" ? "slave-account.locked" : after === "DISABLED" ? "slave-account.disabled" : "slave-account.deleted";
}

/** A bulk audit event's items for accounts whose status changed (issue 14 §3). */
export function accountItems(accounts: readonly ChangedAccount[]): AuditItemInput[] {
  return accounts.map((a) => ({
    kind: "slave-account",
    subjectId: a.id,
    personId: a.personId,
    detail: { systemId: a.systemId, loginName: a.loginName, before: { status: a.before }, after: { status: a.after } },
  }));
}

/** Outbox rows telling connected systems an account's new status. */
export function accountStatusRows(accounts: readonly ChangedAccount[], cause: string): ProvisioningRow[] {
  return accounts.map((a) => ({
    systemId: a.systemId,
    operation: statusChangeAction(a.before, a.after),
    slaveAccountId: a.id,
    payload: { slaveAccountId: a.id, loginName: a.loginName, before: a.before, after: a.after, cause },
  }));
}

/**
 * Stops people's access at once (R5, R10): their accounts move to `accountStatus` (DISABLED for
 * leavers, LOCKED for suspensions; a disabled or deleted account stays as it is) with outbox rows, and
 * every live grant ends through endGrants (outbox rows, findings rebuilt, one `grant.revoked` audit
 * row), all in the caller's transaction. The caller has locked the people (or changed their status)
 * and audits the account changes after this.
 */
export async function stopPeopleAccess(
  tx: Tx,
  actor: Actor,
  opts: {
    personIds: readonly string[];
    accountStatus: "DISABLED" | "LOCKED";
    reason: string;
    cause: string;
    now: Date;
    audit: Pick<GrantEnd, "target" | "summary">;
  },
): Promise<{ grants: EndedGrant[]; accounts: ChangedAccount[] }> {
  const { personIds, now } = opts;
  if (personIds.length === 0) return { grants: [], accounts: [] };
  const from: SlaveAccountStatus[] = opts.accountStatus === "DISABLED" ? ["ACTIVE", "LOCKED"] : ["ACTIVE"];
  const accounts = await setPeopleAccountsStatus(tx, personIds, from, opts.accountStatus);
  await enqueueProvisioning(tx, accountStatusRows(accounts, opts.cause));
  const grantIds = await liveGrantIds(tx, { personIds }, { now });
  const grants = await endGrants(tx, actor, grantIds, { cause: opts.cause, reason: opts.reason, now, ...opts.audit });
  return { grants, accounts };
}

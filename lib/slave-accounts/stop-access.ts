import type { Tx } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { Sensitivity } from "@/lib/generated/prisma/enums";
import { enqueueProvisioning, type ProvisioningRow } from "@/lib/provisioning/enqueue";
import { rebuildFindingsFor } from "@/lib/policy/recheck-policies";
import type { SlaveAccountStatus } from "./schemas";

// Set-based building blocks for stopping access (leavers, suspensions, movers, an administrator
// disabling or deleting an account). Lock order everywhere: person, then slave accounts (by id), then
// grants; audit rows last (the audit insert takes the chain lock until commit: docs/decisions/0003).

export type RevokedGrant = {
  id: string;
  slaveAccountId: string;
  systemId: string;
  personId: string | null;
  loginName: string;
  roleId: string;
  roleCode: string;
};

export type ChangedAccount = {
  id: string;
  systemId: string;
  personId: string | null;
  loginName: string;
  before: SlaveAccountStatus;
  after: SlaveAccountStatus;
};

type Selection = { personIds: readonly string[] } | { slaveAccountIds: readonly string[] };

function accountFilter(sel: Selection): Prisma.Sql {
  return "personIds" in sel
    ? Prisma.sql`s.person_id = ANY(${[...sel.personIds]}::uuid[])`
    : Prisma.sql`s.id = ANY(${[...sel.slaveAccountIds]}::uuid[])`;
}

function isEmpty(sel: Selection): boolean {
  return "personIds" in sel ? sel.personIds.length === 0 : sel.slaveAccountIds.length === 0;
}

/**
 * Ends, in one UPDATE, every live grant on the selected accounts (all of a person's accounts, or the
 * accounts named), or only the sensitive ones when `sensitiveLevels` is given: a grant is sensitive
 * when its role's matrix, now, holds a permission of one of those levels (the roster's rule, R3).
 * The rows stay (end-dated, never deleted). Returns what was revoked, sorted by grant id.
 */
export async function revokeLiveGrants(
  tx: Tx,
  sel: Selection,
  opts: { revokedById: string | null; reason: string; now: Date; sensitiveLevels?: readonly Sensitivity[] },
): Promise<RevokedGrant[]> {
  if (isEmpty(sel)) return [];
  const { now } = opts;
  const sensitiveOnly = opts.sensitiveLevels
    ? Prisma.sql`AND EXISTS (
        SELECT 1 FROM role_permission rp JOIN permission p ON p.id = rp.permission_id
        WHERE rp.role_id = g.role_id AND rp.starts_at <= ${now} AND (rp.ends_at IS NULL OR rp.ends_at > ${now})
          AND p.sensitivity = ANY(${[...opts.sensitiveLevels]}::"Sensitivity"[]))`
    : Prisma.empty;
  const rows = await tx.$queryRaw<
    {
      id: string;
      slave_account_id: string;
      system_id: string;
      person_id: string | null;
      login_name: string;
      role_id: string;
      role_code: string;
    }[]
  >`
    UPDATE access_grant g
    SET revoked_at = ${now}, revoked_by_id = ${opts.revokedById}::uuid, revoke_reason = ${opts.reason}
    FROM slave_account s, job_role r
    WHERE g.slave_account_id = s.id AND r.id = g.role_id AND ${accountFilter(sel)}
      AND g.revoked_at IS NULL AND (g.ends_at IS NULL OR g.ends_at > ${now})
      ${sensitiveOnly}
    RETURNING g.id::text, s.id::text AS slave_account_id, s.system_id::text, s.person_id::text, s.login_name, r.id::text AS role_id, r.code AS role_code`;
  return rows
    .map((r) => ({
      id: r.id,
      slaveAccountId: r.slave_account_id,
      systemId: r.system_id,
      personId: r.person_id,
      loginName: r.login_name,
      roleId: r.role_id,
      roleCode: r.role_code,
    }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * Moves the selected people's accounts that are in one of the `from` statuses to `to`, in one UPDATE
 * after locking them in id order. Returns the accounts changed with their previous status.
 */
export async function setPeopleAccountsStatus(
  tx: Tx,
  personIds: readonly string[],
  from: readonly SlaveAccountStatus[],
  to: SlaveAccountStatus,
): Promise<ChangedAccount[]> {
  if (personIds.length === 0) return [];
  const rows = await tx.$queryRaw<
    { id: string; system_id: string; person_id: string | null; login_name: string; before: SlaveAccountStatus }[]
  >`
    WITH locked AS (
      SELECT id, status FROM slave_account
      WHERE person_id = ANY(${[...personIds]}::uuid[]) AND status::text = ANY(${[...from]}::text[])
      ORDER BY id FOR UPDATE)
    UPDATE slave_account s SET status = ${to}::"SlaveAccountStatus", updated_at = now()
    FROM locked WHERE s.id = locked.id
    RETURNING s.id::text, s.system_id::text, s.person_id::text, s.login_name, locked.status::text AS before`;
  return rows
    .map((r) => ({ id: r.id, systemId: r.system_id, personId: r.person_id, loginName: r.login_name, before: r.before, after: to }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Outbox rows telling connected systems to remove the revoked grants. */
export function grantRevocationRows(grants: readonly RevokedGrant[], cause: string): ProvisioningRow[] {
  return grants.map((g) => ({
    systemId: g.systemId,
    operation: "grant.revoked",
    grantId: g.id,
    slaveAccountId: g.slaveAccountId,
    payload: { grantId: g.id, loginName: g.loginName, roleCode: g.roleCode, cause },
  }));
}

/** The audit action and outbox operation of a status change ("slave-account.disabled"…). */
export function statusChangeAction(before: SlaveAccountStatus, after: SlaveAccountStatus) {
  if (after === "ACTIVE") return before === "LOCKED" ? "slave-account.unlocked" : "slave-account.enabled";
  return after === "LOCKED" ? "slave-account.locked" : after === "DISABLED" ? "slave-account.disabled" : "slave-account.deleted";
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
 * leavers, LOCKED for suspensions; a disabled or deleted account stays as it is), every live grant is
 * revoked, connected systems get outbox rows and the people's policy findings are rebuilt, all in the
 * caller's transaction. The caller has locked the people (or changed their status) and writes the audit.
 */
export async function stopPeopleAccess(
  tx: Tx,
  opts: {
    personIds: readonly string[];
    accountStatus: "DISABLED" | "LOCKED";
    revokedById: string | null;
    reason: string;
    cause: string;
    now: Date;
  },
): Promise<{ grants: RevokedGrant[]; accounts: ChangedAccount[] }> {
  const { personIds, now } = opts;
  if (personIds.length === 0) return { grants: [], accounts: [] };
  const from: SlaveAccountStatus[] = opts.accountStatus === "DISABLED" ? ["ACTIVE", "LOCKED"] : ["ACTIVE"];
  const accounts = await setPeopleAccountsStatus(tx, personIds, from, opts.accountStatus);
  const grants = await revokeLiveGrants(tx, { personIds }, { revokedById: opts.revokedById, reason: opts.reason, now });
  await enqueueProvisioning(tx, [...accountStatusRows(accounts, opts.cause), ...grantRevocationRows(grants, opts.cause)]);
  await rebuildFindingsFor(tx, personIds, now);
  return { grants, accounts };
}

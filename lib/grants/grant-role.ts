import type { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import { GrantRoleInput } from "./schemas";
import { loadRole } from "@/lib/policy/context";
import { checkGrant } from "@/lib/policy/check-grant";
import { createGrantUnderPolicy } from "./create-grant";
import { requireVaultApproval } from "@/lib/vault/consume-vault-approval";
import { ADMIN_GRANT_SCENARIO, vaultOperation } from "@/lib/vault/built-in";

/**
 * Grants a job role of a business system to a person (R1: roles only), through their slave account in
 * that system, created here if they have none, for as long as an access request could ask. Authorized by the system's account administrators
 * ("grants:manage"); everything after that (the policy engine under a lock on the person, the account,
 * the grant, audit, outbox) is createGrantUnderPolicy, which access requests' final approvals share.
 */
export async function grantRole(tx: Tx, actor: Actor, raw: z.input<typeof GrantRoleInput>, now = new Date()) {
  const input = GrantRoleInput.parse(raw);
  const role = await loadRole(tx, input.roleId);
  if (!role || !role.isActive || !role.system.isActive) throw new DomainError("NOT_FOUND", { field: "roleId" });
  assertCan(actor, "grants:manage", { systemId: role.systemId });
  // The same duration rules as an access request (lib/policy/duration.ts): a sensitive or
  // administrator role, or any role for a third party, is time-bound; sensitive ones within the
  // setting's maximum, a third party's never past their contract end. Checked before the vault prompt
  // (no officer is asked to approve a grant that cannot be made); when the role is refused outright by
  // the policy engine, that is the answer rather than the end date.
  const { duration, violations } = await checkGrant(tx, { person: input.personId, role, endsAt: input.endsAt ?? null, kind: "GRANT" }, now);
  if (duration) {
    if (violations.length) throw new DomainError("POLICY_VIOLATION", { details: violations, params: { count: violations.length } });
    throw new DomainError(duration.code, { field: duration.field, params: duration.params });
  }
  // R14: a super-administrator role given directly needs a security officer's approval at that moment,
  // single-use and bound to this role and person (an approved access request's grant does not: its
  // approval chain, with the security stage, is the control). Consumed in this transaction.
  if (role.isAdministrative) {
    await requireVaultApproval(
      tx,
      actor,
      ADMIN_GRANT_SCENARIO,
      {
        vaultRequestId: input.vaultRequestId,
        operation: vaultOperation.grantRole(role.id),
        targetType: "person",
        targetId: input.personId,
      },
      now,
    );
  }
  return createGrantUnderPolicy(tx, actor, input, { role }, now);
}

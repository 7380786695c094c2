import type { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import { GrantRoleInput } from "./schemas";
import { loadRole } from "./policy-context";
import { createGrantUnderPolicy } from "./create-grant";
import { requireVaultApproval } from "@/lib/vault/consume-vault-approval";
import { ADMIN_GRANT_SCENARIO, vaultOperation } from "@/lib/vault/built-in";

/**
 * Grants a job role of a business system to a person (R1: roles only), through their slave account in
 * that system, created here if they have none. Authorized by the system's account administrators
 * ("grants:manage"); everything after that (the policy engine under a lock on the person, the account,
 * the grant, audit, outbox) is createGrantUnderPolicy, which access requests' final approvals share.
 */
export async function grantRole(tx: Tx, actor: Actor, raw: z.input<typeof GrantRoleInput>, now = new Date()) {
  const input = GrantRoleInput.parse(raw);
  const role = await loadRole(tx, input.roleId);
  if (!role || !role.isActive || !role.system.isActive) throw new DomainError("NOT_FOUND", { field: "roleId" });
  assertCan(actor, "grants:manage", { systemId: role.systemId });
  // R14: a super-administrator role given directly needs a security officer's approval at that moment,
  // single-use and bound to this role and person (an approved access request's grant does not: its
  // approval chain, with the security stage, is the control). Consumed in this transaction.
  if (role.isAdministrative) {
    await requireVaultApproval(tx, actor, ADMIN_GRANT_SCENARIO, { vaultRequestId: input.vaultRequestId, operation: vaultOperation.grantRole(role.id), targetType: "person", targetId: input.personId }, now);
  }
  return createGrantUnderPolicy(tx, actor, input, { role }, now);
}

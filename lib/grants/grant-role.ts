import type { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { evaluateGrant } from "@/lib/authz/policy";
import { DomainError } from "@/lib/errors";
import { isUniqueViolation } from "@/lib/db-errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { GrantRoleInput } from "./schemas";
import { loadPolicyContext, loadRole, toPolicyRole, toPolicySystem } from "./policy-context";

/**
 * Grants a job role of a business system to a person (R1: roles only), through their slave account in
 * that system, created here if they have none. The policy engine runs first, on fresh data under a
 * lock on the person, so two grants racing cannot together break a separation-of-duties rule; any
 * violation refuses the grant with every reason, and nothing is written.
 */
export async function grantRole(tx: Tx, actor: Actor, raw: z.input<typeof GrantRoleInput>, now = new Date()) {
  const input = GrantRoleInput.parse(raw);
  const role = await loadRole(tx, input.roleId);
  if (!role || !role.isActive || !role.system.isActive) throw new DomainError("NOT_FOUND", { field: "roleId" });
  assertCan(actor, "grants:manage", { systemId: role.systemId });
  if (input.endsAt && input.endsAt <= now) throw new DomainError("VALIDATION", { field: "endsAt" });

  const locked = await tx.$queryRaw<{ id: string; employee_no: string }[]>`SELECT id, employee_no FROM person WHERE id = ${input.personId}::uuid FOR UPDATE`;
  const person = locked[0];
  if (!person) throw new DomainError("NOT_FOUND", { field: "personId" });

  const context = await loadPolicyContext(tx, input.personId, now);
  const existing = context.personSlaveAccounts.find((a) => a.systemId === role.systemId) ?? null;
  const violations = evaluateGrant({
    kind: "ROLE",
    person: context.person,
    system: toPolicySystem(role.system),
    role: toPolicyRole(role),
    slaveAccount: existing,
    personSlaveAccounts: context.personSlaveAccounts,
    holdings: context.holdings,
    sodRules: context.sodRules,
    sensitiveLevels: context.sensitiveLevels,
  });
  if (violations.length) throw new DomainError("POLICY_VIOLATION", { details: violations, params: { count: violations.length } });
  if (context.holdings.some((h) => h.role.id === role.id)) throw new DomainError("ALREADY_EXISTS", { field: "roleId" });

  const actorId = actor.kind === "person" ? actor.personId : null;
  let slaveAccountId = existing?.id;
  if (!slaveAccountId) {
    const loginName = input.loginName ?? person.employee_no.toLowerCase();
    const account = await tx.slaveAccount
      .create({ data: { systemId: role.systemId, personId: input.personId, loginName, basis: input.basis ?? input.reason, createdById: actorId } })
      .catch((error: unknown) => {
        if (isUniqueViolation(error)) throw new DomainError("ALREADY_EXISTS", { field: "loginName" });
        throw error;
      });
    slaveAccountId = account.id;
    await recordAuditEvent(tx, actor, {
      action: "slave-account.created",
      target: { type: "slave-account", id: account.id },
      summary: { after: { systemId: role.systemId, personId: input.personId, loginName } },
      reason: input.reason,
      basis: input.basis,
    });
  }
  const grant = await tx.accessGrant
    .create({ data: { slaveAccountId, roleId: role.id, startsAt: now, endsAt: input.endsAt, reason: input.reason, basis: input.basis, grantedById: actorId } })
    .catch((error: unknown) => {
      if (isUniqueViolation(error)) throw new DomainError("ALREADY_EXISTS", { field: "roleId" });
      throw error;
    });
  await recordAuditEvent(tx, actor, {
    action: "grant.created",
    target: { type: "grant", id: grant.id },
    summary: { after: { personId: input.personId, systemId: role.systemId, roleId: role.id, slaveAccountId, endsAt: input.endsAt?.toISOString() ?? null } },
    reason: input.reason,
    basis: input.basis,
  });
  return grant;
}

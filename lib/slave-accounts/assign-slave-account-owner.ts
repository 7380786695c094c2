import type { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import { isUniqueViolation } from "@/lib/db-errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { enqueueProvisioning } from "@/lib/provisioning/enqueue";
import { evaluateHoldings } from "@/lib/policy/engine";
import { loadPolicyFacts, loadPolicyRules } from "@/lib/policy/policy-facts";
import { rebuildFindingsFor } from "@/lib/policy/recheck-policies";
import { AssignSlaveAccountOwnerInput } from "./schemas";

/**
 * Gives an orphan account (owner unknown, or the owner has left: R2) its owner, by an account
 * administrator of its system, with a reason. The new owner is an active person without another live
 * account in that system (one per person per system, R2). Whatever the account still holds becomes
 * theirs, so the policy engine checks their grants with the account's: any violation that involves
 * it refuses the assignment, with every reason, and nothing is written. The account keeps its status
 * (a disabled orphan is re-enabled separately). Lock order as everywhere: person, then account.
 */
export async function assignSlaveAccountOwner(tx: Tx, actor: Actor, raw: z.input<typeof AssignSlaveAccountOwnerInput>, now = new Date()) {
  const input = AssignSlaveAccountOwnerInput.parse(raw);
  const peek = await tx.slaveAccount.findUnique({ where: { id: input.slaveAccountId }, select: { systemId: true } });
  if (!peek) throw new DomainError("NOT_FOUND", { field: "slaveAccountId" });
  assertCan(actor, "grants:manage", { systemId: peek.systemId });

  const [owner] = input.personId
    ? await tx.$queryRaw<
        { id: string; employee_no: string; status: string }[]
      >`SELECT id::text, employee_no, status::text FROM person WHERE id = ${input.personId}::uuid FOR UPDATE`
    : await tx.$queryRaw<
        { id: string; employee_no: string; status: string }[]
      >`SELECT id::text, employee_no, status::text FROM person WHERE employee_no = ${input.employeeNo!} FOR UPDATE`;
  const ownerField = input.personId ? "personId" : "employeeNo";
  if (!owner) throw new DomainError("NOT_FOUND", { field: ownerField });
  if (owner.status !== "ACTIVE") throw new DomainError("OWNER_NOT_ACTIVE", { field: ownerField, params: { status: owner.status } });

  const [account] = await tx.$queryRaw<{ id: string; system_id: string; person_id: string | null; login_name: string; status: string }[]>`
    SELECT id::text, system_id::text, person_id::text, login_name, status::text FROM slave_account WHERE id = ${input.slaveAccountId}::uuid FOR UPDATE`;
  if (!account) throw new DomainError("NOT_FOUND", { field: "slaveAccountId" });
  if (account.status === "DELETED")
    throw new DomainError("SLAVE_ACCOUNT_INACTIVE", { params: { status: account.status, loginName: account.login_name } });
  const previous = account.person_id
    ? await tx.person.findUnique({ where: { id: account.person_id }, select: { id: true, status: true } })
    : null;
  if (previous && previous.status !== "LEFT") throw new DomainError("SLAVE_ACCOUNT_NOT_ORPHAN");

  const other = await tx.slaveAccount.findFirst({
    where: { systemId: account.system_id, personId: owner.id, status: { not: "DELETED" } },
    select: { id: true },
  });
  if (other) throw new DomainError("ALREADY_EXISTS", { field: ownerField });

  const changed = await tx.slaveAccount
    .updateMany({ where: { id: account.id, personId: account.person_id, status: { not: "DELETED" } }, data: { personId: owner.id } })
    .catch((error: unknown) => {
      // The partial unique index: one live account per person per system (R2).
      if (isUniqueViolation(error)) throw new DomainError("ALREADY_EXISTS", { field: ownerField });
      throw error;
    });
  if (changed.count !== 1) throw new DomainError("CONFLICT");

  // The new owner's grants, the account's included, against the rules (R4, R6, R10, catalogue).
  const live = await tx.accessGrant.findMany({
    where: { slaveAccountId: account.id, revokedAt: null, OR: [{ endsAt: null }, { endsAt: { gt: now } }] },
    select: { id: true },
  });
  if (live.length) {
    const accountGrants = new Set(live.map((g) => g.id));
    const [facts] = await loadPolicyFacts(tx, [owner.id], now);
    const rules = await loadPolicyRules(tx);
    const violations = evaluateHoldings(facts!.person, facts!.holdings, rules.sodRules, rules.sensitiveLevels).filter(
      (v) => accountGrants.has(v.subject.grantId ?? "") || accountGrants.has(v.conflictsWith?.grantId ?? ""),
    );
    if (violations.length) throw new DomainError("POLICY_VIOLATION", { details: violations, params: { count: violations.length } });
  }

  await enqueueProvisioning(tx, [
    {
      systemId: account.system_id,
      operation: "slave-account.owner-assigned",
      slaveAccountId: account.id,
      payload: {
        slaveAccountId: account.id,
        loginName: account.login_name,
        employeeNo: owner.employee_no,
        previousPersonId: account.person_id,
        personId: owner.id,
      },
    },
  ]);
  await rebuildFindingsFor(tx, [owner.id, ...(account.person_id ? [account.person_id] : [])], now);
  await recordAuditEvent(tx, actor, {
    action: "slave-account.owner-assigned",
    target: { type: "slave-account", id: account.id },
    summary: {
      systemId: account.system_id,
      loginName: account.login_name,
      status: account.status,
      liveGrants: live.length,
      before: { personId: account.person_id },
      after: { personId: owner.id, employeeNo: owner.employee_no },
    },
    reason: input.reason,
    basis: input.basis,
  });
  return { id: account.id, personId: owner.id, previousPersonId: account.person_id };
}

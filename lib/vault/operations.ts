import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import { ADMIN_GRANT_SCENARIO, REVEAL_PII_SCENARIO } from "./built-in";

type Attempt = { operation: string; targetType: string; targetId: string };

const PII_FIELDS = new Set(["phone", "email", "idNumber"]);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Before anyone is prompted: for the portal's built-in scenarios the operator must be allowed to do
 * the operation itself (only the second approval is missing), on a target that exists, with the
 * operation spelled exactly as the guarded use case will consume it. Returns the target's label.
 * Scenarios declared by business systems are checked by their caller (the API's token scope).
 */
export async function checkVaultAttempt(tx: Tx, actor: Actor, scenarioCode: string, attempt: Attempt): Promise<string | null> {
  if (scenarioCode === REVEAL_PII_SCENARIO) {
    const field = attempt.operation.startsWith("reveal:") ? attempt.operation.slice("reveal:".length) : "";
    if (!PII_FIELDS.has(field)) throw new DomainError("VALIDATION", { field: "operation" });
    if (attempt.targetType !== "person" || !UUID.test(attempt.targetId)) throw new DomainError("VALIDATION", { field: "targetId" });
    const person = await tx.person.findUnique({
      where: { id: attempt.targetId },
      select: { name: true, employeeNo: true, orgUnit: { select: { path: true } } },
    });
    if (!person) throw new DomainError("NOT_FOUND", { field: "targetId" });
    assertCan(actor, "people:reveal-pii", { orgUnitPath: person.orgUnit.path });
    return `${person.name} (${person.employeeNo})`;
  }
  if (scenarioCode === ADMIN_GRANT_SCENARIO) {
    const roleId = attempt.operation.startsWith("grant:") ? attempt.operation.slice("grant:".length) : "";
    if (!UUID.test(roleId)) throw new DomainError("VALIDATION", { field: "operation" });
    if (attempt.targetType !== "person" || !UUID.test(attempt.targetId)) throw new DomainError("VALIDATION", { field: "targetId" });
    const role = await tx.jobRole.findUnique({
      where: { id: roleId },
      select: { code: true, systemId: true, isAdministrative: true, isActive: true, system: { select: { code: true } } },
    });
    const person = await tx.person.findUnique({ where: { id: attempt.targetId }, select: { name: true, employeeNo: true } });
    if (!role || !role.isActive || !role.isAdministrative) throw new DomainError("NOT_FOUND", { field: "operation" });
    if (!person) throw new DomainError("NOT_FOUND", { field: "targetId" });
    assertCan(actor, "grants:manage", { systemId: role.systemId });
    return `${person.name} (${person.employeeNo}) · ${role.system.code} ${role.code}`;
  }
  return null;
}

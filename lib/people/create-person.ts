import type { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { hashPassword } from "@/lib/auth/hashing";
import { CreatePersonInput } from "./schemas";
import { maskEmail } from "./masking";
import { isUniqueViolation, uniqueField } from "@/lib/db-errors";

/**
 * A joiner: the staff record and its master account (R2: exactly one, enforced by a unique key).
 * An initial password is optional; without one the person cannot sign in until one is set.
 */
export async function createPerson(
  tx: Tx,
  actor: Actor,
  raw: z.input<typeof CreatePersonInput>,
  opts: { initialPassword?: string; mustChangePassword?: boolean } = {},
) {
  assertCan(actor, "people:manage");
  const input = CreatePersonInput.parse(raw);
  const org = await tx.orgUnit.findUnique({ where: { id: input.orgUnitId }, select: { id: true, path: true, isActive: true } });
  if (!org || !org.isActive) throw new DomainError("NOT_FOUND", { field: "orgUnitId" });
  assertCan(actor, "people:manage", { orgUnitPath: org.path });
  if (input.employmentType === "THIRD_PARTY" && !input.vendorName) throw new DomainError("VALIDATION", { field: "vendorName" });
  const clash = await tx.person.findFirst({
    where: { OR: [{ employeeNo: input.employeeNo }, ...(input.email ? [{ email: input.email }] : [])] },
    select: { employeeNo: true },
  });
  if (clash) throw new DomainError("ALREADY_EXISTS", { field: clash.employeeNo === input.employeeNo ? "employeeNo" : "email" });

  // The check above gives the clear answer; the unique keys decide a race between two creations.
  const person = await tx.person.create({ data: input }).catch((error: unknown) => {
    if (isUniqueViolation(error)) throw new DomainError("ALREADY_EXISTS", { field: uniqueField(error) === "email" ? "email" : "employeeNo" });
    throw error;
  });
  const account = await tx.masterAccount.create({
    data: {
      personId: person.id,
      passwordHash: opts.initialPassword ? await hashPassword(opts.initialPassword) : null,
      passwordChangedAt: opts.initialPassword ? new Date() : null,
      mustChangePassword: opts.mustChangePassword ?? false,
    },
  });
  await recordAuditEvent(tx, actor, {
    action: "person.created",
    target: { type: "person", id: person.id },
    summary: {
      after: {
        employeeNo: person.employeeNo, name: person.name, orgUnitId: person.orgUnitId, jobTitle: person.jobTitle,
        employmentType: person.employmentType, vendorName: person.vendorName, email: maskEmail(person.email),
      },
    },
  });
  await recordAuditEvent(tx, actor, { action: "account.created", target: { type: "account", id: account.id }, summary: { personId: person.id } });
  return { person, account };
}

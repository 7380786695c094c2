import type { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { hashPassword } from "@/lib/auth/hashing";
import { CreatePersonInput } from "./schemas";
import { maskEmail } from "./masking";
import { emailIndex, piiColumns } from "./pii";
import { assertContractWithinVendor, lockVendorForContract, resolveSponsor } from "./third-party";
import { isUniqueViolation, uniqueField } from "@/lib/db-errors";
import { isoDay } from "@/lib/time/calendar-input";

/**
 * A joiner: the staff record and its master account (R2: exactly one, enforced by a unique key).
 * A third party comes with their vendor, an active employee as sponsor and a contract end within the
 * vendor's contract (R10); the vendor's name is copied to vendorName for the lists that show it.
 * An initial password is optional; without one the person cannot sign in until one is set.
 */
export async function createPerson(
  tx: Tx,
  actor: Actor,
  raw: z.input<typeof CreatePersonInput>,
  opts: { initialPassword?: string; mustChangePassword?: boolean; now?: Date } = {},
) {
  assertCan(actor, "people:manage");
  const input = CreatePersonInput.parse(raw);
  const now = opts.now ?? new Date();
  const org = await tx.orgUnit.findUnique({ where: { id: input.orgUnitId }, select: { id: true, path: true, isActive: true } });
  if (!org || !org.isActive) throw new DomainError("NOT_FOUND", { field: "orgUnitId" });
  assertCan(actor, "people:manage", { orgUnitPath: org.path });

  let thirdParty: { vendorId: string; vendorName: string; sponsorId: string; contractEndsOn: Date } | null = null;
  if (input.employmentType === "THIRD_PARTY") {
    // The schema has required all three; these are the checks that need the database.
    const vendor = await lockVendorForContract(tx, input.vendorId!);
    if (!vendor || !vendor.isActive) throw new DomainError("NOT_FOUND", { field: "vendorId" });
    const sponsor = await resolveSponsor(tx, input);
    assertContractWithinVendor(vendor, input.contractEndsOn!, now);
    thirdParty = { vendorId: vendor.id, vendorName: vendor.name, sponsorId: sponsor.id, contractEndsOn: input.contractEndsOn! };
  }

  const clash = await tx.person.findFirst({
    where: { OR: [{ employeeNo: input.employeeNo }, ...(input.email ? [{ emailIndex: emailIndex(input.email) }] : [])] },
    select: { employeeNo: true },
  });
  if (clash) throw new DomainError("ALREADY_EXISTS", { field: clash.employeeNo === input.employeeNo ? "employeeNo" : "email" });

  const data = {
    employeeNo: input.employeeNo,
    name: input.name,
    orgUnitId: input.orgUnitId,
    jobTitle: input.jobTitle,
    employmentType: input.employmentType,
    jobCategories: input.jobCategories,
    ...piiColumns({ phone: input.phone ?? null, email: input.email ?? null, idNumber: input.idNumber ?? null }),
    ...(thirdParty ?? {}),
  };
  // The check above gives the clear answer; the unique keys decide a race between two creations.
  const person = await tx.person.create({ data }).catch((error: unknown) => {
    if (isUniqueViolation(error))
      throw new DomainError("ALREADY_EXISTS", { field: uniqueField(error)?.startsWith("email") ? "email" : "employeeNo" });
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
        employeeNo: person.employeeNo,
        name: person.name,
        orgUnitId: person.orgUnitId,
        jobTitle: person.jobTitle,
        employmentType: person.employmentType,
        vendorName: person.vendorName,
        email: maskEmail(input.email),
        ...(thirdParty ? { vendorId: person.vendorId, sponsorId: person.sponsorId, contractEndsOn: isoDay(person.contractEndsOn) } : {}),
        ...(person.jobCategories.length ? { jobCategories: person.jobCategories } : {}),
      },
    },
  });
  await recordAuditEvent(tx, actor, {
    action: "account.created",
    target: { type: "account", id: account.id },
    summary: { personId: person.id },
  });
  // The caller gets the values it gave, in the clear (the row holds them encrypted).
  return { person: { ...person, phone: input.phone ?? null, email: input.email ?? null, idNumber: input.idNumber ?? null }, account };
}

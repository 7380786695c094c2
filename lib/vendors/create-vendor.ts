import type { z } from "zod";
import { encryptOptional } from "@/lib/crypto";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { isUniqueViolation } from "@/lib/db-errors";
import { maskEmail, maskPhone } from "@/lib/people/masking";
import { CreateVendorInput } from "./schemas";
import { isoDay } from "@/lib/time/calendar-input";

/** A third-party company (vendor, partner, outsourcer) under contract; its people join with createPerson. */
export async function createVendor(tx: Tx, actor: Actor, raw: z.input<typeof CreateVendorInput>) {
  assertCan(actor, "vendors:manage");
  const input = CreateVendorInput.parse(raw);
  if (await tx.vendor.findUnique({ where: { name: input.name }, select: { id: true } }))
    throw new DomainError("ALREADY_EXISTS", { field: "name" });
  // The check above gives the clear answer; the unique key decides a race between two creations.
  const { contactPhone, contactEmail, ...plain } = input;
  const data = { ...plain, contactPhoneEnc: encryptOptional(contactPhone), contactEmailEnc: encryptOptional(contactEmail) };
  const vendor = await tx.vendor.create({ data }).catch((error: unknown) => {
    if (isUniqueViolation(error)) throw new DomainError("ALREADY_EXISTS", { field: "name" });
    throw error;
  });
  await recordAuditEvent(tx, actor, {
    action: "vendor.created",
    target: { type: "vendor", id: vendor.id },
    summary: {
      after: {
        name: vendor.name,
        contractStartsOn: isoDay(vendor.contractStartsOn),
        contractEndsOn: isoDay(vendor.contractEndsOn),
        contactName: vendor.contactName,
        contactPhone: maskPhone(contactPhone) || null,
        contactEmail: maskEmail(contactEmail) || null,
      },
    },
  });
  // The caller gets the contact it gave, in the clear (the row holds it encrypted).
  return { ...vendor, contactPhone: contactPhone ?? null, contactEmail: contactEmail ?? null };
}

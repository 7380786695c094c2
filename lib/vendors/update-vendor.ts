import type { z } from "zod";
import { decryptOptional, encryptOptional } from "@/lib/crypto";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { isUniqueViolation } from "@/lib/db-errors";
import { maskEmail, maskPhone } from "@/lib/people/masking";
import { UpdateVendorInput } from "./schemas";
import { isoDay } from "@/lib/time/calendar-input";

// How each field appears in the audit summary: the contact's phone and e-mail masked (R15).
const AUDIT_VIEW: Record<string, (v: unknown) => unknown> = {
  contactPhone: (v) => maskPhone(v as string | null) || null,
  contactEmail: (v) => maskEmail(v as string | null) || null,
  contractStartsOn: (v) => isoDay(v as Date),
  contractEndsOn: (v) => isoDay(v as Date),
};

/**
 * Changes a vendor's name, contract period or contact. The row is locked (FOR UPDATE), which also
 * waits for, then holds off, people being attached under the old contract (they share-lock it). The
 * contract cannot be moved so that a current (not departed) person's contract end falls outside it:
 * VENDOR_CONTRACT_CONFLICT with the count; their contracts are changed first. A new name is copied to
 * the people's vendorName, which lists and exports show.
 */
export async function updateVendor(tx: Tx, actor: Actor, raw: z.input<typeof UpdateVendorInput>) {
  assertCan(actor, "vendors:manage");
  const { vendorId, reason, clearContactPhone, clearContactEmail, ...fields } = UpdateVendorInput.parse(raw);
  await tx.$executeRaw`SELECT 1 FROM vendor WHERE id = ${vendorId}::uuid FOR UPDATE`;
  const row = await tx.vendor.findUnique({
    where: { id: vendorId },
    select: {
      id: true,
      name: true,
      contactName: true,
      contactPhoneEnc: true,
      contactEmailEnc: true,
      contractStartsOn: true,
      contractEndsOn: true,
    },
  });
  if (!row) throw new DomainError("NOT_FOUND", { field: "vendorId" });
  const before = { ...row, contactPhone: decryptOptional(row.contactPhoneEnc), contactEmail: decryptOptional(row.contactEmailEnc) };

  const after = {
    name: fields.name,
    contractStartsOn: fields.contractStartsOn,
    contractEndsOn: fields.contractEndsOn,
    contactName: fields.contactName ?? null,
    contactPhone: clearContactPhone ? null : (fields.contactPhone ?? before.contactPhone),
    contactEmail: clearContactEmail ? null : (fields.contactEmail ?? before.contactEmail),
  };
  const same = (k: keyof typeof after) => JSON.stringify(before[k] ?? null) === JSON.stringify(after[k] ?? null);
  const changed = (Object.keys(after) as (keyof typeof after)[]).filter((k) => !same(k));
  if (changed.length === 0) return { id: before.id, changed: [] as string[] };

  if (!same("contractStartsOn") || !same("contractEndsOn")) {
    const outside = await tx.person.count({
      where: {
        vendorId: before.id,
        status: { not: "LEFT" },
        OR: [{ contractEndsOn: { gt: after.contractEndsOn } }, { contractEndsOn: { lt: after.contractStartsOn } }],
      },
    });
    if (outside > 0) throw new DomainError("VENDOR_CONTRACT_CONFLICT", { field: "contractEndsOn", params: { people: outside } });
  }
  if (!same("name") && (await tx.vendor.findFirst({ where: { name: after.name, NOT: { id: before.id } }, select: { id: true } }))) {
    throw new DomainError("ALREADY_EXISTS", { field: "name" });
  }
  const { contactPhone, contactEmail, ...plain } = after;
  const data = { ...plain, contactPhoneEnc: encryptOptional(contactPhone), contactEmailEnc: encryptOptional(contactEmail) };
  await tx.vendor.update({ where: { id: before.id }, data, select: { id: true } }).catch((error: unknown) => {
    if (isUniqueViolation(error)) throw new DomainError("ALREADY_EXISTS", { field: "name" });
    throw error;
  });
  let peopleRenamed = 0;
  if (!same("name")) {
    const renamed = await tx.person.updateMany({ where: { vendorId: before.id }, data: { vendorName: after.name } });
    peopleRenamed = renamed.count;
  }
  const view = (k: string, v: unknown) => (AUDIT_VIEW[k] ? AUDIT_VIEW[k](v) : (v ?? null));
  await recordAuditEvent(tx, actor, {
    action: "vendor.updated",
    target: { type: "vendor", id: before.id },
    summary: {
      name: before.name,
      changed,
      before: Object.fromEntries(changed.map((k) => [k, view(k, before[k])])),
      after: Object.fromEntries(changed.map((k) => [k, view(k, after[k])])),
      ...(peopleRenamed ? { peopleRenamed } : {}),
    },
    reason,
  });
  return { id: before.id, changed: changed as string[] };
}

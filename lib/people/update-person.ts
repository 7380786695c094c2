import type { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { isUniqueViolation } from "@/lib/db-errors";
import { JOB_CATEGORIES, ThirdPartyRecord, UpdatePersonInput } from "./schemas";
import { maskEmail, maskIdNumber, maskPhone } from "./masking";
import { decryptPii, emailIndex, PII_SELECT, piiColumns } from "./pii";
import { assertContractWithinVendor, lockVendorForContract, resolveSponsor } from "./third-party";
import { countSensitiveGrants, isMove, stopSensitiveAccessOfMover } from "./mover";
import { startMoverReview } from "@/lib/reviews/mover-review";
import { isoDay } from "@/lib/time/calendar-input";

const PERSON_SELECT = {
  id: true,
  employeeNo: true,
  name: true,
  orgUnitId: true,
  jobTitle: true,
  jobCategories: true,
  employmentType: true,
  status: true,
  ...PII_SELECT,
  vendorId: true,
  vendorName: true,
  sponsorId: true,
  contractEndsOn: true,
  orgUnit: { select: { path: true } },
} as const;

// How each field appears in the audit summary: personal data masked (R15), dates as calendar days.
const AUDIT_VIEW: Record<string, (v: unknown) => unknown> = {
  phone: (v) => maskPhone(v as string | null),
  email: (v) => maskEmail(v as string | null),
  idNumber: (v) => maskIdNumber(v as string | null),
  contractEndsOn: (v) => isoDay(v as Date | null),
};

/**
 * Edits a staff record (not its employee number, employment type or status). The row is locked, so
 * edits of one person queue and each audit row's "before" is what was really replaced. A third party
 * keeps a vendor, an active-employee sponsor and a contract end inside the vendor's contract (R10).
 * Audited with the changed fields before/after (personal data masked) and the reason; an edit that
 * changes nothing writes nothing. A change of org unit, job title or job categories is a move (R5): the
 * person's sensitive grants are revoked in the same transaction (one audit row listing them) and
 * their policy findings rebuilt; the remaining grants stay.
 */
export async function updatePerson(tx: Tx, actor: Actor, raw: z.input<typeof UpdatePersonInput>, now = new Date()) {
  assertCan(actor, "people:manage");
  const input = UpdatePersonInput.parse(raw);
  await tx.$executeRaw`SELECT 1 FROM person WHERE id = ${input.personId}::uuid FOR NO KEY UPDATE`;
  const row = await tx.person.findUnique({ where: { id: input.personId }, select: PERSON_SELECT });
  if (!row) throw new DomainError("NOT_FOUND", { field: "personId" });
  const before = { ...row, ...decryptPii(row) };
  assertCan(actor, "people:manage", { orgUnitPath: before.orgUnit.path });
  if (before.status === "LEFT") throw new DomainError("PERSON_LEFT");

  const vendorId = input.vendorId ?? before.vendorId;
  ThirdPartyRecord.parse({
    employmentType: before.employmentType,
    vendorId: input.vendorId ?? (before.employmentType === "THIRD_PARTY" ? before.vendorId : undefined),
    sponsorId: input.sponsorId,
    sponsorEmployeeNo: input.sponsorEmployeeNo,
    contractEndsOn: input.contractEndsOn,
  });

  if (input.orgUnitId !== before.orgUnitId) {
    // KEY SHARE: the unit cannot be deactivated until we commit (deactivation takes FOR UPDATE).
    const rows = await tx.$queryRaw<{ path: string; isActive: boolean }[]>`
      SELECT path, is_active AS "isActive" FROM org_unit WHERE id = ${input.orgUnitId}::uuid FOR KEY SHARE`;
    const org = rows[0];
    if (!org) throw new DomainError("NOT_FOUND", { field: "orgUnitId" });
    if (!org.isActive) throw new DomainError("ORG_UNIT_INACTIVE", { field: "orgUnitId" });
    assertCan(actor, "people:manage", { orgUnitPath: org.path });
  }

  let thirdParty: { vendorId: string; vendorName: string; sponsorId: string; contractEndsOn: Date } | null = null;
  if (before.employmentType === "THIRD_PARTY") {
    const vendor = await lockVendorForContract(tx, vendorId!);
    if (!vendor || (vendor.id !== before.vendorId && !vendor.isActive)) throw new DomainError("NOT_FOUND", { field: "vendorId" });
    const sponsor = await resolveSponsor(tx, input, before.id);
    const contractEndsOn = input.contractEndsOn!;
    // An unchanged contract under an unchanged vendor was checked when it was set (and the vendor's
    // contract cannot shrink below it); a new one must not be already over.
    if (vendor.id !== before.vendorId || contractEndsOn.getTime() !== before.contractEndsOn?.getTime()) {
      assertContractWithinVendor(vendor, contractEndsOn, now);
    }
    thirdParty = { vendorId: vendor.id, vendorName: vendor.name, sponsorId: sponsor.id, contractEndsOn };
  }

  if (input.email && !input.clearEmail && input.email !== before.email) {
    const clash = await tx.person.findFirst({
      where: { emailIndex: emailIndex(input.email), NOT: { id: before.id } },
      select: { id: true },
    });
    if (clash) throw new DomainError("ALREADY_EXISTS", { field: "email" });
  }

  const after = {
    name: input.name,
    orgUnitId: input.orgUnitId,
    jobTitle: input.jobTitle,
    jobCategories: input.jobCategories,
    phone: input.clearPhone ? null : (input.phone ?? before.phone),
    email: input.clearEmail ? null : (input.email ?? before.email),
    idNumber: input.clearIdNumber ? null : (input.idNumber ?? before.idNumber),
    ...(thirdParty ?? {}),
  };
  const current = { ...before, jobCategories: JOB_CATEGORIES.filter((c) => before.jobCategories.includes(c)) };
  const changed = (Object.keys(after) as (keyof typeof after)[]).filter(
    (k) => JSON.stringify(current[k] ?? null) !== JSON.stringify(after[k] ?? null),
  );
  if (changed.length === 0) return { id: before.id, changed: [] as string[], sensitiveGrantsRevoked: [] as string[] };
  // R5 movers: the form asks HR to confirm what the move revokes (nothing written until they do).
  const moving = isMove(changed);
  if (moving && input.confirmMover === false) {
    const count = await countSensitiveGrants(tx, before.id, now);
    if (count > 0) throw new DomainError("CONFIRMATION_REQUIRED", { field: "confirmMover", params: { count } });
  }

  const { phone, email, idNumber, ...plainFields } = after;
  const data = { ...plainFields, ...piiColumns({ phone: phone ?? null, email: email ?? null, idNumber: idNumber ?? null }) };
  await tx.person.update({ where: { id: before.id }, data, select: { id: true } }).catch((error: unknown) => {
    if (isUniqueViolation(error)) throw new DomainError("ALREADY_EXISTS", { field: "email" });
    throw error;
  });
  const revoked = moving ? await stopSensitiveAccessOfMover(tx, actor, before.id, now, input.reason) : [];
  // The rest of a mover's access goes to the new head to keep or end (issue 11 §2).
  const moverReview = moving
    ? await startMoverReview(tx, actor, { id: before.id, name: input.name, employeeNo: before.employeeNo }, now)
    : null;
  const view = (k: string, v: unknown) => (AUDIT_VIEW[k] ? AUDIT_VIEW[k](v) : (v ?? null));
  await recordAuditEvent(tx, actor, {
    action: "person.updated",
    target: { type: "person", id: before.id },
    summary: {
      employeeNo: before.employeeNo,
      changed,
      before: Object.fromEntries(changed.map((k) => [k, view(k, current[k])])),
      after: Object.fromEntries(changed.map((k) => [k, view(k, after[k])])),
      ...(moving ? { mover: true, sensitiveGrantsRevoked: revoked.length, moverReviewId: moverReview?.campaignId ?? null } : {}),
    },
    reason: input.reason,
  });
  return { id: before.id, changed: changed as string[], sensitiveGrantsRevoked: revoked.map((g) => g.id) };
}

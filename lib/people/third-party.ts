import type { Tx } from "@/lib/db";
import { DomainError } from "@/lib/errors";
import { dayIn } from "@/lib/time/calendar";
import { isoDay } from "@/lib/time/calendar-input";

// The R10 facts of a third party, checked by createPerson and updatePerson: a vendor under contract,
// a sponsor who is an active employee, and a contract end inside the vendor's contract.

export type ContractVendor = { id: string; name: string; isActive: boolean; contractStartsOn: Date; contractEndsOn: Date };

/**
 * The vendor, share-locked until commit: a concurrent updateVendor (which takes FOR UPDATE) cannot
 * shorten the vendor's contract below the one being written here, and waits for it instead.
 */
export async function lockVendorForContract(tx: Tx, vendorId: string): Promise<ContractVendor | null> {
  await tx.$executeRaw`SELECT 1 FROM vendor WHERE id = ${vendorId}::uuid FOR SHARE`;
  return tx.vendor.findUnique({
    where: { id: vendorId },
    select: { id: true, name: true, isActive: true, contractStartsOn: true, contractEndsOn: true },
  });
}

/** A third party's contract end: not passed, and within the vendor's contract period. */
export function assertContractWithinVendor(vendor: ContractVendor, contractEndsOn: Date, now: Date): void {
  // Contract dates are calendar days in the portal's time zone (decision 0016), stored as that day's UTC midnight.
  if (isoDay(contractEndsOn)! < dayIn(now)) throw new DomainError("DATE_IN_PAST", { field: "contractEndsOn" });
  if (contractEndsOn > vendor.contractEndsOn || contractEndsOn < vendor.contractStartsOn) {
    throw new DomainError("CONTRACT_OUTSIDE_VENDOR", {
      field: "contractEndsOn",
      params: { vendor: vendor.name, from: isoDay(vendor.contractStartsOn)!, to: isoDay(vendor.contractEndsOn)! },
    });
  }
}

export type Sponsor = { id: string; name: string; employeeNo: string };

/**
 * The sponsor named by id or employee number: an ACTIVE EMPLOYEE, never a third party, never the
 * person themself. Share-locked, so the sponsor cannot leave between this check and the commit.
 */
export async function resolveSponsor(
  tx: Tx,
  ref: { sponsorId?: string | null; sponsorEmployeeNo?: string | null },
  forPersonId?: string,
): Promise<Sponsor> {
  const field = ref.sponsorEmployeeNo ? "sponsorEmployeeNo" : "sponsorId";
  if (!ref.sponsorEmployeeNo && !ref.sponsorId) throw new DomainError("VALIDATION", { field });
  type Row = { id: string; name: string; employeeNo: string; status: string; employmentType: string };
  const rows = ref.sponsorEmployeeNo
    ? await tx.$queryRaw<Row[]>`
        SELECT id::text AS "id", name, employee_no AS "employeeNo", status::text AS "status", employment_type::text AS "employmentType"
        FROM person WHERE employee_no = ${ref.sponsorEmployeeNo} FOR SHARE`
    : await tx.$queryRaw<Row[]>`
        SELECT id::text AS "id", name, employee_no AS "employeeNo", status::text AS "status", employment_type::text AS "employmentType"
        FROM person WHERE id = ${ref.sponsorId}::uuid FOR SHARE`;
  const sponsor = rows[0];
  if (!sponsor) throw new DomainError("NOT_FOUND", { field });
  if (sponsor.status !== "ACTIVE" || sponsor.employmentType !== "EMPLOYEE" || sponsor.id === forPersonId) {
    throw new DomainError("SPONSOR_NOT_ELIGIBLE", { field });
  }
  return { id: sponsor.id, name: sponsor.name, employeeNo: sponsor.employeeNo };
}

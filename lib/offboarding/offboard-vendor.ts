import type { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { orderedUuidv7s } from "@/lib/sql";
import { dayIn } from "@/lib/time/calendar";
import { lockOpenRequestsOf, offboardPeople } from "./offboard-people";
import { OffboardVendorInput } from "./schemas";
import { isoDay } from "@/lib/time/calendar-input";

/**
 * Every person of a third-party vendor leaves at once (R10), in one transaction and set-based: the
 * vendor's contract ended (its end day has passed or is today) or it was terminated early (its end
 * moves to today). The vendor becomes inactive, its people who have not left yet become leavers, each
 * with an offboarding case in one batch (offboardPeople). A vendor whose contract still runs cannot be
 * offboarded as "contract ended" (VENDOR_CONTRACT_RUNNING: choose "terminated early"). Returns the batch.
 */
export async function offboardVendor(tx: Tx, actor: Actor, raw: z.input<typeof OffboardVendorInput>, now = new Date()) {
  assertCan(actor, "people:manage");
  assertCan(actor, "vendors:manage");
  const input = OffboardVendorInput.parse(raw);
  const [vendor] = await tx.$queryRaw<{ id: string; name: string; contract_ends_on: Date; is_active: boolean }[]>`
    SELECT id::text, name, contract_ends_on, is_active FROM vendor WHERE id = ${input.vendorId}::uuid FOR UPDATE`;
  if (!vendor) throw new DomainError("NOT_FOUND", { field: "vendorId" });
  const today = dayIn(now);
  const endsOn = isoDay(vendor.contract_ends_on)!;
  if (input.mode === "CONTRACT_ENDED" && endsOn > today)
    throw new DomainError("VENDOR_CONTRACT_RUNNING", { field: "mode", params: { endsOn } });

  // Their open requests first, then the people (lock order, lib/offboarding/offboard-people.ts).
  const candidates = await tx.$queryRaw<{ id: string }[]>`
    SELECT id::text FROM person WHERE vendor_id = ${vendor.id}::uuid AND status <> 'LEFT'`;
  await lockOpenRequestsOf(
    tx,
    candidates.map((c) => c.id),
  );
  const people = await tx.$queryRaw<{ id: string; employee_no: string; status: string; path: string }[]>`
    SELECT p.id::text, p.employee_no, p.status::text, u.path FROM person p JOIN org_unit u ON u.id = p.org_unit_id
    WHERE p.vendor_id = ${vendor.id}::uuid AND p.status <> 'LEFT'
    ORDER BY p.id FOR UPDATE OF p`;
  for (const p of people) assertCan(actor, "people:manage", { orgUnitPath: p.path });
  if (actor.kind === "person" && people.some((p) => p.id === actor.personId))
    throw new DomainError("FORBIDDEN", { params: { permission: "self" } });
  const personIds = people.map((p) => p.id);
  // Nobody may take the last active system administrator with them.
  const [admins] = await tx.$queryRaw<{ leaving: number; staying: number }[]>`
    SELECT count(*) FILTER (WHERE p.id = ANY(${personIds}::uuid[]))::int AS leaving,
           count(*) FILTER (WHERE NOT (p.id = ANY(${personIds}::uuid[])))::int AS staying
    FROM portal_role_assignment a JOIN person p ON p.id = a.person_id JOIN master_account m ON m.person_id = p.id
    WHERE a.role = 'SYSTEM_ADMIN' AND p.status = 'ACTIVE' AND m.status = 'ACTIVE'`;
  if (admins && admins.leaving > 0 && admins.staying === 0) throw new DomainError("LAST_SYSTEM_ADMIN");

  const terminated = input.mode === "TERMINATED" && endsOn > today;
  await tx.$executeRaw`
    UPDATE vendor SET is_active = false, updated_at = ${now},
      contract_ends_on = CASE WHEN ${terminated} THEN ${today}::date ELSE contract_ends_on END
    WHERE id = ${vendor.id}::uuid`;
  const batchId = orderedUuidv7s()();
  const cause = input.mode === "TERMINATED" ? "vendor-terminated" : "vendor-contract-ended";
  if (personIds.length) {
    await tx.$executeRaw`
      UPDATE person SET status = 'LEFT', updated_at = ${now},
        contract_ends_on = CASE WHEN contract_ends_on IS NULL OR contract_ends_on > ${today}::date THEN ${today}::date ELSE contract_ends_on END
      WHERE id = ANY(${personIds}::uuid[])`;
  }
  const done = await offboardPeople(tx, actor, {
    personIds,
    source: "VENDOR",
    reason: input.reason,
    cause,
    now,
    batchId,
    vendorId: vendor.id,
  });
  await recordAuditEvent(tx, actor, {
    action: "vendor.updated",
    target: { type: "vendor", id: vendor.id },
    summary: {
      name: vendor.name,
      cause,
      changed: terminated ? ["isActive", "contractEndsOn"] : ["isActive"],
      before: { isActive: vendor.is_active, ...(terminated ? { contractEndsOn: endsOn } : {}) },
      after: { isActive: false, ...(terminated ? { contractEndsOn: today } : {}) },
      batchId,
      peopleOffboarded: personIds.length,
    },
    reason: input.reason,
  });
  if (personIds.length) {
    await recordAuditEvent(tx, actor, {
      action: "person.status-changed",
      target: { type: "person", id: personIds.length === 1 ? personIds[0]! : null },
      summary: {
        cause,
        count: personIds.length,
        personIds,
        employeeNos: people.map((p) => p.employee_no),
        after: { status: "LEFT" },
        batchId,
        grantsRevoked: done.grants.length,
        slaveAccountsChanged: done.accounts.length,
      },
      reason: input.reason,
    });
  }
  if (done.accounts.length) {
    await recordAuditEvent(tx, actor, {
      action: "slave-account.disabled",
      target: { type: "person", id: null },
      summary: { cause, personIds, count: done.accounts.length, slaveAccountIds: done.accounts.map((a) => a.id) },
      reason: input.reason,
    });
  }
  return { batchId, people: personIds.length, caseIds: done.cases.map((c) => c.caseId), grantsEnded: done.grants.length };
}

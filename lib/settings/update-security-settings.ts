import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { getSecuritySettings, SECURITY_SETTINGS_KEY, SecuritySettingsSchema, type SecuritySettings } from "./security-settings";
import { DomainError } from "@/lib/errors";
import { optionalText, ReasonInput } from "@/lib/validation";
import { z } from "zod";

const RootApproverEmployeeNo = z.object({
  rootApproverEmployeeNo: optionalText(32).refine((v) => !v || /^[A-Za-z0-9_-]{2,32}$/.test(v), "employee-no"),
});

/**
 * The root approver as the form names it (an employee number; empty: none; it wins over an id), or as an
 * id (seed, tests); neither given: unchanged. An unknown or inactive person is a field error.
 */
async function rootApproverId(tx: Tx, input: unknown, before: SecuritySettings): Promise<unknown> {
  const raw = typeof input === "object" && input !== null ? (input as Record<string, unknown>) : {};
  if (!("rootApproverEmployeeNo" in raw)) return "rootApproverId" in raw ? raw.rootApproverId : before.rootApproverId;
  const { rootApproverEmployeeNo } = RootApproverEmployeeNo.parse({ rootApproverEmployeeNo: raw.rootApproverEmployeeNo ?? "" });
  if (!rootApproverEmployeeNo) return null;
  const person = await tx.person.findUnique({ where: { employeeNo: rootApproverEmployeeNo }, select: { id: true, status: true } });
  if (!person || person.status !== "ACTIVE") throw new DomainError("NOT_FOUND", { field: "rootApproverEmployeeNo" });
  return person.id;
}

export async function updateSecuritySettings(tx: Tx, actor: Actor, input: unknown, reason: string): Promise<SecuritySettings> {
  assertCan(actor, "settings:manage");
  const before = await getSecuritySettings(tx);
  const raw = typeof input === "object" && input !== null ? input : {};
  const next = SecuritySettingsSchema.parse({ ...raw, rootApproverId: await rootApproverId(tx, input, before) });
  ReasonInput.parse(reason);
  await tx.setting.upsert({
    where: { key: SECURITY_SETTINGS_KEY },
    create: { key: SECURITY_SETTINGS_KEY, value: next },
    update: { value: next },
  });
  const changedBefore: Record<string, unknown> = {};
  const changedAfter: Record<string, unknown> = {};
  for (const key of Object.keys(next) as (keyof SecuritySettings)[]) {
    if (JSON.stringify(before[key]) !== JSON.stringify(next[key])) {
      changedBefore[key] = before[key];
      changedAfter[key] = next[key];
    }
  }
  await recordAuditEvent(tx, actor, {
    action: "settings.updated",
    target: { type: "settings", id: SECURITY_SETTINGS_KEY },
    summary: { before: changedBefore, after: changedAfter },
    reason,
  });
  return next;
}

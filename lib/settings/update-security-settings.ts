import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { getSecuritySettings, SECURITY_SETTINGS_KEY, SecuritySettingsSchema, type SecuritySettings } from "./security-settings";
import { ReasonInput } from "@/lib/validation";

export async function updateSecuritySettings(tx: Tx, actor: Actor, input: unknown, reason: string): Promise<SecuritySettings> {
  assertCan(actor, "settings:manage");
  const next = SecuritySettingsSchema.parse(input);
  ReasonInput.parse(reason);
  const before = await getSecuritySettings(tx);
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

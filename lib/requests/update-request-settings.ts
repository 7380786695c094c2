import type { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { UpdateRequestSettingsInput } from "./schemas";
import { getRequestSettings, REQUEST_SETTINGS_KEY, type RequestSettings } from "@/lib/policy/request-settings";

/** The access-request limits and approval timings, set by system administrators; audited with what changed. */
export async function updateRequestSettings(
  tx: Tx,
  actor: Actor,
  raw: z.input<typeof UpdateRequestSettingsInput>,
): Promise<RequestSettings> {
  assertCan(actor, "settings:manage");
  const { reason, ...next } = UpdateRequestSettingsInput.parse(raw);
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`setting:${REQUEST_SETTINGS_KEY}`}, 0))`;
  const before = await getRequestSettings(tx);
  await tx.setting.upsert({
    where: { key: REQUEST_SETTINGS_KEY },
    create: { key: REQUEST_SETTINGS_KEY, value: next },
    update: { value: next },
  });
  const changedBefore: Record<string, unknown> = {};
  const changedAfter: Record<string, unknown> = {};
  for (const key of Object.keys(next) as (keyof RequestSettings)[]) {
    if (before[key] !== next[key]) {
      changedBefore[key] = before[key];
      changedAfter[key] = next[key];
    }
  }
  await recordAuditEvent(tx, actor, {
    action: "settings.updated",
    target: { type: "settings", id: REQUEST_SETTINGS_KEY },
    summary: { before: changedBefore, after: changedAfter },
    reason,
  });
  return next;
}

import { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { ReasonInput } from "@/lib/validation";
import {
  CLASSIFICATION_SETTINGS_KEY,
  ClassificationSettingsSchema,
  getClassificationSettings,
  type ClassificationSettings,
} from "./classification";

const LEVEL_ORDER = ["EXTREME", "SENSITIVE", "RELATIVE", "LOW"] as const;

export const UpdateClassificationInput = z.object({
  sensitiveLevels: z
    .array(z.enum(LEVEL_ORDER, { error: "invalid" }), { error: "invalid" })
    .min(1, "required")
    .max(4, "invalid")
    // Each level once, in severity order, so an unchanged choice compares equal.
    .transform((v) => LEVEL_ORDER.filter((l) => v.includes(l))),
  reason: ReasonInput,
});

/**
 * Which sensitivity levels make a permission sensitive (涉敏权限), by a system administrator, with a
 * reason; audited as settings.updated with before/after. The roster, R4 and the movers' rule read it
 * at once; the caller then runs the policy check (triggerPolicyRecheck) so the findings follow.
 * Returns whether anything changed (an unchanged choice writes nothing).
 */
export async function updateClassificationSettings(tx: Tx, actor: Actor, raw: z.input<typeof UpdateClassificationInput>) {
  assertCan(actor, "settings:manage");
  const input = UpdateClassificationInput.parse(raw);
  const next: ClassificationSettings = ClassificationSettingsSchema.parse({ sensitiveLevels: input.sensitiveLevels });
  // Serialises two administrators saving at once, so each audit row's "before" is what it replaced.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${CLASSIFICATION_SETTINGS_KEY}))`;
  const before = await getClassificationSettings(tx);
  const previous = LEVEL_ORDER.filter((l) => (before.sensitiveLevels as string[]).includes(l));
  if (JSON.stringify(previous) === JSON.stringify(next.sensitiveLevels)) return { changed: false, settings: next };
  await tx.setting.upsert({
    where: { key: CLASSIFICATION_SETTINGS_KEY },
    create: { key: CLASSIFICATION_SETTINGS_KEY, value: next },
    update: { value: next },
  });
  await recordAuditEvent(tx, actor, {
    action: "settings.updated",
    target: { type: "settings", id: CLASSIFICATION_SETTINGS_KEY },
    summary: { before: { sensitiveLevels: previous }, after: { sensitiveLevels: next.sensitiveLevels } },
    reason: input.reason,
  });
  return { changed: true, settings: next };
}

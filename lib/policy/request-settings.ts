import { z } from "zod";
import type { Tx } from "@/lib/db";
import type { PrismaClient } from "@/lib/generated/prisma/client";

export const REQUEST_SETTINGS_KEY = "requests";

// Access-request limits and the approval jobs' timings (issue 4 items 1, 4, 8). Kept in `setting`.
export const RequestSettingsSchema = z.object({
  // Sensitive and administrative roles are time-bound: at most this many days.
  maxSensitiveDays: z.coerce.number().int().min(1).max(366),
  // Any time-bound request: at most this many days (third parties also never past their contract end).
  maxDays: z.coerce.number().int().min(1).max(3660),
  // R10 temporary elevation of a third party: at most this many hours.
  maxElevationHours: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30),
  // Approvers are reminded after this many hours without a decision on their stage…
  reminderAfterHours: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 14),
  // …the stage escalates to the approvers' heads after this many days…
  escalateAfterDays: z.coerce.number().int().min(1).max(60),
  // …and an undecided request expires after this many days.
  expireAfterDays: z.coerce.number().int().min(1).max(180),
  // R5 movers (issue 11 §2): the grants a move leaves in place go to the new department head, who keeps
  // or ends each within this many days (an access review of that person); undecided ones then end.
  moverReviewDays: z.coerce.number().int().min(1).max(90),
});
export type RequestSettings = z.infer<typeof RequestSettingsSchema>;

export const DEFAULT_REQUEST_SETTINGS: RequestSettings = {
  maxSensitiveDays: 90,
  maxDays: 365,
  maxElevationHours: 72,
  reminderAfterHours: 24,
  escalateAfterDays: 3,
  expireAfterDays: 14,
  moverReviewDays: 14,
};

export async function getRequestSettings(db: Tx | PrismaClient): Promise<RequestSettings> {
  const row = await db.setting.findUnique({ where: { key: REQUEST_SETTINGS_KEY }, select: { value: true } });
  if (!row) return DEFAULT_REQUEST_SETTINGS;
  const parsed = RequestSettingsSchema.safeParse({ ...DEFAULT_REQUEST_SETTINGS, ...(row.value as object) });
  return parsed.success ? parsed.data : DEFAULT_REQUEST_SETTINGS;
}

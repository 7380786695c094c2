import { z } from "zod";
import type { Tx } from "@/lib/db";
import type { PrismaClient } from "@/lib/generated/prisma/client";

export const CLASSIFICATION_SETTINGS_KEY = "classification";

// Which sensitivity levels make a permission sensitive (涉敏权限). Default: extremely sensitive and sensitive.
export const ClassificationSettingsSchema = z.object({
  sensitiveLevels: z
    .array(z.enum(["EXTREME", "SENSITIVE", "RELATIVE", "LOW"]))
    .min(1)
    .max(4),
});
export type ClassificationSettings = z.infer<typeof ClassificationSettingsSchema>;

export const DEFAULT_CLASSIFICATION: ClassificationSettings = { sensitiveLevels: ["EXTREME", "SENSITIVE"] };

export async function getClassificationSettings(db: Tx | PrismaClient): Promise<ClassificationSettings> {
  const row = await db.setting.findUnique({ where: { key: CLASSIFICATION_SETTINGS_KEY }, select: { value: true } });
  const parsed = ClassificationSettingsSchema.safeParse(row?.value ?? DEFAULT_CLASSIFICATION);
  return parsed.success ? parsed.data : DEFAULT_CLASSIFICATION;
}

import { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import { LOCALES } from "@/i18n/config";

export const SetPreferredLocaleInput = z.object({ locale: z.enum(LOCALES) });

/**
 * Remembers the language a signed-in person chose in the portal, so e-mails reach them in it
 * (lib/notifications/notify.ts). A personal preference, not a governance change: not audited.
 */
export async function setPreferredLocale(tx: Tx, actor: Actor, raw: z.input<typeof SetPreferredLocaleInput>): Promise<void> {
  assertCan(actor, "self:read");
  if (actor.kind !== "person") throw new DomainError("FORBIDDEN");
  const { locale } = SetPreferredLocaleInput.parse(raw);
  await tx.masterAccount.updateMany({ where: { id: actor.accountId }, data: { preferredLocale: locale } });
}

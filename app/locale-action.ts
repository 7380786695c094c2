"use server";

import { cookies } from "next/headers";
import { revalidatePath } from "next/cache";
import { isLocale, LOCALE_COOKIE } from "@/i18n/config";
import { getActor } from "@/lib/auth/get-actor";
import { performWith } from "@/lib/http/perform";
import { setPreferredLocale } from "@/lib/accounts/set-preferred-locale";

export async function setLocaleAction(locale: string): Promise<void> {
  if (!isLocale(locale)) return;
  (await cookies()).set(LOCALE_COOKIE, locale, { path: "/", maxAge: 365 * 86_400, sameSite: "lax", httpOnly: false });
  // Signed in: remember it for e-mails too (the sign-in pages switch the cookie only).
  const actor = await getActor();
  if (actor) await performWith(actor, (tx, a) => setPreferredLocale(tx, a, { locale }));
  revalidatePath("/", "layout");
}

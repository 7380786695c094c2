import { cache } from "react";
import { redirect } from "next/navigation";
import type { PersonActor } from "@/lib/authz/actor";
import { getRequestContext } from "@/lib/http/request-context";
import { auth } from "./auth-config";
import { checkSession, type SessionCheck } from "./sessions";

// Once per request (React cache), so the layout, the page and their components share one check.
export const getSessionCheck = cache(async (): Promise<SessionCheck> => {
  const session = await auth();
  return checkSession(session?.sid, await getRequestContext());
});

export async function getActor(): Promise<PersonActor | null> {
  const check = await getSessionCheck();
  return check.ok ? check.actor : null;
}

/** For pages and actions: the signed-in person, or off to sign-in (with the reason). */
export async function requireActor(opts: { allowPasswordChange?: boolean } = {}): Promise<PersonActor> {
  const check = await getSessionCheck();
  if (!check.ok) redirect(check.reason === "missing" ? "/sign-in" : `/sign-in?reason=${check.reason}`);
  if (check.mustChangePassword && !opts.allowPasswordChange) redirect("/account/password?required=1");
  return check.actor;
}

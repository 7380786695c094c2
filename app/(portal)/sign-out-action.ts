"use server";

import { signOut as endAuthJsSession } from "@/lib/auth/auth-config";
import { signOutCurrentSession } from "@/lib/auth/sign-out-current";

export async function signOutAction(): Promise<void> {
  await signOutCurrentSession();
  await endAuthJsSession({ redirectTo: "/sign-in?reason=signed-out" });
}

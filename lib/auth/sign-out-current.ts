import { inTransaction } from "@/lib/db";
import { getActor } from "./get-actor";
import { signOut } from "./sign-out";

/** Ends the current portal session (if any) with its audit event. */
export async function signOutCurrentSession(): Promise<void> {
  const actor = await getActor();
  if (actor) await inTransaction((tx) => signOut(tx, actor));
}

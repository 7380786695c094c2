import { inTransaction, type Tx } from "@/lib/db";
import type { PersonActor, RequestContext } from "@/lib/authz/actor";
import { requireActor } from "@/lib/auth/get-actor";
import { getRequestContext } from "./request-context";

/**
 * The action pipeline: who is asking (session checked against the database), then the use case
 * in one transaction with that actor. Server actions and route handlers call this, never the
 * database directly.
 */
export async function performAsActor<T>(
  useCase: (tx: Tx, actor: PersonActor) => Promise<T>,
  opts: { allowPasswordChange?: boolean; timeoutMs?: number } = {},
): Promise<T> {
  const actor = await requireActor(opts);
  return inTransaction((tx) => useCase(tx, actor), { timeoutMs: opts.timeoutMs });
}

/** For the steps before anyone is signed in: the request's context instead of an actor. */
export async function performAnonymously<T>(useCase: (tx: Tx, ctx: RequestContext) => Promise<T>): Promise<T> {
  const ctx = await getRequestContext();
  return inTransaction((tx) => useCase(tx, ctx));
}

/** For route handlers that resolved the actor themselves (to answer 401/403 as JSON). */
export async function performWith<A, T>(
  actor: A,
  useCase: (tx: Tx, actor: A) => Promise<T>,
  opts: { timeoutMs?: number } = {},
): Promise<T> {
  return inTransaction((tx) => useCase(tx, actor), { timeoutMs: opts.timeoutMs });
}

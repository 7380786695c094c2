import type { Tx } from "@/lib/db";
import { sha256Hex } from "@/lib/crypto";
import type { PersonActor, RequestContext } from "@/lib/authz/actor";

export const MAX_SECOND_FACTOR_ATTEMPTS = 5;

/** The live pending sign-in for a cookie token, locked for the rest of the transaction. */
export async function lockPendingSignIn(tx: Tx, token: string | undefined, now = new Date()) {
  if (!token || token.length > 200) return null;
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM pending_sign_in
    WHERE token_hash = ${sha256Hex(token)} AND consumed_at IS NULL AND expires_at > ${now}
    FOR UPDATE`;
  const id = rows[0]?.id;
  if (!id) return null;
  const pending = await tx.pendingSignIn.findUnique({
    where: { id },
    include: { account: { include: { person: { select: { id: true, name: true, employeeNo: true, orgUnitId: true } } } } },
  });
  if (!pending || pending.attempts >= MAX_SECOND_FACTOR_ATTEMPTS) return null;
  return pending;
}

export type LockedPendingSignIn = NonNullable<Awaited<ReturnType<typeof lockPendingSignIn>>>;

/** The person signing in, as an actor without portal roles (they are not signed in yet). */
export function signInActor(pending: LockedPendingSignIn, ctx: RequestContext): PersonActor {
  const p = pending.account.person;
  return {
    kind: "person",
    personId: p.id,
    accountId: pending.accountId,
    name: p.name,
    employeeNo: p.employeeNo,
    orgUnitId: p.orgUnitId,
    sessionId: null,
    roles: [],
    ctx,
  };
}

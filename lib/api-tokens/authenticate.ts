import { getDb } from "@/lib/db";
import { isApiOperation, type ApiOperation } from "./operations";
import { parseBearer, sameHash } from "./secret";

export type ApiTokenIdentity = {
  id: string;
  name: string;
  prefix: string;
  systemIds: string[];
  operations: ApiOperation[];
  expiresAt: Date;
};

export type TokenCheck =
  | { ok: true; token: ApiTokenIdentity }
  // `token` is set when the token is known (expired or revoked): the refusal is audited under its name.
  | { ok: false; code: "UNAUTHENTICATED" | "TOKEN_INVALID" | "TOKEN_EXPIRED" | "TOKEN_REVOKED"; token?: ApiTokenIdentity };

/**
 * Who is calling, from the `Authorization: Bearer 4a_…` header: missing or malformed → UNAUTHENTICATED;
 * unknown → TOKEN_INVALID; revoked → TOKEN_REVOKED; past its expiry → TOKEN_EXPIRED. Looked up by hash
 * (unique index), then compared in constant time.
 */
export async function authenticateApiToken(authorization: string | null | undefined, now = new Date()): Promise<TokenCheck> {
  const parsed = parseBearer(authorization);
  if (!parsed) return { ok: false, code: "UNAUTHENTICATED" };
  const row = await getDb().apiToken.findUnique({
    where: { tokenHash: parsed.hash },
    select: { id: true, name: true, prefix: true, tokenHash: true, systemIds: true, operations: true, expiresAt: true, revokedAt: true },
  });
  if (!row || row.prefix !== parsed.prefix || !sameHash(row.tokenHash, parsed.hash)) return { ok: false, code: "TOKEN_INVALID" };
  const token: ApiTokenIdentity = {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    systemIds: row.systemIds,
    operations: row.operations.filter(isApiOperation),
    expiresAt: row.expiresAt,
  };
  if (row.revokedAt) return { ok: false, code: "TOKEN_REVOKED", token };
  if (row.expiresAt.getTime() <= now.getTime()) return { ok: false, code: "TOKEN_EXPIRED", token };
  return { ok: true, token };
}

export function tokenAllows(token: ApiTokenIdentity, operation: ApiOperation): boolean {
  return token.operations.includes(operation);
}

export function tokenCoversSystem(token: ApiTokenIdentity, systemId: string | null | undefined): boolean {
  return !!systemId && token.systemIds.includes(systemId);
}

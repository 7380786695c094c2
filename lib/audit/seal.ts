import { createHash, createHmac, timingSafeEqual } from "node:crypto";

// The audit trail's key (docs/decisions/0025): AUDIT_SIGNING_KEY, 32 bytes base64, held by the app
// processes and the verifier, never by the database. It seals each row (HMAC over its id and chain hash)
// and signs the checkpoints of the chain head kept outside the database.

export interface AuditKey {
  key: Buffer;
  /** A short public name for the key (first 16 hex digits of its SHA-256), stored with each seal and checkpoint. */
  id: string;
}

export function auditKeyFrom(base64: string): AuditKey {
  const key = Buffer.from(base64, "base64");
  if (key.length !== 32) throw new Error("AUDIT_SIGNING_KEY must be 32 bytes, base64");
  return { key, id: createHash("sha256").update(key).digest("hex").slice(0, 16) };
}

let cached: { raw: string; key: AuditKey } | undefined;

/** The key from AUDIT_SIGNING_KEY (read on each call so tests and tools can set it; parsed once per value). */
export function auditKey(): AuditKey {
  const raw = process.env.AUDIT_SIGNING_KEY;
  if (!raw) throw new Error("AUDIT_SIGNING_KEY is not set (scripts/lib/local-env.ts generates one for local runs)");
  if (cached?.raw !== raw) cached = { raw, key: auditKeyFrom(raw) };
  return cached.key;
}

export function hmacHex(key: AuditKey, message: string): string {
  return createHmac("sha256", key.key).update(message, "utf8").digest("hex");
}

export function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, "hex");
  const y = Buffer.from(b, "hex");
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

/** The seal of audit row `id` whose chain hash is `hash`. */
export function sealOf(key: AuditKey, id: bigint, hash: string): string {
  return hmacHex(key, `audit-seal-v1|${id}|${hash}`);
}

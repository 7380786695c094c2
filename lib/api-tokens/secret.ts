import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

// A token reads `4a_<prefix>_<secret>`: the prefix (10 lower-case hex characters) is public and shown in
// lists so people recognise a token; the secret is 32 random bytes, base64url. Only the SHA-256 of the whole
// token is stored: the secret is high-entropy, so a slow password hash would add nothing but latency.
const TOKEN = /^4a_([0-9a-f]{10})_([A-Za-z0-9_-]{43})$/;

export type ParsedToken = { prefix: string; hash: string };

export function newApiTokenSecret(): { token: string; prefix: string; hash: string } {
  const prefix = randomBytes(5).toString("hex");
  const token = `4a_${prefix}_${randomBytes(32).toString("base64url")}`;
  return { token, prefix, hash: hashApiToken(token) };
}

export function hashApiToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** The token in an `Authorization: Bearer …` header, or null when the header is missing or malformed. */
export function parseBearer(header: string | null | undefined): ParsedToken | null {
  if (!header || header.length > 200) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) return null;
  const token = match[1]!;
  const parts = TOKEN.exec(token);
  if (!parts) return null;
  return { prefix: parts[1]!, hash: hashApiToken(token) };
}

/** Compares two hex hashes in constant time. */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, "hex");
  const y = Buffer.from(b, "hex");
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

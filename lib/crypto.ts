import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { env } from "./env";

/**
 * AES-256-GCM for what the portal must read back: TOTP seeds and personal data (phone, e-mail, ID
 * number). Format `v2.<keyId>.<iv>.<tag>.<data>` (base64url), where keyId names the key that wrote it
 * (a fingerprint of the key, never the key). New writes use APP_ENCRYPTION_KEY; keys listed in
 * APP_ENCRYPTION_PREVIOUS_KEYS still decrypt until `npm run keys:rotate` has re-encrypted their
 * values (docs/decisions/0019). `v1.<iv>.<tag>.<data>` (no key id, written before rotation existed)
 * is read with whichever configured key opens it.
 */
export type KeyRing = { current: Buffer; previous: Buffer[] };

// The environment is validated once per process (lib/env.ts): the decoded keys are cached with it.
let cachedRing: { env: object; ring: KeyRing } | undefined;

export function keyRing(): KeyRing {
  const e = env();
  if (cachedRing?.env !== e) {
    const ring = {
      current: Buffer.from(e.APP_ENCRYPTION_KEY, "base64"),
      previous: e.APP_ENCRYPTION_PREVIOUS_KEYS.map((k) => Buffer.from(k, "base64")),
    };
    cachedRing = { env: e, ring };
  }
  return cachedRing.ring;
}

const keyIds = new Map<string, string>();

/** A key's public name: 8 characters of HMAC(key, purpose), so the ciphertext says which key to use. */
export function keyId(key: Buffer): string {
  const hex = key.toString("hex");
  let id = keyIds.get(hex);
  if (!id) {
    id = createHmac("sha256", key).update("4a-portal encryption key id").digest("base64url").slice(0, 8);
    keyIds.set(hex, id);
  }
  return id;
}

/** What every value written with the current key starts with (for "not yet rotated" queries). */
export function currentKeyPrefix(ring: KeyRing = keyRing()): string {
  return `v2.${keyId(ring.current)}.`;
}

export function encryptSecret(plain: string, ring: KeyRing = keyRing()): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", ring.current, iv);
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v2", keyId(ring.current), ...[iv, cipher.getAuthTag(), data].map((p) => p.toString("base64url"))].join(".");
}

export function decryptSecret(blob: string, ring: KeyRing = keyRing()): string {
  const parts = blob.split(".");
  const open = (key: Buffer, [iv, tag, data]: string[]) => {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv!, "base64url"));
    decipher.setAuthTag(Buffer.from(tag!, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(data!, "base64url")), decipher.final()]).toString("utf8");
  };
  if (parts[0] === "v2" && parts.length === 5) {
    const key = [ring.current, ...ring.previous].find((k) => keyId(k) === parts[1]);
    if (!key)
      throw new Error(`Encrypted with key ${parts[1]}, which is not configured (APP_ENCRYPTION_KEY / APP_ENCRYPTION_PREVIOUS_KEYS)`);
    return open(key, parts.slice(2));
  }
  if (parts[0] === "v1" && parts.length === 4) {
    for (const key of [ring.current, ...ring.previous]) {
      try {
        return open(key, parts.slice(1));
      } catch {
        // not this key: GCM's tag check fails
      }
    }
    throw new Error("No configured key decrypts this value");
  }
  throw new Error("Unknown secret format");
}

/** Whether a stored value is one of ours (v1/v2 ciphertext) rather than legacy plain text. */
export function isCiphertext(value: string): boolean {
  return (
    /^v2\.[A-Za-z0-9_-]{8}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(value) ||
    /^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(value)
  );
}

/** Encrypts an optional value: null and empty stay null. */
export function encryptOptional(plain: string | null | undefined, ring?: KeyRing): string | null {
  return plain ? encryptSecret(plain, ring) : null;
}

export function decryptOptional(blob: string | null | undefined, ring?: KeyRing): string | null {
  return blob ? decryptSecret(blob, ring) : null;
}

/**
 * Keyed blind index (HMAC-SHA256 with APP_BLIND_INDEX_KEY, a key separate from the encryption key)
 * of a normalised value, for equality lookups and uniqueness on encrypted columns. The purpose is part
 * of the input, so equal strings in different fields do not share an index value.
 */
export function blindIndex(purpose: string, normalised: string, key = env().APP_BLIND_INDEX_KEY): string {
  return createHmac("sha256", decodedKey(key)).update(`${purpose}\u0000${normalised}`, "utf8").digest("base64url");
}

const decodedKeys = new Map<string, Buffer>();
function decodedKey(base64: string): Buffer {
  let key = decodedKeys.get(base64);
  if (!key) decodedKeys.set(base64, (key = Buffer.from(base64, "base64")));
  return key;
}

export function sha256Hex(value: string): string {
  return createHash("sha256").update(value, "utf8").digest("hex");
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

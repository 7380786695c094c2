import { Secret, TOTP } from "otpauth";
import { randomInt } from "node:crypto";
import { sha256Hex } from "@/lib/crypto";

export const TOTP_PERIOD = 30;
const ISSUER = "4A Portal";

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totp(secret: string, label = "user"): TOTP {
  return new TOTP({ issuer: ISSUER, label, algorithm: "SHA1", digits: 6, period: TOTP_PERIOD, secret: Secret.fromBase32(secret) });
}

export function totpUri(secret: string, label: string): string {
  return totp(secret, label).toString();
}

export function currentTotp(secret: string, at = Date.now()): string {
  return totp(secret).generate({ timestamp: at });
}

/**
 * Accepts the current code or one step either side (clock drift). Returns the matched time step,
 * which the caller stores so the same code cannot be used twice; null when the code is wrong.
 */
export function matchTotp(secret: string, token: string, lastStep: bigint | null, at = Date.now()): bigint | null {
  const clean = token.replace(/\s+/g, "");
  if (!/^\d{6}$/.test(clean)) return null;
  const delta = totp(secret).validate({ token: clean, timestamp: at, window: 1 });
  if (delta === null) return null;
  const step = BigInt(Math.floor(at / 1000 / TOTP_PERIOD) + delta);
  if (lastStep !== null && step <= lastStep) return null;
  return step;
}

const RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

export function newRecoveryCodes(count = 10): string[] {
  return Array.from({ length: count }, () => {
    const chars = Array.from({ length: 10 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]).join("");
    return `${chars.slice(0, 5)}-${chars.slice(5, 10)}`;
  });
}

export function normaliseRecoveryCode(code: string): string {
  return code
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");
}

export function hashRecoveryCode(code: string): string {
  return sha256Hex(`recovery:${normaliseRecoveryCode(code)}`);
}

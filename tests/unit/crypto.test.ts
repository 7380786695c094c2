import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { blindIndex, currentKeyPrefix, decryptSecret, encryptSecret, isCiphertext, keyId, type KeyRing } from "@/lib/crypto";
import { emailIndex, idNumberIndex } from "@/lib/people/pii";
import { scaleTotpSecret } from "@/lib/seed/scale-totp";
import { currentTotp, matchTotp } from "@/lib/auth/totp";
import { createCipheriv } from "node:crypto";

const k1 = randomBytes(32);
const k2 = randomBytes(32);

// The format before key ids existed: v1.<iv>.<tag>.<data>.
function encryptV1(plain: string, key: Buffer): string {
  const iv = randomBytes(12);
  const c = createCipheriv("aes-256-gcm", key, iv);
  const data = Buffer.concat([c.update(plain, "utf8"), c.final()]);
  return ["v1", iv.toString("base64url"), c.getAuthTag().toString("base64url"), data.toString("base64url")].join(".");
}

describe("encryption with a key ring (decision 0019)", () => {
  const old: KeyRing = { current: k1, previous: [] };
  const rotated: KeyRing = { current: k2, previous: [k1] };

  it("names the key in every ciphertext and never repeats one (random IV)", () => {
    const a = encryptSecret("13812345678", old);
    expect(a.startsWith(`v2.${keyId(k1)}.`)).toBe(true);
    expect(a.startsWith(currentKeyPrefix(old))).toBe(true);
    expect(a).not.toContain("13812345678");
    expect(encryptSecret("13812345678", old)).not.toBe(a);
    expect(isCiphertext(a)).toBe(true);
    expect(isCiphertext("someone@example.com")).toBe(false);
  });

  it("decrypts old-key values after the key changed, while the old key is listed; new writes use the new key", () => {
    const a = encryptSecret("secret", old);
    expect(decryptSecret(a, rotated)).toBe("secret");
    expect(encryptSecret("secret", rotated).startsWith(`v2.${keyId(k2)}.`)).toBe(true);
    expect(() => decryptSecret(a, { current: k2, previous: [] })).toThrow(/not configured/);
  });

  it("reads v1 values (no key id) with whichever configured key opens them", () => {
    expect(decryptSecret(encryptV1("seed", k1), rotated)).toBe("seed");
    expect(() => decryptSecret(encryptV1("seed", k1), { current: k2, previous: [] })).toThrow(/No configured key/);
  });

  it("rejects tampered ciphertext (GCM tag) and unknown formats", () => {
    const a = encryptSecret("secret", old).split(".");
    a[4] = Buffer.from("other").toString("base64url");
    expect(() => decryptSecret(a.join("."), old)).toThrow();
    expect(() => decryptSecret("plain text", old)).toThrow(/Unknown secret format/);
  });
});

describe("blind indexes", () => {
  // lib/env.ts validates the whole environment on first use; nothing here connects.
  process.env.DATABASE_URL ??= "postgres://unused@localhost/unused";
  const key = randomBytes(32).toString("base64");
  it("are keyed, per purpose, and equal for equal normalised values", () => {
    expect(blindIndex("p", "x", key)).toBe(blindIndex("p", "x", key));
    expect(blindIndex("p", "x", key)).not.toBe(blindIndex("q", "x", key));
    expect(blindIndex("p", "x", key)).not.toBe(blindIndex("p", "x", randomBytes(32).toString("base64")));
    expect(emailIndex(" Zhang.Wei@Example.COM ")).toBe(emailIndex("zhang.wei@example.com"));
    expect(idNumberIndex("11010519491231002x")).toBe(idNumberIndex("110105 19491231 002X"));
    expect(emailIndex("a@example.com")).not.toBe(emailIndex("b@example.com"));
  });
});

describe("seed:scale TOTP secrets (issue 14 §4)", () => {
  it("are real, distinct per account and reproducible, so demo:totp -- --scale prints a code the portal accepts", () => {
    const a = scaleTotpSecret("E000001");
    expect(a).toMatch(/^[A-Z2-7]{32}$/); // 20 bytes, base32
    expect(scaleTotpSecret("E000001")).toBe(a);
    expect(scaleTotpSecret("E000002")).not.toBe(a);
    const at = Date.UTC(2026, 11, 3, 9, 0, 0);
    expect(matchTotp(a, currentTotp(a, at), null, at)).not.toBeNull();
    // Stored encrypted like any other secret, and read back.
    const ring: KeyRing = { current: k1, previous: [] };
    expect(decryptSecret(encryptSecret(a, ring), ring)).toBe(a);
  });
});

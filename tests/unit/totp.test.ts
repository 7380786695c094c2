import { describe, expect, it } from "vitest";
import { currentTotp, hashRecoveryCode, matchTotp, newRecoveryCodes, newTotpSecret, TOTP_PERIOD } from "@/lib/auth/totp";

describe("TOTP", () => {
  const secret = newTotpSecret();
  const now = Date.UTC(2026, 10, 21, 12, 0, 0);

  it("accepts the current code and returns its time step", () => {
    const step = matchTotp(secret, currentTotp(secret, now), null, now);
    expect(step).toBe(BigInt(Math.floor(now / 1000 / TOTP_PERIOD)));
  });
  it("accepts one step of clock drift, not two", () => {
    expect(matchTotp(secret, currentTotp(secret, now - 30_000), null, now)).not.toBeNull();
    expect(matchTotp(secret, currentTotp(secret, now - 90_000), null, now)).toBeNull();
  });
  it("refuses a replayed code", () => {
    const step = matchTotp(secret, currentTotp(secret, now), null, now)!;
    expect(matchTotp(secret, currentTotp(secret, now), step, now)).toBeNull();
  });
  it("refuses malformed input", () => {
    for (const bad of ["", "12345", "1234567", "abcdef", "<script>", "' OR 1=1 --"]) expect(matchTotp(secret, bad, null, now)).toBeNull();
  });
});

describe("recovery codes", () => {
  it("are ten distinct codes", () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
  });
  it("hash the same whatever the case and separators", () => {
    expect(hashRecoveryCode("abcde-fghjk")).toBe(hashRecoveryCode(" ABCDE FGHJK "));
  });
});

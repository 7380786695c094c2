import { createHmac } from "node:crypto";
import { Secret } from "otpauth";

/**
 * The TOTP secret `npm run seed:scale` gives an enrolled account of the scale-test data: derived from
 * the employee number (benchmark data only, never a real account), so `npm run demo:totp -- --scale
 * <employee no>` can print the current code for any of them. Stored encrypted like every other secret.
 */
export function scaleTotpSecret(employeeNo: string): string {
  const bytes = createHmac("sha256", "4a-portal seed:scale totp").update(employeeNo, "utf8").digest().subarray(0, 20);
  return new Secret({ buffer: new Uint8Array(bytes).buffer }).base32;
}

import { randomInt } from "node:crypto";
import { checkPassword, PASSWORD_RULES, type PasswordProfile } from "./password-policy";

// No look-alikes (0/O, 1/l/I), so the password can be read out or typed from a screen without errors.
const CLASSES = ["abcdefghijkmnpqrstuvwxyz", "ABCDEFGHJKLMNPQRSTUVWXYZ", "23456789", "!#$%&*+-=?@^_"] as const;
const ALL = CLASSES.join("");
// 16 characters from 70: about 98 bits, far above what the profiles ask, and one of every class.
const LENGTH = 16;

/**
 * A strong random password that satisfies the profile's rules (length, character classes, not common,
 * no part of the person's identity): one character of each class, the rest from all of them, shuffled
 * with a cryptographic generator. Regenerated in the (astronomically rare) case a check fails.
 */
export function generateOneTimePassword(profile: PasswordProfile, identity: string[] = []): string {
  const length = Math.max(LENGTH, PASSWORD_RULES[profile].minLength);
  for (;;) {
    const chars = CLASSES.map((c) => c[randomInt(c.length)]!);
    while (chars.length < length) chars.push(ALL[randomInt(ALL.length)]!);
    for (let i = chars.length - 1; i > 0; i--) {
      const j = randomInt(i + 1);
      [chars[i], chars[j]] = [chars[j]!, chars[i]!];
    }
    const password = chars.join("");
    if (checkPassword(profile, password, identity).length === 0) return password;
  }
}

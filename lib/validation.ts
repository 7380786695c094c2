import { z } from "zod";

// Control characters (NUL above all, which PostgreSQL refuses in text) are refused at the boundary
// with a field error instead of failing in the database. Tab, newline and carriage return are allowed.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

export function hasControlCharacters(value: string): boolean {
  return CONTROL.test(value);
}

/** Required single-line or multi-line text, trimmed, at most `max` characters. */
export function requiredText(max: number) {
  return z
    .string()
    .trim()
    .min(1, "required")
    .max(max, "too-long")
    .refine((v) => !hasControlCharacters(v), "invalid");
}

/** Optional text: empty becomes undefined. */
export function optionalText(max: number) {
  return z
    .string()
    .trim()
    .max(max, "too-long")
    .refine((v) => !hasControlCharacters(v), "invalid")
    .optional()
    .transform((v) => (v ? v : undefined));
}

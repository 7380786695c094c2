import { z } from "zod";

// The one text schema every input goes through (issue 9 §4): form fields, REST API bodies and query
// parameters, route parameters, imported cells. Control characters (NUL above all, which PostgreSQL
// refuses in text, so it used to surface as a 500) are refused at the boundary with the field error
// "invalid"; tab, newline and carriage return are allowed. `z.string()` itself is used nowhere else in
// lib/ or app/ (ESLint's no-restricted-syntax rule in eslint.config.mjs).
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

export function hasControlCharacters(value: string): boolean {
  return CONTROL.test(value);
}

/**
 * Text without control characters: the base of every string input. Chain zod's string checks on it
 * (`text().trim().max(64, "too-long")`, `text().uuid("invalid")`); `params` as for `z.string()`.
 */
export function text(params?: Parameters<typeof z.string>[0]) {
  return z.string(params).refine((v) => !hasControlCharacters(v), "invalid");
}

/** Required single-line or multi-line text, trimmed, at most `max` characters. */
export function requiredText(max: number) {
  return text().trim().min(1, "required").max(max, "too-long");
}

/** Optional text: empty becomes undefined. */
export function optionalText(max: number) {
  return text()
    .trim()
    .max(max, "too-long")
    .optional()
    .transform((v) => (v ? v : undefined));
}

/** The reason every administrative change carries into the audit (at least two characters). */
export const ReasonInput = requiredText(500).refine((v) => v.length >= 2, "required");

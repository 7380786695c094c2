import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

// One way to end a grant (docs/decisions, issue 9 §6): only lib/grants/end-grants.ts may end-date an
// access_grant, so audit, outbox and findings cannot be forgotten by a new path.
const ROOT = join(__dirname, "..", "..");
const ALLOWED = new Set(["lib/grants/end-grants.ts"]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === "node_modules" || name === "generated") return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

describe("grants end in one place", () => {
  it("no file but lib/grants/end-grants.ts writes a grant's revoke reason", () => {
    const writers = ["lib", "app"]
      .flatMap((d) => sourceFiles(join(ROOT, d)))
      .filter((f) => /revoke_reason\s*=|data:\s*\{[^}]*revokeReason/.test(readFileSync(f, "utf8")))
      .map((f) => relative(ROOT, f))
      .filter((f) => !ALLOWED.has(f));
    expect(writers).toEqual([]);
  });
});

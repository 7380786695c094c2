import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const read = (p: string) => fs.readFileSync(path.join(ROOT, p), "utf8");

describe("prisma/sql/audit-chain.sql", () => {
  it("is the hand-written part of the initial migration, word for word (the migration names it)", () => {
    const init = read("prisma/migrations/20261121234531_init/migration.sql");
    expect(init).toContain("(prisma/sql/audit-chain.sql)");
    const body = read("prisma/sql/audit-chain.sql").replace(/^(--[^\n]*\n)+\n/, "");
    expect(body).toMatch(/^-- Each row's hash/);
    expect(body.length).toBeGreaterThan(1000);
    expect(init.endsWith(body)).toBe(true);
  });

  it("decision records cite only files that exist in the repository", () => {
    const dir = path.join(ROOT, "docs/decisions");
    for (const name of fs.readdirSync(dir)) {
      const text = fs.readFileSync(path.join(dir, name), "utf8");
      for (const [, cited] of text.matchAll(
        /`((?:docs|shared|lib|prisma|scripts|tests|app|components|e2e|public)\/[\w./[\]-]+\.(?:md|ts|tsx|sql|json))`/g,
      )) {
        expect(fs.existsSync(path.join(ROOT, cited!)), `${name} cites ${cited}`).toBe(true);
      }
    }
  });
});

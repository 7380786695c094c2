import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { PROJECT_ROOT } from "./postgres";

const INPUTS = [
  "app",
  "components",
  "lib",
  "i18n",
  "messages",
  "public",
  "next.config.js",
  "postcss.config.mjs",
  "package-lock.json",
  "tsconfig.json",
];
const DIST_DIR = path.join(PROJECT_ROOT, process.env.NEXT_DIST_DIR || ".next");
const STAMP = path.join(DIST_DIR, "portal-build-hash");

function hashInputs(): string {
  const hash = createHash("sha256");
  const walk = (p: string) => {
    const full = path.join(PROJECT_ROOT, p);
    if (!fs.existsSync(full)) return;
    const stat = fs.statSync(full);
    if (stat.isDirectory()) {
      if (p.endsWith("generated")) return;
      for (const child of fs.readdirSync(full).sort()) walk(path.join(p, child));
    } else {
      hash.update(p);
      hash.update(fs.readFileSync(full));
    }
  };
  for (const input of INPUTS) walk(input);
  return hash.digest("hex");
}

/** `next build` only when the sources changed since the last build (the hash is kept in .next). */
export function buildIfNeeded(): void {
  const current = hashInputs();
  const previous = fs.existsSync(STAMP) ? fs.readFileSync(STAMP, "utf8") : "";
  if (previous === current && fs.existsSync(path.join(DIST_DIR, "BUILD_ID"))) {
    console.log("[start] build is up to date");
    return;
  }
  console.log("[start] building the portal (next build)…");
  const result = spawnSync(path.join(PROJECT_ROOT, "node_modules", ".bin", "next"), ["build"], {
    cwd: PROJECT_ROOT,
    stdio: "inherit",
    env: process.env,
  });
  if (result.status !== 0) throw new Error(`next build failed (exit ${result.status})`);
  fs.writeFileSync(STAMP, current);
}

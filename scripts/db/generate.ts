/**
 * Runs `prisma generate` without network access.
 *
 * The Prisma CLI tries to download its native schema engine even for `generate`, which does not use
 * it; pointing PRISMA_SCHEMA_ENGINE_BINARY at any existing file stops that. Needs no DATABASE_URL
 * (prisma.config.ts supplies a placeholder).
 *
 * CLI:  npx tsx scripts/db/generate.ts [extra prisma generate args…]
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { isMainModule, PROJECT_ROOT } from "../lib/postgres";

/** Runs `prisma generate` and resolves with its exit code. */
export function generate(extraArgs: string[] = []): Promise<number> {
  const bin = path.join(PROJECT_ROOT, "node_modules", ".bin", process.platform === "win32" ? "prisma.cmd" : "prisma");
  if (!fs.existsSync(bin)) {
    console.error(`[generate] ${bin} not found: run npm install first`);
    return Promise.resolve(1);
  }
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY || process.execPath,
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    CHECKPOINT_DISABLE: "1",
    PRISMA_ENGINES_CHECKSUM_IGNORE_MISSING: "1",
  };
  return new Promise((resolve) => {
    const child = spawn(bin, ["generate", ...extraArgs], {
      cwd: PROJECT_ROOT,
      env,
      stdio: "inherit",
      shell: process.platform === "win32",
    });
    child.on("error", (error) => {
      console.error(`[generate] could not run prisma: ${error.message}`);
      resolve(1);
    });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

if (isMainModule(import.meta.url)) {
  process.exitCode = await generate(process.argv.slice(2));
}

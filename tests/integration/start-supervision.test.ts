// `npm start` supervises its children (issue 9 §6): when one dies (kill -9), the portal stops the other,
// stops its embedded PostgreSQL cleanly and exits non-zero, so a supervisor sees the failure. Runs
// scripts/start.ts for real on its own embedded cluster (a temporary data directory and port, the worker
// role only, so no build is needed), never on the test database.
import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.join(__dirname, "..", "..");

function children(pid: number): number[] {
  try {
    return execFileSync("pgrep", ["-P", String(pid)], { encoding: "utf8" })
      .split("\n")
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}

describe("npm start supervision", () => {
  it("kill -9 of the worker: npm start stops the database and exits non-zero", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-start-"));
    const port = 56100 + (process.pid % 800);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PG_PORT: String(port),
      PG_DATA_DIR: path.join(dir, "pg"),
      PORTAL_ROLE: "worker",
      AUDIT_CHECKPOINT_FILE: path.join(dir, "checkpoints.log"),
      LOG_LEVEL: "info",
    };
    for (const key of ["DATABASE_URL", "DATABASE_OWNER_URL", "DATABASE_ADMIN_URL", "PORTAL_CLOCK_AT", "NODE_OPTIONS"]) delete env[key];
    const start = spawn(path.join(ROOT, "node_modules", ".bin", "tsx"), [path.join(ROOT, "scripts", "start.ts")], {
      cwd: ROOT,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    start.stdout.on("data", (d: Buffer) => (output += d.toString()));
    start.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      start.once("exit", (code, signal) => resolve({ code, signal })),
    );
    try {
      // Wait for the worker to be up.
      const deadline = Date.now() + 150_000;
      while (!output.includes("worker started") && Date.now() < deadline && start.exitCode === null)
        await new Promise((r) => setTimeout(r, 250));
      expect(output, output.slice(-2000)).toContain("worker started");
      expect(await listening(port)).toBe(true);

      // The worker's own node process (start → tsx → node running scripts/worker.ts), killed without a
      // chance to clean up. Only it: the embedded PostgreSQL is a child of npm start too.
      const descendants = (pid: number): number[] => children(pid).flatMap((c) => [c, ...descendants(c)]);
      const cmdline = (pid: number) => {
        try {
          return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
        } catch {
          return "";
        }
      };
      const workers = descendants(start.pid!).filter((pid) => cmdline(pid).includes("worker.ts"));
      const deepest = workers.filter((pid) => !children(pid).some((c) => workers.includes(c)));
      expect(deepest.length).toBeGreaterThan(0);
      for (const pid of deepest) process.kill(pid, "SIGKILL");

      const { code } = await Promise.race([
        exited,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error("npm start did not exit")), 60_000)),
      ]);
      expect(code).not.toBe(0);
      expect(code).not.toBeNull();
      expect(output).toMatch(/the worker process \(pid \d+\) (was killed by SIGKILL|exited with code \d+); stopping the portal/);
      // PostgreSQL was stopped cleanly: nothing listens, no postmaster.pid is left behind.
      expect(await listening(port)).toBe(false);
      expect(fs.existsSync(path.join(dir, "pg", "postmaster.pid"))).toBe(false);
    } finally {
      // On a failure, leave nothing running: the whole tree, then npm start itself.
      const tree = (pid: number): number[] => children(pid).flatMap((c) => [...tree(c), c]);
      if (start.exitCode === null) {
        for (const pid of tree(start.pid!)) {
          try {
            process.kill(pid, "SIGKILL");
          } catch {
            // already gone
          }
        }
        start.kill("SIGKILL");
      }
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});

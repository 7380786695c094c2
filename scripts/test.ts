import { spawnSync } from "node:child_process";

// `npm test`: every check, in order of speed. Each step's own runner prints its results; this
// prints a summary and exits non-zero if any step failed.
const steps: { name: string; cmd: string[] }[] = [
  { name: "typecheck", cmd: ["npm", "run", "--silent", "typecheck"] },
  { name: "lint", cmd: ["npm", "run", "--silent", "lint"] },
  { name: "format", cmd: ["npm", "run", "--silent", "format:check"] },
  { name: "unit", cmd: ["npm", "run", "--silent", "test:unit"] },
  { name: "integration", cmd: ["npm", "run", "--silent", "test:integration"] },
  // The calendar-sensitive tests again with the clock pinned at 23:30/00:30 (portal zone and UTC).
  { name: "calendar", cmd: ["npm", "run", "--silent", "test:calendar"] },
  { name: "e2e", cmd: ["npm", "run", "--silent", "test:e2e"] },
];

const only = process.argv.slice(2);
const results: { name: string; ok: boolean; seconds: number }[] = [];
for (const step of steps.filter((s) => only.length === 0 || only.includes(s.name))) {
  console.log(`\n=== ${step.name} ===`);
  const started = Date.now();
  const run = spawnSync(step.cmd[0]!, step.cmd.slice(1), { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  results.push({ name: step.name, ok: run.status === 0, seconds: Math.round((Date.now() - started) / 1000) });
}
console.log("\n=== summary ===");
for (const r of results) console.log(`${r.ok ? "PASS" : "FAIL"}  ${r.name.padEnd(12)} ${r.seconds}s`);
process.exit(results.every((r) => r.ok) ? 0 : 1);

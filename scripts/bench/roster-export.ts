/**
 * `npm run bench:roster-export`: streams the whole sensitive-personnel roster as CSV through
 * rosterCsvStream (what GET /roster/export returns) into nothing, against the scale database, and
 * reports rows, bytes, duration and peak RSS (sampled every 50 ms). Target: peak RSS < 300 MB.
 *
 *   npx tsx scripts/bench/roster-export.ts [--actor officer|admin] [--as-of YYYY-MM-DD] [--no-parallel]
 *
 *   --actor admin  export as the ACCOUNT_ADMIN of SYS001 (their systems only) instead of the officer
 *   --no-parallel  connect with max_parallel_workers_per_gather = 0
 */
import { closeScaleBench, loadActors, machineLine, openScaleBench } from "./harness";

const args = process.argv.slice(2);
const arg = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const NO_PARALLEL = args.includes("--no-parallel");
const ACTOR = arg("--actor") ?? "officer";
const AS_OF = arg("--as-of");
const LIMIT_MB = 300;

const db = await openScaleBench({ noParallel: NO_PARALLEL });
let failed = false;
try {
  const { rosterCsvStream } = await import("@/lib/roster/export-csv");
  const actors = await loadActors();
  const actor = ACTOR === "admin" ? actors.adminLarge : actors.officer;
  const stream = rosterCsvStream(actor, AS_OF ? { asOf: AS_OF } : {});

  global.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);

  const started = performance.now();
  let firstByteMs: number | undefined;
  let bytes = 0;
  let lines = 0;
  let chunks = 0;
  let maxChunk = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    firstByteMs ??= performance.now() - started;
    chunks++;
    bytes += value.byteLength;
    maxChunk = Math.max(maxChunk, value.byteLength);
    for (let i = 0; i < value.length; i++) if (value[i] === 10) lines++;
  }
  const duration = performance.now() - started;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);

  const mb = (n: number) => `${(n / 2 ** 20).toFixed(1)} MB`;
  console.log(`machine: ${machineLine()}`);
  console.log(
    `variant: lib/${NO_PARALLEL ? ", max_parallel_workers_per_gather = 0" : ""}; actor: ${ACTOR}${AS_OF ? `; as of ${AS_OF}` : ""}`,
  );
  console.log(`rows:        ${(lines - 1).toLocaleString("en-US")} CSV lines (+ header) in ${chunks} chunks (largest ${mb(maxChunk)})`);
  console.log(`bytes:       ${bytes.toLocaleString("en-US")} (${mb(bytes)})`);
  console.log(
    `duration:    ${(duration / 1000).toFixed(1)} s (first byte ${firstByteMs?.toFixed(0) ?? "-"} ms, ${Math.round((lines - 1) / (duration / 1000)).toLocaleString("en-US")} lines/s)`,
  );
  console.log(
    `RSS:         baseline ${mb(baseline)}, peak ${mb(peak)} (+${mb(peak - baseline)}); target peak < ${LIMIT_MB} MB: ${peak < LIMIT_MB * 2 ** 20 ? "met" : "NOT met"}`,
  );
  failed = peak >= LIMIT_MB * 2 ** 20;
} finally {
  await closeScaleBench(db);
}
process.exitCode = failed ? 1 : 0;

import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { startWorker } from "@/lib/jobs/worker";

// The worker process (PORTAL_ROLE=worker): every background job, no web server. Started by `npm start`
// next to the web server, or on its own (`npx tsx scripts/worker.ts` with DATABASE_URL and the secrets
// set) to run M workers beside N web processes. SIGTERM/SIGINT let the jobs in hand finish (30 s at most).
const config = env();
const worker = await startWorker(config.DATABASE_URL);
log.info({ node: process.version, pid: process.pid }, "worker started");
let stopping = false;
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const)
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void worker
      .stop()
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        log.error({ err }, "worker stop failed");
        process.exit(1);
      });
  });

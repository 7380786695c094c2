// Runs once when the server boots: a misconfigured environment stops the server with a clear
// message instead of failing on the first request. The web process runs no background job unless
// PORTAL_ROLE=both (one process doing everything; `npm start` runs a separate worker by default).
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { env } = await import("./lib/env");
  const config = env();
  const { log } = await import("./lib/log");
  log.info({ node: process.version, role: config.PORTAL_ROLE ?? "web" }, "web server starting");
  if (config.PORTAL_ROLE === "both") {
    const { startWorker } = await import("./lib/jobs/worker");
    await startWorker(config.DATABASE_URL);
  }
}

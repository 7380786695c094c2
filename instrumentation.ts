// Runs once when the server boots: a misconfigured environment stops the server with a clear
// message instead of failing on the first request; then the background jobs start.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { env } = await import("./lib/env");
  env();
  if (process.env.PORTAL_JOBS !== "off") {
    const { startScheduler } = await import("./lib/jobs/scheduler");
    startScheduler();
  }
}

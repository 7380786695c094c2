// A per-token call budget, counted in fixed one-minute windows in this process's memory: cheap, and enough
// to stop a runaway integration loop from flooding the audit trail. (Several app processes each count
// their own calls; a shared limit would need the database or a cache, which the portal does not run.)
export const CALLS_PER_MINUTE = Number(process.env.API_CALLS_PER_MINUTE ?? 600);

const windows = new Map<string, { start: number; count: number }>();

/** Counts a call; false when the token has used its budget for the current minute. */
export function takeCall(tokenId: string, now = Date.now(), limit = CALLS_PER_MINUTE): boolean {
  const start = now - (now % 60_000);
  const w = windows.get(tokenId);
  if (!w || w.start !== start) {
    if (windows.size > 10_000) windows.clear();
    windows.set(tokenId, { start, count: 1 });
    return limit >= 1;
  }
  w.count += 1;
  return w.count <= limit;
}

/** Seconds until the current window ends (for Retry-After). */
export function secondsToNextWindow(now = Date.now()): number {
  return Math.ceil((60_000 - (now % 60_000)) / 1000);
}

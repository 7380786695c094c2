import { getDb } from "@/lib/db";
import { env } from "@/lib/env";

// A per-token call budget in fixed one-minute windows, enough to stop a runaway integration loop from
// flooding the audit trail. Counted on the token's row (api_token.rate_window_*), so every app process
// behind a load balancer counts against the same budget; one single-row UPDATE per call, which the
// row lock keeps exact under concurrency.
export function callsPerMinute(): number {
  return env().API_CALLS_PER_MINUTE;
}

const WINDOW_MS = 60_000;

/** Counts a call; false when the token has used its budget for the current minute. */
export async function takeCall(tokenId: string, now = Date.now(), limit = callsPerMinute()): Promise<boolean> {
  const start = new Date(now - (now % WINDOW_MS));
  // A process whose clock is a little behind never moves the window back (GREATEST), it counts in it.
  const rows = await getDb().$queryRaw<{ calls: number }[]>`
    UPDATE api_token
    SET rate_window_calls = CASE WHEN rate_window_start >= ${start} THEN rate_window_calls + 1 ELSE 1 END,
        rate_window_start = GREATEST(rate_window_start, ${start})
    WHERE id = ${tokenId}::uuid
    RETURNING rate_window_calls AS calls`;
  const calls = rows[0]?.calls;
  return calls !== undefined && calls <= limit;
}

/** Seconds until the current window ends (for Retry-After). */
export function secondsToNextWindow(now = Date.now()): number {
  return Math.ceil((WINDOW_MS - (now % WINDOW_MS)) / 1000);
}

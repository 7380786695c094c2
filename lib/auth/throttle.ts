import type { Tx } from "@/lib/db";
import type { SecuritySettings } from "@/lib/settings/security-settings";

function ipKey(ip: string | null): string {
  return `ip:${ip ?? "unknown"}`;
}

export async function isIpThrottled(tx: Tx, ip: string | null, settings: SecuritySettings, now: Date): Promise<boolean> {
  const row = await tx.signInThrottle.findUnique({ where: { key: ipKey(ip) } });
  if (!row) return false;
  const windowEnds = row.windowStart.getTime() + settings.ipThrottleWindowMinutes * 60_000;
  return windowEnds > now.getTime() && row.failures >= settings.ipThrottleThreshold;
}

export async function recordIpFailure(tx: Tx, ip: string | null, settings: SecuritySettings, now: Date): Promise<void> {
  const windowStartCutoff = new Date(now.getTime() - settings.ipThrottleWindowMinutes * 60_000);
  // One statement, so parallel failures from one address all count.
  await tx.$executeRaw`
    INSERT INTO sign_in_throttle (key, failures, window_start) VALUES (${ipKey(ip)}, 1, ${now})
    ON CONFLICT (key) DO UPDATE SET
      failures = CASE WHEN sign_in_throttle.window_start < ${windowStartCutoff} THEN 1 ELSE sign_in_throttle.failures + 1 END,
      window_start = CASE WHEN sign_in_throttle.window_start < ${windowStartCutoff} THEN ${now} ELSE sign_in_throttle.window_start END`;
}

import type { Tx } from "@/lib/db";
import type { SecuritySettings } from "@/lib/settings/security-settings";
import type { Actor } from "@/lib/authz/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { sha256Hex } from "@/lib/crypto";

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

/**
 * One more wrong sign-in step (password, or second factor) for a real account. At the lockout threshold
 * the account is locked for lockoutMinutes and the count starts again. One UPDATE … RETURNING, so
 * parallel failures all count.
 */
export async function countAccountFailure(
  tx: Tx,
  actor: Actor,
  accountId: string,
  settings: SecuritySettings,
  now: Date,
): Promise<{ locked: boolean }> {
  const [row] = await tx.$queryRaw<{ failed_attempts: number }[]>`
    UPDATE master_account SET failed_attempts = failed_attempts + 1 WHERE id = ${accountId}::uuid RETURNING failed_attempts`;
  const failures = row?.failed_attempts ?? 0;
  if (failures < settings.lockoutThreshold) return { locked: false };
  const lockedUntil = new Date(now.getTime() + settings.lockoutMinutes * 60_000);
  await tx.masterAccount.update({ where: { id: accountId }, data: { lockedUntil, failedAttempts: 0 } });
  await recordAuditEvent(tx, actor, {
    action: "auth.account.auto-locked",
    target: { type: "account", id: accountId },
    summary: { after: { lockedUntil: lockedUntil.toISOString() }, failures },
    actorNameOverride: "system",
  });
  return { locked: true };
}

function phantomKey(login: string): string {
  return `login:${sha256Hex(login.toLowerCase())}`;
}

/**
 * The same counting for a login that names no account, so the answers cannot tell the two apart: after
 * lockoutThreshold failures it "locks" for lockoutMinutes (window_start then marks the lock's start).
 * The key is a hash: what someone typed as a login is not stored here.
 */
export async function recordPhantomFailure(
  tx: Tx,
  login: string,
  settings: SecuritySettings,
  now: Date,
): Promise<{ lockedMinutes: number | null }> {
  const key = phantomKey(login);
  const threshold = settings.lockoutThreshold;
  const lockStartCutoff = new Date(now.getTime() - settings.lockoutMinutes * 60_000);
  // Locked: failures = threshold and the lock started after the cutoff. A failure during the lock changes
  // nothing (like a real locked account, which is not even checked); after it, the count starts at 1.
  const [row] = await tx.$queryRaw<{ failures: number; window_start: Date }[]>`
    INSERT INTO sign_in_throttle AS t (key, failures, window_start) VALUES (${key}, 1, ${now})
    ON CONFLICT (key) DO UPDATE SET
      failures = CASE
        WHEN t.failures >= ${threshold} AND t.window_start > ${lockStartCutoff} THEN t.failures
        WHEN t.failures >= ${threshold} THEN 1
        ELSE t.failures + 1 END,
      window_start = CASE
        WHEN t.failures >= ${threshold} AND t.window_start > ${lockStartCutoff} THEN t.window_start
        ELSE ${now}::timestamptz END
    RETURNING failures, window_start`;
  if (!row || row.failures < threshold) return { lockedMinutes: null };
  // Just locked (window_start = now): lockoutMinutes; later in the lock: what is left, as for a real account.
  const remaining = row.window_start.getTime() + settings.lockoutMinutes * 60_000 - now.getTime();
  return { lockedMinutes: Math.ceil(remaining / 60_000) };
}

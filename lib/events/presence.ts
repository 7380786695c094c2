import { randomUUID } from "node:crypto";
import { getDb } from "@/lib/db";
import { log } from "@/lib/log";
import { PROCESS_ID } from "./hub";

// Open server-push connections (push_connection): what "online" means for vault mode besides recent
// page views (lib/vault/approvers.ts). This process refreshes all of its rows in one statement.
export const PRESENCE_HEARTBEAT_MS = 30_000;

const globalForPresence = globalThis as unknown as { portalPresenceTimer?: NodeJS.Timeout; portalPresenceCount?: number };

function startHeartbeat(): void {
  if (globalForPresence.portalPresenceTimer) return;
  globalForPresence.portalPresenceTimer = setInterval(() => {
    getDb()
      .pushConnection.updateMany({ where: { processId: PROCESS_ID }, data: { seenAt: new Date() } })
      .catch((err: unknown) => log.warn({ err }, "push connection heartbeat failed"));
  }, PRESENCE_HEARTBEAT_MS);
  globalForPresence.portalPresenceTimer.unref();
}

function stopHeartbeatIfIdle(): void {
  if ((globalForPresence.portalPresenceCount ?? 0) > 0 || !globalForPresence.portalPresenceTimer) return;
  clearInterval(globalForPresence.portalPresenceTimer);
  globalForPresence.portalPresenceTimer = undefined;
}

/** Records an open connection of a person's session; returns a function that removes it. */
export async function openPushConnection(personId: string, sessionId: string): Promise<() => Promise<void>> {
  const id = randomUUID();
  await getDb().pushConnection.create({ data: { id, personId, sessionId, processId: PROCESS_ID } });
  globalForPresence.portalPresenceCount = (globalForPresence.portalPresenceCount ?? 0) + 1;
  startHeartbeat();
  let closed = false;
  return async () => {
    if (closed) return;
    closed = true;
    globalForPresence.portalPresenceCount = Math.max(0, (globalForPresence.portalPresenceCount ?? 1) - 1);
    stopHeartbeatIfIdle();
    await getDb()
      .pushConnection.deleteMany({ where: { id } })
      .catch((err: unknown) => log.warn({ err }, "could not remove a push connection"));
  };
}

import { getDb } from "@/lib/db";
import type { PersonActor } from "@/lib/authz/actor";
import { getSecuritySettings } from "@/lib/settings/security-settings";
import { log } from "@/lib/log";
import { unreadNotificationCount } from "@/lib/notifications/queries";
import { getVaultRequestView, listOpenPrompts, type VaultRequestView } from "@/lib/vault/queries";
import { eventHub, type HubEvent } from "./hub";
import { personTopic } from "./publish";
import { openPushConnection } from "./presence";

const KEEPALIVE_MS = 20_000;
const SESSION_CHECK_MS = 30_000;

/** What the browser receives about a vault request (its own, as operator or approver). */
export type VaultEventData = {
  id: string;
  role: "operator" | "approver" | "officer";
  status: string;
  scenario: { code: string; name: string; nameEn: string | null };
  operation: string;
  targetLabel: string | null;
  context: Record<string, unknown> | null;
  reason: string;
  comment: string | null;
  operator: { name: string; employeeNo: string };
  approver: { name: string; employeeNo: string };
  createdAt: string;
  expiresAt: string;
  decidedAt: string | null;
  validUntil: string | null;
};

export function vaultEventData(v: VaultRequestView): VaultEventData {
  return {
    id: v.id,
    role: v.role,
    status: v.status,
    scenario: { code: v.scenario.code, name: v.scenario.name, nameEn: v.scenario.nameEn },
    operation: v.operation,
    targetLabel: v.targetLabel,
    context: v.context,
    reason: v.reason,
    comment: v.decisionComment,
    operator: { name: v.operator.name, employeeNo: v.operator.employeeNo },
    approver: { name: v.approver.name, employeeNo: v.approver.employeeNo },
    createdAt: v.createdAt.toISOString(),
    expiresAt: v.expiresAt.toISOString(),
    decidedAt: v.decidedAt?.toISOString() ?? null,
    validUntil: v.validUntil?.toISOString() ?? null,
  };
}

/** Is the session behind a stream still good? Read-only: an open page does not keep a session alive (idle timeout). */
async function sessionStillValid(sessionId: string, now = new Date()): Promise<boolean> {
  const db = getDb();
  const s = await db.portalSession.findUnique({
    where: { id: sessionId },
    select: {
      revokedAt: true,
      createdAt: true,
      lastSeenAt: true,
      account: { select: { status: true, person: { select: { status: true } } } },
    },
  });
  if (!s || s.revokedAt || s.account.status !== "ACTIVE" || s.account.person.status !== "ACTIVE") return false;
  const settings = await getSecuritySettings(db);
  if (now.getTime() - s.createdAt.getTime() > settings.absoluteTimeoutHours * 3_600_000) return false;
  return now.getTime() - s.lastSeenAt.getTime() <= settings.idleTimeoutMinutes * 60_000;
}

/**
 * The server-push stream (Server-Sent Events) of one signed-in person's page: the unread notification
 * count, vault prompts for them as approver, and decisions on their own vault requests, as they happen
 * in any server process (lib/events/hub.ts). The connection counts as "online" for vault mode while it
 * is open; it closes when the session ends.
 */
export function openEventStream(actor: PersonActor, signal: AbortSignal): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const cleanups: (() => void | Promise<void>)[] = [];
  let closed = false;
  let controllerRef: ReadableStreamDefaultController<Uint8Array> | null = null;
  let queue: Promise<void> = Promise.resolve();

  const write = (chunk: string) => {
    if (closed || !controllerRef) return;
    try {
      controllerRef.enqueue(encoder.encode(chunk));
    } catch {
      void close();
    }
  };
  const send = (event: string, data: unknown) => write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  // Work for this stream runs one step at a time, in order.
  const run = (step: () => Promise<void>) => {
    queue = queue.then(() => (closed ? undefined : step())).catch((err: unknown) => log.warn({ err }, "event stream step failed"));
  };

  const sendUnread = async () => send("unread", { count: await unreadNotificationCount(actor.personId) });
  const sendVault = async (id: string) => {
    const view = await getVaultRequestView(actor, id);
    if (view && view.role !== "officer") send("vault", vaultEventData(view));
  };
  const snapshot = async () => {
    await sendUnread();
    for (const prompt of await listOpenPrompts(actor.personId)) send("vault", vaultEventData(prompt));
  };

  let unreadTimer: NodeJS.Timeout | null = null;
  const onEvent = (event: HubEvent) => {
    if (event.type === "notifications") {
      // A burst of notifications is one count.
      if (unreadTimer) return;
      unreadTimer = setTimeout(() => {
        unreadTimer = null;
        run(sendUnread);
      }, 150);
    } else if ((event.type === "vault-prompt" || event.type === "vault-decided") && typeof event.data.id === "string") {
      const id = event.data.id;
      run(() => sendVault(id));
    } else if (event.type === "resync") {
      run(snapshot);
    }
  };

  const close = async () => {
    if (closed) return;
    closed = true;
    if (unreadTimer) clearTimeout(unreadTimer);
    for (const c of cleanups.splice(0)) await c();
    try {
      controllerRef?.close();
    } catch {
      // already closed by the client
    }
  };

  return new ReadableStream<Uint8Array>({
    async start(controller) {
      controllerRef = controller;
      if (signal.aborted) return void close();
      signal.addEventListener("abort", () => void close(), { once: true });
      write("retry: 5000\n\n");
      cleanups.push(eventHub().subscribe([personTopic(actor.personId)], onEvent));
      if (actor.sessionId) {
        try {
          cleanups.push(await openPushConnection(actor.personId, actor.sessionId));
        } catch (err) {
          log.warn({ err }, "could not record a push connection");
        }
      }
      const keepalive = setInterval(() => write(": ping\n\n"), KEEPALIVE_MS);
      const sessionCheck = setInterval(() => {
        run(async () => {
          if (actor.sessionId && !(await sessionStillValid(actor.sessionId))) {
            send("signed-out", {});
            await close();
          }
        });
      }, SESSION_CHECK_MS);
      cleanups.push(
        () => clearInterval(keepalive),
        () => clearInterval(sessionCheck),
      );
      // Listening before the snapshot: nothing that happens in between is missed.
      await Promise.race([
        eventHub()
          .ready()
          .catch(() => {}),
        new Promise((r) => setTimeout(r, 2_000)),
      ]);
      run(snapshot);
    },
    cancel() {
      return close();
    },
  });
}

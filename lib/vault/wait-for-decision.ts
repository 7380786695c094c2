import { getDb } from "@/lib/db";
import { eventHub } from "@/lib/events/hub";
import { vaultTopic } from "@/lib/events/publish";
import type { VaultStatus } from "@/lib/generated/prisma/enums";
import { effectiveStatus } from "./queries";

export type VaultDecision = {
  status: VaultStatus;
  decidedAt: Date | null;
  validUntil: Date | null;
  expiresAt: Date;
  approver: { id: string; name: string; employeeNo: string };
};

// A safety net under LISTEN/NOTIFY: the state is read again at least this often while waiting.
const RECHECK_MS = 5_000;

async function read(vaultRequestId: string, now: Date, viewerId?: string): Promise<VaultDecision | null> {
  const r = await getDb().vaultRequest.findUnique({
    where: { id: vaultRequestId },
    select: {
      status: true,
      decidedAt: true,
      validUntil: true,
      expiresAt: true,
      operatorId: true,
      approverId: true,
      approver: { select: { id: true, name: true, employeeNo: true } },
    },
  });
  if (!r) return null;
  if (viewerId && viewerId !== r.operatorId && viewerId !== r.approverId) return null;
  return {
    status: effectiveStatus(r, now),
    decidedAt: r.decidedAt,
    validUntil: r.validUntil,
    expiresAt: r.expiresAt,
    approver: r.approver,
  };
}

/**
 * Long-polling for the decision on a vault request: resolves as soon as it is no longer PENDING (or its
 * prompt lapsed), or with the still-PENDING state after timeoutMs. Woken by the PostgreSQL NOTIFY the
 * decision's transaction sends (lib/events), re-reading every few seconds in case an event was missed.
 * null: no such request (or, with viewerId, not the viewer's as operator or approver).
 */
export async function waitForVaultDecision(
  vaultRequestId: string,
  opts: { timeoutMs?: number; signal?: AbortSignal; viewerId?: string } = {},
): Promise<VaultDecision | null> {
  if (!/^[0-9a-f-]{36}$/i.test(vaultRequestId)) return null;
  const deadline = Date.now() + Math.max(0, Math.min(opts.timeoutMs ?? 25_000, 120_000));
  let wake: (() => void) | null = null;
  const unsubscribe = eventHub().subscribe([vaultTopic(vaultRequestId)], () => wake?.());
  try {
    // Listening before the first read: a decision committed in between is not missed.
    await Promise.race([
      eventHub()
        .ready()
        .catch(() => {}),
      new Promise((r) => setTimeout(r, 2_000)),
    ]);
    for (;;) {
      const state = await read(vaultRequestId, new Date(), opts.viewerId);
      if (!state || state.status !== "PENDING") return state;
      const left = deadline - Date.now();
      if (left <= 0 || opts.signal?.aborted) return state;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, RECHECK_MS, Math.max(0, state.expiresAt.getTime() - Date.now()) + 50));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
        opts.signal?.addEventListener("abort", () => wake?.(), { once: true });
      });
      wake = null;
    }
  } finally {
    unsubscribe();
  }
}

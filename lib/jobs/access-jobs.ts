import { inTransaction, type Tx } from "@/lib/db";
import { systemActor, type SystemActor } from "@/lib/authz/actor";
import { expireRequests } from "@/lib/requests/expire-requests";
import { escalateStages, remindApprovers } from "@/lib/requests/remind-and-escalate";
import { getRequestSettings } from "@/lib/policy/request-settings";
import { syncDelegations } from "@/lib/delegation/sync-delegations";
import { remindExpiringGrants } from "@/lib/access/grant-notices";

// The approval jobs (expiry, reminders, escalation), delegations starting and ending, and grant
// expiry reminders: each a pg-boss queue run every minute (lib/jobs/catalog.ts). Each step runs in its own short
// transactions behind a transaction-scoped advisory lock, so one process does a round while the
// others skip it; within a step every statement also claims its rows with SKIP LOCKED.
const LOCK_KEY = 4040407;
// A round stops after this many batches of one step, so a backlog cannot hold the lock for long.
const MAX_BATCHES = 20;

export type AccessJobsResult = {
  requestsExpired: number;
  stagesReminded: number;
  stagesEscalated: number;
  delegationsActivated: number;
  delegationsClosed: number;
  grantRemindersSent: number;
};

async function locked<T>(fn: (tx: Tx) => Promise<T>, none: T): Promise<T> {
  return inTransaction(async (tx) => {
    const [row] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${LOCK_KEY}) AS locked`;
    return row?.locked ? fn(tx) : none;
  });
}

async function repeat(step: (tx: Tx) => Promise<number>): Promise<number> {
  let total = 0;
  for (let i = 0; i < MAX_BATCHES; i++) {
    const n = await locked(step, 0);
    total += n;
    if (n === 0) break;
  }
  return total;
}

// One function per pg-boss queue (lib/jobs/catalog.ts); runAccessJobs runs them all in order.
export async function runRequestExpiry(now: Date, actor: SystemActor = systemActor("scheduler")): Promise<number> {
  return repeat((tx) => expireRequests(tx, actor, now));
}

export async function runApprovalReminders(now: Date, actor: SystemActor = systemActor("scheduler")): Promise<number> {
  const settings = await inTransaction((tx) => getRequestSettings(tx));
  return repeat((tx) => remindApprovers(tx, actor, now, settings));
}

export async function runApprovalEscalation(now: Date, actor: SystemActor = systemActor("scheduler")): Promise<number> {
  const settings = await inTransaction((tx) => getRequestSettings(tx));
  return repeat((tx) => escalateStages(tx, actor, now, settings));
}

export async function runDelegationSync(
  now: Date,
  actor: SystemActor = systemActor("scheduler"),
): Promise<{ activated: number; closed: number }> {
  return locked((tx) => syncDelegations(tx, actor, now), { activated: 0, closed: 0 });
}

export async function runGrantExpiryReminders(now: Date, actor: SystemActor = systemActor("scheduler")): Promise<number> {
  return repeat((tx) => remindExpiringGrants(tx, actor, now));
}

export async function runAccessJobs(now = new Date(), actor: SystemActor = systemActor("scheduler")): Promise<AccessJobsResult> {
  const requestsExpired = await runRequestExpiry(now, actor);
  const stagesReminded = await runApprovalReminders(now, actor);
  const stagesEscalated = await runApprovalEscalation(now, actor);
  const delegations = await runDelegationSync(now, actor);
  const grantRemindersSent = await runGrantExpiryReminders(now, actor);
  return {
    requestsExpired,
    stagesReminded,
    stagesEscalated,
    delegationsActivated: delegations.activated,
    delegationsClosed: delegations.closed,
    grantRemindersSent,
  };
}

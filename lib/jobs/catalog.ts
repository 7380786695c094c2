import type { QueuePolicy } from "pg-boss";
import { systemActor, type RequestContext } from "@/lib/authz/actor";

/**
 * Every background job of the portal: one pg-boss queue each (decision 0023). `cron` makes it a
 * schedule (minute resolution, evaluated in APP_TIME_ZONE); pg-boss files each occurrence once under a
 * singleton key, so any number of worker processes create one job per occurrence, and the "stately"
 * policy keeps at most one run queued and one active per queue. A job that keeps failing is retried
 * with exponential backoff and then copied to DEAD_LETTER_QUEUE, where the jobs page shows it.
 *
 * Handlers take `now` (the worker's clock, an input) and call the use cases; they must be safe to run
 * again after a crash (kill -9 mid-run: the job expires and is retried), which every use case here is
 * — each batch is its own transaction with its audit rows, claimed with SKIP LOCKED or an advisory lock.
 */
export type JobName =
  | "grant-expiry"
  | "request-expiry"
  | "approval-reminders"
  | "approval-escalation"
  | "delegation-sync"
  | "grant-expiry-reminders"
  | "email-delivery"
  | "policy-recheck"
  | "policy-incremental"
  | "contract-offboarding"
  | "offboarding-due"
  | "review-schedule"
  | "review-reminders"
  | "vault-expiry"
  | "provisioning-delivery"
  | "audit-checkpoint";

export type JobData = { cause?: string; ctx?: RequestContext } | null | undefined;

export type JobDefinition = {
  name: JobName;
  cron: string;
  policy: QueuePolicy;
  /** Seconds a run may stay active before pg-boss counts it as dead (process killed) and retries it. */
  expireInSeconds: number;
  retryLimit: number;
  /** false: not run when a worker starts, only on schedule or on demand (the nightly full policy check). */
  runAtStart?: boolean;
  run: (now: Date, data: JobData) => Promise<unknown>;
};

export const DEAD_LETTER_QUEUE = "dead-letter";
export const JOB_SCHEMA = "pgboss";

// Backoff between retries: 30 s, then about 1, 2, 4 … minutes, at most 10.
export const RETRY = { retryDelay: 30, retryBackoff: true, retryDelayMax: 600 } as const;

const minute = "* * * * *";
const PROVISIONING_ROUNDS = 6;
const PROVISIONING_ROUND_MS = 10_000;

export const JOBS: readonly JobDefinition[] = [
  {
    name: "grant-expiry",
    cron: minute,
    policy: "stately",
    expireInSeconds: 600,
    retryLimit: 5,
    run: async (now) => (await import("./scheduler")).runDueJobs(now),
  },
  {
    name: "request-expiry",
    cron: minute,
    policy: "stately",
    expireInSeconds: 600,
    retryLimit: 5,
    run: async (now) => (await import("./access-jobs")).runRequestExpiry(now),
  },
  {
    name: "approval-reminders",
    cron: minute,
    policy: "stately",
    expireInSeconds: 600,
    retryLimit: 5,
    run: async (now) => (await import("./access-jobs")).runApprovalReminders(now),
  },
  {
    name: "approval-escalation",
    cron: minute,
    policy: "stately",
    expireInSeconds: 600,
    retryLimit: 5,
    run: async (now) => (await import("./access-jobs")).runApprovalEscalation(now),
  },
  {
    name: "delegation-sync",
    cron: minute,
    policy: "stately",
    expireInSeconds: 600,
    retryLimit: 5,
    run: async (now) => (await import("./access-jobs")).runDelegationSync(now),
  },
  {
    name: "grant-expiry-reminders",
    cron: minute,
    policy: "stately",
    expireInSeconds: 600,
    retryLimit: 5,
    run: async (now) => (await import("./access-jobs")).runGrantExpiryReminders(now),
  },
  {
    name: "email-delivery",
    cron: minute,
    policy: "stately",
    expireInSeconds: 600,
    retryLimit: 5,
    // Rows are claimed with SKIP LOCKED and leased, so a retried run sends each e-mail once.
    run: async (now) => (await import("@/lib/notifications/deliver-email")).deliverDueEmails({ now: () => now }),
  },
  {
    name: "policy-recheck",
    // The full check: nightly at 02:30 (APP_TIME_ZONE) and on demand (a classification change and the
    // jobs page's "run now" send one). Between runs the incremental check below keeps findings current.
    cron: "30 2 * * *",
    policy: "stately",
    expireInSeconds: 3600,
    retryLimit: 3,
    runAtStart: false,
    run: async (now, data) =>
      (await import("./scheduler")).runPolicyRecheck({ wait: true, now, actor: systemActor(data?.cause ?? "scheduler", data?.ctx) }),
  },
  {
    name: "policy-incremental",
    // The people whose policy facts changed since their last check (queued by triggers in the
    // change's own transaction, decision 0029); claimed in batches with SKIP LOCKED.
    cron: minute,
    policy: "stately",
    // A queued classification change makes this run the full check first (up to an hour at scale).
    expireInSeconds: 3600,
    retryLimit: 5,
    run: async (now) => (await import("./scheduler")).runPolicyIncremental({ now }),
  },
  {
    name: "contract-offboarding",
    // R10: at least daily; hourly so the end of a contract's day is caught soon.
    cron: "5 * * * *",
    policy: "stately",
    expireInSeconds: 1800,
    retryLimit: 5,
    run: async (now) => (await import("@/lib/people/offboard-ended-contracts")).runContractOffboarding(now),
  },
  {
    // Offboarding cases whose last working day has ended (lib/offboarding/run-due.ts).
    name: "offboarding-due",
    cron: minute,
    policy: "stately",
    expireInSeconds: 600,
    retryLimit: 5,
    run: async (now) => (await import("@/lib/offboarding/run-due")).runDueOffboardings(now),
  },
  {
    // Access reviews: scheduled campaigns start, campaigns past their deadline close (defaults, apply).
    name: "review-schedule",
    cron: minute,
    policy: "stately",
    expireInSeconds: 1800,
    retryLimit: 5,
    run: async (now) => (await import("@/lib/reviews/close-campaign")).runReviewSchedule(now),
  },
  {
    name: "review-reminders",
    cron: "*/5 * * * *",
    policy: "stately",
    expireInSeconds: 600,
    retryLimit: 5,
    run: async (now) => (await import("@/lib/reviews/remind-escalate")).runReviewReminders(now),
  },
  {
    name: "vault-expiry",
    cron: minute,
    policy: "stately",
    expireInSeconds: 600,
    retryLimit: 5,
    run: async (now) => (await import("@/lib/vault/jobs")).runVaultJobs(() => now),
  },
  {
    name: "provisioning-delivery",
    // Outbox rows to connected systems (SCIM, lib/provisioning/deliver.ts) and manual tasks for the others.
    // A schedule fires at most once a minute, so one run does six rounds 10 s apart (each row is locked
    // with SKIP LOCKED while it is delivered; a killed run leaves it pending for the retry).
    cron: minute,
    policy: "stately",
    expireInSeconds: 600,
    retryLimit: 5,
    run: async (now) => {
      const [{ deliverProvisioning }, { openManualTasks }] = await Promise.all([
        import("@/lib/provisioning/deliver"),
        import("@/lib/provisioning/manual-tasks"),
      ]);
      const started = Date.now();
      const totals = { delivered: 0, retried: 0, dead: 0, skipped: 0, tasksOpened: 0 };
      for (let round = 0; round < PROVISIONING_ROUNDS; round++) {
        if (round > 0) await new Promise((r) => setTimeout(r, PROVISIONING_ROUND_MS));
        const at = new Date(now.getTime() + (Date.now() - started));
        const run = await deliverProvisioning(at);
        totals.delivered += run.delivered;
        totals.retried += run.retried;
        totals.dead += run.dead;
        totals.skipped += run.skipped;
        totals.tasksOpened += await openManualTasks(at);
      }
      return totals;
    },
  },
  {
    name: "audit-checkpoint",
    // A signed checkpoint of the audit chain's head in AUDIT_CHECKPOINT_FILE, outside the database
    // (decision 0025): rows rewritten or cut off after it are reported by audit:verify.
    cron: "*/15 * * * *",
    policy: "stately",
    expireInSeconds: 600,
    retryLimit: 3,
    run: async (now) => {
      const checkpoint = await (await import("@/lib/audit/checkpoint")).writeAuditCheckpoint(now);
      return { lastId: checkpoint.lastId };
    },
  },
];

export function jobDefinition(name: string): JobDefinition | undefined {
  return JOBS.find((j) => j.name === name);
}

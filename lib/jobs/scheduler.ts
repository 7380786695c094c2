import { inTransaction } from "@/lib/db";
import { systemActor, type SystemActor } from "@/lib/authz/actor";
import { expireDueGrants } from "@/lib/grants/expire-grants";
import { log } from "@/lib/log";
import { deliverDueEmails } from "@/lib/notifications/deliver-email";
import { runVaultJobs } from "@/lib/vault/jobs";

// Time-bound grants end on time: every minute, in every server process. A transaction-scoped advisory
// lock lets one process do the round while the others skip it. (pg-boss, the house choice for jobs,
// needs Node 22 from version 11 on; see docs/decisions/0001.)
const LOCK_KEY = 4040405;
const INTERVAL_MS = 60_000;

export async function runDueJobs(now = new Date()): Promise<number> {
  let total = 0;
  for (;;) {
    const expired = await inTransaction(async (tx) => {
      const [row] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${LOCK_KEY}) AS locked`;
      if (!row?.locked) return 0;
      return expireDueGrants(tx, systemActor("scheduler"), now);
    });
    total += expired;
    if (expired === 0) return total;
  }
}

const RECHECK_EVERY_MS = 15 * 60_000;
const RECHECK_LOCK_KEY = 4040406;

/**
 * The continuous policy check, in one process at a time: a transaction holds the advisory lock on
 * its own connection for as long as the check runs (the check itself reads and writes in short
 * transactions of its own).
 */
export async function runPolicyRecheck(opts: { wait?: boolean; actor?: SystemActor } = {}): Promise<void> {
  const { getDb } = await import("@/lib/db");
  const { recheckPolicies } = await import("@/lib/policy/recheck-policies");
  await getDb().$transaction(
    async (tx) => {
      // `wait`: a rule changed (e.g. the classification setting); run after any check in progress.
      if (opts.wait) await tx.$executeRaw`SELECT pg_advisory_xact_lock(${RECHECK_LOCK_KEY})`;
      else {
        const [row] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${RECHECK_LOCK_KEY}) AS locked`;
        if (!row?.locked) return;
      }
      const result = await recheckPolicies(opts.actor ?? systemActor("scheduler"));
      log.info(result, "policy recheck done");
    },
    { timeout: 30 * 60_000, maxWait: 10_000 },
  );
}

let started = false;

export function startScheduler(): void {
  if (started) return;
  started = true;
  const tick = () =>
    runDueJobs()
      .then((n) => n && log.info({ expired: n }, "expired time-bound grants"))
      .catch((err: unknown) => log.error({ err }, "scheduled jobs failed"));
  setTimeout(tick, 5_000).unref();
  setInterval(tick, INTERVAL_MS).unref();
  // Requests expiring, approver reminders and escalation, delegations starting and ending, grant
  // expiry reminders (lib/jobs/access-jobs.ts).
  const access = () =>
    import("@/lib/jobs/access-jobs")
      .then((m) => m.runAccessJobs())
      .then((r) => Object.values(r).some((n) => n > 0) && log.info(r, "approval and access jobs done"))
      .catch((err: unknown) => log.error({ err }, "approval and access jobs failed"));
  setTimeout(access, 20_000).unref();
  setInterval(access, INTERVAL_MS).unref();
  const recheck = () => runPolicyRecheck().catch((err: unknown) => log.error({ err }, "policy recheck failed"));
  // R10: third parties whose contract has ended are offboarded (at least daily; hourly so a day's end is caught soon).
  const contracts = () =>
    import("@/lib/people/offboard-ended-contracts")
      .then((m) => m.runContractOffboarding())
      .then((n) => n && log.info({ offboarded: n }, "offboarded third parties whose contract ended"))
      .catch((err: unknown) => log.error({ err }, "contract offboarding failed"));
  setTimeout(contracts, 45_000).unref();
  setInterval(contracts, 60 * 60_000).unref();
  setTimeout(recheck, 30_000).unref();
  // Notification e-mail (lib/notifications/deliver-email.ts): rows are claimed with SKIP LOCKED, so
  // every process may run it; each e-mail goes out once.
  const mail = () =>
    deliverDueEmails()
      .then((r) => (r.sent || r.failed) && log.info(r, "notification e-mails delivered"))
      .catch((err: unknown) => log.error({ err }, "notification e-mail delivery failed"));
  setTimeout(mail, 10_000).unref();
  setInterval(mail, 30_000).unref();
  // Vault mode (lib/vault/jobs.ts): built-in scenarios ensured at start; lapsed prompts and approvals closed every 30 s.
  const vault = () => runVaultJobs().catch((err: unknown) => log.error({ err }, "vault jobs failed"));
  setTimeout(vault, 3_000).unref();
  setInterval(vault, 30_000).unref();
  setInterval(recheck, RECHECK_EVERY_MS).unref();
  // Provisioning (lib/provisioning/deliver.ts): outbox rows to connected systems' SCIM endpoints. Each
  // row is locked with SKIP LOCKED while it is delivered, so every process may run it.
  const provisioning = () =>
    Promise.all([import("@/lib/provisioning/deliver"), import("@/lib/provisioning/manual-tasks")])
      .then(async ([d, m]) => ({ ...(await d.deliverProvisioning(new Date())), tasksOpened: await m.openManualTasks(new Date()) }))
      .then((r) => (r.delivered || r.retried || r.dead || r.tasksOpened) && log.info(r, "provisioning deliveries"))
      .catch((err: unknown) => log.error({ err }, "provisioning delivery failed"));
  setTimeout(provisioning, 8_000).unref();
  setInterval(provisioning, 10_000).unref();
}

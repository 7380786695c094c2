import { getDb, inTransaction } from "@/lib/db";
import { systemActor } from "@/lib/authz/actor";
import { log } from "@/lib/log";
import { ensureBuiltInVaultScenarios } from "./ensure-built-in-scenarios";
import { expireVaultRequests } from "./expire-vault-requests";

let ensured = false;

/**
 * The vault's background work, safe in every process at once: the built-in scenarios exist (once per
 * process; ON CONFLICT DO NOTHING), lapsed prompts and approvals are closed (SKIP LOCKED batches), and
 * stale rows of server-push connections whose process died are removed.
 */
export async function runVaultJobs(now = () => new Date()): Promise<number> {
  const actor = systemActor("scheduler");
  if (!ensured) {
    await inTransaction((tx) => ensureBuiltInVaultScenarios(tx, actor));
    ensured = true;
  }
  let total = 0;
  for (let n = -1; n !== 0; total += n) n = await inTransaction((tx) => expireVaultRequests(tx, actor, now()));
  if (total) log.info({ expired: total }, "vault requests lapsed");
  await getDb().pushConnection.deleteMany({ where: { seenAt: { lt: new Date(now().getTime() - 10 * 60_000) } } });
  return total;
}

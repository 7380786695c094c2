import { getDb, inTransaction, type Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { evaluateFacts, loadPolicyFacts, loadPolicyRules, type Finding, type RoleCache } from "./policy-facts";

// Writers of policy_finding (the full check's batches and the per-person rebuilds) take this
// transaction-scoped advisory lock, so a rebuild never interleaves with a batch covering that person.
const FINDINGS_LOCK_KEY = 4040452;
const ZERO_UUID = "00000000-0000-0000-0000-000000000000";
const INSERT_CHUNK = 5000;

/**
 * The continuous check: every person with a live grant is evaluated against the current rules. People
 * are walked by id in keyset batches (1,000 by default). For each batch, in one short transaction under
 * the findings lock: the batch's facts come from a few set-based queries (lib/policy/policy-facts.ts;
 * roles are cached across batches), the unchanged pure engine evaluates them in memory, and the
 * findings of the batch's id range (the people between the previous batch's last id and this one's,
 * so also those who no longer hold anything) are replaced, set-based. Memory stays bounded by a batch
 * and no write holds the lock for long, so a mover's or leaver's rebuild waits a second at most. A final
 * transaction clears the range after the last person, deletes the incremental check's queue rows of
 * the changes committed before the check began (recheck-queue.ts) and writes one audit row with the counts.
 */
export async function recheckPolicies(
  actor: Actor,
  opts: { batchSize?: number; now?: Date } = {},
): Promise<{ people: number; findings: number; queueCleared: number }> {
  assertCan(actor, "policy:manage");
  const batchSize = opts.batchSize ?? 1000;
  const now = opts.now ?? new Date();
  const db = getDb();
  // Every change committed before this point is covered by the batches below (each reads its facts
  // later), so the queue rows those changes wrote are deleted at the end; later ones stay queued.
  const [start] = await db.$queryRaw<{ snapshot: string }[]>`SELECT pg_current_snapshot()::text AS snapshot`;
  const rules = await loadPolicyRules(db);
  const roles: RoleCache = new Map();
  const byCode: Record<string, number> = {};
  let after = ZERO_UUID;
  let people = 0;
  let findings = 0;
  let queueCleared = 0;
  for (;;) {
    const batch = await db.$queryRaw<{ id: string }[]>`
      SELECT p.id::text FROM person p
      WHERE p.id > ${after}::uuid AND EXISTS (
        SELECT 1 FROM slave_account sa JOIN access_grant g ON g.slave_account_id = sa.id
        WHERE sa.person_id = p.id AND sa.status <> 'DELETED' AND g.revoked_at IS NULL AND (g.ends_at IS NULL OR g.ends_at > ${now}))
      ORDER BY p.id LIMIT ${batchSize}`;
    if (batch.length === 0) break;
    const last = batch[batch.length - 1]!.id;
    const found = await inTransaction(
      async (tx) => {
        await lockFindings(tx);
        // Facts read under the lock: a rebuild that committed before is seen, a later one waits for us.
        const facts = await loadPolicyFacts(
          tx,
          batch.map((b) => b.id),
          now,
          roles,
        );
        const result = evaluateFacts(facts, rules);
        await tx.$executeRaw`DELETE FROM policy_finding WHERE person_id > ${after}::uuid AND person_id <= ${last}::uuid`;
        await insertFindings(tx, result);
        return result;
      },
      { timeoutMs: 120_000 },
    );
    for (const f of found) byCode[f.violation.code] = (byCode[f.violation.code] ?? 0) + 1;
    findings += found.length;
    people += batch.length;
    after = last;
  }
  await inTransaction(async (tx) => {
    await lockFindings(tx);
    await tx.$executeRaw`DELETE FROM policy_finding WHERE person_id > ${after}::uuid`;
    queueCleared = await tx.$executeRaw`
      DELETE FROM policy_recheck_queue WHERE pg_visible_in_snapshot(tx_id, ${start!.snapshot}::pg_snapshot)`;
    await recordAuditEvent(tx, actor, {
      action: "policy.rechecked",
      target: { type: "audit", id: null },
      summary: { people, findings, byCode, queueCleared },
    });
  });
  return { people, findings, queueCleared };
}

async function lockFindings(tx: Tx): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${FINDINGS_LOCK_KEY})`;
}

/** Set-based: one INSERT … SELECT FROM unnest(arrays) per few thousand findings. */
async function insertFindings(tx: Tx, findings: readonly Finding[]): Promise<void> {
  for (let i = 0; i < findings.length; i += INSERT_CHUNK) {
    const chunk = findings.slice(i, i + INSERT_CHUNK);
    const col = <T>(pick: (f: Finding) => T) => chunk.map(pick);
    await tx.$executeRaw`
      INSERT INTO policy_finding (id, person_id, grant_id, system_id, code, rule, params, conflicts_with_grant_id)
      SELECT gen_random_uuid(), f.person_id, f.grant_id, f.system_id, f.code, f.rule, f.params::jsonb, f.conflicts_with
      FROM unnest(
        ${col((f) => f.personId)}::uuid[], ${col((f) => f.violation.subject.grantId)}::uuid[], ${col((f) => f.violation.subject.systemId)}::uuid[],
        ${col((f) => f.violation.code)}::text[], ${col((f) => f.violation.rule)}::text[], ${col((f) => JSON.stringify(f.violation.params))}::text[],
        ${col((f) => f.violation.conflictsWith?.grantId ?? null)}::uuid[]
      ) AS f(person_id, grant_id, system_id, code, rule, params, conflicts_with)`;
  }
}

/**
 * Rebuilds the findings of some people inside the caller's transaction (after a move, a departure, a
 * slave account's change), so the policy-violations page follows the change at once instead of at the
 * next full check. Not audited on its own: the change that called it is. Returns the findings written.
 */
export async function rebuildFindingsFor(tx: Tx, personIds: readonly string[], now = new Date()): Promise<number> {
  if (personIds.length === 0) return 0;
  const ids = [...new Set(personIds)];
  await lockFindings(tx);
  const rules = await loadPolicyRules(tx);
  const facts = await loadPolicyFacts(tx, ids, now);
  const findings = evaluateFacts(facts, rules);
  await tx.policyFinding.deleteMany({ where: { personId: { in: ids } } });
  await insertFindings(tx, findings);
  return findings.length;
}

import { getDb, inTransaction, type Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { evaluateFacts, loadPolicyFacts, loadPolicyRules, type Finding, type RoleCache } from "./policy-facts";

// Writers of policy_finding (the full replacement and the per-person rebuilds) take this
// transaction-scoped advisory lock, so a rebuild never interleaves with a replacement.
const FINDINGS_LOCK_KEY = 4040452;
const ZERO_UUID = "00000000-0000-0000-0000-000000000000";

/**
 * The continuous check: every person with a live grant is evaluated against the current rules. People
 * are read in keyset batches (by id) and each batch's facts come from a few set-based queries
 * (lib/policy/policy-facts.ts; roles are cached across batches), evaluated in memory by the pure
 * engine. The findings table is then replaced in one short write transaction with an audit row giving
 * the counts.
 */
export async function recheckPolicies(actor: Actor, opts: { batchSize?: number; now?: Date } = {}): Promise<{ people: number; findings: number }> {
  assertCan(actor, "policy:manage");
  const batchSize = opts.batchSize ?? 1000;
  const now = opts.now ?? new Date();
  const db = getDb();
  const rules = await loadPolicyRules(db);
  const roles: RoleCache = new Map();
  const findings: Finding[] = [];
  let after = ZERO_UUID;
  let people = 0;
  for (;;) {
    const batch = await db.$queryRaw<{ id: string }[]>`
      SELECT p.id::text FROM person p
      WHERE p.id > ${after}::uuid AND EXISTS (
        SELECT 1 FROM slave_account sa JOIN access_grant g ON g.slave_account_id = sa.id
        WHERE sa.person_id = p.id AND sa.status <> 'DELETED' AND g.revoked_at IS NULL AND (g.ends_at IS NULL OR g.ends_at > ${now}))
      ORDER BY p.id LIMIT ${batchSize}`;
    if (batch.length === 0) break;
    const facts = await loadPolicyFacts(db, batch.map((b) => b.id), now, roles);
    findings.push(...evaluateFacts(facts, rules));
    people += batch.length;
    after = batch[batch.length - 1]!.id;
  }
  await inTransaction((tx) => replaceFindings(tx, actor, findings, people), { timeoutMs: 120_000 });
  return { people, findings: findings.length };
}

async function lockFindings(tx: Tx): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${FINDINGS_LOCK_KEY})`;
}

async function insertFindings(tx: Tx, findings: readonly Finding[]): Promise<void> {
  for (let i = 0; i < findings.length; i += 1000) {
    await tx.policyFinding.createMany({
      data: findings.slice(i, i + 1000).map(({ personId, violation: v }) => ({
        personId, grantId: v.subject.grantId, systemId: v.subject.systemId, code: v.code, rule: v.rule, params: v.params,
        conflictsWithGrantId: v.conflictsWith?.grantId ?? null,
      })),
    });
  }
}

async function replaceFindings(tx: Tx, actor: Actor, findings: Finding[], people: number): Promise<void> {
  await lockFindings(tx);
  await tx.policyFinding.deleteMany({});
  await insertFindings(tx, findings);
  const byCode: Record<string, number> = {};
  for (const f of findings) byCode[f.violation.code] = (byCode[f.violation.code] ?? 0) + 1;
  await recordAuditEvent(tx, actor, { action: "policy.rechecked", target: { type: "audit", id: null }, summary: { people, findings: findings.length, byCode } });
}

/**
 * Rebuilds the findings of some people inside the caller's transaction (after a move, a departure, a
 * slave account's change), so the policy-violations page follows the change at once instead of at the
 * next full check. Not audited on its own: the change that called it is. Returns the findings written.
 */
export async function rebuildFindingsFor(tx: Tx, personIds: readonly string[], now = new Date()): Promise<number> {
  if (personIds.length === 0) return 0;
  const ids = [...new Set(personIds)];
  const rules = await loadPolicyRules(tx);
  const facts = await loadPolicyFacts(tx, ids, now);
  const findings = evaluateFacts(facts, rules);
  await lockFindings(tx);
  await tx.policyFinding.deleteMany({ where: { personId: { in: ids } } });
  await insertFindings(tx, findings);
  return findings.length;
}

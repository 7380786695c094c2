import { getDb, inTransaction, type Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { evaluateHoldings } from "@/lib/authz/policy";
import type { PolicyViolation } from "@/lib/authz/policy-types";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { loadPolicyContext } from "@/lib/grants/policy-context";

type Finding = { personId: string; violation: PolicyViolation };

/**
 * The continuous check: every person with a live grant is evaluated against the current rules, in
 * keyset batches of people (reads in short transactions), and the findings table is replaced in one
 * short write transaction with an audit row giving the counts.
 */
export async function recheckPolicies(actor: Actor, opts: { batchSize?: number; now?: Date } = {}): Promise<{ people: number; findings: number }> {
  assertCan(actor, "policy:manage");
  const batchSize = opts.batchSize ?? 200;
  const now = opts.now ?? new Date();
  const findings: Finding[] = [];
  let after = "00000000-0000-0000-0000-000000000000";
  let people = 0;
  for (;;) {
    const batch = await getDb().$queryRaw<{ person_id: string }[]>`
      SELECT DISTINCT sa.person_id FROM slave_account sa
      JOIN access_grant g ON g.slave_account_id = sa.id
      WHERE sa.person_id > ${after}::uuid AND g.revoked_at IS NULL AND (g.ends_at IS NULL OR g.ends_at > ${now})
      ORDER BY sa.person_id LIMIT ${batchSize}`;
    if (batch.length === 0) break;
    await inTransaction(async (tx) => {
      for (const { person_id } of batch) {
        const context = await loadPolicyContext(tx, person_id, now);
        for (const violation of evaluateHoldings(context.person, context.holdings, context.sodRules, context.sensitiveLevels)) findings.push({ personId: person_id, violation });
      }
    });
    people += batch.length;
    after = batch[batch.length - 1]!.person_id;
  }
  await inTransaction((tx) => replaceFindings(tx, actor, findings, people));
  return { people, findings: findings.length };
}

async function replaceFindings(tx: Tx, actor: Actor, findings: Finding[], people: number): Promise<void> {
  await tx.policyFinding.deleteMany({});
  for (let i = 0; i < findings.length; i += 1000) {
    await tx.policyFinding.createMany({
      data: findings.slice(i, i + 1000).map(({ personId, violation: v }) => ({
        personId, grantId: v.subject.grantId, systemId: v.subject.systemId, code: v.code, rule: v.rule, params: v.params,
        conflictsWithGrantId: v.conflictsWith?.grantId ?? null,
      })),
    });
  }
  const byCode: Record<string, number> = {};
  for (const f of findings) byCode[f.violation.code] = (byCode[f.violation.code] ?? 0) + 1;
  await recordAuditEvent(tx, actor, { action: "policy.rechecked", target: { type: "audit", id: null }, summary: { people, findings: findings.length, byCode } });
}

import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import type { OffboardingSource } from "@/lib/generated/prisma/enums";
import { recordBulkAuditEvent } from "@/lib/audit/record-audit-event";
import { orderedUuidv7s } from "@/lib/sql";
import { stopPeopleAccess, type ChangedAccount } from "@/lib/slave-accounts/stop-access";
import type { EndedGrant } from "@/lib/grants/end-grants";

/** What the portal did for one leaver, stored on the case (offboarding_case.counts) and shown on its receipt. */
export type OffboardingCounts = {
  sessionsEnded: number;
  grantsEnded: number;
  accountsDisabled: number;
  requestsCancelled: number;
  stagesRerouted: number;
  stagesWithoutHead: number;
  delegationsEnded: number;
};

export type OffboardedCase = { caseId: string; personId: string; counts: OffboardingCounts };

export type OffboardPeopleOptions = {
  // People already locked by the caller and already set to LEFT in this transaction.
  personIds: readonly string[];
  source: OffboardingSource;
  reason: string;
  // Machine-readable cause for outbox payloads and audit summaries ("person-left", "contract-ended"…).
  cause: string;
  now: Date;
  batchId?: string | null;
  vendorId?: string | null;
};

/**
 * The portal's half of offboarding (R5, R10, R11), for people the caller has locked and already marked
 * LEFT, in the caller's transaction and set-based however many they are: each person's waiting case is
 * completed (or a case is opened, so every departure has a receipt), every portal session ends, every
 * slave account is disabled and every live grant ends through endGrants, with outbox rows tagged with
 * the case so the receipt can follow them to each system's confirmation; the person's open requests
 * (made by or for them) are cancelled, the stages where they are an open approver are re-routed to their
 * nearest eligible head, and delegations by and to them end. One `offboarding.completed` audit row names
 * the cases; the grant and account rows are written by the building blocks.
 *
 * Lock order (as everywhere): people (caller), cases, slave accounts, grants, requests, then audit rows.
 */
export async function offboardPeople(
  tx: Tx,
  actor: Actor,
  opts: OffboardPeopleOptions,
): Promise<{ cases: OffboardedCase[]; grants: EndedGrant[]; accounts: ChangedAccount[] }> {
  const personIds = [...new Set(opts.personIds)];
  if (personIds.length === 0) return { cases: [], grants: [], accounts: [] };
  const { now } = opts;
  const actorId = actor.kind === "person" ? actor.personId : null;

  // A case per person: the one waiting for its date, else a new one that runs now.
  const waiting = await tx.$queryRaw<{ id: string; person_id: string }[]>`
    SELECT id::text, person_id::text FROM offboarding_case
    WHERE person_id = ANY(${personIds}::uuid[]) AND status = 'SCHEDULED'
    ORDER BY id FOR UPDATE`;
  const caseByPerson = new Map(waiting.map((c) => [c.person_id, c.id]));
  const fresh = personIds.filter((id) => !caseByPerson.has(id));
  if (fresh.length) {
    const nextId = orderedUuidv7s();
    const ids = fresh.map(() => nextId());
    fresh.forEach((p, i) => caseByPerson.set(p, ids[i]!));
    await tx.$executeRaw`
      INSERT INTO offboarding_case (id, person_id, source, status, batch_id, vendor_id, effective_at, reason, requested_by_id, requested_at)
      SELECT c.id, c.person_id, ${opts.source}::"OffboardingSource", 'SCHEDULED', ${opts.batchId ?? null}::uuid, ${opts.vendorId ?? null}::uuid,
             ${now}, ${opts.reason}, ${actorId}::uuid, ${now}
      FROM unnest(${ids}::uuid[], ${fresh}::uuid[]) AS c(id, person_id)`;
  }

  // The master account is disabled (a returning person is a new joiner), then every session ends.
  await tx.$executeRaw`
    UPDATE master_account SET status = 'DISABLED', updated_at = ${now}
    WHERE person_id = ANY(${personIds}::uuid[]) AND status <> 'DISABLED'`;
  const sessions = await tx.$queryRaw<{ person_id: string; n: number }[]>`
    WITH ended AS (
      UPDATE portal_session ps SET revoked_at = ${now}, revoked_reason = ${opts.cause}
      FROM master_account ma
      WHERE ma.id = ps.account_id AND ma.person_id = ANY(${personIds}::uuid[]) AND ps.revoked_at IS NULL
      RETURNING ma.person_id)
    SELECT person_id::text, count(*)::int AS n FROM ended GROUP BY person_id`;

  const stopped = await stopPeopleAccess(tx, actor, {
    personIds,
    accountStatus: "DISABLED",
    reason: opts.reason,
    cause: opts.cause,
    now,
    audit: {
      target: { type: "person", id: personIds.length === 1 ? personIds[0]! : null },
      // Bounded (issue 14 §3): the grants' items name each holder.
      summary: personIds.length === 1 ? { personId: personIds[0] } : { people: personIds.length },
    },
  });
  // The outbox rows this transaction wrote (created_at is the transaction's start, as now()) for these people's accounts belong to their cases.
  const accountIds = [...new Set([...stopped.accounts.map((a) => a.id), ...stopped.grants.map((g) => g.slaveAccountId)])];
  if (accountIds.length) {
    await tx.$executeRaw`
      UPDATE provisioning_outbox o SET offboarding_case_id = c.id
      FROM slave_account s, offboarding_case c
      WHERE o.slave_account_id = ANY(${accountIds}::uuid[]) AND o.offboarding_case_id IS NULL AND o.status = 'PENDING'
        AND o.created_at = now()::timestamptz(3) AND s.id = o.slave_account_id
        AND c.person_id = s.person_id AND c.id = ANY(${[...caseByPerson.values()]}::uuid[])`;
  }

  const requests = await cancelOpenRequests(tx, personIds, now, opts.reason);
  const rerouted = await rerouteStages(tx, personIds, now);
  const delegations = await endDelegations(tx, personIds, now, actorId);

  const tally = (ids: readonly (string | null)[]) => {
    const m = new Map<string, number>();
    for (const id of ids) if (id) m.set(id, (m.get(id) ?? 0) + 1);
    return m;
  };
  const sessionsBy = new Map(sessions.map((s) => [s.person_id, s.n]));
  const grantsBy = tally(stopped.grants.map((g) => g.personId));
  const accountsBy = tally(stopped.accounts.map((a) => a.personId));
  const requestsBy = tally(requests.map((r) => r.personId));
  const reroutedBy = tally(rerouted.filter((r) => r.headId).map((r) => r.leaverId));
  const strandedBy = tally(rerouted.filter((r) => !r.headId).map((r) => r.leaverId));
  const delegationsBy = tally(delegations.map((d) => d.personId));
  const cases = personIds.map((personId) => ({
    caseId: caseByPerson.get(personId)!,
    personId,
    counts: {
      sessionsEnded: sessionsBy.get(personId) ?? 0,
      grantsEnded: grantsBy.get(personId) ?? 0,
      accountsDisabled: accountsBy.get(personId) ?? 0,
      requestsCancelled: requestsBy.get(personId) ?? 0,
      stagesRerouted: reroutedBy.get(personId) ?? 0,
      stagesWithoutHead: strandedBy.get(personId) ?? 0,
      delegationsEnded: delegationsBy.get(personId) ?? 0,
    },
  }));
  await tx.$executeRaw`
    UPDATE offboarding_case c SET status = 'COMPLETED', executed_at = ${now}, effective_at = LEAST(c.effective_at, ${now}), counts = x.counts::jsonb, last_error = NULL
    FROM unnest(${cases.map((c) => c.caseId)}::uuid[], ${cases.map((c) => JSON.stringify(c.counts))}::text[]) AS x(id, counts)
    WHERE c.id = x.id`;

  // Bulk audit events (issue 14 §3): bounded summaries, an item per request, delegation and case.
  if (requests.length) {
    await recordBulkAuditEvent(
      tx,
      actor,
      {
        action: "request.cancelled",
        target: { type: "request", id: requests.length === 1 ? requests[0]!.requestId : null },
        summary: { cause: opts.cause, count: requests.length, before: { status: "PENDING" }, after: { status: "CANCELLED" } },
        reason: opts.reason,
      },
      requests.map((r) => ({ kind: "request" as const, subjectId: r.requestId, personId: r.personId })),
    );
  }
  if (delegations.length) {
    await recordBulkAuditEvent(
      tx,
      actor,
      {
        action: "delegation.ended",
        target: { type: "delegation", id: delegations.length === 1 ? delegations[0]!.delegationId : null },
        summary: { cause: opts.cause, count: delegations.length },
        reason: opts.reason,
      },
      delegations.map((d) => ({ kind: "delegation" as const, subjectId: d.delegationId, personId: d.personId })),
    );
  }
  await recordBulkAuditEvent(
    tx,
    actor,
    {
      action: "offboarding.completed",
      target: { type: "offboarding-case", id: cases.length === 1 ? cases[0]!.caseId : null },
      summary: {
        source: opts.source,
        cause: opts.cause,
        count: cases.length,
        ...(opts.batchId ? { batchId: opts.batchId } : {}),
        ...(opts.vendorId ? { vendorId: opts.vendorId } : {}),
        totals: sumCounts(cases.map((c) => c.counts)),
        reroutedStages: rerouted.length,
      },
      reason: opts.reason,
    },
    [
      ...cases.map((c) => ({ kind: "offboarding-case" as const, subjectId: c.caseId, personId: c.personId, detail: { counts: c.counts } })),
      ...rerouted.map((r) => ({
        kind: "request-stage" as const,
        subjectId: r.stageId,
        personId: r.leaverId,
        detail: { from: r.leaverId, to: r.headId },
      })),
    ],
  );
  return { cases, grants: stopped.grants, accounts: stopped.accounts };
}

function sumCounts(all: readonly OffboardingCounts[]): OffboardingCounts {
  const total: OffboardingCounts = {
    sessionsEnded: 0,
    grantsEnded: 0,
    accountsDisabled: 0,
    requestsCancelled: 0,
    stagesRerouted: 0,
    stagesWithoutHead: 0,
    delegationsEnded: 0,
  };
  for (const c of all) for (const k of Object.keys(total) as (keyof OffboardingCounts)[]) total[k] += c[k];
  return total;
}

/**
 * Locks the pending requests made by or for these people, in id order. Every offboarding path calls it
 * BEFORE locking the people: a final approval locks its request and then its subject (lib/grants/
 * create-grant.ts), so taking them the other way round could deadlock. With this order an approval in
 * flight finishes first (and the grant it made is ended by the offboarding), or waits and finds the
 * request cancelled (REQUEST_CLOSED).
 */
export async function lockOpenRequestsOf(tx: Tx, personIds: readonly string[]) {
  if (personIds.length === 0) return [];
  return tx.$queryRaw<{ id: string; requester_id: string; subject_id: string }[]>`
    SELECT id::text, requester_id::text, subject_id::text FROM access_request
    WHERE status = 'PENDING' AND (subject_id = ANY(${[...personIds]}::uuid[]) OR requester_id = ANY(${[...personIds]}::uuid[]))
    ORDER BY id FOR UPDATE`;
}

/**
 * Cancels every pending request made by or for the leavers (locked in id order, as lockRequest does
 * one), closing their stages and inbox rows; the other party and the open approvers are told.
 */
async function cancelOpenRequests(tx: Tx, personIds: readonly string[], now: Date, reason: string) {
  const rows = await lockOpenRequestsOf(tx, personIds);
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  await tx.$executeRaw`
    UPDATE request_stage SET status = 'CANCELLED', decided_at = ${now}
    WHERE request_id = ANY(${ids}::uuid[]) AND status IN ('ACTIVE', 'WAITING')`;
  await tx.$executeRaw`UPDATE stage_approver SET is_open = false WHERE request_id = ANY(${ids}::uuid[]) AND is_open`;
  await tx.$executeRaw`
    UPDATE access_request SET status = 'CANCELLED', decided_at = ${now}, closing_note = ${reason}, updated_at = ${now}
    WHERE id = ANY(${ids}::uuid[])`;
  const leavers = new Set(personIds);
  return rows.map((r) => ({ requestId: r.id, personId: leavers.has(r.subject_id) ? r.subject_id : r.requester_id }));
}

/**
 * Every open seat of a leaver on an active stage goes to their nearest head up the org tree who is
 * active, is not a leaver, the requester or the subject, is not already on the stage and has not
 * decided another stage of the request (StageApprover source REROUTED, on behalf of the leaver); the
 * leaver's seats close. A stage left with nobody (no eligible head) is reported on the case and waits
 * for an administrator (the request still expires on its date).
 */
async function rerouteStages(tx: Tx, personIds: readonly string[], now: Date) {
  const seats = await tx.$queryRaw<{ stage_id: string; approver_id: string }[]>`
    UPDATE stage_approver sa SET is_open = false
    FROM request_stage s
    WHERE sa.approver_id = ANY(${[...personIds]}::uuid[]) AND sa.is_open AND s.id = sa.stage_id AND s.status = 'ACTIVE'
    RETURNING sa.stage_id::text, sa.approver_id::text`;
  if (seats.length === 0) return [];
  const added = await tx.$queryRaw<{ stage_id: string; approver_id: string; on_behalf_of_id: string }[]>`
    WITH seats AS (
      SELECT sa.stage_id, sa.request_id, sa.approver_id, sa.request_created_at, r.requester_id, r.subject_id, u.path
      FROM unnest(${seats.map((s) => s.stage_id)}::uuid[], ${seats.map((s) => s.approver_id)}::uuid[]) AS x(stage_id, approver_id)
      JOIN stage_approver sa ON sa.stage_id = x.stage_id AND sa.approver_id = x.approver_id
      JOIN access_request r ON r.id = sa.request_id AND r.status = 'PENDING'
      JOIN person p ON p.id = sa.approver_id
      JOIN org_unit u ON u.id = p.org_unit_id
    ), candidates AS (
      SELECT DISTINCT ON (se.stage_id) se.stage_id, se.request_id, se.approver_id, se.request_created_at, u.head_id
      FROM seats se
      CROSS JOIN LATERAL unnest(string_to_array(trim(both '/' from se.path), '/')) WITH ORDINALITY AS a(unit_id, depth)
      JOIN org_unit u ON u.id = a.unit_id::uuid
      JOIN person h ON h.id = u.head_id AND h.status = 'ACTIVE'
      JOIN master_account ma ON ma.person_id = h.id AND ma.status <> 'DISABLED'
      WHERE u.head_id NOT IN (se.approver_id, se.requester_id, se.subject_id)
        AND NOT (u.head_id = ANY(${[...personIds]}::uuid[]))
        AND NOT EXISTS (SELECT 1 FROM stage_approver x WHERE x.stage_id = se.stage_id AND x.approver_id = u.head_id AND x.is_open)
        AND NOT EXISTS (SELECT 1 FROM approval_decision d WHERE d.request_id = se.request_id AND d.approver_id = u.head_id)
      ORDER BY se.stage_id, a.depth DESC
    )
    INSERT INTO stage_approver (id, stage_id, request_id, approver_id, on_behalf_of_id, delegation_id, source, is_open, request_created_at, created_at)
    SELECT gen_random_uuid(), stage_id, request_id, head_id, approver_id, NULL, 'REROUTED', true, request_created_at, ${now} FROM candidates
    ON CONFLICT (stage_id, approver_id) DO UPDATE SET is_open = true, source = 'REROUTED', on_behalf_of_id = EXCLUDED.on_behalf_of_id
    RETURNING stage_id::text, approver_id::text, on_behalf_of_id::text`;
  const headOf = new Map(added.map((a) => [`${a.stage_id}:${a.on_behalf_of_id}`, a.approver_id]));
  return seats.map((s) => ({ stageId: s.stage_id, leaverId: s.approver_id, headId: headOf.get(`${s.stage_id}:${s.approver_id}`) ?? null }));
}

/** Delegations by and to the leavers that are in force or still to come end now; the delegates' open seats close. */
async function endDelegations(tx: Tx, personIds: readonly string[], now: Date, actorId: string | null) {
  const rows = await tx.$queryRaw<{ id: string; delegator_id: string; delegate_id: string }[]>`
    UPDATE approval_delegation SET revoked_at = ${now}, revoked_by_id = ${actorId}::uuid
    WHERE revoked_at IS NULL AND ends_at > ${now}
      AND (delegator_id = ANY(${[...personIds]}::uuid[]) OR delegate_id = ANY(${[...personIds]}::uuid[]))
    RETURNING id::text, delegator_id::text, delegate_id::text`;
  if (rows.length === 0) return [];
  await tx.$executeRaw`
    UPDATE stage_approver SET is_open = false
    WHERE delegation_id = ANY(${rows.map((r) => r.id)}::uuid[]) AND is_open`;
  const leavers = new Set(personIds);
  return rows.map((r) => ({ delegationId: r.id, personId: leavers.has(r.delegator_id) ? r.delegator_id : r.delegate_id }));
}

import { Prisma } from "@/lib/generated/prisma/client";
import type { ReviewStage } from "./schemas";

// Who reviews an item (issue 12 §3), set-based: one SQL expression per stage strategy, used when a
// campaign starts (for every item at once), when an item moves to its next stage and when it escalates.
//
// Candidates are tried in tiers, skipping everyone in the item's conflicted_ids (the reviewed person,
// who granted it, who requested it, who approved that request: nobody reviews their own access or
// access they asked for or approved) and everyone not eligible (ACTIVE, master account not disabled):
//   1. the strategy's reviewers: the person's department heads nearest first (DEPARTMENT_HEAD), the
//      system's account administrators (SYSTEM_OWNER), the third party's sponsor (SPONSOR), the people
//      named (NAMED);
//   2. the fallback: the heads above the person (or, for SYSTEM_OWNER, above the system's owning
//      department) — a reviewer who is missing or has left is replaced by the head;
//   3. the security officers (nobody heads a level above).
// The source says which: RESOLVED (the strategy's first choice), ROUTED_UP (the first choice was
// conflicted: the item says whom it went past and why), FALLBACK (the strategy found nobody), TOP_OF_TREE.

/**
 * CTEs the pick expression reads: rv_heads (each org unit's eligible heads, nearest first), rv_admins
 * (each system's eligible account administrators), rv_security (the eligible security officers).
 * Prepend to the statement with `WITH ${reviewerCtes()}, …`.
 */
export function reviewerCtes(): Prisma.Sql {
  return Prisma.sql`
  rv_eligible AS (
    SELECT p.id FROM person p JOIN master_account a ON a.person_id = p.id
    WHERE p.status = 'ACTIVE' AND a.status <> 'DISABLED'
      AND p.id IN (SELECT head_id FROM org_unit WHERE head_id IS NOT NULL
                   UNION SELECT person_id FROM portal_role_assignment WHERE role IN ('ACCOUNT_ADMIN', 'SECURITY_OFFICER'))),
  rv_heads AS (
    SELECT u.id AS unit_id, array_agg(h.head_id ORDER BY t.ord DESC) AS heads
    FROM org_unit u
    CROSS JOIN LATERAL unnest(string_to_array(trim(both '/' from u.path), '/')) WITH ORDINALITY AS t(anc, ord)
    JOIN org_unit h ON h.id = t.anc::uuid
    JOIN rv_eligible e ON e.id = h.head_id
    GROUP BY u.id),
  rv_admins AS (
    SELECT a.system_id, array_agg(a.person_id ORDER BY a.created_at, a.person_id) AS ids
    FROM portal_role_assignment a JOIN rv_eligible e ON e.id = a.person_id
    WHERE a.role = 'ACCOUNT_ADMIN' AND a.system_id IS NOT NULL GROUP BY a.system_id),
  rv_security AS (
    SELECT COALESCE(array_agg(DISTINCT a.person_id), '{}'::uuid[]) AS ids
    FROM portal_role_assignment a JOIN rv_eligible e ON e.id = a.person_id WHERE a.role = 'SECURITY_OFFICER')`;
}

/** Column expressions of the row being assigned. */
export type PickColumns = {
  personId: Prisma.Sql;
  sponsorId: Prisma.Sql;
  conflicted: Prisma.Sql;
};

/**
 * The joins that give each row its candidate arrays, hash-joined once rather than looked up per row:
 * `ph.heads` (the heads above the person's unit, or above the system's owning department for an
 * orphan), `oh.heads` (above the owning department) and `ad.ids` (the system's account administrators).
 */
export function reviewerJoins(c: { unitId: Prisma.Sql; systemId: Prisma.Sql; ownerOrgId: Prisma.Sql }): Prisma.Sql {
  return Prisma.sql`
    LEFT JOIN rv_heads ph ON ph.unit_id = COALESCE(${c.unitId}, ${c.ownerOrgId})
    LEFT JOIN rv_heads oh ON oh.unit_id = ${c.ownerOrgId}
    LEFT JOIN rv_admins ad ON ad.system_id = ${c.systemId}
    CROSS JOIN rv_security sec`;
}

/**
 * A LATERAL subquery `pick(reviewer_id, reviewer_source, routing)` choosing the reviewer of one row for
 * this stage, over the arrays reviewerJoins() provides. `namedEligible` are the stage's named reviewers
 * who are eligible now (NAMED only). Use as `LEFT JOIN LATERAL (${pickReviewer(…)}) pick ON true`
 * after reviewerJoins(): no row when nobody at all can review.
 */
export function pickReviewer(stage: ReviewStage, c: PickColumns, namedEligible: readonly string[] = []): Prisma.Sql {
  const personHeads = Prisma.sql`COALESCE(ph.heads, '{}'::uuid[])`;
  let primary: Prisma.Sql;
  let fallback: Prisma.Sql = Prisma.sql`'{}'::uuid[]`;
  switch (stage.strategy) {
    case "DEPARTMENT_HEAD":
      primary = personHeads;
      break;
    case "SYSTEM_OWNER":
      primary = Prisma.sql`COALESCE(ad.ids, '{}'::uuid[])`;
      fallback = Prisma.sql`COALESCE(oh.heads, '{}'::uuid[])`;
      break;
    case "SPONSOR":
      primary = Prisma.sql`CASE WHEN ${c.sponsorId} IS NOT NULL AND EXISTS (
          SELECT 1 FROM person sp JOIN master_account sa ON sa.person_id = sp.id
          WHERE sp.id = ${c.sponsorId} AND sp.status = 'ACTIVE' AND sa.status <> 'DISABLED')
        THEN ARRAY[${c.sponsorId}]::uuid[] ELSE '{}'::uuid[] END`;
      fallback = personHeads;
      break;
    case "NAMED":
      primary = Prisma.sql`${[...namedEligible]}::uuid[]`;
      fallback = personHeads;
      break;
  }
  // The common case costs a comparison: the strategy's first choice is not conflicted. Otherwise the
  // first unconflicted candidate of the tiers, in order (a scalar subquery, evaluated only then).
  return Prisma.sql`
    SELECT r.reviewer_id,
      (CASE WHEN r.reviewer_id IS NULL OR NOT (r.reviewer_id = ANY(r.p) OR r.reviewer_id = ANY(r.f)) THEN 'TOP_OF_TREE'
            WHEN r.reviewer_id = r.p[1] THEN 'RESOLVED'
            WHEN r.reviewer_id = ANY(r.p) THEN 'ROUTED_UP'
            WHEN cardinality(r.p) > 0 THEN 'ROUTED_UP'
            ELSE 'FALLBACK' END)::"ReviewerSource" AS reviewer_source,
      CASE WHEN r.p[1] = ANY(r.conflicted) THEN jsonb_build_object(
        'skipped', r.p[1],
        'why', CASE WHEN r.p[1] = r.person_id THEN 'self' ELSE 'involved' END) END AS routing
    FROM (
      SELECT cand.p, cand.f, cand.conflicted, cand.person_id,
        CASE WHEN cand.p[1] IS NOT NULL AND NOT (cand.p[1] = ANY(cand.conflicted)) THEN cand.p[1]
             ELSE (SELECT x.id FROM (
                     SELECT id, 1 AS tier, ord FROM unnest(cand.p) WITH ORDINALITY u(id, ord)
                     UNION ALL SELECT id, 2, ord FROM unnest(cand.f) WITH ORDINALITY u(id, ord)
                     UNION ALL SELECT id, 3, ord FROM unnest(cand.s) WITH ORDINALITY u(id, ord)) x
                   WHERE x.id <> ALL(cand.conflicted) ORDER BY x.tier, x.ord LIMIT 1) END AS reviewer_id
      FROM (SELECT ${primary} AS p, ${fallback} AS f, sec.ids AS s, ${c.conflicted} AS conflicted, ${c.personId} AS person_id) cand) r`;
}

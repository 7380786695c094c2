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
  // The person's org unit (null for an orphan: the system's owning department stands in).
  unitId: Prisma.Sql;
  systemId: Prisma.Sql;
  ownerOrgId: Prisma.Sql;
  sponsorId: Prisma.Sql;
  conflicted: Prisma.Sql;
};

/**
 * A LATERAL subquery `pick(reviewer_id, reviewer_source, routing)` choosing the reviewer of one row for
 * this stage. `namedEligible` are the stage's named reviewers who are eligible now (NAMED only).
 * Use as `LEFT JOIN LATERAL (${pickReviewer(…)}) pick ON true`: no row when nobody at all can review.
 */
export function pickReviewer(stage: ReviewStage, c: PickColumns, namedEligible: readonly string[] = []): Prisma.Sql {
  const headsOf = (unit: Prisma.Sql) => Prisma.sql`COALESCE((SELECT h.heads FROM rv_heads h WHERE h.unit_id = ${unit}), '{}'::uuid[])`;
  const personHeads = headsOf(Prisma.sql`COALESCE(${c.unitId}, ${c.ownerOrgId})`);
  let primary: Prisma.Sql;
  let fallback: Prisma.Sql = Prisma.sql`'{}'::uuid[]`;
  switch (stage.strategy) {
    case "DEPARTMENT_HEAD":
      primary = personHeads;
      break;
    case "SYSTEM_OWNER":
      primary = Prisma.sql`COALESCE((SELECT a.ids FROM rv_admins a WHERE a.system_id = ${c.systemId}), '{}'::uuid[])`;
      fallback = headsOf(c.ownerOrgId);
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
  return Prisma.sql`
    SELECT c.id AS reviewer_id,
      (CASE WHEN c.tier = 3 THEN 'TOP_OF_TREE'
            WHEN c.tier = 2 THEN CASE WHEN c.primary_count > 0 THEN 'ROUTED_UP' ELSE 'FALLBACK' END
            WHEN c.ord > 1 THEN 'ROUTED_UP' ELSE 'RESOLVED' END)::"ReviewerSource" AS reviewer_source,
      CASE WHEN c.first_primary = ANY(${c.conflicted}) THEN jsonb_build_object(
        'skipped', c.first_primary,
        'why', CASE WHEN c.first_primary = ${c.personId} THEN 'self' ELSE 'involved' END) END AS routing
    FROM (
      SELECT x.id, x.tier, x.ord, cardinality(cand.p) AS primary_count, cand.p[1] AS first_primary
      FROM (SELECT ${primary} AS p, ${fallback} AS f, (SELECT ids FROM rv_security) AS s) cand
      CROSS JOIN LATERAL (
        SELECT id, 1 AS tier, ord FROM unnest(cand.p) WITH ORDINALITY u(id, ord)
        UNION ALL SELECT id, 2, ord FROM unnest(cand.f) WITH ORDINALITY u(id, ord)
        UNION ALL SELECT id, 3, ord FROM unnest(cand.s) WITH ORDINALITY u(id, ord)) x
      WHERE x.id <> ALL(${c.conflicted})
      ORDER BY x.tier, x.ord LIMIT 1) c`;
}

import { getDb, Prisma } from "@/lib/db";
import { namedIds, type AuditNames, type SentenceEvent } from "./sentence";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// The most ids one look-up resolves (a page of 25 events names a few dozen; an export batch a few thousand).
const MAX_IDS = 10_000;

/**
 * Names for the ids a batch of events names (lib/audit/sentence.ts): people as "name (employee no.)",
 * a master account as its owner, systems, job roles and org units in the reader's language, vendors,
 * system accounts by login name. One query on primary keys, whatever the batch's size; an id nothing
 * matches stays unnamed (the sentence then falls back).
 */
export async function auditNames(events: readonly Pick<SentenceEvent, "targetId" | "summary">[], locale: string): Promise<AuditNames> {
  const ids = [...new Set(events.flatMap((e) => namedIds(e)))].filter((id) => UUID.test(id)).slice(0, MAX_IDS);
  if (ids.length === 0) return new Map();
  const en = locale === "en";
  const list = Prisma.sql`${ids}::uuid[]`;
  const rows = await getDb().$queryRaw<{ id: string; name: string }[]>`
    SELECT id::text AS id, name || ' (' || employee_no || ')' AS name FROM person WHERE id = ANY(${list})
    UNION ALL
    SELECT a.id::text, p.name || ' (' || p.employee_no || ')' FROM master_account a JOIN person p ON p.id = a.person_id WHERE a.id = ANY(${list})
    UNION ALL
    SELECT id::text, CASE WHEN ${en} THEN coalesce(name_en, name) ELSE name END FROM business_system WHERE id = ANY(${list})
    UNION ALL
    SELECT id::text, CASE WHEN ${en} THEN coalesce(name_en, name) ELSE name END FROM job_role WHERE id = ANY(${list})
    UNION ALL
    SELECT id::text, CASE WHEN ${en} THEN coalesce(name_en, name) ELSE name END FROM org_unit WHERE id = ANY(${list})
    UNION ALL
    SELECT id::text, name FROM vendor WHERE id = ANY(${list})
    UNION ALL
    SELECT id::text, login_name FROM slave_account WHERE id = ANY(${list})`;
  return new Map(rows.map((r) => [r.id, r.name]));
}

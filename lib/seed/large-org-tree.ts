import type { Tx } from "@/lib/db";

export const LARGE_TREE_ROOT_CODE = "SCALE-ROOT";

/**
 * A large org tree for the end-to-end tests' page-weight budget (issue 13): one root, 40 divisions
 * and the rest teams, `units` in all, in three set-based INSERTs (a second or so for 2,000). It is
 * test data outside the demo organisation (its own root), written directly like the scale seed:
 * nobody administers these units, so no audit events are invented for them.
 */
export async function addLargeOrgTree(tx: Tx, units = 2000): Promise<number> {
  if (units < 42) throw new Error("a large org tree needs at least 42 units");
  const divisions = 40;
  const teams = units - 1 - divisions;
  await tx.$executeRawUnsafe(
    `INSERT INTO org_unit (id, code, name, name_en, parent_id, path, is_active, created_at, updated_at)
     SELECT r.id, $1, '规模测试省公司', 'Scale Test Province', NULL, '/' || r.id || '/', true, now(), now()
     FROM (SELECT gen_random_uuid() AS id) r`,
    LARGE_TREE_ROOT_CODE,
  );
  await tx.$executeRawUnsafe(
    `INSERT INTO org_unit (id, code, name, name_en, parent_id, path, is_active, created_at, updated_at)
     SELECT d.id, 'SCALE-D' || lpad(d.n::text, 2, '0'), '规模测试分公司' || d.n, 'Scale Division ' || d.n, root.id,
            root.path || d.id || '/', true, now(), now()
     FROM (SELECT n, gen_random_uuid() AS id FROM generate_series(1, $2::int) n) d
     CROSS JOIN (SELECT id, path FROM org_unit WHERE code = $1) root`,
    LARGE_TREE_ROOT_CODE,
    divisions,
  );
  await tx.$executeRawUnsafe(
    `INSERT INTO org_unit (id, code, name, name_en, parent_id, path, is_active, created_at, updated_at)
     SELECT t.id, 'SCALE-T' || lpad(t.n::text, 4, '0'), '规模测试班组' || t.n, 'Scale Team ' || t.n, d.id,
            d.path || t.id || '/', true, now(), now()
     FROM (SELECT n, gen_random_uuid() AS id FROM generate_series(1, $1::int) n) t
     JOIN org_unit d ON d.code = 'SCALE-D' || lpad((1 + (t.n - 1) % $2::int)::text, 2, '0')`,
    teams,
    divisions,
  );
  return units;
}

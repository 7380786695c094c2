import type { Tx } from "@/lib/db";
import { systemActor, type Actor } from "@/lib/authz/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { BUILT_IN_SCENARIOS } from "./built-in";

/**
 * Creates the built-in vault scenarios that are missing (idempotent, no migration needed): called at
 * server start, by the seed and before a built-in scenario is first used. Existing rows are never
 * touched, so an officer's changes to approvers or validity stay.
 */
export async function ensureBuiltInVaultScenarios(tx: Tx, actor: Actor = systemActor("vault")): Promise<number> {
  let created = 0;
  for (const s of BUILT_IN_SCENARIOS) {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO vault_scenario (id, code, name, name_en, description, approver_roles, valid_for_seconds, is_active, updated_at)
      VALUES (gen_random_uuid(), ${s.code}, ${s.name}, ${s.nameEn}, ${s.description}, ${s.approverRoles}::"PortalRole"[], ${s.validForSeconds}, true, now())
      ON CONFLICT (code) DO NOTHING
      RETURNING id`;
    const row = rows[0];
    if (!row) continue;
    created += 1;
    await recordAuditEvent(tx, actor, {
      action: "vault-scenario.created",
      target: { type: "vault-scenario", id: row.id },
      summary: { after: { code: s.code, approverRoles: s.approverRoles, validForSeconds: s.validForSeconds, builtIn: true } },
      reason: "built-in scenario",
    });
  }
  return created;
}

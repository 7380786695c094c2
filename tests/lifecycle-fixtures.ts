/**
 * Fixtures shared by the lifecycle tests (slave accounts, leavers, movers, classification): a business
 * system with its account administrator and roles of chosen sensitivity, built through the use cases.
 */
import { getDb, inTransaction } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { grantRole } from "@/lib/grants/grant-role";
import { makeActor, makeJobRole, makeSystem } from "./factories";

type Level = "EXTREME" | "SENSITIVE" | "RELATIVE" | "LOW";

/** A role in the system whose matrix holds one permission of this level (and data kind). */
export async function roleWith(actor: Actor, systemId: string, sensitivity: Level, dataKind: "NONE" | "IDENTITY" | "USER_DATA" = "NONE") {
  const { role, permissions } = await makeJobRole(actor, systemId, { permissions: [{ sensitivity, dataKind }] });
  return { ...role, permissionId: permissions[0]!.id };
}

/**
 * A platform system (connected for provisioning if asked), its account administrator, a low role and
 * a sensitive role.
 */
export async function systemWithRoles(opts: { connected?: boolean } = {}) {
  const system = await makeSystem({ kind: "PLATFORM" });
  if (opts.connected) await getDb().businessSystem.update({ where: { id: system.id }, data: { isConnected: true } });
  const admin = await makeActor([{ role: "ACCOUNT_ADMIN", systemId: system.id }]);
  const low = await roleWith(admin.actor, system.id, "LOW");
  const sensitive = await roleWith(admin.actor, system.id, "SENSITIVE", "IDENTITY");
  return { system, admin, low, sensitive };
}

// Time-bound, as a sensitive role's grant must be (lib/grants/grant-role.ts).
export const grantOf = (actor: Actor, personId: string, roleId: string) =>
  inTransaction((tx) =>
    grantRole(tx, actor, { personId, roleId, endsAt: new Date(Date.now() + 30 * 86_400_000), reason: "Needs it", basis: "IT-42" }),
  );

export function liveGrantCount(personId: string) {
  const now = new Date();
  return getDb().accessGrant.count({
    where: { revokedAt: null, OR: [{ endsAt: null }, { endsAt: { gt: now } }], slaveAccount: { personId } },
  });
}

export function outboxFor(systemId: string) {
  return getDb().provisioningOutbox.findMany({ where: { systemId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
}

import { getDb } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { can } from "@/lib/authz/can";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The system the import page is about, for its account administrators: null when unknown, "forbidden" for others. */
export async function getImportSystem(actor: Actor, systemId: string) {
  if (!UUID.test(systemId)) return null;
  const system = await getDb().businessSystem.findUnique({
    where: { id: systemId },
    select: { id: true, code: true, name: true, nameEn: true, isActive: true },
  });
  if (!system) return null;
  return can(actor, "grants:manage", { systemId: system.id }) ? system : "forbidden";
}

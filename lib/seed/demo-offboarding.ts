import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { configureConnector } from "@/lib/provisioning/configure-connector";
import { offboardPerson } from "@/lib/offboarding/offboard-person";

/** BOSS gets a manual connector and E0130 (a BOSS billing operator) leaves: a case with a receipt to follow. */
export async function seedDemoOffboarding(tx: Tx, actor: Actor, now: Date): Promise<void> {
  const boss = await tx.businessSystem.findUniqueOrThrow({ where: { code: "BOSS" }, select: { id: true } });
  await configureConnector(
    tx,
    actor,
    { systemId: boss.id, kind: "MANUAL", reason: "Demo seed: BOSS accounts are changed by its administrators" },
    now,
  );
  const leaver = await tx.person.findUniqueOrThrow({ where: { employeeNo: "E0130" }, select: { id: true } });
  await offboardPerson(tx, actor, { personId: leaver.id, reason: "Demo seed: resigned, last day yesterday" }, now);
}

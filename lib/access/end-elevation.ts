import type { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { notify } from "@/lib/notifications/notify";
import { formatRequestNumber } from "@/lib/requests/workflow";
import { EndElevationInput } from "./schemas";
import { enqueueGrantRevocations, loadGrantFacts } from "./grant-notices";

/**
 * A security officer ends a third party's temporary elevation (R10) before its end date, with a
 * reason: compare-and-set on the grant (a second attempt, or one after the expiry job ended it, gets
 * NOT_AN_ELEVATION). Audited with the request it came from; the holder and their sponsor are told
 * ("grant-expired"); connected systems get their outbox row.
 */
export async function endElevation(tx: Tx, actor: Actor, raw: z.input<typeof EndElevationInput>, now = new Date()) {
  const input = EndElevationInput.parse(raw);
  assertCan(actor, "elevations:end");
  const rows = await tx.$queryRaw<
    {
      grant_id: string;
      request_id: string;
      number: number;
      person_id: string | null;
      sponsor_id: string | null;
      system_id: string;
      role_id: string;
      ends_at: Date | null;
    }[]
  >`
    SELECT g.id::text AS grant_id, r.id::text AS request_id, r.number, sa.person_id::text AS person_id, p.sponsor_id::text AS sponsor_id,
           sa.system_id::text AS system_id, g.role_id::text AS role_id, g.ends_at
    FROM access_grant g
    JOIN access_request r ON r.kind = 'ELEVATION' AND r.status = 'APPROVED' AND r.grant_id = g.id
    JOIN slave_account sa ON sa.id = g.slave_account_id
    LEFT JOIN person p ON p.id = sa.person_id
    WHERE g.id = ${input.grantId}::uuid`;
  const elevation = rows[0];
  if (!elevation) throw new DomainError("NOT_AN_ELEVATION", { field: "grantId" });
  const ended = await tx.accessGrant.updateMany({
    where: { id: elevation.grant_id, revokedAt: null, OR: [{ endsAt: null }, { endsAt: { gt: now } }] },
    data: { revokedAt: now, revokedById: actor.kind === "person" ? actor.personId : null, revokeReason: input.reason },
  });
  if (ended.count !== 1) throw new DomainError("NOT_AN_ELEVATION", { field: "grantId" });
  await recordAuditEvent(tx, actor, {
    action: "elevation.ended",
    target: { type: "grant", id: elevation.grant_id },
    summary: {
      before: {
        personId: elevation.person_id,
        systemId: elevation.system_id,
        roleId: elevation.role_id,
        endsAt: elevation.ends_at?.toISOString() ?? null,
      },
      requestId: elevation.request_id,
    },
    reason: input.reason,
    basis: formatRequestNumber(elevation.number),
  });
  const facts = await loadGrantFacts(tx, [elevation.grant_id]);
  const recipients = [elevation.person_id, elevation.sponsor_id].filter((id): id is string => !!id);
  if (recipients.length && facts[0]) {
    await notify(tx, {
      recipientIds: recipients,
      kind: "grant-expired",
      params: { system: facts[0].system, role: facts[0].role, early: 1 },
      link: "/access",
    });
  }
  await enqueueGrantRevocations(tx, facts, "elevation-ended");
  return { grantId: elevation.grant_id };
}

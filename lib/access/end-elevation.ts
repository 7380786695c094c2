import type { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import { endGrants } from "@/lib/grants/end-grants";
import { notify } from "@/lib/notifications/notify";
import { formatRequestNumber } from "@/lib/requests/workflow";
import { EndElevationInput } from "./schemas";

/**
 * A security officer ends a third party's temporary elevation (R10) before its end date, with a
 * reason: compare-and-set on the grant (a second attempt, or one after the expiry job ended it, gets
 * NOT_AN_ELEVATION). Ended through lib/grants/end-grants.ts (audited with the request it came from,
 * outbox row, findings); the holder and their sponsor are told ("grant-expired").
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
    }[]
  >`
    SELECT g.id::text AS grant_id, r.id::text AS request_id, r.number, sa.person_id::text AS person_id, p.sponsor_id::text AS sponsor_id
    FROM access_grant g
    JOIN access_request r ON r.kind = 'ELEVATION' AND r.status = 'APPROVED' AND r.grant_id = g.id
    JOIN slave_account sa ON sa.id = g.slave_account_id
    LEFT JOIN person p ON p.id = sa.person_id
    WHERE g.id = ${input.grantId}::uuid`;
  const elevation = rows[0];
  if (!elevation) throw new DomainError("NOT_AN_ELEVATION", { field: "grantId" });
  const ended = await endGrants(tx, actor, [elevation.grant_id], {
    cause: "elevation-ended",
    reason: input.reason,
    action: "elevation.ended",
    summary: { requestId: elevation.request_id },
    basis: formatRequestNumber(elevation.number),
    now,
  });
  const grant = ended[0];
  if (!grant) throw new DomainError("NOT_AN_ELEVATION", { field: "grantId" });
  const recipients = [elevation.person_id, elevation.sponsor_id].filter((id): id is string => !!id);
  if (recipients.length) {
    await notify(tx, {
      recipientIds: recipients,
      kind: "grant-expired",
      params: { system: grant.system, role: grant.role, early: 1 },
      link: "/access",
    });
  }
  return { grantId: elevation.grant_id };
}

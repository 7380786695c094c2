import { getDb, type Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import type { PortalRole } from "@/lib/generated/prisma/enums";

// Online (R14: the approver must be able to answer now): an open server-push connection refreshed in the
// last PUSH_FRESH_MS (a portal page is open), or a portal session used in the last SESSION_RECENT_MS.
// Sessions record use at most once a minute (lib/auth/sessions.ts), hence two minutes.
export const PUSH_FRESH_MS = 75_000;
export const SESSION_RECENT_MS = 2 * 60_000;

type Db = Tx | ReturnType<typeof getDb>;
type ScenarioApprovers = { approverRoles: PortalRole[]; approverIds: string[] };

export type ApproverRow = {
  id: string;
  name: string;
  employeeNo: string;
  orgUnitName: string;
  orgUnitNameEn: string | null;
  online: boolean;
};

/**
 * The people who may approve a scenario for this operator: active, with an active master account,
 * holding one of its approver portal roles or named in it, and not the operator (R14: a second
 * person). `only` narrows to given people; `onlineOnly` keeps those online now.
 */
export async function eligibleApprovers(
  db: Db,
  scenario: ScenarioApprovers,
  operatorId: string,
  opts: { only?: string[]; onlineOnly?: boolean; now?: Date; limit?: number } = {},
): Promise<ApproverRow[]> {
  const now = opts.now ?? new Date();
  const pushSince = new Date(now.getTime() - PUSH_FRESH_MS);
  const sessionSince = new Date(now.getTime() - SESSION_RECENT_MS);
  const roles = scenario.approverRoles as string[];
  const only = opts.only ?? null;
  const rows = await db.$queryRaw<
    { id: string; name: string; employee_no: string; org_name: string; org_name_en: string | null; online: boolean }[]
  >`
    SELECT * FROM (
    SELECT p.id, p.name, p.employee_no, o.name AS org_name, o.name_en AS org_name_en,
      (EXISTS (
         SELECT 1 FROM push_connection c JOIN portal_session s ON s.id = c.session_id AND s.revoked_at IS NULL
         WHERE c.person_id = p.id AND c.seen_at > ${pushSince})
       OR EXISTS (
         SELECT 1 FROM portal_session s WHERE s.account_id = a.id AND s.revoked_at IS NULL AND s.last_seen_at > ${sessionSince})
      ) AS online
    FROM person p
    JOIN master_account a ON a.person_id = p.id
    JOIN org_unit o ON o.id = p.org_unit_id
    WHERE p.status = 'ACTIVE' AND a.status = 'ACTIVE' AND p.id <> ${operatorId}::uuid
      AND (${only}::uuid[] IS NULL OR p.id = ANY(${only}::uuid[]))
      AND (p.id = ANY(${scenario.approverIds}::uuid[])
           OR EXISTS (SELECT 1 FROM portal_role_assignment r WHERE r.person_id = p.id AND r.role::text = ANY(${roles}::text[])))
    ) AS eligible
    WHERE ${opts.onlineOnly ?? false} = false OR eligible.online
    ORDER BY eligible.name, eligible.id
    LIMIT ${opts.limit ?? 200}`;
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    employeeNo: r.employee_no,
    orgUnitName: r.org_name,
    orgUnitNameEn: r.org_name_en,
    online: r.online,
  }));
}

/**
 * For the operator's approver picker (and the REST API): who may approve this scenario for the actor and
 * is online now. Empty when the scenario is unknown or inactive.
 */
export async function listEligibleOnlineApprovers(actor: Actor, scenarioCode: string, now = new Date()): Promise<ApproverRow[]> {
  if (actor.kind !== "person") return [];
  const scenario = await getDb().vaultScenario.findUnique({
    where: { code: scenarioCode },
    select: { approverRoles: true, approverIds: true, isActive: true },
  });
  if (!scenario || !scenario.isActive) return [];
  return eligibleApprovers(getDb(), scenario, actor.personId, { onlineOnly: true, now, limit: 100 });
}

import type { Tx } from "@/lib/db";
import type { StageKind } from "@/lib/generated/prisma/enums";
import { activeDelegatesFor } from "@/lib/delegation/active-delegates";
import { getSecuritySettings } from "@/lib/settings/security-settings";
import { HEAD_STAGES, pickApprovers, type ApproverPick, type TopOfTreeTier } from "./chain";

// Who may decide a stage, read from the database when the stage activates (so a head appointed after
// submission is the one asked), then chosen by the pure rules in chain.ts.

export type StageContext = {
  requesterId: string;
  subject: { id: string; orgUnitId: string; sponsorId: string | null };
  system: { id: string; ownerOrgId: string };
  // People who already decided an earlier stage of this request: one person, one say per request.
  alreadyDecided?: readonly string[];
  // The kinds of the stages after this one (a top-of-tree head stage leaves their people to them).
  laterStages?: readonly StageKind[];
};

/** Of these people, the ones who may approve anything: ACTIVE, with a master account that is not disabled. */
export async function eligiblePeople(tx: Tx, ids: readonly string[]): Promise<Set<string>> {
  const unique = [...new Set(ids)];
  if (!unique.length) return new Set();
  const rows = await tx.person.findMany({
    where: { id: { in: unique }, status: "ACTIVE", account: { status: { not: "DISABLED" } } },
    select: { id: true },
  });
  return new Set(rows.map((r) => r.id));
}

/** The eligible heads of this unit and every unit above it, nearest first (each person once). */
export async function headsUpFrom(tx: Tx, orgUnitId: string): Promise<string[]> {
  const unit = await tx.orgUnit.findUnique({ where: { id: orgUnitId }, select: { path: true } });
  if (!unit) return [];
  const chain = unit.path.split("/").filter(Boolean).reverse();
  const units = await tx.orgUnit.findMany({ where: { id: { in: chain }, headId: { not: null } }, select: { id: true, headId: true } });
  const headOf = new Map(units.map((u) => [u.id, u.headId!]));
  const ordered = [...new Set(chain.map((id) => headOf.get(id)).filter((h): h is string => !!h))];
  const eligible = await eligiblePeople(tx, ordered);
  return ordered.filter((id) => eligible.has(id));
}

async function portalRoleHolders(tx: Tx, role: "ACCOUNT_ADMIN" | "SECURITY_OFFICER", systemId?: string): Promise<string[]> {
  const rows = await tx.portalRoleAssignment.findMany({
    where: { role, ...(systemId ? { systemId } : {}) },
    select: { personId: true },
    orderBy: { createdAt: "asc" },
  });
  const ids = [...new Set(rows.map((r) => r.personId))];
  const eligible = await eligiblePeople(tx, ids);
  return ids.filter((id) => eligible.has(id));
}

/**
 * Who decides a head stage when the tree runs out of heads (issue 9 §5: the head of a top-level unit
 * asking for themselves): the approver configured for the root (security settings), else the system's
 * owners (its account administrators) and the security officers, tiers tried in order.
 */
export async function topOfTreeTiers(tx: Tx, systemId: string, laterStages: readonly StageKind[] = []): Promise<TopOfTreeTier[]> {
  const { rootApproverId } = await getSecuritySettings(tx);
  const root = rootApproverId ? [...(await eligiblePeople(tx, [rootApproverId]))] : [];
  const owners = await portalRoleHolders(tx, "ACCOUNT_ADMIN", systemId);
  const security = await portalRoleHolders(tx, "SECURITY_OFFICER");
  // One person, one say per request: whoever decides here may not decide a later stage, so a stage
  // still to come keeps its own people (the owners for a system-owner stage; the officers for a
  // security stage when no owner stage follows); both when that leaves nobody.
  const ownerLater = laterStages.includes("SYSTEM_OWNER");
  const securityLater = laterStages.includes("SECURITY");
  const preferred = [...(ownerLater ? [] : owners), ...(securityLater && !ownerLater ? [] : security)];
  return [
    { ids: root, source: "ROOT_APPROVER" },
    { ids: [...new Set(preferred)], source: "TOP_OF_TREE" },
    { ids: [...new Set([...owners, ...security])], source: "TOP_OF_TREE" },
  ];
}

/** Heads above the first of `people` who had to be removed (their leader decides instead). */
async function routeUpFromRemoved(tx: Tx, candidates: readonly string[], excluded: ReadonlySet<string>): Promise<string[]> {
  const removed = candidates.find((id) => excluded.has(id));
  if (!removed) return [];
  const person = await tx.person.findUnique({ where: { id: removed }, select: { orgUnitId: true } });
  return person ? headsUpFrom(tx, person.orgUnitId) : [];
}

/**
 * The approvers of a stage of this kind for this request, with delegates added; empty when nobody
 * eligible may decide it (the caller refuses the submission or the decision that would activate it).
 */
export async function resolveStageApprovers(
  tx: Tx,
  stage: { kind: StageKind; namedApproverIds: readonly string[] },
  ctx: StageContext,
  now: Date,
): Promise<ApproverPick[]> {
  const excluded = new Set([ctx.requesterId, ctx.subject.id, ...(ctx.alreadyDecided ?? [])]);
  let resolved: string[] = [];
  let routeUp: string[] = [];
  switch (stage.kind) {
    case "DEPARTMENT_HEAD": {
      // The subject's unit's head, walking up when a unit has none; past them when they are excluded.
      const heads = await headsUpFrom(tx, ctx.subject.orgUnitId);
      resolved = heads.slice(0, 1);
      routeUp = heads.slice(1);
      break;
    }
    case "OWNER_LEADER": {
      const heads = await headsUpFrom(tx, ctx.system.ownerOrgId);
      resolved = heads.slice(0, 1);
      routeUp = heads.slice(1);
      break;
    }
    case "SYSTEM_OWNER":
      resolved = await portalRoleHolders(tx, "ACCOUNT_ADMIN", ctx.system.id);
      // Nobody else administers the system: the owning department's leaders decide.
      routeUp = await headsUpFrom(tx, ctx.system.ownerOrgId);
      break;
    case "SECURITY":
      resolved = await portalRoleHolders(tx, "SECURITY_OFFICER");
      routeUp = await routeUpFromRemoved(tx, resolved, excluded);
      break;
    case "SPONSOR": {
      const sponsor = ctx.subject.sponsorId ? [ctx.subject.sponsorId] : [];
      const eligible = await eligiblePeople(tx, sponsor);
      resolved = sponsor.filter((id) => eligible.has(id));
      routeUp = await routeUpFromRemoved(tx, resolved, excluded);
      break;
    }
    case "NAMED": {
      const eligible = await eligiblePeople(tx, stage.namedApproverIds);
      resolved = stage.namedApproverIds.filter((id) => eligible.has(id));
      routeUp = await routeUpFromRemoved(tx, resolved, excluded);
      break;
    }
  }
  let topOfTree: TopOfTreeTier[] = [];
  if (HEAD_STAGES.includes(stage.kind) && !pickApprovers({ resolved, routeUp, excluded, delegations: [] }).length)
    topOfTree = await topOfTreeTiers(tx, ctx.system.id, ctx.laterStages);
  const principals = pickApprovers({ resolved, routeUp, excluded, delegations: [], topOfTree }).map((p) => p.approverId);
  const delegations = await activeDelegatesFor(tx, principals, now);
  const eligibleDelegates = await eligiblePeople(
    tx,
    delegations.map((d) => d.delegateId),
  );
  return pickApprovers({
    resolved,
    routeUp,
    excluded,
    topOfTree,
    delegations: delegations.filter((d) => eligibleDelegates.has(d.delegateId)),
  });
}

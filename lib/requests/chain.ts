import type { ApproverSource, DecisionOutcome, RequestKind, StageKind, StageRule } from "@/lib/generated/prisma/enums";
import type { ActiveDelegate } from "@/lib/delegation/active-delegates";
import { ChainDefinitionSchema, type ChainDefinition } from "./schemas";

// Approval chains (issue 4 item 2; R7, R8, R10): which stages a request goes through, who may decide
// each stage, and when a stage's rule is met. Pure functions; lib/requests/approvers.ts loads the
// people from the database and hands them here.

export type StageSpec = {
  kind: StageKind;
  rule: StageRule;
  requiredCount?: number;
  namedApproverIds?: string[];
};

const stage = (kind: StageKind): StageSpec => ({ kind, rule: "ANY" });

// (a) the department head, (b) the system's owner / administrators, (c) security for sensitive or
// administrative roles (R8).
export const DEFAULT_STANDARD_CHAIN: readonly StageSpec[] = [stage("DEPARTMENT_HEAD"), stage("SYSTEM_OWNER")];
export const DEFAULT_SENSITIVE_CHAIN: readonly StageSpec[] = [stage("DEPARTMENT_HEAD"), stage("SYSTEM_OWNER"), stage("SECURITY")];
// R10: a third party's temporary elevation is approved by their sponsor and security; never configurable.
export const ELEVATION_CHAIN: readonly StageSpec[] = [stage("SPONSOR"), stage("SECURITY")];
// R8: role-matrix changes go to the leader of the system's owning department.
export const MATRIX_CHANGE_CHAIN: readonly StageSpec[] = [stage("OWNER_LEADER")];

export const DEFAULT_CHAIN_DEFINITION: ChainDefinition = {
  standard: DEFAULT_STANDARD_CHAIN.map((s) => ({ kind: s.kind as "DEPARTMENT_HEAD", rule: s.rule })),
  sensitive: DEFAULT_SENSITIVE_CHAIN.map((s) => ({ kind: s.kind as "DEPARTMENT_HEAD", rule: s.rule })),
};

/** A stored approval_chain.definition, or null when absent or unreadable (the default chain applies). */
export function parseChainDefinition(json: unknown): ChainDefinition | null {
  if (json == null) return null;
  const parsed = ChainDefinitionSchema.safeParse(json);
  return parsed.success ? parsed.data : null;
}

export type ChainRequest = { kind: RequestKind; isSensitive: boolean; isAdministrative: boolean };

/** The stages of a request, in order. */
export function chainFor(request: ChainRequest, definition: ChainDefinition | null): StageSpec[] {
  if (request.kind === "ELEVATION") return ELEVATION_CHAIN.map((s) => ({ ...s }));
  if (request.kind === "MATRIX_CHANGE") return MATRIX_CHANGE_CHAIN.map((s) => ({ ...s }));
  const elevated = request.isSensitive || request.isAdministrative;
  const stages: StageSpec[] = (
    definition ? (elevated ? definition.sensitive : definition.standard) : elevated ? DEFAULT_SENSITIVE_CHAIN : DEFAULT_STANDARD_CHAIN
  ).map((s) => ({ ...s, ...(s.namedApproverIds ? { namedApproverIds: [...s.namedApproverIds] } : {}) }));
  // R8 whatever the configuration says: a sensitive or administrative role ends with security.
  if (elevated && !stages.some((s) => s.kind === "SECURITY")) stages.push(stage("SECURITY"));
  return stages;
}

export type ApproverPick = {
  approverId: string;
  source: Extract<ApproverSource, "RESOLVED" | "ROUTED_UP" | "DELEGATED" | "ROOT_APPROVER" | "TOP_OF_TREE">;
  onBehalfOfId: string | null;
  delegationId: string | null;
};

export type PickInput = {
  // Eligible people (active, usable master account) the stage kind names, in order.
  resolved: readonly string[];
  // Eligible heads up the org tree from where the stage sits, nearest first: used when nobody in
  // `resolved` may decide.
  routeUp: readonly string[];
  // Nobody approves a request they made or one for themselves: the requester and the subject.
  excluded: ReadonlySet<string>;
  // Delegations in force for the principals (the delegates already checked eligible).
  delegations: readonly ActiveDelegate[];
  // A head stage at the top of the tree (nobody heads a level above, issue 9 §5): tried in order when
  // neither `resolved` nor `routeUp` leaves anyone, the first tier with someone not excluded decides.
  topOfTree?: readonly TopOfTreeTier[];
};

export type TopOfTreeTier = { ids: readonly string[]; source: "ROOT_APPROVER" | "TOP_OF_TREE" };

/** The stage kinds that walk up the org tree, and so can run out of heads at its top. */
export const HEAD_STAGES: readonly StageKind[] = ["DEPARTMENT_HEAD", "OWNER_LEADER"];

/**
 * The approvers of a stage: the resolved people minus the requester and the subject; when nobody is
 * left, the first eligible head up the tree (ROUTED_UP); at the top of the tree, the first tier of
 * `topOfTree` with anyone left (ROOT_APPROVER, else TOP_OF_TREE). Each principal with a delegation in force also
 * gets their delegate (DELEGATED, on behalf of them) unless the delegate is excluded or already an
 * approver. Empty = nobody may decide this stage.
 */
export function pickApprovers(input: PickInput): ApproverPick[] {
  const seen = new Set<string>();
  const principals: ApproverPick[] = [];
  for (const id of input.resolved) {
    if (input.excluded.has(id) || seen.has(id)) continue;
    seen.add(id);
    principals.push({ approverId: id, source: "RESOLVED", onBehalfOfId: null, delegationId: null });
  }
  if (!principals.length) {
    const up = input.routeUp.find((id) => !input.excluded.has(id));
    if (up) {
      seen.add(up);
      principals.push({ approverId: up, source: "ROUTED_UP", onBehalfOfId: null, delegationId: null });
    }
  }
  for (const tier of input.topOfTree ?? []) {
    if (principals.length) break;
    for (const id of tier.ids) {
      if (input.excluded.has(id) || seen.has(id)) continue;
      seen.add(id);
      principals.push({ approverId: id, source: tier.source, onBehalfOfId: null, delegationId: null });
    }
  }
  const out = [...principals];
  for (const principal of principals) {
    for (const d of input.delegations) {
      if (d.delegatorId !== principal.approverId || input.excluded.has(d.delegateId) || seen.has(d.delegateId)) continue;
      seen.add(d.delegateId);
      out.push({ approverId: d.delegateId, source: "DELEGATED", onBehalfOfId: principal.approverId, delegationId: d.delegationId });
    }
  }
  return out;
}

/** Sources of a stage's own approvers (not delegates or escalations acting for them). */
export const PRINCIPAL_SOURCES: readonly ApproverSource[] = ["RESOLVED", "ROUTED_UP", "ROOT_APPROVER", "TOP_OF_TREE"];

export type StageApproverFacts = { approverId: string; onBehalfOfId: string | null; source: ApproverSource };
export type DecisionFacts = { approverId: string; onBehalfOfId: string | null; outcome: DecisionOutcome };

/** The people a stage's rule counts: its own approvers, not the delegates and escalations acting for them. */
export function principalsOf(approvers: readonly StageApproverFacts[]): string[] {
  return [...new Set(approvers.filter((a) => PRINCIPAL_SOURCES.includes(a.source)).map((a) => a.approverId))];
}

/**
 * How many approvals the stage needs: ANY one; ALL every principal; N of M the configured N, but never
 * more than the principals left after the requester and subject were removed (so a two-of-two stage
 * where one is the requester needs the other one).
 */
export function requiredApprovals(rule: StageRule, requiredCount: number, principalCount: number): number {
  if (rule === "ANY") return 1;
  if (rule === "ALL") return Math.max(1, principalCount);
  return Math.max(1, Math.min(requiredCount, principalCount));
}

/**
 * The stage's state after its decisions: any rejection rejects it; otherwise it is approved when the
 * rule is met. A delegate's (or escalation's) approval counts for the person they act for.
 */
export function stageOutcome(
  stage: { rule: StageRule; requiredCount: number },
  approvers: readonly StageApproverFacts[],
  decisions: readonly DecisionFacts[],
): "APPROVED" | "REJECTED" | "PENDING" {
  if (decisions.some((d) => d.outcome === "REJECT")) return "REJECTED";
  const credited = new Set(decisions.filter((d) => d.outcome === "APPROVE").map((d) => d.onBehalfOfId ?? d.approverId));
  if (!credited.size) return "PENDING";
  const principals = principalsOf(approvers);
  if (stage.rule === "ALL") return principals.length > 0 && principals.every((p) => credited.has(p)) ? "APPROVED" : "PENDING";
  return credited.size >= requiredApprovals(stage.rule, stage.requiredCount, principals.length) ? "APPROVED" : "PENDING";
}

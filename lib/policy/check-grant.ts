import type { Tx } from "@/lib/db";
import { DomainError } from "@/lib/errors";
import type { Sensitivity } from "@/lib/generated/prisma/enums";
import { isSensitive, type PolicyViolation } from "./engine";
import { evaluateRoleGrant, loadPolicyContext, loadRole, type PolicyContext } from "./context";
import { durationProblem, type DurationFacts, type DurationProblem } from "./duration";
import { getRequestSettings, type RequestSettings } from "./request-settings";

// The one entry point of the access policy ("who may hold what, and for how long"): every path that
// gives or is about to give a role (an administrator's grant, a grant file, a request's pre-check and
// submission, its final approval) asks checkGrant, or judgeGrant on facts it loaded set-based.

export type RequestRole = NonNullable<Awaited<ReturnType<typeof loadRole>>>;
export type GrantKind = "GRANT" | "ELEVATION";

/** Sensitive = the role currently carries a permission of a level the classification setting calls sensitive. */
export function classifyRole(role: RequestRole, sensitiveLevels: readonly Sensitivity[]) {
  return {
    isSensitive: role.matrix.some((m) => isSensitive(m.permission, sensitiveLevels)),
    isAdministrative: role.isAdministrative,
  };
}

export type GrantVerdict = {
  // The person's slave account in the role's system (null: one would be created).
  existing: PolicyContext["personSlaveAccounts"][number] | null;
  // Every rule the grant would break (an approved elevation waives only R10).
  violations: PolicyViolation[];
  // The first duration rule the requested end breaks, or null.
  duration: DurationProblem | null;
  durationFacts: DurationFacts;
  isSensitive: boolean;
  isAdministrative: boolean;
};

/**
 * The policy on facts already loaded (pure): the engine on the person's context and the duration rules
 * on the requested end. Batch paths load contexts set-based and call this per item.
 */
export function judgeGrant(
  context: PolicyContext,
  role: RequestRole,
  grant: {
    kind: GrantKind;
    endsAt: Date | null;
    employmentType: "EMPLOYEE" | "THIRD_PARTY";
    contractEndsOn: Date | null;
  },
  settings: RequestSettings,
  now: Date,
): GrantVerdict {
  const { existing, violations } = evaluateRoleGrant(context, role, { elevation: grant.kind === "ELEVATION" });
  const durationFacts: DurationFacts = {
    kind: grant.kind,
    employmentType: grant.employmentType,
    contractEndsOn: grant.contractEndsOn,
    ...classifyRole(role, context.sensitiveLevels),
    settings,
    now,
  };
  return {
    existing,
    violations,
    duration: durationProblem(durationFacts, grant.endsAt),
    durationFacts,
    isSensitive: durationFacts.isSensitive,
    isAdministrative: durationFacts.isAdministrative,
  };
}

/**
 * The policy exactly as a grant would meet it now: the person's live holdings, the SoD pairs, the
 * classification and request settings, loaded in the caller's transaction. A missing person is
 * NOT_FOUND (field personId). Returns the verdict with the context it was judged on.
 */
export async function checkGrant(
  tx: Tx,
  grant: { person: string; role: RequestRole; endsAt: Date | null; kind: GrantKind },
  now: Date,
): Promise<GrantVerdict & { context: PolicyContext; settings: RequestSettings }> {
  const subject = await tx.person.findUnique({ where: { id: grant.person }, select: { employmentType: true, contractEndsOn: true } });
  if (!subject) throw new DomainError("NOT_FOUND", { field: "personId" });
  const context = await loadPolicyContext(tx, grant.person, now);
  const settings = await getRequestSettings(tx);
  const verdict = judgeGrant(context, grant.role, { kind: grant.kind, endsAt: grant.endsAt, ...subject }, settings, now);
  return { ...verdict, context, settings };
}

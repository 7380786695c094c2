import type { Tx } from "@/lib/db";
import { isSensitive } from "@/lib/authz/policy";
import type { Sensitivity } from "@/lib/generated/prisma/enums";
import { evaluateRoleGrant, loadPolicyContext, loadRole } from "@/lib/grants/policy-context";

export type RequestRole = NonNullable<Awaited<ReturnType<typeof loadRole>>>;

/** Sensitive = the role currently carries a permission of a level the classification setting calls sensitive. */
export function classifyRole(role: RequestRole, sensitiveLevels: readonly Sensitivity[]) {
  return {
    isSensitive: role.matrix.some((m) => isSensitive(m.permission, sensitiveLevels)),
    isAdministrative: role.isAdministrative,
  };
}

/**
 * The policy engine exactly as a grant would meet it (lib/grants/create-grant.ts), for a request before
 * submission and for a renewal at its final approval. An approved elevation waives only R10.
 */
export async function requestPolicyCheck(tx: Tx, subjectId: string, role: RequestRole, opts: { elevation: boolean }, now: Date) {
  const context = await loadPolicyContext(tx, subjectId, now);
  const { violations } = evaluateRoleGrant(context, role, { elevation: opts.elevation });
  return { context, violations, ...classifyRole(role, context.sensitiveLevels) };
}

import type { z } from "zod";
import type { Tx } from "@/lib/db";
import type { Actor, PersonActor } from "@/lib/authz/actor";
import { can } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import type { PolicyViolation } from "@/lib/policy/engine";
import { loadRole } from "@/lib/policy/context";
import type { RequestSettings } from "@/lib/policy/request-settings";
import { latestEnd, permanentRefusal, type DurationFacts } from "@/lib/policy/duration";
import { checkGrant, type RequestRole } from "@/lib/policy/check-grant";
import { chainFor, parseChainDefinition, type StageSpec } from "./chain";
import type { SubmitRequestInput } from "./schemas";
import { formatRequestNumber } from "./workflow";

export type ParsedSubmit = z.output<typeof SubmitRequestInput>;

/**
 * May this person request access for the subject on this system? Oneself always; approvers for people
 * in their subtree; department heads for people in the units they head (and below); a third party's
 * sponsor for them; account administrators for anyone, on their own systems.
 */
export async function mayRequestFor(
  tx: Tx,
  actor: PersonActor,
  subject: { id: string; orgUnitPath: string; sponsorId: string | null },
  systemId: string,
): Promise<boolean> {
  if (actor.personId === subject.id) return true;
  // A third party's sponsor vouches for their work (R10) and asks for it.
  if (subject.sponsorId === actor.personId) return true;
  if (can(actor, "requests:submit-for-system", { systemId })) return true;
  if (can(actor, "requests:submit-for-people", { orgUnitPath: subject.orgUnitPath })) return true;
  const headed = await tx.orgUnit.findMany({ where: { headId: actor.personId, isActive: true }, select: { path: true } });
  return headed.some((u) => subject.orgUnitPath.startsWith(u.path));
}

export type Assessment = {
  role: RequestRole;
  subject: { id: string; name: string; employmentType: "EMPLOYEE" | "THIRD_PARTY"; contractEndsOn: Date | null; status: string };
  isSensitive: boolean;
  isAdministrative: boolean;
  durationFacts: DurationFacts;
  // The latest end the rules allow, and whether "permanent" is allowed.
  latestEnd: Date;
  permanentAllowed: boolean;
  // Every reason the request would be refused, in the order submission reports them.
  problems: DomainError[];
  violations: PolicyViolation[];
  stages: StageSpec[];
  renewsGrant: { id: string; endsAt: Date | null } | null;
  settings: RequestSettings;
};

/**
 * Everything submission checks, without writing: the request form's pre-check shows it, submitRequest
 * refuses with the first problem. Not finding the role or the subject, or not being allowed to request
 * for the subject, throws at once (nothing to assess).
 */
export async function assessRequest(tx: Tx, actor: Actor, input: ParsedSubmit, now: Date): Promise<Assessment> {
  if (actor.kind !== "person") throw new DomainError("FORBIDDEN", { params: { permission: "self:request" } });
  const role = await loadRole(tx, input.roleId);
  const requestable = role ? await tx.jobRole.findUnique({ where: { id: role.id }, select: { isRequestable: true } }) : null;
  if (!role || !role.system.isActive) throw new DomainError("NOT_FOUND", { field: "roleId" });
  if (!role.isActive || !requestable?.isRequestable)
    throw new DomainError("REQUEST_NOT_REQUESTABLE", { field: "roleId", params: { role: role.name } });

  const subject = await tx.person.findUnique({
    where: { id: input.subjectId },
    select: {
      id: true,
      name: true,
      employmentType: true,
      contractEndsOn: true,
      status: true,
      sponsorId: true,
      orgUnit: { select: { path: true } },
    },
  });
  if (!subject) throw new DomainError("NOT_FOUND", { field: "subjectId" });
  if (
    !(await mayRequestFor(tx, actor, { id: subject.id, orgUnitPath: subject.orgUnit.path, sponsorId: subject.sponsorId }, role.systemId))
  ) {
    throw new DomainError("FORBIDDEN", { field: "subjectId", params: { permission: "requests:submit-for-people" } });
  }

  const problems: DomainError[] = [];
  const { context, violations, isSensitive, isAdministrative, duration, durationFacts, settings } = await checkGrant(
    tx,
    { person: subject.id, role, endsAt: input.endsAt, kind: input.kind },
    now,
  );

  // Renewal: the subject's live grant of this very role, time-bound, extended to a later end.
  let renewsGrant: Assessment["renewsGrant"] = null;
  const held = context.holdings.find((h) => h.role.id === role.id);
  if (input.renewsGrantId) {
    const grant = await tx.accessGrant.findUnique({
      where: { id: input.renewsGrantId },
      select: { id: true, roleId: true, endsAt: true, revokedAt: true, slaveAccount: { select: { personId: true } } },
    });
    const live = grant && !grant.revokedAt && (!grant.endsAt || grant.endsAt > now);
    if (!grant || !live || grant.roleId !== role.id || grant.slaveAccount.personId !== subject.id || input.kind !== "GRANT") {
      problems.push(new DomainError("REQUEST_RENEWAL_INVALID", { field: "renewsGrantId" }));
    } else {
      renewsGrant = { id: grant.id, endsAt: grant.endsAt };
      if (!grant.endsAt || (input.endsAt !== null && input.endsAt <= grant.endsAt)) {
        problems.push(new DomainError("REQUEST_RENEWAL_INVALID", { field: "endsAt" }));
      }
    }
  } else if (held) {
    problems.push(new DomainError("REQUEST_ALREADY_HELD", { field: "roleId", params: { role: role.name } }));
  }

  const pending = await tx.accessRequest.findFirst({
    where: { subjectId: subject.id, roleId: role.id, status: "PENDING" },
    select: { number: true },
  });
  if (pending)
    problems.push(new DomainError("REQUEST_DUPLICATE", { field: "roleId", params: { number: formatRequestNumber(pending.number) } }));

  if (duration) problems.push(new DomainError(duration.code, { field: duration.field, params: duration.params }));
  // When the subject already holds the role (a renewal), the policy engine's verdict on that holding is
  // the continuous check's business; the candidate is judged against everything else they hold.
  if (violations.length) problems.push(new DomainError("POLICY_VIOLATION", { details: violations, params: { count: violations.length } }));

  const chainRow = await tx.approvalChain.findUnique({ where: { systemId: role.systemId }, select: { definition: true } });
  const stages = chainFor({ kind: input.kind, isSensitive, isAdministrative }, parseChainDefinition(chainRow?.definition));

  return {
    role,
    subject: {
      id: subject.id,
      name: subject.name,
      employmentType: subject.employmentType,
      contractEndsOn: subject.contractEndsOn,
      status: subject.status,
    },
    isSensitive,
    isAdministrative,
    durationFacts,
    latestEnd: latestEnd(durationFacts),
    permanentAllowed: permanentRefusal(durationFacts) === null,
    problems,
    violations,
    stages,
    renewsGrant,
    settings,
  };
}

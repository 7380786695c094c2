import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { DomainError } from "@/lib/errors";
import { isUniqueViolation } from "@/lib/db-errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { enqueueProvisioning } from "@/lib/provisioning/enqueue";
import { evaluateRoleGrant, loadPolicyContext, loadRole } from "@/lib/policy/context";

export type CreateGrantInput = {
  personId: string;
  roleId: string;
  // The login in the business system; only used when the person has no account there yet.
  loginName?: string;
  endsAt?: Date | null;
  reason: string;
  basis?: string;
};

export type CreateGrantOptions = {
  // The access request whose final approval authorizes this grant (stored in access_grant.request_id).
  requestId?: string;
  // An approved R10 temporary elevation of a third party: the R10 rules are waived for this grant only.
  elevation?: boolean;
  // The role, when the caller already loaded it (saves a query).
  role?: NonNullable<Awaited<ReturnType<typeof loadRole>>>;
};

/**
 * Grants a job role to a person once the caller has authorized it (an account administrator's
 * "grants:manage", or an access request's final approval). Everything after authorization: a lock on
 * the person, the policy engine on fresh data (every violation refuses it, nothing written), the
 * slave account if the person has none in that system, the grant, the audit rows, and for connected
 * systems the provisioning outbox rows — all in the caller's transaction.
 */
export async function createGrantUnderPolicy(
  tx: Tx,
  actor: Actor,
  input: CreateGrantInput,
  opts: CreateGrantOptions = {},
  now = new Date(),
) {
  const role = opts.role ?? (await loadRole(tx, input.roleId));
  if (!role || !role.isActive || !role.system.isActive) throw new DomainError("NOT_FOUND", { field: "roleId" });
  if (input.endsAt && input.endsAt <= now) throw new DomainError("VALIDATION", { field: "endsAt" });

  const locked = await tx.$queryRaw<
    { id: string; employee_no: string }[]
  >`SELECT id, employee_no FROM person WHERE id = ${input.personId}::uuid FOR UPDATE`;
  const person = locked[0];
  if (!person) throw new DomainError("NOT_FOUND", { field: "personId" });

  const context = await loadPolicyContext(tx, input.personId, now);
  const { existing, violations } = evaluateRoleGrant(context, role, { elevation: opts.elevation });
  if (violations.length) throw new DomainError("POLICY_VIOLATION", { details: violations, params: { count: violations.length } });
  if (context.holdings.some((h) => h.role.id === role.id)) throw new DomainError("ALREADY_EXISTS", { field: "roleId" });
  if (existing) {
    // A locked, disabled (or concurrently disabled) account takes no grants. FOR SHARE: an
    // administrator disabling it at this moment (FOR UPDATE) finishes first and this grant is refused,
    // or waits for this grant and then revokes it with the others.
    const [account] = await tx.$queryRaw<
      { status: string; login_name: string }[]
    >`SELECT status::text, login_name FROM slave_account WHERE id = ${existing.id}::uuid FOR SHARE`;
    if (account && account.status !== "ACTIVE")
      throw new DomainError("SLAVE_ACCOUNT_INACTIVE", {
        field: "roleId",
        params: { status: account.status, loginName: account.login_name },
      });
  }

  const actorId = actor.kind === "person" ? actor.personId : null;
  let slaveAccountId = existing?.id;
  let createdAccount: { id: string; loginName: string } | null = null;
  if (!slaveAccountId) {
    const loginName = input.loginName ?? person.employee_no.toLowerCase();
    const account = await tx.slaveAccount
      .create({
        data: { systemId: role.systemId, personId: input.personId, loginName, basis: input.basis ?? input.reason, createdById: actorId },
      })
      .catch((error: unknown) => {
        if (isUniqueViolation(error)) throw new DomainError("ALREADY_EXISTS", { field: "loginName" });
        throw error;
      });
    slaveAccountId = account.id;
    createdAccount = { id: account.id, loginName };
    await recordAuditEvent(tx, actor, {
      action: "slave-account.created",
      target: { type: "slave-account", id: account.id },
      summary: { after: { systemId: role.systemId, personId: input.personId, loginName } },
      reason: input.reason,
      basis: input.basis,
    });
  }
  const grant = await tx.accessGrant
    .create({
      data: {
        slaveAccountId,
        roleId: role.id,
        startsAt: now,
        endsAt: input.endsAt ?? null,
        reason: input.reason,
        basis: input.basis,
        grantedById: actorId,
        requestId: opts.requestId ?? null,
      },
    })
    .catch((error: unknown) => {
      if (isUniqueViolation(error)) throw new DomainError("ALREADY_EXISTS", { field: "roleId" });
      throw error;
    });
  await recordAuditEvent(tx, actor, {
    action: "grant.created",
    target: { type: "grant", id: grant.id },
    summary: {
      after: {
        personId: input.personId,
        systemId: role.systemId,
        roleId: role.id,
        slaveAccountId,
        endsAt: input.endsAt?.toISOString() ?? null,
        ...(opts.requestId ? { requestId: opts.requestId } : {}),
        ...(opts.elevation ? { elevation: true } : {}),
      },
    },
    reason: input.reason,
    basis: input.basis,
  });

  // Orders for a connected system (enqueueProvisioning drops them for systems that are not connected).
  const requestId = opts.requestId ?? null;
  await enqueueProvisioning(tx, [
    ...(createdAccount
      ? [
          {
            systemId: role.systemId,
            operation: "slave-account.created",
            payload: {
              slaveAccountId: createdAccount.id,
              personId: input.personId,
              employeeNo: person.employee_no,
              loginName: createdAccount.loginName,
            },
            slaveAccountId: createdAccount.id,
            requestId,
            nextAttemptAt: now,
          },
        ]
      : []),
    {
      systemId: role.systemId,
      operation: "grant.created",
      payload: {
        grantId: grant.id,
        slaveAccountId,
        personId: input.personId,
        employeeNo: person.employee_no,
        roleId: role.id,
        startsAt: now.toISOString(),
        endsAt: input.endsAt?.toISOString() ?? null,
        ...(opts.elevation ? { elevation: true } : {}),
      },
      grantId: grant.id,
      slaveAccountId,
      requestId,
      nextAttemptAt: now,
    },
  ]);
  return grant;
}

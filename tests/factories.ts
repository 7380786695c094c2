/**
 * Test data for the integration tests (real PostgreSQL). Everything is created through the use cases
 * with a system actor, so the rows (and their audit events) look like production data. Codes and
 * employee numbers carry a random suffix: tests never collide, whatever ran before in the database.
 */
import { randomBytes } from "node:crypto";
import { decryptPii, type PersonPii, type PersonPiiColumns } from "@/lib/people/pii";
import { addDays, dayIn } from "@/lib/time/calendar";
import { expect } from "vitest";
import { ZodError } from "zod";
import { DomainError, type ErrorCode } from "@/lib/errors";
import { getDb, inTransaction } from "@/lib/db";
import { systemActor, type Actor, type PersonActor, type RequestContext, type RoleGrant } from "@/lib/authz/actor";
import type { DataKind, PermissionOperation, PortalRole, Sensitivity } from "@/lib/generated/prisma/enums";
import type { AuditEvent } from "@/lib/generated/prisma/client";
import { createOrgUnit } from "@/lib/org/create-org-unit";
import { createPerson } from "@/lib/people/create-person";
import { createBusinessSystem } from "@/lib/systems/create-business-system";
import { createPermission } from "@/lib/systems/permissions";
import { createJobRole } from "@/lib/systems/job-roles";
import { changeRoleMatrix } from "@/lib/systems/change-role-matrix";
import { grantPortalRole } from "@/lib/portal-roles/grant-portal-role";
import { createVendor } from "@/lib/vendors/create-vendor";
import { encryptSecret } from "@/lib/crypto";
import { newTotpSecret } from "@/lib/auth/totp";
import { startSignIn } from "@/lib/auth/start-sign-in";
import { issueSession } from "@/lib/auth/issue-session";

/** The actor the factories use (like the seed and background jobs). */
export const FACTORY = systemActor("test-factory");

/** A password that satisfies both password profiles and contains no identity. */
export const DEFAULT_PASSWORD = "Quartz-Lantern-71-Orbit";

/** A short random suffix (lower-case hex). */
export function uniq(bytes = 5): string {
  return randomBytes(bytes).toString("hex");
}

/** A request context with its own client address, so the per-IP throttle of one test never touches another. */
export function testCtx(overrides: Partial<RequestContext> = {}): RequestContext {
  const b = randomBytes(6).toString("hex");
  return {
    requestId: `test-${uniq(4)}`,
    ip: `2001:db8:${b.slice(0, 4)}:${b.slice(4, 8)}:${b.slice(8, 12)}::1`,
    userAgent: "vitest",
    ...overrides,
  };
}

export type Scope = { systemId?: string; orgUnitId?: string };
export type RoleSpec = PortalRole | ({ role: PortalRole } & Scope);

export async function makeOrgUnit(opts: { parentId?: string; name?: string } = {}) {
  const suffix = uniq();
  return inTransaction((tx) =>
    createOrgUnit(tx, FACTORY, { code: `T-OU-${suffix}`, name: opts.name ?? `Test unit ${suffix}`, parentId: opts.parentId }),
  );
}

export async function makeSystem(opts: { ownerOrgId?: string; kind?: SystemKind } = {}) {
  const ownerOrgId = opts.ownerOrgId ?? (await makeOrgUnit()).id;
  const suffix = uniq().toUpperCase();
  return inTransaction((tx) =>
    createBusinessSystem(tx, FACTORY, {
      code: `T-SYS-${suffix}`,
      name: `Test system ${suffix}`,
      environment: "TEST",
      kind: opts.kind ?? "BACK_END",
      ownerOrgId,
    }),
  );
}

export type SystemKind = "FRONT_END" | "BACK_END" | "PLATFORM";

/** One permission of a job role's matrix; unset fields: a low, non-personal query. */
export type PermissionSpec = {
  dataKind?: DataKind;
  sensitivity?: Sensitivity;
  operation?: PermissionOperation;
  isLogManagement?: boolean;
  isAccountCreation?: boolean;
};

/** A job role: its permissions (default one low query; `[]` for an empty matrix) and flags. */
export type JobRoleSpec = {
  permissions?: PermissionSpec[];
  // Default `role <suffix>`; a test that asserts a label names its role.
  name?: string;
  administrative?: boolean;
  requestable?: boolean;
  description?: string;
};

/**
 * A job role on the system with its permissions in the matrix, made by `actor` (an account
 * administrator of the system, or FACTORY) through the catalogue use cases: the one way the tests
 * build a role. Returns the role and its permissions in `spec.permissions` order.
 */
export async function makeJobRole(actor: Actor, systemId: string, spec: JobRoleSpec = {}) {
  const suffix = uniq().toUpperCase();
  const specs = spec.permissions ?? [{}];
  return inTransaction(async (tx) => {
    const permissions = [];
    for (const [i, p] of specs.entries())
      permissions.push(
        await createPermission(tx, actor, {
          systemId,
          code: `P${i}.${suffix}`,
          name: `perm ${i} ${suffix}`,
          dataKind: p.dataKind ?? "NONE",
          sensitivity: p.sensitivity ?? "LOW",
          operation: p.operation ?? "QUERY",
          isLogManagement: p.isLogManagement,
          isAccountCreation: p.isAccountCreation,
          reason: "setup",
        }),
      );
    const role = await createJobRole(tx, actor, {
      systemId,
      code: `R.${suffix}`,
      name: spec.name ?? `role ${suffix}`,
      description: spec.description,
      isAdministrative: spec.administrative,
      isRequestable: spec.requestable,
      reason: "setup",
    });
    if (permissions.length)
      await changeRoleMatrix(tx, actor, {
        systemId,
        add: permissions.map((p) => ({ roleId: role.id, permissionId: p.id })),
        remove: [],
        reason: "setup",
      });
    return { role, permissions };
  });
}

/** A new business system (connected for provisioning if asked) with its account administrator and one job role. */
export async function makeSystemWithRole(opts: { kind?: SystemKind; connected?: boolean; role?: JobRoleSpec } = {}) {
  const system = await makeSystem({ kind: opts.kind ?? "PLATFORM" });
  if (opts.connected) await getDb().businessSystem.update({ where: { id: system.id }, data: { isConnected: true } });
  const admin = await makeActor([{ role: "ACCOUNT_ADMIN", systemId: system.id }]);
  const { role, permissions } = await makeJobRole(admin.actor, system.id, opts.role);
  return { system, admin, role, permissions };
}

/** A calendar day `days` from today in the portal's time zone (lib/time/calendar.ts), as "YYYY-MM-DD". */
export function dayFromToday(days: number): string {
  return addDays(dayIn(new Date()), days);
}

/** A vendor under contract from a year ago to a year from now unless given (unique name). */
export async function makeVendor(opts: { name?: string; contractStartsOn?: string; contractEndsOn?: string } = {}) {
  const suffix = uniq();
  return inTransaction((tx) =>
    createVendor(tx, FACTORY, {
      name: `${opts.name ?? "Test vendor"} ${suffix}`,
      contractStartsOn: opts.contractStartsOn ?? dayFromToday(-365),
      contractEndsOn: opts.contractEndsOn ?? dayFromToday(365),
    }),
  );
}

/** An active employee (no password, no roles) to sponsor a third party; returns the person id. */
export async function makeSponsor(): Promise<string> {
  const orgUnitId = (await makeOrgUnit()).id;
  const employeeNo = `T${uniq()}`;
  const { person } = await inTransaction((tx) =>
    createPerson(tx, FACTORY, { employeeNo, name: `Sponsor ${employeeNo}`, orgUnitId, jobTitle: "Manager", employmentType: "EMPLOYEE" }),
  );
  return person.id;
}

export type MadePerson = Awaited<ReturnType<typeof makePerson>>;

/**
 * A person with a master account and an initial password (DEFAULT_PASSWORD unless given; `null`
 * for none), in a new org unit unless one is given, with the portal roles asked for (scoped roles
 * get a new system / their own org unit when no scope is given). A third party gets a new vendor
 * (named after `vendorName`), a new employee as sponsor and the vendor's contract end unless given.
 */
export async function makePerson(
  opts: {
    orgUnitId?: string;
    password?: string | null;
    mustChangePassword?: boolean;
    employmentType?: "EMPLOYEE" | "THIRD_PARTY";
    vendorName?: string;
    vendorId?: string;
    sponsorId?: string;
    contractEndsOn?: string;
    name?: string;
    phone?: string;
    email?: string;
    idNumber?: string;
    roles?: RoleSpec[];
  } = {},
) {
  const orgUnitId = opts.orgUnitId ?? (await makeOrgUnit()).id;
  const suffix = uniq();
  const employeeNo = `T${suffix}`;
  const password = opts.password === undefined ? DEFAULT_PASSWORD : opts.password;
  const isThirdParty = opts.employmentType === "THIRD_PARTY";
  const vendor = isThirdParty
    ? opts.vendorId
      ? await getDb().vendor.findUniqueOrThrow({ where: { id: opts.vendorId } })
      : await makeVendor({ name: opts.vendorName ?? "Acme Outsourcing" })
    : null;
  const sponsorId = isThirdParty ? (opts.sponsorId ?? (await makeSponsor())) : undefined;
  const { person, account } = await inTransaction((tx) =>
    createPerson(
      tx,
      FACTORY,
      {
        employeeNo,
        name: opts.name ?? `Tester ${suffix}`,
        orgUnitId,
        jobTitle: "Engineer",
        employmentType: opts.employmentType ?? "EMPLOYEE",
        vendorId: vendor?.id,
        sponsorId,
        contractEndsOn: vendor ? (opts.contractEndsOn ?? vendor.contractEndsOn) : undefined,
        phone: opts.phone,
        email: opts.email ?? `${employeeNo.toLowerCase()}@test.example`,
        idNumber: opts.idNumber,
      },
      { initialPassword: password ?? undefined, mustChangePassword: opts.mustChangePassword },
    ),
  );
  for (const spec of opts.roles ?? []) await grantRole(person.id, spec, orgUnitId);
  return { person, account, password, employeeNo: person.employeeNo, orgUnitId };
}

/** Grants a portal role through grantPortalRole; ACCOUNT_ADMIN / APPROVER get a scope if none given. */
export async function grantRole(personId: string, spec: RoleSpec, defaultOrgUnitId?: string) {
  const s = typeof spec === "string" ? { role: spec } : spec;
  let systemId = s.systemId;
  let orgUnitId = s.orgUnitId;
  if (s.role === "ACCOUNT_ADMIN" && !systemId) systemId = (await makeSystem()).id;
  if (s.role === "APPROVER" && !orgUnitId) orgUnitId = defaultOrgUnitId ?? (await makeOrgUnit()).id;
  return inTransaction((tx) => grantPortalRole(tx, FACTORY, { personId, role: s.role, systemId, orgUnitId, reason: "Test setup" }));
}

/** The PersonActor for a person, with the roles held in the database (as lib/auth/sessions.ts builds it). */
export async function actorFor(personId: string, opts: { sessionId?: string | null; ctx?: RequestContext } = {}): Promise<PersonActor> {
  const person = await getDb().person.findUniqueOrThrow({
    where: { id: personId },
    select: {
      id: true,
      name: true,
      employeeNo: true,
      orgUnitId: true,
      account: { select: { id: true } },
      roleAssignments: { select: { role: true, systemId: true, orgUnitId: true, orgUnit: { select: { path: true } } } },
    },
  });
  if (!person.account) throw new Error(`person ${personId} has no master account`);
  const roles: RoleGrant[] = person.roleAssignments.map((r) => ({
    role: r.role,
    systemId: r.systemId,
    orgUnitId: r.orgUnitId,
    orgUnitPath: r.orgUnit?.path ?? null,
  }));
  return {
    kind: "person",
    personId: person.id,
    accountId: person.account.id,
    name: person.name,
    employeeNo: person.employeeNo,
    orgUnitId: person.orgUnitId,
    sessionId: opts.sessionId ?? null,
    roles,
    ctx: opts.ctx ?? testCtx(),
  };
}

/** A new person holding `roles`, and their actor. */
export async function makeActor(roles: RoleSpec[] = [], opts: Parameters<typeof makePerson>[0] = {}) {
  const made = await makePerson({ ...opts, roles });
  const actor = await actorFor(made.person.id);
  return { ...made, actor };
}

/** Gives an account a TOTP secret (as an enrolled authenticator would); returns the base32 secret. */
export async function enrolTotp(accountId: string, secret = newTotpSecret()): Promise<string> {
  await getDb().masterAccount.update({
    where: { id: accountId },
    data: { totpSecretEnc: encryptSecret(secret), totpEnrolledAt: new Date() },
  });
  return secret;
}

/**
 * A password-only sign-in (staff without a second factor) through startSignIn + issueSession;
 * returns the portal session id.
 */
export async function signInStaff(employeeNo: string, password = DEFAULT_PASSWORD, ctx = testCtx(), now = new Date()): Promise<string> {
  const started = await inTransaction((tx) => startSignIn(tx, ctx, { login: employeeNo, password }, now));
  if (!started.ok || started.next !== "complete") throw new Error(`sign-in did not complete: ${JSON.stringify(started)}`);
  const sessionId = await inTransaction((tx) => issueSession(tx, ctx, started.token, now));
  if (!sessionId) throw new Error("no session issued");
  return sessionId;
}

export type AuditFilter = {
  action?: string;
  targetType?: string;
  targetId?: string;
  actorId?: string | null;
  actorName?: string;
  /** Only rows with an id greater than this (see auditMark). */
  after?: bigint;
};

function auditWhere(f: AuditFilter) {
  return {
    ...(f.action !== undefined ? { action: f.action } : {}),
    ...(f.targetType !== undefined ? { targetType: f.targetType } : {}),
    ...(f.targetId !== undefined ? { targetId: f.targetId } : {}),
    ...(f.actorId !== undefined ? { actorId: f.actorId } : {}),
    ...(f.actorName !== undefined ? { actorName: f.actorName } : {}),
    ...(f.after !== undefined ? { id: { gt: f.after } } : {}),
  };
}

/** The newest audit rows matching the filter, newest first. */
export async function lastAudit(filter: AuditFilter = {}, take = 1): Promise<AuditEvent[]> {
  return getDb().auditEvent.findMany({ where: auditWhere(filter), orderBy: { id: "desc" }, take });
}

/** The newest matching audit row; fails the test when there is none. */
export async function lastAuditRow(filter: AuditFilter = {}): Promise<AuditEvent> {
  const [row] = await lastAudit(filter, 1);
  if (!row) throw new Error(`no audit row matches ${JSON.stringify(filter, (_k, v) => (typeof v === "bigint" ? v.toString() : v))}`);
  return row;
}

export async function countAudit(filter: AuditFilter = {}): Promise<number> {
  return getDb().auditEvent.count({ where: auditWhere(filter) });
}

/** The id of the newest audit row (0 when empty): take it before an operation, then check what came after. */
export async function auditMark(): Promise<bigint> {
  const row = await getDb().auditEvent.findFirst({ orderBy: { id: "desc" }, select: { id: true } });
  return row?.id ?? 0n;
}

/** The audit rows written after a mark, oldest first. */
export type AuditItemRow = { kind: string; subjectId: string; personId: string | null; detail: unknown };

/** The audit rows after `mark`, oldest first, each with its items (bulk events, issue 14 §3) in position order. */
export async function auditSince(mark: bigint): Promise<(AuditEvent & { items: AuditItemRow[] })[]> {
  return getDb().auditEvent.findMany({
    where: { id: { gt: mark } },
    orderBy: { id: "asc" },
    include: { items: { orderBy: { position: "asc" }, select: { kind: true, subjectId: true, personId: true, detail: true } } },
  });
}

/** The subject ids of a bulk event's items of one kind. */
export function itemIds(row: { items: AuditItemRow[] }, kind: string): string[] {
  return row.items.filter((i) => i.kind === kind).map((i) => i.subjectId);
}

/** How an audit row names a person actor. */
export function actorName(actor: PersonActor): string {
  return `${actor.name} (${actor.employeeNo})`;
}

/** The promise's rejection (fails when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the operation to fail, but it succeeded");
}

/** Awaits a rejection and checks it is the DomainError with this code; returns it. */
export async function expectDomainError(promise: Promise<unknown>, code: ErrorCode): Promise<DomainError> {
  const error = await rejectionOf(promise);
  expect(error, String(error)).toBeInstanceOf(DomainError);
  expect((error as DomainError).code).toBe(code);
  return error as DomainError;
}

/** Awaits a rejection and checks it is a ZodError; returns its issues. */
export async function expectZodError(promise: Promise<unknown>): Promise<ZodError["issues"]> {
  const error = await rejectionOf(promise);
  expect(error, String(error)).toBeInstanceOf(ZodError);
  return (error as ZodError).issues;
}

/** An audit row as text (bigint-safe), to check that a secret or a value never appears in it. */
export function auditText(row: unknown): string {
  return JSON.stringify(row, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
}

/**
 * Makes the given people the only active system administrators: every other holder is marked as
 * having left (a raw update, test setup only). The rule counts all active holders in the database.
 */
export async function onlySystemAdmins(personIds: string[]): Promise<void> {
  await getDb().person.updateMany({
    where: { status: "ACTIVE", id: { notIn: personIds }, roleAssignments: { some: { role: "SYSTEM_ADMIN" } } },
    data: { status: "LEFT" },
  });
}

/** Marks a person online now for vault mode (R14): a portal session just used. Returns the session id. */
export async function goOnline(accountId: string, seenAt = new Date()): Promise<string> {
  const session = await getDb().portalSession.create({ data: { accountId, lastSeenAt: seenAt }, select: { id: true } });
  return session.id;
}

/**
 * A vault approval (R14) for `operator` to do `operation` on a target, approved by a new security
 * officer who is online: what a guarded use case (reveal PII, administrative grant) then consumes.
 */
export async function approvedVaultRequest(
  operator: PersonActor,
  scenarioCode: string,
  attempt: { operation: string; targetType: string; targetId: string },
): Promise<string> {
  const { createVaultRequest } = await import("@/lib/vault/create-vault-request");
  const { decideVaultRequest } = await import("@/lib/vault/decide-vault-request");
  const officer = await makeActor(["SECURITY_OFFICER"]);
  await goOnline(officer.account.id);
  const request = await inTransaction((tx) =>
    createVaultRequest(tx, operator, { scenarioCode, approverId: officer.person.id, ...attempt, reason: "Test: needs it now" }),
  );
  await inTransaction((tx) => decideVaultRequest(tx, officer.actor, { vaultRequestId: request.id, outcome: "APPROVE" }));
  return request.id;
}

/** A person row with its personal data decrypted (phone, email, idNumber), as the portal reads it. */
export function withPii<T extends PersonPiiColumns>(row: T): T & PersonPii {
  return { ...row, ...decryptPii(row) };
}

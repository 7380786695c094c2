import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { DomainError } from "@/lib/errors";
import type { Holding, SlaveAccountFacts } from "@/lib/policy/types";
import { recordBulkAuditEvent } from "@/lib/audit/record-audit-event";
import { orderedUuidv7s } from "@/lib/sql";
import { enqueueProvisioning, type ProvisioningRow } from "@/lib/provisioning/enqueue";
import { applicableSodRules, loadPolicyFacts, loadPolicyRules } from "@/lib/policy/policy-facts";
import { judgeGrant } from "@/lib/policy/check-grant";
import { getRequestSettings } from "@/lib/policy/request-settings";
import { ADMIN_GRANT_SCENARIO } from "@/lib/vault/built-in";
import { loadRole, toPolicyRole, toPolicySystem, type PolicyContext } from "@/lib/policy/context";
import type { CreateGrantInput } from "./create-grant";

/** One grant of a batch: what createGrantUnderPolicy takes for one. */
export type BatchGrantItem = CreateGrantInput;

/** Per item, in input order: the grant made, or the DomainError grantRole would have thrown for it. */
export type BatchGrantOutcome = { grantId: string; slaveAccountId: string; createdAccount: boolean } | { error: DomainError };

type LoadedRole = NonNullable<Awaited<ReturnType<typeof loadRole>>>;
type Account = { id: string; systemId: string; status: string; loginName: string };

/**
 * Many role grants of one business system at once, with the verdicts grantRole gives one by one
 * (lib/grants/grant-role.ts then createGrantUnderPolicy), for callers that authorized "grants:manage"
 * on the system and carry no vault approval (an import: R14's administrator roles are refused). Items
 * are judged in order on the data as the items above them leave it (an SoD pair across two items is
 * refused on the second); each accepted item is written set-based: accounts, grants, provisioning
 * outbox rows, and one bulk audit event for the grants (and one for the accounts created) with an item each,
 * written last so the audit chain's lock is held only for the end of the transaction (decision 0015).
 *
 * Locks: the named people FOR UPDATE (in id order) and their accounts in this system FOR SHARE, as
 * createGrantUnderPolicy takes them per grant: a concurrent grant waits; a concurrent disable either
 * finishes first (the item is refused: SLAVE_ACCOUNT_INACTIVE) or waits and then revokes the grant.
 */
export async function createGrantsInBatch(
  tx: Tx,
  actor: Actor,
  systemId: string,
  items: readonly BatchGrantItem[],
  now = new Date(),
): Promise<BatchGrantOutcome[]> {
  if (items.length === 0) return [];
  const roles = new Map<string, LoadedRole | null>();
  // A file names a handful of roles; each loaded once with its system and current matrix.
  for (const id of new Set(items.map((i) => i.roleId))) roles.set(id, await loadRole(tx, id));

  const personIds = [...new Set(items.map((i) => i.personId))].sort();
  const people = await tx.$queryRaw<
    { id: string; employee_no: string; employment_type: "EMPLOYEE" | "THIRD_PARTY"; contract_ends_on: string | null }[]
  >`
    SELECT id::text, employee_no, employment_type::text AS employment_type, contract_ends_on::text AS contract_ends_on
    FROM person WHERE id = ANY(${personIds}::uuid[]) ORDER BY id FOR UPDATE`;
  const personById = new Map(people.map((p) => [p.id, p]));
  const lockedIds = people.map((p) => p.id);

  // Policy facts after the lock: live grants with their roles' matrices, every live account.
  const rules = await loadPolicyRules(tx);
  const facts = new Map((await loadPolicyFacts(tx, lockedIds, now)).map((f) => [f.person.id, f]));
  const accountRows = await tx.$queryRaw<{ id: string; system_id: string; person_id: string }[]>`
    SELECT id::text, system_id::text, person_id::text FROM slave_account WHERE person_id = ANY(${lockedIds}::uuid[]) AND status <> 'DELETED' ORDER BY id`;
  const here = accountRows.filter((a) => a.system_id === systemId).map((a) => a.id);
  const lockedHere = here.length
    ? await tx.$queryRaw<{ id: string; status: string; login_name: string }[]>`
        SELECT id::text, status::text AS status, login_name FROM slave_account WHERE id = ANY(${here}::uuid[]) ORDER BY id FOR SHARE`
    : [];
  const stateOf = new Map(lockedHere.map((a) => [a.id, a]));
  const accountsOf = new Map<string, Account[]>();
  for (const a of accountRows) {
    const state = stateOf.get(a.id);
    // Deleted in the meantime (a disable/delete that committed while this waited): as if absent.
    if (a.system_id === systemId && (!state || state.status === "DELETED")) continue;
    const list = accountsOf.get(a.person_id) ?? [];
    list.push({ id: a.id, systemId: a.system_id, status: state?.status ?? "ACTIVE", loginName: state?.login_name ?? "" });
    accountsOf.set(a.person_id, list);
  }

  // Logins of accounts to create that this system already has (every status: the key covers all).
  const wanted = [
    ...new Set(
      items.flatMap((i) => {
        const p = personById.get(i.personId);
        if (!p || accountsOf.get(i.personId)?.some((a) => a.systemId === systemId)) return [];
        return [i.loginName ?? p.employee_no.toLowerCase()];
      }),
    ),
  ];
  const takenLogins = new Set(
    wanted.length
      ? (
          await tx.$queryRaw<
            { login_name: string }[]
          >`SELECT login_name FROM slave_account WHERE system_id = ${systemId}::uuid AND login_name = ANY(${wanted}::text[])`
        ).map((r) => r.login_name)
      : [],
  );
  const settings = await getRequestSettings(tx);

  // Each person's context as loadPolicyContext gives it, updated as items are accepted.
  const contexts = new Map<string, PolicyContext>();
  const contextOf = (personId: string): PolicyContext | null => {
    const known = contexts.get(personId);
    if (known) return known;
    const f = facts.get(personId);
    if (!f) return null;
    const masterAccountIds = f.person.masterAccountId ? [f.person.masterAccountId] : [];
    const ctx: PolicyContext = {
      person: f.person,
      personSlaveAccounts: (accountsOf.get(personId) ?? []).map((a): SlaveAccountFacts => ({
        id: a.id,
        systemId: a.systemId,
        masterAccountIds,
      })),
      holdings: [...f.holdings],
      sodRules: rules.sodRules,
      sensitiveLevels: rules.sensitiveLevels,
    };
    contexts.set(personId, ctx);
    return ctx;
  };
  // The engine with only the pairs that can apply (both sides among the holdings and this role):
  // the same violations, without testing every configured pair against every holding.
  const judge = (ctx: PolicyContext, role: LoadedRole, grant: Parameters<typeof judgeGrant>[2]) => {
    const candidate: Holding = { grantId: "", role: toPolicyRole(role), system: toPolicySystem(role.system) };
    return judgeGrant({ ...ctx, sodRules: applicableSodRules([...ctx.holdings, candidate], ctx.sodRules) }, role, grant, settings, now);
  };

  const actorId = actor.kind === "person" ? actor.personId : null;
  const nextId = orderedUuidv7s();
  const outcomes: BatchGrantOutcome[] = [];
  type Accepted = {
    index: number;
    item: BatchGrantItem;
    role: LoadedRole;
    employeeNo: string;
    grantId: string;
    slaveAccountId: string;
    newLogin: string | null;
  };
  const accepted: Accepted[] = [];
  const refuse = (code: ConstructorParameters<typeof DomainError>[0], opts?: ConstructorParameters<typeof DomainError>[1]) =>
    outcomes.push({ error: new DomainError(code, opts) });

  for (const [index, item] of items.entries()) {
    const role = roles.get(item.roleId);
    if (!role || !role.isActive || !role.system.isActive || role.systemId !== systemId) {
      refuse("NOT_FOUND", { field: "roleId" });
      continue;
    }
    const person = personById.get(item.personId);
    const ctx = contextOf(item.personId);
    if (!person || !ctx) {
      refuse("NOT_FOUND", { field: "personId" });
      continue;
    }
    const endsAt = item.endsAt ?? null;
    // grantRole: the request duration rules first, a policy refusal reported in preference.
    const { duration, violations, existing } = judge(ctx, role, {
      kind: "GRANT",
      endsAt,
      employmentType: person.employment_type,
      contractEndsOn: person.contract_ends_on ? new Date(`${person.contract_ends_on}T00:00:00.000Z`) : null,
    });
    if (duration) {
      if (violations.length) refuse("POLICY_VIOLATION", { details: violations, params: { count: violations.length } });
      else refuse(duration.code, { field: duration.field, params: duration.params });
      continue;
    }
    // R14: an administrator role given directly needs a live approval this path cannot carry.
    if (role.isAdministrative && actor.kind === "person") {
      refuse("VAULT_APPROVAL_REQUIRED", { params: { scenario: ADMIN_GRANT_SCENARIO } });
      continue;
    }
    if (endsAt && endsAt <= now) {
      refuse("VALIDATION", { field: "endsAt" });
      continue;
    }
    // createGrantUnderPolicy: the engine, a role already held, an account that takes no grants.
    if (violations.length) {
      refuse("POLICY_VIOLATION", { details: violations, params: { count: violations.length } });
      continue;
    }
    if (ctx.holdings.some((h) => h.role.id === role.id)) {
      refuse("ALREADY_EXISTS", { field: "roleId" });
      continue;
    }
    let slaveAccountId: string;
    let newLogin: string | null = null;
    if (existing) {
      const account = (accountsOf.get(item.personId) ?? []).find((a) => a.id === existing.id);
      if (account && account.status !== "ACTIVE") {
        refuse("SLAVE_ACCOUNT_INACTIVE", { field: "roleId", params: { status: account.status, loginName: account.loginName } });
        continue;
      }
      slaveAccountId = existing.id;
    } else {
      const login = item.loginName ?? person.employee_no.toLowerCase();
      if (takenLogins.has(login)) {
        refuse("ALREADY_EXISTS", { field: "loginName" });
        continue;
      }
      takenLogins.add(login);
      newLogin = login;
      slaveAccountId = nextId();
      const account: Account = { id: slaveAccountId, systemId, status: "ACTIVE", loginName: login };
      accountsOf.set(item.personId, [...(accountsOf.get(item.personId) ?? []), account]);
      ctx.personSlaveAccounts = [
        ...ctx.personSlaveAccounts,
        { id: slaveAccountId, systemId, masterAccountIds: ctx.person.masterAccountId ? [ctx.person.masterAccountId] : [] },
      ];
    }
    const grantId = nextId();
    ctx.holdings.push({
      grantId,
      startsAt: now,
      role: toPolicyRole(role),
      system: toPolicySystem(role.system),
      slaveAccount: { id: slaveAccountId, systemId, masterAccountIds: ctx.person.masterAccountId ? [ctx.person.masterAccountId] : [] },
    });
    accepted.push({ index, item, role, employeeNo: person.employee_no, grantId, slaveAccountId, newLogin });
    outcomes.push({ grantId, slaveAccountId, createdAccount: newLogin !== null });
  }
  if (accepted.length === 0) return outcomes;

  // Accounts, set-based. A login or account made by someone else since the check above: that item is
  // refused as createGrantUnderPolicy refuses it (and the items that relied on the account with it).
  const creating = accepted.filter((a) => a.newLogin !== null);
  const failedAccounts = new Set<string>();
  if (creating.length) {
    const inserted = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO slave_account (id, system_id, person_id, login_name, basis, created_by_id, updated_at)
      SELECT a.id, ${systemId}::uuid, a.person_id, a.login_name, a.basis, ${actorId}::uuid, now()
      FROM unnest(${creating.map((a) => a.slaveAccountId)}::uuid[], ${creating.map((a) => a.item.personId)}::uuid[],
                  ${creating.map((a) => a.newLogin!)}::text[], ${creating.map((a) => a.item.basis ?? a.item.reason)}::text[]) AS a(id, person_id, login_name, basis)
      ON CONFLICT DO NOTHING RETURNING id::text`;
    const done = new Set(inserted.map((r) => r.id));
    for (const a of creating) if (!done.has(a.slaveAccountId)) failedAccounts.add(a.slaveAccountId);
  }
  let writing = accepted;
  if (failedAccounts.size) {
    writing = accepted.filter((a) => !failedAccounts.has(a.slaveAccountId));
    for (const a of accepted)
      if (failedAccounts.has(a.slaveAccountId)) outcomes[a.index] = { error: new DomainError("ALREADY_EXISTS", { field: "loginName" }) };
  }
  if (writing.length === 0) return outcomes;

  const grants = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO access_grant (id, slave_account_id, role_id, starts_at, ends_at, reason, basis, granted_by_id)
    SELECT g.id, g.slave_account_id, g.role_id, ${now}, g.ends_at, g.reason, g.basis, ${actorId}::uuid
    FROM unnest(${writing.map((a) => a.grantId)}::uuid[], ${writing.map((a) => a.slaveAccountId)}::uuid[], ${writing.map((a) => a.role.id)}::uuid[],
                ${writing.map((a) => a.item.endsAt?.toISOString() ?? null)}::timestamptz[], ${writing.map((a) => a.item.reason)}::text[],
                ${writing.map((a) => a.item.basis ?? null)}::text[]) AS g(id, slave_account_id, role_id, ends_at, reason, basis)
    ON CONFLICT DO NOTHING RETURNING id::text`;
  if (grants.length !== writing.length) {
    // Granted by someone else since the check above (the live grant key): refused as a role already held.
    const done = new Set(grants.map((g) => g.id));
    for (const a of writing)
      if (!done.has(a.grantId)) outcomes[a.index] = { error: new DomainError("ALREADY_EXISTS", { field: "roleId" }) };
    writing = writing.filter((a) => done.has(a.grantId));
  }

  // Orders for connected systems, as createGrantUnderPolicy writes them (dropped for the others).
  const orders: ProvisioningRow[] = [];
  for (const a of writing) {
    if (a.newLogin !== null) {
      orders.push({
        systemId,
        operation: "slave-account.created",
        payload: { slaveAccountId: a.slaveAccountId, personId: a.item.personId, employeeNo: a.employeeNo, loginName: a.newLogin },
        slaveAccountId: a.slaveAccountId,
        requestId: null,
        nextAttemptAt: now,
      });
    }
    orders.push({
      systemId,
      operation: "grant.created",
      payload: {
        grantId: a.grantId,
        slaveAccountId: a.slaveAccountId,
        personId: a.item.personId,
        employeeNo: a.employeeNo,
        roleId: a.role.id,
        startsAt: now.toISOString(),
        endsAt: a.item.endsAt?.toISOString() ?? null,
      },
      grantId: a.grantId,
      slaveAccountId: a.slaveAccountId,
      requestId: null,
      nextAttemptAt: now,
    });
  }
  await enqueueProvisioning(tx, orders);

  // Audit last (issue 14 §3): one bulk event for the accounts created (slave-account.created) and one
  // for the grants (grant.created), each with an item per account or grant carrying what a per-grant
  // row would have said.
  const created = writing.filter((a) => a.newLogin !== null);
  if (created.length) {
    await recordBulkAuditEvent(
      tx,
      actor,
      { action: "slave-account.created", target: { type: "system", id: systemId }, summary: { systemId, count: created.length } },
      created.map((a) => ({
        kind: "slave-account" as const,
        subjectId: a.slaveAccountId,
        personId: a.item.personId,
        detail: { loginName: a.newLogin },
      })),
    );
  }
  if (writing.length) {
    await recordBulkAuditEvent(
      tx,
      actor,
      { action: "grant.created", target: { type: "system", id: systemId }, summary: { systemId, count: writing.length } },
      writing.map((a) => ({
        kind: "grant" as const,
        subjectId: a.grantId,
        personId: a.item.personId,
        detail: {
          roleId: a.role.id,
          slaveAccountId: a.slaveAccountId,
          endsAt: a.item.endsAt?.toISOString() ?? null,
          reason: a.item.reason,
          basis: a.item.basis ?? null,
          ...(a.newLogin !== null ? { accountCreated: true } : {}),
        },
      })),
    );
  }
  return outcomes;
}

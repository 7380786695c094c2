/**
 * Access-request test data (issue 4): an org tree with heads, a business system with its account
 * administrator, a security officer and a requestable job role — everyone a distinct person, so nobody
 * approves their own request unless a test wants them to.
 */
import { getDb, inTransaction } from "@/lib/db";
import { addDays, dayIn } from "@/lib/time/calendar";
import { setOrgUnitHead } from "@/lib/org/set-org-unit-head";
import { submitRequest } from "@/lib/requests/submit-request";
import { decideRequest } from "@/lib/requests/decide-request";
import type { PersonActor } from "@/lib/authz/actor";
import { FACTORY, makeActor, makeJobRole, makeOrgUnit, makeSystem, uniq } from "./factories";

export type RoleOptions = {
  // A permission of a sensitive level (SENSITIVE) in the role's matrix.
  sensitive?: boolean;
  administrative?: boolean;
  // A permission with the right to create accounts (R10).
  accountCreation?: boolean;
  requestable?: boolean;
};

/** A job role on the system, with one permission (LOW, or SENSITIVE when asked). */
export async function makeRequestableRole(systemId: string, opts: RoleOptions = {}) {
  const { role, permissions } = await makeJobRole(FACTORY, systemId, {
    description: "Test role",
    administrative: opts.administrative,
    requestable: opts.requestable ?? true,
    permissions: [{ sensitivity: opts.sensitive ? "SENSITIVE" : "LOW", operation: "MODIFY", isAccountCreation: opts.accountCreation }],
  });
  return { ...role, permissionId: permissions[0]!.id };
}

export async function setHead(orgUnitId: string, personId: string) {
  await inTransaction((tx) => setOrgUnitHead(tx, FACTORY, { orgUnitId, personId }));
}

/**
 * division (head: boss)
 *   └ department (head: head) — staff works here
 * system owned by the division; owner = its account administrator; officer = a security officer.
 */
export async function makeRequestScenario(opts: RoleOptions & { connected?: boolean } = {}) {
  const division = await makeOrgUnit({ name: `Division ${uniq()}` });
  const department = await makeOrgUnit({ parentId: division.id, name: `Department ${uniq()}` });
  const boss = await makeActor([], { orgUnitId: division.id, name: `Boss ${uniq()}` });
  const head = await makeActor([{ role: "APPROVER", orgUnitId: department.id }], { orgUnitId: department.id, name: `Head ${uniq()}` });
  await setHead(division.id, boss.person.id);
  await setHead(department.id, head.person.id);
  const system = await makeSystem({ ownerOrgId: division.id, kind: "BACK_END" });
  if (opts.connected) await getDb().businessSystem.update({ where: { id: system.id }, data: { isConnected: true } });
  const owner = await makeActor([{ role: "ACCOUNT_ADMIN", systemId: system.id }], { orgUnitId: division.id, name: `Owner ${uniq()}` });
  const officer = await makeActor(["SECURITY_OFFICER"], { name: `Officer ${uniq()}` });
  const staff = await makeActor([], { orgUnitId: department.id, name: `Staff ${uniq()}` });
  const role = await makeRequestableRole(system.id, opts);
  return { division, department, boss, head, system, owner, officer, staff, role };
}

export type RequestScenario = Awaited<ReturnType<typeof makeRequestScenario>>;

/** A calendar day `days` from today in the portal's time zone as "YYYY-MM-DD" (a request end "through that day"). */
export function requestDay(days: number): string {
  return addDays(dayIn(new Date()), days);
}

/** Submits a request as `actor` for `subjectId` (default: themself). */
export async function submitAs(
  actor: PersonActor,
  input: {
    roleId: string;
    subjectId?: string;
    endsAt?: string | null;
    kind?: "GRANT" | "ELEVATION";
    justification?: string;
    renewsGrantId?: string;
    idempotencyKey?: string;
  },
) {
  return inTransaction((tx) =>
    submitRequest(tx, actor, {
      subjectId: input.subjectId ?? actor.personId,
      roleId: input.roleId,
      justification: input.justification ?? "Needed for the quarterly campaign",
      endsAt: input.endsAt === undefined ? requestDay(30) : input.endsAt,
      kind: input.kind,
      renewsGrantId: input.renewsGrantId,
      idempotencyKey: input.idempotencyKey,
    }),
  );
}

export async function decideAs(actor: PersonActor, requestId: string, outcome: "APPROVE" | "REJECT" = "APPROVE", comment?: string) {
  return inTransaction((tx) =>
    decideRequest(tx, actor, { requestId, outcome, comment: comment ?? (outcome === "REJECT" ? "Not needed" : undefined) }),
  );
}

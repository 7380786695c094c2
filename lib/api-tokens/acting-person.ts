import { getDb, type Tx } from "@/lib/db";
import type { PersonActor, RequestContext } from "@/lib/authz/actor";
import { EMPLOYEE_NO } from "@/lib/people/schemas";

/**
 * The person an integration acts for (X-Acting-As), as sign-in builds them (lib/auth/sessions.ts): their
 * portal roles from the database, with the request context carrying the token, so every audit row the
 * use case writes names the person *and* the token. Null unless the person and their master account are
 * active: a leaver or a locked account cannot act through an integration either.
 */
export async function loadActingPerson(
  employeeNo: string,
  ctx: RequestContext,
  db: Tx | ReturnType<typeof getDb> = getDb(),
): Promise<PersonActor | null> {
  if (!EMPLOYEE_NO.test(employeeNo)) return null;
  const person = await db.person.findUnique({
    where: { employeeNo },
    select: {
      id: true,
      name: true,
      employeeNo: true,
      orgUnitId: true,
      status: true,
      account: { select: { id: true, status: true } },
      roleAssignments: { select: { role: true, systemId: true, orgUnitId: true, orgUnit: { select: { path: true } } } },
    },
  });
  if (!person || person.status !== "ACTIVE" || !person.account || person.account.status !== "ACTIVE") return null;
  return {
    kind: "person",
    personId: person.id,
    accountId: person.account.id,
    name: person.name,
    employeeNo: person.employeeNo,
    orgUnitId: person.orgUnitId,
    sessionId: null,
    roles: person.roleAssignments.map((r) => ({
      role: r.role,
      systemId: r.systemId,
      orgUnitId: r.orgUnitId,
      orgUnitPath: r.orgUnit?.path ?? null,
    })),
    ctx,
  };
}

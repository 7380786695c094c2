// The grant path shared by account administrators (grantRole) and access requests' final approvals.
import { describe, expect, it } from "vitest";
import { getDb, inTransaction } from "@/lib/db";
import { createJobRole } from "@/lib/systems/job-roles";
import { createGrantUnderPolicy } from "@/lib/grants/create-grant";
import { auditMark, auditSince, expectDomainError, FACTORY, makePerson, makeSystemWithRole, uniq } from "../factories";

async function systemWithRole(opts: { administrative?: boolean; connected?: boolean; accountCreation?: boolean } = {}) {
  return makeSystemWithRole({
    kind: "BACK_END",
    connected: opts.connected,
    role: { administrative: opts.administrative, permissions: [{ operation: "MODIFY", isAccountCreation: opts.accountCreation }] },
  });
}

describe("createGrantUnderPolicy", () => {
  it("on a connected system writes the outbox rows (slave account, grant) in the same transaction", async () => {
    const { system, role } = await systemWithRole({ connected: true });
    const person = await makePerson();
    const mark = await auditMark();
    const grant = await inTransaction((tx) =>
      createGrantUnderPolicy(tx, FACTORY, { personId: person.person.id, roleId: role.id, reason: "Approved", basis: "request:REQ-000001" }),
    );
    expect(grant.requestId).toBeNull();
    const outbox = await getDb().provisioningOutbox.findMany({ where: { systemId: system.id }, orderBy: { id: "asc" } });
    expect(outbox.map((o) => o.operation)).toEqual(["slave-account.created", "grant.created"]);
    expect(outbox[1]).toMatchObject({
      grantId: grant.id,
      status: "PENDING",
      payload: { grantId: grant.id, personId: person.person.id, roleId: role.id },
    });
    expect((await auditSince(mark)).map((r) => r.action)).toEqual(["slave-account.created", "grant.created"]);

    // A second grant on the same system reuses the account: only "grant.created".
    const other = await inTransaction(async (tx) => {
      const r = await createJobRole(tx, FACTORY, { systemId: system.id, code: `R2.${uniq()}`, name: "role 2", reason: "setup" });
      return r;
    });
    await inTransaction((tx) => createGrantUnderPolicy(tx, FACTORY, { personId: person.person.id, roleId: other.id, reason: "Approved" }));
    expect(await getDb().provisioningOutbox.count({ where: { systemId: system.id } })).toBe(3);
  });

  it("writes no outbox row for a system that is not connected", async () => {
    const { system, role } = await systemWithRole();
    const person = await makePerson();
    await inTransaction((tx) => createGrantUnderPolicy(tx, FACTORY, { personId: person.person.id, roleId: role.id, reason: "x" }));
    expect(await getDb().provisioningOutbox.count({ where: { systemId: system.id } })).toBe(0);
  });

  it("an approved elevation waives R10 for a third party's administrative role; without it the grant is refused", async () => {
    const { role } = await systemWithRole({ administrative: true, accountCreation: true });
    const vendor = await makePerson({ employmentType: "THIRD_PARTY" });
    const input = { personId: vendor.person.id, roleId: role.id, reason: "Migration weekend", endsAt: new Date(Date.now() + 3600_000) };
    const error = await expectDomainError(
      inTransaction((tx) => createGrantUnderPolicy(tx, FACTORY, input)),
      "POLICY_VIOLATION",
    );
    expect((error.details as { code: string }[]).map((v) => v.code).sort()).toEqual([
      "THIRD_PARTY_ACCOUNT_CREATION",
      "THIRD_PARTY_ADMIN_ROLE",
    ]);
    const grant = await inTransaction((tx) => createGrantUnderPolicy(tx, FACTORY, input, { elevation: true }));
    expect(grant.endsAt?.getTime()).toBe(input.endsAt.getTime());
  });
});

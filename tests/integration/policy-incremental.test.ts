import { describe, expect, it } from "vitest";
import { getDb, inTransaction } from "@/lib/db";
import { systemActor, type Actor } from "@/lib/authz/actor";
import { grantRole } from "@/lib/grants/grant-role";
import { revokeGrant } from "@/lib/grants/revoke-grant";
import { changeRoleMatrix } from "@/lib/systems/change-role-matrix";
import { updateJobRole } from "@/lib/systems/job-roles";
import { updatePermission } from "@/lib/systems/permissions";
import { updateBusinessSystem } from "@/lib/systems/update-business-system";
import { updatePerson } from "@/lib/people/update-person";
import { assignSlaveAccountOwner } from "@/lib/slave-accounts/assign-slave-account-owner";
import { createSodRule, deactivateSodRule } from "@/lib/policy/sod-rules";
import { recheckPolicies } from "@/lib/policy/recheck-policies";
import { recheckQueuedPeople } from "@/lib/policy/recheck-queue";
import { runPolicyIncremental } from "@/lib/jobs/scheduler";
import { JOBS } from "@/lib/jobs/catalog";
import { auditMark, auditSince, makeActor, makeJobRole, makePerson, makeSystem, type MadePerson } from "../factories";

const JOB = systemActor("policy-incremental");

type Queued = { personId: string | null; reason: string };

async function queueMark(): Promise<bigint> {
  const [row] = await getDb().$queryRaw<{ last: bigint | null }[]>`SELECT max(id) AS last FROM policy_recheck_queue`;
  return row?.last ?? 0n;
}

/** The queue rows written since `mark` for these people (or "everyone" rows when asked), in order. */
async function queuedSince(mark: bigint, personIds: readonly (string | null)[]): Promise<Queued[]> {
  const rows = await getDb().$queryRaw<{ person_id: string | null; reason: string }[]>`
    SELECT person_id::text, reason FROM policy_recheck_queue WHERE id > ${mark} ORDER BY id`;
  return rows
    .filter((r) => personIds.includes(r.person_id))
    .map((r) => ({ personId: r.person_id, reason: r.reason }))
    .sort((a, b) => `${a.personId}${a.reason}`.localeCompare(`${b.personId}${b.reason}`));
}

async function queueCount(personIds: readonly string[]): Promise<number> {
  const [row] = await getDb().$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM policy_recheck_queue WHERE person_id = ANY(${personIds}::uuid[])`;
  return Number(row?.n ?? 0);
}

async function systemWithAdmin(opts: { kind?: "FRONT_END" | "BACK_END" | "PLATFORM" } = {}) {
  const system = await makeSystem({ kind: opts.kind ?? "PLATFORM" });
  const { actor: admin } = await makeActor([{ role: "ACCOUNT_ADMIN", systemId: system.id }]);
  return { system, admin };
}

// Third parties get no permanent grant (R10): theirs end in 20 days.
const grant = (actor: Actor, personId: string, roleId: string, now?: Date, temporary = false) =>
  inTransaction((tx) =>
    grantRole(
      tx,
      actor,
      { personId, roleId, reason: "needed for the work", endsAt: temporary ? new Date(Date.now() + 20 * 86_400_000) : undefined },
      now,
    ),
  );

/** What the violations page shows for these people, as comparable rows (no ids or detection times). */
async function findingsOf(personIds: readonly string[]): Promise<string[]> {
  const rows = await getDb().policyFinding.findMany({ where: { personId: { in: [...personIds] } } });
  return rows.map((f) => JSON.stringify([f.personId, f.grantId, f.systemId, f.code, f.rule, f.params, f.conflictsWithGrantId])).sort();
}

describe("the change queue (every change of a person's policy facts queues them, in the change's transaction)", () => {
  it("grants created, ended and re-dated queue their holder; an expiry notice does not", async () => {
    const { system, admin } = await systemWithAdmin();
    const { role } = await makeJobRole(admin, system.id);
    const p = await makePerson();
    let mark = await queueMark();
    const g = await grant(admin, p.person.id, role.id);
    expect(await queuedSince(mark, [p.person.id])).toEqual([{ personId: p.person.id, reason: "grant.created" }]);

    mark = await queueMark();
    await getDb().accessGrant.update({ where: { id: g.id }, data: { expiryNotice: "7d" } });
    expect(await queuedSince(mark, [p.person.id])).toEqual([]);
    await getDb().accessGrant.update({ where: { id: g.id }, data: { endsAt: new Date(Date.now() + 86_400_000) } });
    expect(await queuedSince(mark, [p.person.id])).toEqual([{ personId: p.person.id, reason: "grant.changed" }]);

    mark = await queueMark();
    await inTransaction((tx) => revokeGrant(tx, admin, { grantId: g.id, reason: "no longer needed" }));
    expect(await queuedSince(mark, [p.person.id])).toEqual([{ personId: p.person.id, reason: "grant.changed" }]);
  });

  it("a change rolled back queues nothing (the row is written in the change's own transaction)", async () => {
    const { system, admin } = await systemWithAdmin();
    const { role } = await makeJobRole(admin, system.id);
    const p = await makePerson();
    const mark = await queueMark();
    await expect(
      inTransaction(async (tx) => {
        await grantRole(tx, admin, { personId: p.person.id, roleId: role.id, reason: "needed" });
        const [inside] = await tx.$queryRaw<{ n: bigint }[]>`
          SELECT count(*) AS n FROM policy_recheck_queue WHERE person_id = ${p.person.id}::uuid AND id > ${mark}`;
        expect(Number(inside!.n)).toBe(1);
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    expect(await queuedSince(mark, [p.person.id])).toEqual([]);
  });

  it("matrix cells added and ended, a role's and a system's and a permission's changes queue the holders only", async () => {
    const { system, admin } = await systemWithAdmin();
    const { role, permissions } = await makeJobRole(admin, system.id, { permissions: [{}, {}] });
    const { role: other } = await makeJobRole(admin, system.id);
    const holder = await makePerson();
    const bystander = await makePerson();
    await grant(admin, holder.person.id, role.id);
    await grant(admin, bystander.person.id, other.id);
    const [first, second] = permissions;
    const ids = [holder.person.id, bystander.person.id];
    const only = (reason: string) => [{ personId: holder.person.id, reason }];

    let mark = await queueMark();
    await inTransaction((tx) =>
      changeRoleMatrix(tx, admin, { systemId: system.id, add: [], remove: [{ roleId: role.id, permissionId: first!.id }], reason: "tidy" }),
    );
    expect(await queuedSince(mark, ids)).toEqual(only("matrix.changed"));
    mark = await queueMark();
    await inTransaction((tx) =>
      changeRoleMatrix(tx, admin, { systemId: system.id, add: [{ roleId: role.id, permissionId: first!.id }], remove: [], reason: "back" }),
    );
    expect(await queuedSince(mark, ids)).toEqual(only("matrix.changed"));

    mark = await queueMark();
    await inTransaction((tx) =>
      updateJobRole(tx, admin, { roleId: role.id, name: "Renamed role", isAdministrative: true, reason: "now administrative" }),
    );
    expect(await queuedSince(mark, ids)).toEqual(only("role.changed"));

    mark = await queueMark();
    await inTransaction((tx) =>
      updatePermission(tx, admin, {
        permissionId: second!.id,
        name: "Customer list",
        dataKind: "IDENTITY",
        sensitivity: "SENSITIVE",
        operation: "QUERY",
        reason: "reclassified",
      }),
    );
    expect(await queuedSince(mark, ids)).toEqual(only("permission.changed"));

    mark = await queueMark();
    const current = await getDb().businessSystem.findUniqueOrThrow({ where: { id: system.id } });
    await inTransaction((tx) =>
      updateBusinessSystem(tx, systemActor("test-factory"), {
        systemId: system.id,
        name: current.name,
        environment: "PRODUCTION",
        kind: current.kind,
        ownerOrgId: current.ownerOrgId,
        reason: "went live",
      }),
    );
    // Both hold roles of this system.
    expect(await queuedSince(mark, ids)).toEqual(
      [
        { personId: holder.person.id, reason: "system.changed" },
        { personId: bystander.person.id, reason: "system.changed" },
      ].sort((a, b) => `${a.personId}`.localeCompare(`${b.personId}`)),
    );
  });

  it("a person's job categories, employment type and status, and their master account, queue them", async () => {
    const { actor: hr } = await makeActor(["HR"]);
    const p = await makePerson();
    let mark = await queueMark();
    await inTransaction((tx) =>
      updatePerson(tx, hr, {
        personId: p.person.id,
        name: p.person.name,
        orgUnitId: p.person.orgUnitId,
        jobTitle: p.person.jobTitle,
        jobCategories: ["DEV_TEST"],
        reason: "new duties",
      }),
    );
    expect(await queuedSince(mark, [p.person.id])).toEqual([{ personId: p.person.id, reason: "person.changed" }]);

    // Any writer (the HR feed, an import) is covered: the trigger sits on the table.
    mark = await queueMark();
    await getDb().$executeRaw`UPDATE person SET employment_type = 'THIRD_PARTY' WHERE id = ${p.person.id}::uuid`;
    await getDb().$executeRaw`UPDATE person SET status = 'SUSPENDED' WHERE id = ${p.person.id}::uuid`;
    await getDb().$executeRaw`UPDATE person SET updated_at = now() WHERE id = ${p.person.id}::uuid`;
    expect(await queuedSince(mark, [p.person.id])).toEqual([
      { personId: p.person.id, reason: "person.changed" },
      { personId: p.person.id, reason: "person.changed" },
    ]);

    mark = await queueMark();
    await getDb().masterAccount.delete({ where: { personId: p.person.id } });
    expect(await queuedSince(mark, [p.person.id])).toEqual([{ personId: p.person.id, reason: "master-account.deleted" }]);
  });

  it("a slave account handed to another owner queues both; SoD pairs added and deactivated queue the holders", async () => {
    const { system, admin } = await systemWithAdmin();
    const { role: a } = await makeJobRole(admin, system.id);
    const { role: b } = await makeJobRole(admin, system.id);
    const { actor: officer } = await makeActor(["SECURITY_OFFICER"]);
    const from = await makePerson();
    const to = await makePerson();
    const g = await grant(admin, from.person.id, a.id);
    const account = await getDb().accessGrant.findUniqueOrThrow({ where: { id: g.id }, select: { slaveAccountId: true } });
    // Only a leaver's account can be handed over.
    await getDb().$executeRaw`UPDATE person SET status = 'LEFT' WHERE id = ${from.person.id}::uuid`;

    let mark = await queueMark();
    await inTransaction((tx) =>
      assignSlaveAccountOwner(tx, admin, { slaveAccountId: account.slaveAccountId, personId: to.person.id, reason: "handover" }),
    );
    expect((await queuedSince(mark, [from.person.id, to.person.id])).map((q) => q.personId).sort()).toEqual(
      [from.person.id, to.person.id].sort(),
    );

    mark = await queueMark();
    const rule = await inTransaction((tx) =>
      createSodRule(tx, officer, { kind: "ROLE_PAIR", leftId: a.id, rightId: b.id, description: "Maker and checker" }),
    );
    expect(await queuedSince(mark, [from.person.id, to.person.id])).toEqual([{ personId: to.person.id, reason: "sod-rule.changed" }]);
    mark = await queueMark();
    await inTransaction((tx) => deactivateSodRule(tx, officer, { ruleId: rule.id, reason: "merged duties" }));
    expect(await queuedSince(mark, [to.person.id])).toEqual([{ personId: to.person.id, reason: "sod-rule.changed" }]);
  });

  it("the classification setting concerns everyone: one 'everyone' row", async () => {
    const mark = await queueMark();
    // Rewritten unchanged and rolled back, so other tests' setting is untouched.
    await expect(
      inTransaction(async (tx) => {
        await tx.$executeRaw`
          INSERT INTO setting (key, value, updated_at) VALUES ('classification', '{"sensitiveLevels":["EXTREME","SENSITIVE"]}', now())
          ON CONFLICT (key) DO UPDATE SET value = setting.value, updated_at = now()`;
        const rows = await tx.$queryRaw<{ person_id: string | null; reason: string }[]>`
          SELECT person_id::text, reason FROM policy_recheck_queue WHERE id > ${mark}`;
        expect(rows).toContainEqual({ person_id: null, reason: "classification.changed" });
        throw new Error("rollback");
      }),
    ).rejects.toThrow("rollback");
    expect(await queuedSince(mark, [null])).toEqual([]);
  });
});

describe("the incremental check", () => {
  it("rebuilds the queued people's findings, deletes their rows and writes one audit row per batch", async () => {
    const { system, admin } = await systemWithAdmin();
    const { role, permissions } = await makeJobRole(admin, system.id, { permissions: [{}] });
    const contractor = await makePerson({ employmentType: "THIRD_PARTY" });
    const g = await grant(admin, contractor.person.id, role.id, undefined, true);
    await recheckQueuedPeople(JOB);
    expect(await findingsOf([contractor.person.id])).toEqual([]);

    // The permission becomes sensitive: a third party may not hold it (R4). Only the queue knows.
    await inTransaction((tx) =>
      updatePermission(tx, admin, {
        permissionId: permissions[0]!.id,
        name: "Customer list",
        dataKind: "IDENTITY",
        sensitivity: "SENSITIVE",
        operation: "QUERY",
        reason: "reclassified",
      }),
    );
    expect(await queueCount([contractor.person.id])).toBe(1);
    const mark = await auditMark();
    const result = await recheckQueuedPeople(JOB, { batchSize: 2 });
    expect(result.people).toBeGreaterThanOrEqual(1);
    expect(await queueCount([contractor.person.id])).toBe(0);
    const findings = await getDb().policyFinding.findMany({ where: { personId: contractor.person.id } });
    expect(findings.map((f) => [f.code, f.grantId])).toEqual([["THIRD_PARTY_SENSITIVE_PERMISSION", g.id]]);
    const audit = (await auditSince(mark)).filter((r) => r.action === "policy.rechecked-incremental");
    expect(audit.length).toBe(result.batches);
    expect(audit.some((r) => (r.summary as { reasons: Record<string, number> }).reasons["permission.changed"] === 1)).toBe(true);
  });

  it("two workers take different rows (SKIP LOCKED); a batch that dies leaves its rows for the next run", async () => {
    const { system, admin } = await systemWithAdmin();
    const { role } = await makeJobRole(admin, system.id);
    const people: MadePerson[] = [];
    for (let i = 0; i < 6; i++) people.push(await makePerson());
    for (const p of people) await grant(admin, p.person.id, role.id);
    const ids = people.map((p) => p.person.id);
    // Each has a master-account row (makePerson) and a grant row.
    expect(await queueCount(ids)).toBe(12);

    // A worker holds two rows (mid-batch) and is then killed: its transaction rolls back.
    let release!: () => void;
    let claimed!: () => void;
    const held = new Promise<void>((r) => (claimed = r));
    const dying = inTransaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM policy_recheck_queue WHERE person_id = ANY(${ids.slice(0, 2)}::uuid[]) FOR UPDATE`;
      claimed();
      await new Promise<void>((r) => (release = r));
      throw new Error("killed");
    });
    await held;
    const [one, two] = await Promise.all([recheckQueuedPeople(JOB, { batchSize: 1 }), recheckQueuedPeople(JOB, { batchSize: 1 })]);
    expect(one.batches + two.batches).toBeGreaterThanOrEqual(4);
    expect(await queueCount(ids)).toBe(4);
    release();
    await expect(dying).rejects.toThrow("killed");
    await recheckQueuedPeople(JOB);
    expect(await queueCount(ids)).toBe(0);
  });

  it("the full check deletes the rows of changes committed before it began, not those of changes still open", async () => {
    const early = await makePerson();
    const late = await makePerson();
    await getDb().$executeRaw`INSERT INTO policy_recheck_queue (person_id, reason) VALUES (${early.person.id}::uuid, 'test')`;
    let commit!: () => void;
    let written!: () => void;
    const open = new Promise<void>((r) => (written = r));
    const pending = inTransaction(async (tx) => {
      await tx.$executeRaw`INSERT INTO policy_recheck_queue (person_id, reason) VALUES (${late.person.id}::uuid, 'test')`;
      written();
      await new Promise<void>((r) => (commit = r));
    });
    await open;
    const result = await recheckPolicies(systemActor("scheduler"));
    commit();
    await pending;
    expect(result.queueCleared).toBeGreaterThanOrEqual(1);
    expect(await queueCount([early.person.id])).toBe(0);
    expect(await queueCount([late.person.id])).toBe(1);
    await recheckQueuedPeople(JOB);
  });

  it("the job answers an 'everyone' row with the full check, which removes it", async () => {
    await getDb().$executeRaw`INSERT INTO policy_recheck_queue (person_id, reason) VALUES (NULL, 'classification.changed')`;
    const mark = await auditMark();
    const result = await runPolicyIncremental();
    expect(result.fullCheck).toBe(true);
    const [row] = await getDb().$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM policy_recheck_queue WHERE person_id IS NULL`;
    expect(Number(row!.n)).toBe(0);
    expect((await auditSince(mark)).map((r) => [r.action, r.actorName])).toContainEqual(["policy.rechecked", "policy-incremental"]);
  });

  it("is a minute job; the full check is nightly and not run at every worker start", () => {
    expect(JOBS.find((j) => j.name === "policy-incremental")).toMatchObject({ cron: "* * * * *", policy: "stately" });
    expect(JOBS.find((j) => j.name === "policy-recheck")).toMatchObject({ cron: "30 2 * * *", runAtStart: false });
  });
});

describe("incremental and full checks agree", () => {
  it("after changes of every kind, the incremental check's findings are exactly the full check's", async () => {
    const now = new Date();
    const { actor: hr } = await makeActor(["HR"]);
    const { actor: officer } = await makeActor(["SECURITY_OFFICER"]);
    const front = await systemWithAdmin({ kind: "FRONT_END" });
    const back = await systemWithAdmin({ kind: "BACK_END" });
    const { role: teller, permissions: tellerPerms } = await makeJobRole(front.admin, front.system.id, { permissions: [{}, {}] });
    const { role: checker } = await makeJobRole(front.admin, front.system.id);
    const { role: logs, permissions: logPerms } = await makeJobRole(back.admin, back.system.id, { permissions: [{}] });
    const { role: spare } = await makeJobRole(back.admin, back.system.id);

    const contractor = await makePerson({ employmentType: "THIRD_PARTY" });
    const dev = await makePerson();
    const clerk = await makePerson();
    const leaver = await makePerson();
    const heir = await makePerson();
    const people = [contractor, dev, clerk, leaver, heir].map((p) => p.person.id);
    await grant(front.admin, contractor.person.id, teller.id, now, true);
    await grant(back.admin, contractor.person.id, spare.id, now, true);
    await grant(front.admin, dev.person.id, checker.id, now);
    await grant(front.admin, clerk.person.id, teller.id, now);
    await grant(front.admin, clerk.person.id, checker.id, now);
    await grant(back.admin, clerk.person.id, logs.id, now);
    const leaverGrant = await grant(back.admin, leaver.person.id, logs.id, now);
    const leaverSpare = await grant(back.admin, leaver.person.id, spare.id, now);
    await recheckPolicies(systemActor("scheduler"), { now });
    const before = await findingsOf(people);

    // The leaver's account handed to the heir (only a leaver's account can be).
    const account = await getDb().accessGrant.findUniqueOrThrow({ where: { id: leaverGrant.id }, select: { slaveAccountId: true } });
    await getDb().$executeRaw`UPDATE person SET status = 'LEFT' WHERE id = ${leaver.person.id}::uuid`;
    await inTransaction((tx) =>
      assignSlaveAccountOwner(
        tx,
        back.admin,
        { slaveAccountId: account.slaveAccountId, personId: heir.person.id, reason: "handover" },
        now,
      ),
    );
    // Grants: one ended, one added. Matrix: a sensitive cell added to the teller role (R4 for the contractor).
    await inTransaction((tx) => revokeGrant(tx, back.admin, { grantId: leaverSpare.id, reason: "no longer needed" }, now));
    await grant(front.admin, heir.person.id, checker.id, now);
    await inTransaction((tx) =>
      updatePermission(tx, front.admin, {
        permissionId: tellerPerms[1]!.id,
        name: "Customer ledger",
        dataKind: "IDENTITY",
        sensitivity: "EXTREME",
        operation: "QUERY",
        reason: "reclassified",
      }),
    );
    // Matrix: a log-management permission in the back-end role (R6 front end + log management for the clerk).
    await inTransaction((tx) =>
      updatePermission(tx, back.admin, {
        permissionId: logPerms[0]!.id,
        name: "Audit logs",
        dataKind: "NONE",
        sensitivity: "LOW",
        operation: "QUERY",
        isLogManagement: true,
        reason: "it manages logs",
      }),
    );
    await inTransaction((tx) =>
      changeRoleMatrix(tx, front.admin, {
        systemId: front.system.id,
        add: [],
        remove: [{ roleId: teller.id, permissionId: tellerPerms[0]!.id }],
        reason: "tidy",
      }),
    );
    // A role renamed and made administrative (R10 for the contractor, names in every finding).
    await inTransaction((tx) =>
      updateJobRole(tx, back.admin, { roleId: spare.id, name: "Operator", isAdministrative: true, reason: "admin" }),
    );
    // A system goes to production (R16 for a DEV_TEST person) and a person becomes DEV_TEST.
    await inTransaction((tx) =>
      updatePerson(tx, hr, {
        personId: dev.person.id,
        name: dev.person.name,
        orgUnitId: dev.person.orgUnitId,
        jobTitle: dev.person.jobTitle,
        jobCategories: ["DEV_TEST"],
        reason: "joins the test team",
      }),
    );
    const frontNow = await getDb().businessSystem.findUniqueOrThrow({ where: { id: front.system.id } });
    await inTransaction((tx) =>
      updateBusinessSystem(tx, systemActor("test-factory"), {
        systemId: front.system.id,
        name: "Counter",
        environment: "PRODUCTION",
        kind: frontNow.kind,
        ownerOrgId: frontNow.ownerOrgId,
        reason: "went live",
      }),
    );
    // An SoD pair over roles the clerk already holds; a status.
    await inTransaction((tx) =>
      createSodRule(tx, officer, { kind: "ROLE_PAIR", leftId: teller.id, rightId: checker.id, description: "Maker and checker" }),
    );
    await getDb().$executeRaw`UPDATE person SET status = 'SUSPENDED' WHERE id = ${clerk.person.id}::uuid`;

    const stale = await findingsOf(people);
    const run = await recheckQueuedPeople(JOB, { now, batchSize: 3 });
    expect(run.people).toBeGreaterThanOrEqual(people.length);
    expect(await queueCount(people)).toBe(0);
    const incremental = await findingsOf(people);
    await recheckPolicies(systemActor("scheduler"), { now });
    const full = await findingsOf(people);

    expect(incremental).toEqual(full);
    // The comparison is not between two empty or unchanged sets.
    expect(full).not.toEqual(before);
    expect(full).not.toEqual(stale);
    const codes = new Set(full.map((f) => JSON.parse(f)[3] as string));
    for (const code of [
      "THIRD_PARTY_SENSITIVE_PERMISSION",
      "THIRD_PARTY_ADMIN_ROLE",
      "DEV_TEST_PRODUCTION_SYSTEM",
      "SOD_ROLE_PAIR",
      "SOD_FRONT_END_LOG_MANAGEMENT",
      "PERSON_NOT_ACTIVE",
    ])
      expect(codes).toContain(code);
  });
});

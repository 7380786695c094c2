// Org-unit management (lib/org/*): create, rename, move (materialised paths, no cycles), heads and
// deactivation, each audited in the same transaction; refusals write nothing.
import { describe, expect, it } from "vitest";
import { getDb, inTransaction, type Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { DomainError } from "@/lib/errors";
import { createOrgUnit } from "@/lib/org/create-org-unit";
import { renameOrgUnit } from "@/lib/org/rename-org-unit";
import { moveOrgUnit } from "@/lib/org/move-org-unit";
import { setOrgUnitHead } from "@/lib/org/set-org-unit-head";
import { deactivateOrgUnit } from "@/lib/org/deactivate-org-unit";
import { getOrgTree, getOrgUnitDetail, listMoveTargets, type OrgNode } from "@/lib/org/queries";
import { listPeople, PeopleFilter } from "@/lib/people/queries";
import { can } from "@/lib/authz/can";
import {
  actorFor,
  actorName,
  auditMark,
  auditSince,
  expectDomainError,
  expectZodError,
  FACTORY,
  makeActor,
  makeOrgUnit,
  makePerson,
  makeSystem,
  uniq,
} from "../factories";

const rename = (actor: Actor, input: { orgUnitId: string; name: string; nameEn?: string }) =>
  inTransaction((tx) => renameOrgUnit(tx, actor, input));
const move = (actor: Actor, orgUnitId: string, parentId: string) => inTransaction((tx) => moveOrgUnit(tx, actor, { orgUnitId, parentId }));
const deactivate = (actor: Actor, orgUnitId: string) => inTransaction((tx) => deactivateOrgUnit(tx, actor, { orgUnitId }));
const setHead = (actor: Actor, input: Parameters<typeof setOrgUnitHead>[2]) => inTransaction((tx) => setOrgUnitHead(tx, actor, input));

async function unitRow(id: string) {
  return getDb().orgUnit.findUniqueOrThrow({
    where: { id },
    select: { name: true, nameEn: true, parentId: true, path: true, headId: true, isActive: true },
  });
}

/** root ─┬─ a ── a1 ── a1x
 *        └─ b */
async function makeTree() {
  const root = await makeOrgUnit({ name: "Root" });
  const a = await makeOrgUnit({ parentId: root.id, name: "A" });
  const a1 = await makeOrgUnit({ parentId: a.id, name: "A1" });
  const a1x = await makeOrgUnit({ parentId: a1.id, name: "A1x" });
  const b = await makeOrgUnit({ parentId: root.id, name: "B" });
  return { root, a, a1, a1x, b };
}

/** Every active unit's path is its parent's path plus its own id: no cycle, no stale path. */
async function expectConsistentPaths(ids: string[]) {
  const rows = await getDb().orgUnit.findMany({ where: { id: { in: ids } }, select: { id: true, parentId: true, path: true } });
  for (const row of rows) {
    const parent = row.parentId ? await getDb().orgUnit.findUniqueOrThrow({ where: { id: row.parentId }, select: { path: true } }) : null;
    expect(row.path).toBe(`${parent?.path ?? "/"}${row.id}/`);
    expect(
      row.path
        .split("/")
        .filter(Boolean)
        .filter((p) => p === row.id),
    ).toHaveLength(1);
  }
}

describe("createOrgUnit", () => {
  it("lets HR create a sub-unit, and refuses an inactive parent (ORG_UNIT_INACTIVE), writing nothing", async () => {
    const { actor: hr } = await makeActor(["HR"]);
    const parent = await makeOrgUnit();
    const code = `T-OU-${uniq()}`;
    const unit = await inTransaction((tx) => createOrgUnit(tx, hr, { code, name: "客服一部", nameEn: "Service 1", parentId: parent.id }));
    expect(unit).toMatchObject({
      code,
      name: "客服一部",
      nameEn: "Service 1",
      parentId: parent.id,
      path: `${parent.path}${unit.id}/`,
      isActive: true,
    });

    await deactivate(hr, unit.id);
    const mark = await auditMark();
    const error = await expectDomainError(
      inTransaction((tx) => createOrgUnit(tx, hr, { code: `T-OU-${uniq()}`, name: "Under a closed unit", parentId: unit.id })),
      "ORG_UNIT_INACTIVE",
    );
    expect(error.field).toBe("parentId");
    expect(await getDb().orgUnit.count({ where: { parentId: unit.id } })).toBe(0);
    expect(await auditSince(mark)).toEqual([]);
  });
});

describe("renameOrgUnit", () => {
  it("renames with an 'org-unit.renamed' row (before/after); an unchanged name writes nothing", async () => {
    const { actor: hr } = await makeActor(["HR"]);
    const unit = await makeOrgUnit({ name: "市场部" });
    const mark = await auditMark();
    const result = await rename(hr, { orgUnitId: unit.id, name: "  市场经营部 ", nameEn: "Marketing & Sales" });
    expect(result).toEqual({ id: unit.id, name: "市场经营部", nameEn: "Marketing & Sales", changed: true });
    expect(await unitRow(unit.id)).toMatchObject({ name: "市场经营部", nameEn: "Marketing & Sales" });
    const rows = await auditSince(mark);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      action: "org-unit.renamed",
      actorId: hr.personId,
      actorName: actorName(hr),
      targetType: "org-unit",
      targetId: unit.id,
      summary: { code: unit.code, before: { name: "市场部", nameEn: null }, after: { name: "市场经营部", nameEn: "Marketing & Sales" } },
    });

    // Clearing the English name is a change; repeating the same names is not.
    const again = await auditMark();
    expect(await rename(hr, { orgUnitId: unit.id, name: "市场经营部", nameEn: "" })).toMatchObject({ nameEn: null, changed: true });
    expect(await rename(hr, { orgUnitId: unit.id, name: "市场经营部" })).toMatchObject({ changed: false });
    expect((await auditSince(again)).map((r) => r.summary)).toEqual([
      { code: unit.code, before: { name: "市场经营部", nameEn: "Marketing & Sales" }, after: { name: "市场经营部", nameEn: null } },
    ]);
  });

  it("refuses an unknown unit (NOT_FOUND) and a deactivated one (ORG_UNIT_INACTIVE), writing nothing", async () => {
    const { actor: hr } = await makeActor(["HR"]);
    const unit = await makeOrgUnit({ name: "Closed" });
    await deactivate(hr, unit.id);
    const mark = await auditMark();
    expect((await expectDomainError(rename(hr, { orgUnitId: "00000000-0000-4000-8000-000000000000", name: "X" }), "NOT_FOUND")).field).toBe(
      "orgUnitId",
    );
    await expectDomainError(rename(hr, { orgUnitId: unit.id, name: "Reopened?" }), "ORG_UNIT_INACTIVE");
    expect((await unitRow(unit.id)).name).toBe("Closed");
    expect(await auditSince(mark)).toEqual([]);
  });
});

describe("moveOrgUnit", () => {
  it("moves a subtree in one statement: every descendant's path follows, and subtree people lists still work", async () => {
    const { actor: admin } = await makeActor(["SYSTEM_ADMIN"]);
    const { root, a, a1, a1x, b } = await makeTree();
    const deep = await makePerson({ orgUnitId: a1x.id });
    const inB = await makePerson({ orgUnitId: b.id });
    // An approver scoped to B: after the move, A's people are B's people too.
    const approver = await makePerson({ roles: [{ role: "APPROVER", orgUnitId: b.id }] });
    const mark = await auditMark();

    const result = await move(admin, a.id, b.id);
    expect(result).toEqual({ id: a.id, parentId: b.id, path: `${b.path}${a.id}/`, moved: 3 });
    expect(await unitRow(a.id)).toMatchObject({ parentId: b.id, path: `${root.path}${b.id}/${a.id}/` });
    expect(await unitRow(a1.id)).toMatchObject({ parentId: a.id, path: `${root.path}${b.id}/${a.id}/${a1.id}/` });
    expect(await unitRow(a1x.id)).toMatchObject({ parentId: a1.id, path: `${root.path}${b.id}/${a.id}/${a1.id}/${a1x.id}/` });
    expect(await unitRow(b.id)).toMatchObject({ parentId: root.id, path: b.path });
    await expectConsistentPaths([root.id, a.id, a1.id, a1x.id, b.id]);

    const rows = await auditSince(mark);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      action: "org-unit.moved",
      actorId: admin.personId,
      targetType: "org-unit",
      targetId: a.id,
      summary: {
        code: a.code,
        before: { parentId: root.id, path: a.path },
        after: { parentId: b.id, path: `${b.path}${a.id}/` },
        unitsMoved: 3,
      },
    });

    const idsUnder = async (orgId: string) => (await listPeople(FACTORY, PeopleFilter.parse({ org: orgId }))).rows.map((r) => r.id).sort();
    expect(await idsUnder(b.id)).toEqual([inB.person.id, deep.person.id].sort());
    expect(await idsUnder(a.id)).toEqual([deep.person.id]);
    const approverActor = await actorFor(approver.person.id);
    const deepPath = (await getDb().orgUnit.findUniqueOrThrow({ where: { id: a1x.id }, select: { path: true } })).path;
    expect(can(approverActor, "people:read", { orgUnitPath: deepPath })).toBe(true);
    expect((await listPeople(approverActor, PeopleFilter.parse({}))).rows.map((r) => r.id)).toContain(deep.person.id);

    // The tree read model follows too.
    const tree = await getOrgTree();
    const find = (nodes: OrgNode[], id: string): OrgNode | undefined =>
      nodes.map((n) => (n.id === id ? n : find(n.children, id))).find(Boolean);
    expect(find(tree, b.id)?.children.map((c) => c.id)).toContain(a.id);
    expect(find(tree, root.id)?.children.map((c) => c.id)).not.toContain(a.id);
    // Move targets exclude the unit's own subtree.
    const targets = (await listMoveTargets((await unitRow(a.id)).path)).map((t) => t.id);
    expect(targets).toEqual(expect.arrayContaining([root.id, b.id]));
    expect(targets).not.toEqual(expect.arrayContaining([a.id]));
    expect(targets.some((id) => [a.id, a1.id, a1x.id].includes(id))).toBe(false);
  });

  it("refuses cycles (ORG_CYCLE), the top unit (ORG_ROOT_FIXED), an inactive or unknown parent, writing nothing", async () => {
    const { actor: hr } = await makeActor(["HR"]);
    const { root, a, a1, a1x, b } = await makeTree();
    const closed = await makeOrgUnit({ parentId: root.id });
    await deactivate(hr, closed.id);
    const before = await Promise.all([root, a, a1, a1x, b].map((u) => unitRow(u.id)));
    const mark = await auditMark();

    expect((await expectDomainError(move(hr, a.id, a.id), "ORG_CYCLE")).field).toBe("parentId");
    await expectDomainError(move(hr, a.id, a1.id), "ORG_CYCLE");
    await expectDomainError(move(hr, a.id, a1x.id), "ORG_CYCLE");
    expect((await expectDomainError(move(hr, root.id, b.id), "ORG_ROOT_FIXED")).field).toBe("orgUnitId");
    expect((await expectDomainError(move(hr, b.id, closed.id), "ORG_UNIT_INACTIVE")).field).toBe("parentId");
    expect((await expectDomainError(move(hr, closed.id, b.id), "ORG_UNIT_INACTIVE")).field).toBe("orgUnitId");
    expect((await expectDomainError(move(hr, b.id, "00000000-0000-4000-8000-000000000000"), "NOT_FOUND")).field).toBe("parentId");

    expect(await Promise.all([root, a, a1, a1x, b].map((u) => unitRow(u.id)))).toEqual(before);
    expect(await auditSince(mark)).toEqual([]);
  });

  it("moving under the current parent changes nothing and writes nothing", async () => {
    const { actor: hr } = await makeActor(["HR"]);
    const { root, a } = await makeTree();
    const mark = await auditMark();
    expect(await move(hr, a.id, root.id)).toEqual({ id: a.id, parentId: root.id, path: a.path, moved: 0 });
    expect(await auditSince(mark)).toEqual([]);
  });
});

describe("setOrgUnitHead", () => {
  it("sets the head by employee number or id and clears it, each with an 'org-unit.head-changed' row", async () => {
    const { actor: hr } = await makeActor(["HR"]);
    const unit = await makeOrgUnit();
    const first = await makePerson({ orgUnitId: unit.id });
    const second = await makePerson();
    const mark = await auditMark();
    expect(await setHead(hr, { orgUnitId: unit.id, employeeNo: ` ${first.employeeNo} ` })).toEqual({ headId: first.person.id });
    expect(await setHead(hr, { orgUnitId: unit.id, personId: second.person.id })).toEqual({ headId: second.person.id });
    expect(await setHead(hr, { orgUnitId: unit.id, personId: null })).toEqual({ headId: null });
    expect((await unitRow(unit.id)).headId).toBeNull();
    const rows = await auditSince(mark);
    expect(rows.map((r) => [r.action, r.actorId, r.targetId])).toEqual(Array(3).fill(["org-unit.head-changed", hr.personId, unit.id]));
    expect(rows.map((r) => r.summary)).toEqual([
      { before: { headId: null }, after: { headId: first.person.id } },
      { before: { headId: first.person.id }, after: { headId: second.person.id } },
      { before: { headId: second.person.id }, after: { headId: null } },
    ]);
  });

  it("refuses a third party, a leaver, an unknown number and a deactivated unit, writing nothing", async () => {
    const { actor: hr } = await makeActor(["HR"]);
    const unit = await makeOrgUnit();
    const vendor = await makePerson({ employmentType: "THIRD_PARTY" });
    const leaver = await makePerson();
    await getDb().person.update({ where: { id: leaver.person.id }, data: { status: "LEFT" } });
    const closed = await makeOrgUnit();
    await deactivate(hr, closed.id);
    const ok = await makePerson();
    const mark = await auditMark();
    expect((await expectDomainError(setHead(hr, { orgUnitId: unit.id, employeeNo: vendor.employeeNo }), "FORBIDDEN")).field).toBe(
      "employeeNo",
    );
    expect((await expectDomainError(setHead(hr, { orgUnitId: unit.id, employeeNo: leaver.employeeNo }), "NOT_FOUND")).field).toBe(
      "employeeNo",
    );
    expect((await expectDomainError(setHead(hr, { orgUnitId: unit.id, employeeNo: "NOBODY-HERE" }), "NOT_FOUND")).field).toBe("employeeNo");
    expect((await expectDomainError(setHead(hr, { orgUnitId: unit.id, personId: leaver.person.id }), "NOT_FOUND")).field).toBe("personId");
    await expectDomainError(setHead(hr, { orgUnitId: closed.id, personId: ok.person.id }), "ORG_UNIT_INACTIVE");
    expect((await unitRow(unit.id)).headId).toBeNull();
    expect(await auditSince(mark)).toEqual([]);
  });
});

describe("deactivateOrgUnit", () => {
  it("deactivates an empty unit with an 'org-unit.deactivated' row; it leaves the tree and cannot be deactivated twice", async () => {
    const { actor: hr } = await makeActor(["HR"]);
    const parent = await makeOrgUnit();
    const unit = await makeOrgUnit({ parentId: parent.id, name: "Pilot team" });
    // A leaver does not keep a unit open.
    const leaver = await makePerson({ orgUnitId: unit.id });
    await getDb().person.update({ where: { id: leaver.person.id }, data: { status: "LEFT" } });
    const mark = await auditMark();
    expect(await deactivate(hr, unit.id)).toEqual({ id: unit.id, isActive: false });
    expect((await unitRow(unit.id)).isActive).toBe(false);
    const rows = await auditSince(mark);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      action: "org-unit.deactivated",
      actorId: hr.personId,
      targetType: "org-unit",
      targetId: unit.id,
      summary: { code: unit.code, name: "Pilot team", before: { isActive: true }, after: { isActive: false } },
    });
    expect(JSON.stringify(await getOrgTree())).not.toContain(unit.id);
    expect(await getOrgUnitDetail(unit.id)).toMatchObject({ isActive: false, activeChildren: 0, activePeople: 0, activeSystems: 0 });
    const again = await auditMark();
    await expectDomainError(deactivate(hr, unit.id), "ORG_UNIT_INACTIVE");
    // With its only child gone, the parent is empty too.
    await deactivate(hr, parent.id);
    expect((await auditSince(again)).map((r) => [r.action, r.targetId])).toEqual([["org-unit.deactivated", parent.id]]);
  });

  it("refuses a unit with active sub-units, active or suspended people, or an active system (ORG_UNIT_NOT_EMPTY), writing nothing", async () => {
    const { actor: hr } = await makeActor(["HR"]);
    const mark = await auditMark();

    const withChild = await makeOrgUnit();
    await makeOrgUnit({ parentId: withChild.id });
    const e1 = await expectDomainError(deactivate(hr, withChild.id), "ORG_UNIT_NOT_EMPTY");
    expect(e1.params).toEqual({ units: 1, people: 0, systems: 0 });

    const withPerson = await makeOrgUnit();
    await makePerson({ orgUnitId: withPerson.id });
    expect((await expectDomainError(deactivate(hr, withPerson.id), "ORG_UNIT_NOT_EMPTY")).params).toEqual({
      units: 0,
      people: 1,
      systems: 0,
    });

    const withSuspended = await makeOrgUnit();
    const suspended = await makePerson({ orgUnitId: withSuspended.id });
    await getDb().person.update({ where: { id: suspended.person.id }, data: { status: "SUSPENDED" } });
    expect((await expectDomainError(deactivate(hr, withSuspended.id), "ORG_UNIT_NOT_EMPTY")).params).toEqual({
      units: 0,
      people: 1,
      systems: 0,
    });

    const withSystem = await makeOrgUnit();
    const system = await makeSystem({ ownerOrgId: withSystem.id });
    expect((await expectDomainError(deactivate(hr, withSystem.id), "ORG_UNIT_NOT_EMPTY")).params).toEqual({
      units: 0,
      people: 0,
      systems: 1,
    });

    for (const u of [withChild, withPerson, withSuspended, withSystem]) expect((await unitRow(u.id)).isActive).toBe(true);
    expect((await auditSince(mark)).filter((r) => r.action === "org-unit.deactivated")).toEqual([]);

    // A retired system no longer keeps its owner open.
    await getDb().businessSystem.update({ where: { id: system.id }, data: { isActive: false } });
    await deactivate(hr, withSystem.id);
    expect((await unitRow(withSystem.id)).isActive).toBe(false);
  });
});

describe("org management is for HR and system administrators", () => {
  it("refuses staff and other portal roles (FORBIDDEN) for every use case, writing nothing", async () => {
    const { root, a, b } = await makeTree();
    const head = await makePerson();
    const { actor: staff } = await makeActor();
    const { actor: officer } = await makeActor(["SECURITY_OFFICER"]);
    const { actor: approver } = await makeActor([{ role: "APPROVER", orgUnitId: root.id }]);
    const before = await Promise.all([root, a, b].map((u) => unitRow(u.id)));
    const count = await getDb().orgUnit.count();
    const mark = await auditMark();
    for (const actor of [staff, officer, approver]) {
      const attempts: (() => Promise<unknown>)[] = [
        () => inTransaction((tx) => createOrgUnit(tx, actor, { code: `T-OU-${uniq()}`, name: "Nope", parentId: root.id })),
        () => rename(actor, { orgUnitId: a.id, name: "Nope" }),
        () => move(actor, a.id, b.id),
        () => setHead(actor, { orgUnitId: a.id, personId: head.person.id }),
        () => deactivate(actor, b.id),
      ];
      for (const attempt of attempts)
        expect((await expectDomainError(attempt(), "FORBIDDEN")).params).toEqual({ permission: "org:manage" });
    }
    // The permission check comes before input validation: garbage from a non-manager is FORBIDDEN too.
    await expectDomainError(
      inTransaction((tx) => moveOrgUnit(tx, staff, { orgUnitId: "x", parentId: "" })),
      "FORBIDDEN",
    );
    expect(await Promise.all([root, a, b].map((u) => unitRow(u.id)))).toEqual(before);
    expect(await getDb().orgUnit.count()).toBe(count);
    expect(await auditSince(mark)).toEqual([]);
  });
});

describe("org management with hostile input", () => {
  const SCRIPT = "<script>alert(1)</script>";
  const NUL = "Sales\u0000Team";
  const HUGE = "x".repeat(10_000);

  it("refuses empty, huge, NUL and malformed values with a ZodError, writing nothing", async () => {
    const { actor: hr } = await makeActor(["HR"]);
    const { root, a, b } = await makeTree();
    const before = await Promise.all([root, a, b].map((u) => unitRow(u.id)));
    const count = await getDb().orgUnit.count();
    const mark = await auditMark();
    const cases: [string, (tx: Tx) => Promise<unknown>][] = [];
    for (const bad of ["", "   ", HUGE, NUL]) {
      cases.push(["name", (tx) => createOrgUnit(tx, hr, { code: `T-OU-${uniq()}`, name: bad, parentId: root.id })]);
      cases.push(["name", (tx) => renameOrgUnit(tx, hr, { orgUnitId: a.id, name: bad })]);
    }
    for (const bad of [HUGE, NUL]) {
      cases.push(["nameEn", (tx) => createOrgUnit(tx, hr, { code: `T-OU-${uniq()}`, name: "OK", nameEn: bad, parentId: root.id })]);
      cases.push(["nameEn", (tx) => renameOrgUnit(tx, hr, { orgUnitId: a.id, name: "OK", nameEn: bad })]);
    }
    for (const bad of ["", HUGE, NUL, SCRIPT, "../../etc/passwd", "'; DROP TABLE org_unit; --"]) {
      cases.push(["code", (tx) => createOrgUnit(tx, hr, { code: bad, name: "OK", parentId: root.id })]);
      cases.push(["parentId", (tx) => createOrgUnit(tx, hr, { code: `T-OU-${uniq()}`, name: "OK", parentId: bad })]);
      cases.push(["orgUnitId", (tx) => renameOrgUnit(tx, hr, { orgUnitId: bad, name: "OK" })]);
      cases.push(["orgUnitId", (tx) => moveOrgUnit(tx, hr, { orgUnitId: bad, parentId: b.id })]);
      cases.push(["parentId", (tx) => moveOrgUnit(tx, hr, { orgUnitId: a.id, parentId: bad })]);
      cases.push(["orgUnitId", (tx) => deactivateOrgUnit(tx, hr, { orgUnitId: bad })]);
      cases.push(["orgUnitId", (tx) => setOrgUnitHead(tx, hr, { orgUnitId: bad, personId: null })]);
      cases.push(["employeeNo", (tx) => setOrgUnitHead(tx, hr, { orgUnitId: a.id, employeeNo: bad })]);
      cases.push(["personId", (tx) => setOrgUnitHead(tx, hr, { orgUnitId: a.id, personId: bad || "nope" })]);
    }
    for (const [field, run] of cases) {
      const issues = await expectZodError(inTransaction(run));
      expect(issues.map((i) => i.path.join("."))).toContain(field);
    }
    expect(await Promise.all([root, a, b].map((u) => unitRow(u.id)))).toEqual(before);
    expect(await getDb().orgUnit.count()).toBe(count);
    expect(await auditSince(mark)).toEqual([]);
  });

  it("stores markup in a name verbatim (it is only text; React escapes it) and audits it as typed", async () => {
    const { actor: hr } = await makeActor(["HR"]);
    const unit = await makeOrgUnit();
    await rename(hr, { orgUnitId: unit.id, name: SCRIPT, nameEn: "R&D <Lab>" });
    expect(await unitRow(unit.id)).toMatchObject({ name: SCRIPT, nameEn: "R&D <Lab>" });
  });
});

describe("races", () => {
  it("two moves at once, A under B and B under A: exactly one succeeds, the other gets ORG_CYCLE, no cycle in the data", async () => {
    const { actor: hr1 } = await makeActor(["HR"]);
    const { actor: hr2 } = await makeActor(["SYSTEM_ADMIN"]);
    for (let round = 0; round < 6; round++) {
      const root = await makeOrgUnit();
      const a = await makeOrgUnit({ parentId: root.id });
      const a1 = await makeOrgUnit({ parentId: a.id });
      const b = await makeOrgUnit({ parentId: root.id });
      const b1 = await makeOrgUnit({ parentId: b.id });
      const mark = await auditMark();
      // Odd rounds hold the first transaction open after its move, so the second surely waits on the lock.
      const first = inTransaction(async (tx) => {
        const r = await moveOrgUnit(tx, hr1, { orgUnitId: a.id, parentId: b1.id });
        if (round % 2) await new Promise((resolve) => setTimeout(resolve, 150));
        return r;
      });
      const second = inTransaction((tx) => moveOrgUnit(tx, hr2, { orgUnitId: b.id, parentId: a1.id }));
      const results = await Promise.allSettled([first, second]);
      const ok = results.filter((r) => r.status === "fulfilled");
      const codes = results.flatMap((r) =>
        r.status === "rejected" ? [r.reason instanceof DomainError ? r.reason.code : String(r.reason)] : [],
      );
      expect(ok).toHaveLength(1);
      expect(codes).toEqual(["ORG_CYCLE"]);
      await expectConsistentPaths([root.id, a.id, a1.id, b.id, b1.id]);
      // Walking up from every unit reaches the root without meeting itself.
      for (const id of [a.id, a1.id, b.id, b1.id]) {
        const seen = new Set<string>();
        let at: string | null = id;
        while (at) {
          expect(seen.has(at)).toBe(false);
          seen.add(at);
          at = (await unitRow(at)).parentId;
        }
        expect(seen.has(root.id)).toBe(true);
      }
      expect((await auditSince(mark)).map((r) => r.action)).toEqual(["org-unit.moved"]);
    }
  });
});

import { describe, expect, it } from "vitest";
import { getDb, inTransaction } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { createPermission, updatePermission } from "@/lib/systems/permissions";
import { createJobRole } from "@/lib/systems/job-roles";
import { changeRoleMatrix } from "@/lib/systems/change-role-matrix";
import { updateBusinessSystem } from "@/lib/systems/update-business-system";
import {
  CATALOGUE_PAGE_SIZE,
  countOpenMatrixCells,
  getMatrixPage,
  getSystemDetail,
  listSystemPermissions,
  listSystemRoles,
  listSystems,
} from "@/lib/systems/queries";
import { auditMark, auditSince, expectDomainError, expectZodError, lastAuditRow, makeActor, makeSystem, uniq } from "../factories";

async function catalogFor(actor: Actor, systemId: string) {
  const suffix = uniq().toUpperCase();
  const [query, exportAll] = await inTransaction(async (tx) => [
    await createPermission(tx, actor, {
      systemId,
      code: `Q.${suffix}`,
      name: "查询客户资料",
      dataKind: "IDENTITY",
      sensitivity: "SENSITIVE",
      operation: "QUERY",
      reason: "New catalogue",
    }),
    await createPermission(tx, actor, {
      systemId,
      code: `X.${suffix}`,
      name: "批量导出",
      dataKind: "USER_DATA",
      sensitivity: "EXTREME",
      operation: "BULK_EXPORT",
      reason: "New catalogue",
    }),
  ]);
  const role = await inTransaction((tx) =>
    createJobRole(tx, actor, { systemId, code: `R.${suffix}`, name: "一线", reason: "New catalogue" }),
  );
  return { query, exportAll, role };
}

describe("business system catalogue", () => {
  it("lets a system's account administrator add classified permissions and roles, each audited with the reason", async () => {
    const system = await makeSystem();
    const admin = await makeActor([{ role: "ACCOUNT_ADMIN", systemId: system.id }]);
    const { query, role } = await catalogFor(admin.actor, system.id);
    expect(query).toMatchObject({ dataKind: "IDENTITY", sensitivity: "SENSITIVE", operation: "QUERY" });
    expect(await lastAuditRow({ action: "permission.created", targetId: query.id })).toMatchObject({
      actorId: admin.person.id,
      reason: "New catalogue",
      summary: { systemId: system.id, after: { code: query.code, sensitivity: "SENSITIVE" } },
    });
    expect(await lastAuditRow({ action: "job-role.created", targetId: role.id })).toMatchObject({ actorId: admin.person.id });
  });

  it("refuses an administrator of another system, and the portal's system administrator (R16), writing nothing", async () => {
    const system = await makeSystem();
    const other = await makeSystem();
    const otherAdmin = await makeActor([{ role: "ACCOUNT_ADMIN", systemId: other.id }]);
    const sysadmin = await makeActor(["SYSTEM_ADMIN"]);
    const mark = await auditMark();
    for (const actor of [otherAdmin.actor, sysadmin.actor]) {
      await expectDomainError(
        inTransaction((tx) =>
          createPermission(tx, actor, {
            systemId: system.id,
            code: "NOPE.X",
            name: "x",
            dataKind: "NONE",
            sensitivity: "LOW",
            operation: "QUERY",
            reason: "try",
          }),
        ),
        "FORBIDDEN",
      );
    }
    expect(await getDb().permission.count({ where: { systemId: system.id } })).toBe(0);
    expect(await auditSince(mark)).toEqual([]);
  });

  it("refuses duplicate codes and bad classifications", async () => {
    const system = await makeSystem();
    const admin = await makeActor([{ role: "ACCOUNT_ADMIN", systemId: system.id }]);
    const { query } = await catalogFor(admin.actor, system.id);
    await expectDomainError(
      inTransaction((tx) =>
        createPermission(tx, admin.actor, {
          systemId: system.id,
          code: query.code,
          name: "dup",
          dataKind: "NONE",
          sensitivity: "LOW",
          operation: "QUERY",
          reason: "dup",
        }),
      ),
      "ALREADY_EXISTS",
    );
    await expectZodError(
      inTransaction((tx) =>
        createPermission(tx, admin.actor, {
          systemId: system.id,
          code: "<script>",
          name: "x".repeat(10_000),
          dataKind: "SECRET" as never,
          sensitivity: "LOW",
          operation: "QUERY",
          reason: "",
        }),
      ),
    );
  });

  it("reclassifies a permission with a before/after summary", async () => {
    const system = await makeSystem();
    const admin = await makeActor([{ role: "ACCOUNT_ADMIN", systemId: system.id }]);
    const { exportAll } = await catalogFor(admin.actor, system.id);
    await inTransaction((tx) =>
      updatePermission(tx, admin.actor, {
        permissionId: exportAll.id,
        name: exportAll.name,
        dataKind: "USER_DATA",
        sensitivity: "SENSITIVE",
        operation: "BULK_EXPORT",
        isActive: true,
        reason: "Reviewed with security",
      }),
    );
    expect(await lastAuditRow({ action: "permission.updated", targetId: exportAll.id })).toMatchObject({
      summary: { before: { sensitivity: "EXTREME" }, after: { sensitivity: "SENSITIVE" } },
      reason: "Reviewed with security",
    });
  });
});

describe("role-permission matrix", () => {
  it("adds and removes cells set-based, end-dating rather than deleting, one audit row per role", async () => {
    const system = await makeSystem();
    const admin = await makeActor([{ role: "ACCOUNT_ADMIN", systemId: system.id }]);
    const { query, exportAll, role } = await catalogFor(admin.actor, system.id);
    const first = await inTransaction((tx) =>
      changeRoleMatrix(tx, admin.actor, {
        systemId: system.id,
        add: [
          { roleId: role.id, permissionId: query.id },
          { roleId: role.id, permissionId: exportAll.id },
        ],
        remove: [],
        reason: "Initial matrix",
      }),
    );
    expect(first).toEqual({ added: 2, removed: 0 });
    expect(await lastAuditRow({ action: "matrix.changed", targetId: role.id })).toMatchObject({
      summary: { systemId: system.id, role: role.code, added: [query.code, exportAll.code].sort(), removed: [] },
      reason: "Initial matrix",
    });

    // Adding again is a no-op; removing end-dates the cell.
    const second = await inTransaction((tx) =>
      changeRoleMatrix(tx, admin.actor, {
        systemId: system.id,
        add: [{ roleId: role.id, permissionId: query.id }],
        remove: [{ roleId: role.id, permissionId: exportAll.id }],
        reason: "No bulk export for the front line",
      }),
    );
    expect(second).toEqual({ added: 0, removed: 1 });
    const cells = await getDb().rolePermission.findMany({ where: { roleId: role.id }, orderBy: { startsAt: "asc" } });
    expect(cells).toHaveLength(2);
    expect(cells.find((c) => c.permissionId === exportAll.id)?.endsAt).toBeInstanceOf(Date);
    expect(cells.find((c) => c.permissionId === query.id)?.endsAt).toBeNull();

    expect((await getMatrixPage(system.id)).cells).toEqual([`${role.id}:${query.id}`]);
  });

  it("refuses cells of another system's roles or permissions, writing nothing", async () => {
    const system = await makeSystem();
    const other = await makeSystem();
    const admin = await makeActor([
      { role: "ACCOUNT_ADMIN", systemId: system.id },
      { role: "ACCOUNT_ADMIN", systemId: other.id },
    ]);
    const mine = await catalogFor(admin.actor, system.id);
    const theirs = await catalogFor(admin.actor, other.id);
    const mark = await auditMark();
    await expectDomainError(
      inTransaction((tx) =>
        changeRoleMatrix(tx, admin.actor, {
          systemId: system.id,
          add: [{ roleId: mine.role.id, permissionId: theirs.query.id }],
          remove: [],
          reason: "Cross-system",
        }),
      ),
      "NOT_FOUND",
    );
    expect(await auditSince(mark)).toEqual([]);
  });

  it("two administrators adding the same cell at once: one cell, one audit row", async () => {
    const system = await makeSystem();
    const a = await makeActor([{ role: "ACCOUNT_ADMIN", systemId: system.id }]);
    const b = await makeActor([{ role: "ACCOUNT_ADMIN", systemId: system.id }]);
    const { query, role } = await catalogFor(a.actor, system.id);
    const mark = await auditMark();
    const results = await Promise.all(
      [a.actor, b.actor].map((actor) =>
        inTransaction((tx) =>
          changeRoleMatrix(tx, actor, {
            systemId: system.id,
            add: [{ roleId: role.id, permissionId: query.id }],
            remove: [],
            reason: "Same change",
          }),
        ),
      ),
    );
    expect(results.map((r) => r.added).sort()).toEqual([0, 1]);
    expect(await getDb().rolePermission.count({ where: { roleId: role.id, endsAt: null } })).toBe(1);
    expect((await auditSince(mark)).filter((e) => e.action === "matrix.changed")).toHaveLength(1);
  });
});

describe("system registry", () => {
  it("lets the system administrator change a system, and scopes lists to an account administrator's systems", async () => {
    const system = await makeSystem();
    const other = await makeSystem();
    const sysadmin = await makeActor(["SYSTEM_ADMIN"]);
    await inTransaction((tx) =>
      updateBusinessSystem(tx, sysadmin.actor, {
        systemId: system.id,
        name: "Renamed",
        environment: "PRODUCTION",
        kind: "FRONT_END",
        ownerOrgId: system.ownerOrgId,
        isConnected: true,
        reason: "Went live",
      }),
    );
    expect(await lastAuditRow({ action: "system.updated", targetId: system.id })).toMatchObject({
      summary: { after: { name: "Renamed", environment: "PRODUCTION", kind: "FRONT_END", isConnected: true } },
      reason: "Went live",
    });
    const admin = await makeActor([{ role: "ACCOUNT_ADMIN", systemId: system.id }]);
    const visible = (await listSystems(admin.actor)).map((s) => s.id);
    expect(visible).toEqual([system.id]);
    expect(await getSystemDetail(admin.actor, other.id)).toBe("forbidden");
  });
});

// Issue 13: a system's page carried every role, every permission and every matrix cell (1.7 MB for a
// 150 × 40 system). The catalogues and the matrix are read a page at a time, on the (system, code) keyset.
describe("a system's catalogues and matrix, a page at a time", () => {
  it("pages permissions and roles by code, and a matrix page holds only its own roles' and permissions' open cells", async () => {
    const system = await makeSystem();
    const db = getDb();
    await db.permission.createMany({
      data: Array.from({ length: 23 }, (_, k) => ({
        systemId: system.id,
        code: `P.${String(k).padStart(2, "0")}`,
        name: `权限${k}`,
        dataKind: "NONE" as const,
        sensitivity: "LOW" as const,
        operation: "QUERY" as const,
        isActive: k !== 5,
      })),
    });
    await db.jobRole.createMany({
      data: Array.from({ length: 27 }, (_, r) => ({ systemId: system.id, code: `R.${String(r).padStart(2, "0")}`, name: `角色${r}` })),
    });
    const [permissions, roles] = await Promise.all([
      db.permission.findMany({ where: { systemId: system.id }, orderBy: { code: "asc" } }),
      db.jobRole.findMany({ where: { systemId: system.id }, orderBy: { code: "asc" } }),
    ]);
    // A diagonal of open cells and one ended cell (history, never shown).
    await db.rolePermission.createMany({
      data: [
        ...roles.map((r, i) => ({ roleId: r.id, permissionId: permissions[i % permissions.length]!.id })),
        { roleId: roles[1]!.id, permissionId: permissions[2]!.id, endsAt: new Date(Date.now() - 86_400_000) },
      ],
    });

    const first = await listSystemPermissions(system.id, { pageSize: 25 });
    expect(first.rows.map((p) => p.code)).toEqual(permissions.slice(0, 23).map((p) => p.code));
    expect(first.nextCursor).toBeNull();
    expect((await listSystemPermissions(system.id)).rows).toHaveLength(CATALOGUE_PAGE_SIZE);
    const small = await listSystemPermissions(system.id, { pageSize: 10 });
    expect(small.rows).toHaveLength(10);
    const next = await listSystemPermissions(system.id, { pageSize: 10, cursor: small.nextCursor });
    expect(next.rows[0]!.code).toBe("P.10");
    // A cursor that is not one of ours is the first page, never an error.
    expect((await listSystemPermissions(system.id, { pageSize: 10, cursor: "garbage!" })).rows[0]!.code).toBe("P.00");

    const rolePage = await listSystemRoles(system.id, { pageSize: 25 });
    expect(rolePage.rows).toHaveLength(25);
    expect(await listSystemRoles(system.id)).toMatchObject({ rows: { length: CATALOGUE_PAGE_SIZE } });
    const roleRest = await listSystemRoles(system.id, { pageSize: 25, cursor: rolePage.nextCursor });
    expect(roleRest.rows.map((r) => r.code)).toEqual(["R.25", "R.26"]);
    expect(roleRest.nextCursor).toBeNull();

    const matrix = await getMatrixPage(system.id);
    expect(matrix.roles.rows).toHaveLength(25);
    // 20 active permissions a page: P.05 is inactive, so the first page runs to P.20.
    expect(matrix.permissions.rows.map((p) => p.code)).not.toContain("P.05");
    expect(matrix.permissions.rows.at(-1)!.code).toBe("P.20");
    const shownRoles = new Set(matrix.roles.rows.map((r) => r.id));
    const shownPermissions = new Set(matrix.permissions.rows.map((p) => p.id));
    const expected = roles
      .map((r, i) => [r.id, permissions[i % permissions.length]!] as const)
      .filter(([r, p]) => shownRoles.has(r) && shownPermissions.has(p.id) && p.isActive)
      .map(([r, p]) => `${r}:${p.id}`)
      .sort();
    expect([...matrix.cells].sort()).toEqual(expected);
    const later = await getMatrixPage(system.id, { roles: matrix.roles.nextCursor, perms: matrix.permissions.nextCursor });
    expect(later.roles.rows.map((r) => r.code)).toEqual(["R.25", "R.26"]);
    expect(later.permissions.rows.map((p) => p.code)).toEqual(["P.21", "P.22"]);
    // R.25 × P.02 and R.26 × P.03 are not on this page's permission axis.
    expect(later.cells).toEqual([]);
    expect(await countOpenMatrixCells(system.id)).toBe(27);
  });
});

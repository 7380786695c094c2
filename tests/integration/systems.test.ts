import { describe, expect, it } from "vitest";
import { getDb, inTransaction } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { createPermission, updatePermission } from "@/lib/systems/permissions";
import { createJobRole } from "@/lib/systems/job-roles";
import { changeRoleMatrix } from "@/lib/systems/change-role-matrix";
import { updateBusinessSystem } from "@/lib/systems/update-business-system";
import { getSystemDetail, listSystems } from "@/lib/systems/queries";
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

    const detail = await getSystemDetail(admin.actor, system.id);
    expect(detail !== null && detail !== "forbidden" && detail.matrix).toEqual([`${role.id}:${query.id}`]);
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

import { describe, expect, it } from "vitest";
import type { PersonActor, RoleGrant } from "@/lib/authz/actor";
import { assertCan, can, incompatibleRoleFor } from "@/lib/authz/can";
import { navigationFor } from "@/lib/authz/navigation";
import { PERMISSIONS } from "@/lib/authz/permissions";
import { DomainError } from "@/lib/errors";

function actor(roles: Partial<RoleGrant>[] = []): PersonActor {
  return {
    kind: "person",
    personId: "p",
    accountId: "a",
    name: "n",
    employeeNo: "E1",
    orgUnitId: "o",
    sessionId: "s",
    roles: roles.map((r) => ({
      role: r.role ?? "HR",
      systemId: r.systemId ?? null,
      orgUnitId: r.orgUnitId ?? null,
      orgUnitPath: r.orgUnitPath ?? null,
    })),
    ctx: { requestId: "r", ip: null, userAgent: null },
  };
}

describe("can()", () => {
  it("lets staff do only self-service", () => {
    const staff = actor();
    for (const permission of Object.keys(PERMISSIONS) as (keyof typeof PERMISSIONS)[]) {
      expect(can(staff, permission)).toBe(permission.startsWith("self:"));
    }
  });
  it("gives the audit trail to security officers only", () => {
    expect(can(actor([{ role: "SECURITY_OFFICER" }]), "audit:read")).toBe(true);
    expect(can(actor([{ role: "SYSTEM_ADMIN" }]), "audit:read")).toBe(false);
    expect(can(actor([{ role: "HR" }]), "audit:read")).toBe(false);
  });
  it("scopes approvers to their org subtree", () => {
    const head = actor([{ role: "APPROVER", orgUnitPath: "/root/mkt/" }]);
    expect(can(head, "people:read", { orgUnitPath: "/root/mkt/cs/" })).toBe(true);
    expect(can(head, "people:read", { orgUnitPath: "/root/mkt/" })).toBe(true);
    expect(can(head, "people:read", { orgUnitPath: "/root/net/" })).toBe(false);
    expect(can(head, "people:read", { orgUnitPath: "/root/mktx/" })).toBe(false);
  });
  it("scopes account administrators to their systems", () => {
    const admin = actor([{ role: "ACCOUNT_ADMIN", systemId: "crm" }]);
    expect(can(admin, "systems:read", { systemId: "crm" })).toBe(true);
    expect(can(admin, "systems:read", { systemId: "boss" })).toBe(false);
  });
  it("denies unknown permissions", () => {
    expect(can(actor([{ role: "SYSTEM_ADMIN" }]), "nope" as never)).toBe(false);
  });
  it("assertCan throws a FORBIDDEN DomainError", () => {
    expect(() => assertCan(actor(), "settings:manage")).toThrow(DomainError);
    try {
      assertCan(actor(), "settings:manage");
    } catch (e) {
      expect((e as DomainError).code).toBe("FORBIDDEN");
      expect((e as DomainError).status).toBe(403);
    }
  });
});

describe("separation of duties between portal roles", () => {
  it("refuses account administrator + security officer both ways", () => {
    expect(incompatibleRoleFor(["ACCOUNT_ADMIN"], "SECURITY_OFFICER")).toBe("ACCOUNT_ADMIN");
    expect(incompatibleRoleFor(["SECURITY_OFFICER"], "ACCOUNT_ADMIN")).toBe("SECURITY_OFFICER");
  });
  it("refuses system administrator + security officer", () => {
    expect(incompatibleRoleFor(["SYSTEM_ADMIN"], "SECURITY_OFFICER")).toBe("SYSTEM_ADMIN");
  });
  it("allows compatible pairs", () => {
    expect(incompatibleRoleFor(["HR"], "APPROVER")).toBeNull();
    expect(incompatibleRoleFor(["ACCOUNT_ADMIN"], "APPROVER")).toBeNull();
  });
});

describe("role-based navigation", () => {
  const keys = (a: PersonActor) => navigationFor(a).map((n) => n.key);
  it("shows staff only their own pages", () => {
    const staff = keys(actor());
    for (const k of ["home", "myAccess", "delegation", "account"]) expect(staff).toContain(k);
    for (const k of ["people", "audit", "settings", "portalRoles", "elevations", "roster"]) expect(staff).not.toContain(k);
  });
  it("shows active elevations to officers and account administrators, not to approvers", () => {
    expect(keys(actor([{ role: "SECURITY_OFFICER" }]))).toContain("elevations");
    expect(keys(actor([{ role: "ACCOUNT_ADMIN", systemId: "crm" }]))).toContain("elevations");
    expect(keys(actor([{ role: "APPROVER", orgUnitPath: "/root/" }]))).not.toContain("elevations");
  });
  it("shows the officer the audit trail but not settings", () => {
    const k = keys(actor([{ role: "SECURITY_OFFICER" }]));
    expect(k).toContain("audit");
    expect(k).not.toContain("settings");
  });
  it("shows everyone their requests; the approvals inbox to approver roles and to anyone with open items", () => {
    expect(keys(actor())).toContain("requests");
    expect(keys(actor())).not.toContain("approvals");
    for (const role of [
      { role: "APPROVER" as const, orgUnitPath: "/root/" },
      { role: "ACCOUNT_ADMIN" as const, systemId: "crm" },
      { role: "SECURITY_OFFICER" as const },
    ]) {
      expect(keys(actor([role]))).toContain("approvals");
    }
    const withItems = navigationFor(actor(), { openApprovals: 3 }).find((n) => n.key === "approvals");
    expect(withItems).toMatchObject({ href: "/approvals", badge: 3 });
  });
  it("shows 'Reviews to do' only to whoever has open review items, with the count, whatever their roles", () => {
    expect(keys(actor())).not.toContain("reviewInbox");
    expect(keys(actor([{ role: "SECURITY_OFFICER" }]))).not.toContain("reviewInbox");
    expect(navigationFor(actor(), { openReviews: 0 }).map((n) => n.key)).not.toContain("reviewInbox");
    expect(navigationFor(actor(), { openReviews: 7 }).find((n) => n.key === "reviewInbox")).toMatchObject({
      href: "/reviews/inbox",
      badge: 7,
    });
  });
  it("shows the system administrator settings but not the audit trail", () => {
    const k = keys(actor([{ role: "SYSTEM_ADMIN" }]));
    expect(k).toContain("settings");
    expect(k).not.toContain("audit");
  });
});

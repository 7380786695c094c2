import { createTranslator } from "next-intl";
import { describe, expect, it } from "vitest";
import {
  BUSINESS_DEPARTMENT_CATEGORIES,
  evaluateGrant,
  evaluateHoldings,
  isSensitive,
  POLICY_VIOLATION_CODES,
  type DirectPermissionCandidate,
  type Holding,
  type JobCategory,
  type PolicyPermission,
  type PolicyPerson,
  type PolicyRole,
  type PolicySystem,
  type PolicyViolation,
  type RoleGrantCandidate,
  type SlaveAccountFacts,
  type SodRule,
} from "@/lib/policy/engine";
import en from "@/messages/en.json";
import zh from "@/messages/zh-CN.json";

// --- fixtures ---------------------------------------------------------------------------------

let seq = 0;
const uid = (prefix: string) => `${prefix}-${++seq}`;

function person(over: Partial<PolicyPerson> = {}): PolicyPerson {
  return {
    id: "person-1",
    employmentType: "EMPLOYEE",
    status: "ACTIVE",
    jobCategories: ["PRODUCTION_OPERATIONS"],
    masterAccountId: "master-1",
    ...over,
  };
}

function system(over: Partial<PolicySystem> = {}): PolicySystem {
  const id = over.id ?? uid("sys");
  return { id, name: `System ${id}`, environment: "PRODUCTION", kind: "BACK_END", ...over };
}

function permission(sys: PolicySystem, over: Partial<PolicyPermission> = {}): PolicyPermission {
  const id = over.id ?? uid("perm");
  return {
    id,
    code: id,
    name: `Permission ${id}`,
    systemId: sys.id,
    dataKind: "NONE",
    sensitivity: "LOW",
    operation: "QUERY",
    isLogManagement: false,
    isAccountCreation: false,
    ...over,
  };
}

function role(sys: PolicySystem, permissions: PolicyPermission[] = [], over: Partial<PolicyRole> = {}): PolicyRole {
  const id = over.id ?? uid("role");
  return { id, name: `Role ${id}`, systemId: sys.id, isAdministrative: false, permissions, ...over };
}

function ownAccount(sys: PolicySystem, over: Partial<SlaveAccountFacts> = {}): SlaveAccountFacts {
  return { id: uid("slave"), systemId: sys.id, masterAccountIds: ["master-1"], ...over };
}

function candidate(over: Partial<RoleGrantCandidate> & { system: PolicySystem; role: PolicyRole }): RoleGrantCandidate {
  return { kind: "ROLE", person: person(), holdings: [], sodRules: [], slaveAccount: null, personSlaveAccounts: [], ...over };
}

function holding(sys: PolicySystem, r: PolicyRole, over: Partial<Holding> = {}): Holding {
  return { grantId: uid("grant"), system: sys, role: r, ...over };
}

// A role with one permission on a fresh system: the common shape of a test case.
function single(permOver: Partial<PolicyPermission> = {}, sysOver: Partial<PolicySystem> = {}, roleOver: Partial<PolicyRole> = {}) {
  const sys = system(sysOver);
  const perm = permission(sys, permOver);
  return { sys, perm, role: role(sys, [perm], roleOver) };
}

const codes = (vs: PolicyViolation[]) => vs.map((v) => v.code);

// Every violation produced below is also rendered in both languages (see the last describe).
const seen: PolicyViolation[] = [];
function grant(c: RoleGrantCandidate | DirectPermissionCandidate): PolicyViolation[] {
  const vs = evaluateGrant(c);
  seen.push(...vs);
  return vs;
}
function holdings(...args: Parameters<typeof evaluateHoldings>): PolicyViolation[] {
  const vs = evaluateHoldings(...args);
  seen.push(...vs);
  return vs;
}

// --- tests ------------------------------------------------------------------------------------

describe("isSensitive", () => {
  it("treats extremely sensitive and sensitive as sensitive by default", () => {
    const sys = system();
    expect(isSensitive(permission(sys, { sensitivity: "EXTREME" }))).toBe(true);
    expect(isSensitive(permission(sys, { sensitivity: "SENSITIVE" }))).toBe(true);
    expect(isSensitive(permission(sys, { sensitivity: "RELATIVE" }))).toBe(false);
    expect(isSensitive(permission(sys, { sensitivity: "LOW" }))).toBe(false);
  });
  it("follows the configured levels", () => {
    const sys = system();
    expect(isSensitive(permission(sys, { sensitivity: "RELATIVE" }), ["EXTREME", "SENSITIVE", "RELATIVE"])).toBe(true);
    expect(isSensitive(permission(sys, { sensitivity: "SENSITIVE" }), ["EXTREME"])).toBe(false);
  });
});

describe("evaluateGrant: a clean grant", () => {
  it("allows an active employee a harmless role on a new account", () => {
    const { sys, role: r } = single();
    expect(grant(candidate({ system: sys, role: r }))).toEqual([]);
  });
  it("allows it on the person's own existing account of that system", () => {
    const { sys, role: r } = single();
    const account = ownAccount(sys);
    expect(grant(candidate({ system: sys, role: r, slaveAccount: account, personSlaveAccounts: [account] }))).toEqual([]);
  });
});

describe("R1 roles, not permissions", () => {
  it("refuses a direct permission grant, citing R1", () => {
    const { sys, perm } = single();
    const vs = grant({ kind: "PERMISSION", person: person(), system: sys, permission: perm, holdings: [], sodRules: [] });
    expect(vs).toEqual([
      {
        code: "DIRECT_PERMISSION_GRANT",
        rule: "R1",
        params: { permission: perm.name, system: sys.name },
        subject: { grantId: null, systemId: sys.id, roleId: null, permissionId: perm.id },
        allowsTemporaryElevation: false,
      },
    ]);
  });
});

describe("R2 one person, one account", () => {
  it("refuses people who have left or are suspended", () => {
    const { sys, role: r } = single();
    for (const status of ["LEFT", "SUSPENDED"] as const) {
      const vs = grant(candidate({ system: sys, role: r, person: person({ status }) }));
      expect(vs).toHaveLength(1);
      expect(vs[0]).toMatchObject({
        code: "PERSON_NOT_ACTIVE",
        rule: "R2",
        params: { status, role: r.name, system: sys.name },
        subject: { grantId: null, roleId: r.id },
      });
    }
  });
  it("refuses a person without a master account", () => {
    const { sys, role: r } = single();
    expect(codes(grant(candidate({ system: sys, role: r, person: person({ masterAccountId: null }) })))).toEqual(["NO_MASTER_ACCOUNT"]);
  });
  it("refuses granting on another person's slave account", () => {
    const { sys, role: r } = single();
    const vs = grant(candidate({ system: sys, role: r, slaveAccount: ownAccount(sys, { masterAccountIds: ["master-2"] }) }));
    expect(codes(vs)).toEqual(["ACCOUNT_OF_ANOTHER_PERSON"]);
  });
  it("refuses shared and orphan slave accounts", () => {
    const { sys, role: r } = single();
    const shared = grant(
      candidate({ system: sys, role: r, slaveAccount: ownAccount(sys, { masterAccountIds: ["master-1", "master-2"] }) }),
    );
    expect(shared).toMatchObject([{ code: "SHARED_ACCOUNT", rule: "R2", params: { count: "2" } }]);
    const orphan = grant(candidate({ system: sys, role: r, slaveAccount: ownAccount(sys, { masterAccountIds: [] }) }));
    expect(codes(orphan)).toEqual(["ORPHAN_ACCOUNT"]);
  });
  it("refuses a slave account of another system", () => {
    const { sys, role: r } = single();
    expect(codes(grant(candidate({ system: sys, role: r, slaveAccount: ownAccount(system()) })))).toEqual(["ACCOUNT_OF_ANOTHER_SYSTEM"]);
  });
  it("refuses a second slave account on the same system", () => {
    const { sys, role: r } = single();
    const existing = ownAccount(sys);
    expect(codes(grant(candidate({ system: sys, role: r, slaveAccount: null, personSlaveAccounts: [existing] })))).toEqual([
      "DUPLICATE_SLAVE_ACCOUNT",
    ]);
    const second = ownAccount(sys);
    expect(codes(grant(candidate({ system: sys, role: r, slaveAccount: second, personSlaveAccounts: [existing, second] })))).toEqual([
      "DUPLICATE_SLAVE_ACCOUNT",
    ]);
    // Accounts on other systems are fine.
    expect(grant(candidate({ system: sys, role: r, personSlaveAccounts: [ownAccount(system())] }))).toEqual([]);
  });
});

describe("R4 no sensitive permissions to third parties", () => {
  const thirdParty = person({ employmentType: "THIRD_PARTY", jobCategories: ["OPS_APPLICATION_ADMIN"] });
  it("hard-blocks a sensitive permission for a third party", () => {
    for (const sensitivity of ["EXTREME", "SENSITIVE"] as const) {
      const { sys, perm, role: r } = single({ sensitivity, dataKind: "USER_DATA" });
      const vs = grant(candidate({ system: sys, role: r, person: thirdParty }));
      expect(vs).toEqual([
        {
          code: "THIRD_PARTY_SENSITIVE_PERMISSION",
          rule: "R4",
          params: { role: r.name, system: sys.name, permission: perm.name, sensitivity },
          subject: { grantId: null, systemId: sys.id, roleId: r.id, permissionId: perm.id },
          allowsTemporaryElevation: false,
        },
      ]);
    }
  });
  it("allows the same permission to an employee", () => {
    const { sys, role: r } = single({ sensitivity: "EXTREME", dataKind: "USER_DATA" });
    expect(grant(candidate({ system: sys, role: r, person: person({ jobCategories: ["OPS_APPLICATION_ADMIN"] }) }))).toEqual([]);
  });
  it("respects the sensitive-levels setting", () => {
    const { sys, role: r } = single({ sensitivity: "RELATIVE", dataKind: "USER_DATA" });
    expect(grant(candidate({ system: sys, role: r, person: thirdParty }))).toEqual([]);
    expect(
      codes(grant(candidate({ system: sys, role: r, person: thirdParty, sensitiveLevels: ["EXTREME", "SENSITIVE", "RELATIVE"] }))),
    ).toEqual(["THIRD_PARTY_SENSITIVE_PERMISSION"]);
    const sensitive = single({ sensitivity: "SENSITIVE", dataKind: "USER_DATA" });
    expect(grant(candidate({ system: sensitive.sys, role: sensitive.role, person: thirdParty, sensitiveLevels: ["EXTREME"] }))).toEqual([]);
  });
  it("names each sensitive permission of the role", () => {
    const sys = system();
    const a = permission(sys, { sensitivity: "EXTREME" });
    const b = permission(sys, { sensitivity: "LOW" });
    const c = permission(sys, { sensitivity: "SENSITIVE" });
    const vs = grant(candidate({ system: sys, role: role(sys, [a, b, c]), person: thirdParty }));
    expect(vs.map((v) => v.subject.permissionId)).toEqual([a.id, c.id]);
  });
});

describe("R6 separation of duties: front-end operation vs back-end log management", () => {
  const front = () => single({}, { kind: "FRONT_END" });
  const backWithLog = () => single({ isLogManagement: true }, { kind: "BACK_END" });

  it("refuses a back-end log-management account to a front-end operator", () => {
    const f = front();
    const b = backWithLog();
    const held = holding(f.sys, f.role);
    const vs = grant(candidate({ system: b.sys, role: b.role, holdings: [held] }));
    expect(vs).toEqual([
      {
        code: "SOD_FRONT_END_LOG_MANAGEMENT",
        rule: "R6",
        params: { frontRole: f.role.name, frontSystem: f.sys.name, backRole: b.role.name, backSystem: b.sys.name, permission: b.perm.name },
        subject: { grantId: null, systemId: b.sys.id, roleId: b.role.id, permissionId: b.perm.id },
        conflictsWith: { grantId: held.grantId, systemId: f.sys.id, roleId: f.role.id, permissionId: null },
        allowsTemporaryElevation: false,
      },
    ]);
  });
  it("refuses a front-end account to a holder of back-end log management (reverse order)", () => {
    const f = front();
    const b = backWithLog();
    const held = holding(b.sys, b.role);
    const vs = grant(candidate({ system: f.sys, role: f.role, holdings: [held] }));
    expect(vs).toHaveLength(1);
    expect(vs[0]).toMatchObject({
      code: "SOD_FRONT_END_LOG_MANAGEMENT",
      subject: { grantId: null, systemId: f.sys.id, roleId: f.role.id, permissionId: null },
      conflictsWith: { grantId: held.grantId, roleId: b.role.id, permissionId: b.perm.id },
    });
  });
  it("allows back-end roles without log management, and log management off back-end systems", () => {
    const f = front();
    const plainBack = single({}, { kind: "BACK_END" });
    const platformLog = single({ isLogManagement: true }, { kind: "PLATFORM" });
    const held = [holding(f.sys, f.role)];
    expect(grant(candidate({ system: plainBack.sys, role: plainBack.role, holdings: held }))).toEqual([]);
    expect(grant(candidate({ system: platformLog.sys, role: platformLog.role, holdings: held }))).toEqual([]);
    const b = backWithLog();
    expect(grant(candidate({ system: b.sys, role: b.role, holdings: [holding(plainBack.sys, plainBack.role)] }))).toEqual([]);
  });
});

describe("R6 configured incompatible pairs", () => {
  it("refuses an incompatible role pair in either order", () => {
    const x = single();
    const y = single();
    const rules: SodRule[] = [{ id: "sod-1", kind: "ROLE_PAIR", roleIds: [x.role.id, y.role.id], description: "Maker and checker" }];
    const heldY = holding(y.sys, y.role);
    const vs = grant(candidate({ system: x.sys, role: x.role, holdings: [heldY], sodRules: rules }));
    expect(vs).toMatchObject([
      {
        code: "SOD_ROLE_PAIR",
        rule: "R6",
        params: {
          role: x.role.name,
          system: x.sys.name,
          otherRole: y.role.name,
          otherSystem: y.sys.name,
          description: "Maker and checker",
        },
        subject: { grantId: null, roleId: x.role.id },
        conflictsWith: { grantId: heldY.grantId, roleId: y.role.id },
      },
    ]);
    const heldX = holding(x.sys, x.role);
    expect(grant(candidate({ system: y.sys, role: y.role, holdings: [heldX], sodRules: rules }))).toMatchObject([
      { code: "SOD_ROLE_PAIR", subject: { roleId: y.role.id }, conflictsWith: { grantId: heldX.grantId } },
    ]);
  });
  it("allows roles outside the configured pairs", () => {
    const x = single();
    const y = single();
    const z = single();
    const rules: SodRule[] = [{ id: "sod-1", kind: "ROLE_PAIR", roleIds: [x.role.id, y.role.id], description: "Maker and checker" }];
    expect(grant(candidate({ system: z.sys, role: z.role, holdings: [holding(y.sys, y.role)], sodRules: rules }))).toEqual([]);
  });
  it("refuses an incompatible permission pair in either order", () => {
    const x = single();
    const y = single();
    const rules: SodRule[] = [
      { id: "sod-2", kind: "PERMISSION_PAIR", permissionIds: [x.perm.id, y.perm.id], description: "Maker and checker" },
    ];
    const heldY = holding(y.sys, y.role);
    expect(grant(candidate({ system: x.sys, role: x.role, holdings: [heldY], sodRules: rules }))).toMatchObject([
      {
        code: "SOD_PERMISSION_PAIR",
        rule: "R6",
        params: {
          permission: x.perm.name,
          otherPermission: y.perm.name,
          role: x.role.name,
          otherRole: y.role.name,
          description: "Maker and checker",
        },
        subject: { grantId: null, permissionId: x.perm.id },
        conflictsWith: { grantId: heldY.grantId, permissionId: y.perm.id },
      },
    ]);
    expect(grant(candidate({ system: y.sys, role: y.role, holdings: [holding(x.sys, x.role)], sodRules: rules }))).toMatchObject([
      { code: "SOD_PERMISSION_PAIR", subject: { permissionId: y.perm.id }, conflictsWith: { permissionId: x.perm.id } },
    ]);
  });
  it("refuses a role whose own matrix holds both permissions of a pair", () => {
    const sys = system();
    const a = permission(sys);
    const b = permission(sys);
    const r = role(sys, [a, b]);
    const vs = grant(
      candidate({
        system: sys,
        role: r,
        sodRules: [{ id: "sod-3", kind: "PERMISSION_PAIR", permissionIds: [a.id, b.id], description: "Maker and checker" }],
      }),
    );
    expect(vs).toMatchObject([
      { code: "SOD_PERMISSION_PAIR", subject: { grantId: null, permissionId: a.id }, conflictsWith: { grantId: null, permissionId: b.id } },
    ]);
  });
});

describe("R10 third-party accounts", () => {
  const thirdParty = person({ employmentType: "THIRD_PARTY", jobCategories: ["OPS_APPLICATION_ADMIN"] });
  it("refuses an administrative role, allowing temporary elevation", () => {
    const { sys, role: r } = single({}, {}, { isAdministrative: true });
    expect(grant(candidate({ system: sys, role: r, person: thirdParty }))).toEqual([
      {
        code: "THIRD_PARTY_ADMIN_ROLE",
        rule: "R10",
        params: { role: r.name, system: sys.name },
        subject: { grantId: null, systemId: sys.id, roleId: r.id, permissionId: null },
        allowsTemporaryElevation: true,
      },
    ]);
  });
  it("refuses the right to create accounts", () => {
    const { sys, perm, role: r } = single({ isAccountCreation: true });
    expect(grant(candidate({ system: sys, role: r, person: thirdParty }))).toMatchObject([
      { code: "THIRD_PARTY_ACCOUNT_CREATION", rule: "R10", subject: { permissionId: perm.id }, allowsTemporaryElevation: true },
    ]);
  });
  it("allows both to employees", () => {
    const { sys, role: r } = single({ isAccountCreation: true }, {}, { isAdministrative: true });
    expect(grant(candidate({ system: sys, role: r, person: person({ jobCategories: ["OPS_APPLICATION_ADMIN"] }) }))).toEqual([]);
  });
});

describe("R10 approved temporary elevation", () => {
  const thirdParty = person({ employmentType: "THIRD_PARTY", jobCategories: ["OPS_APPLICATION_ADMIN"] });
  it("waives the administrative-role and account-creation rules for that grant", () => {
    const { sys, role: r } = single({ isAccountCreation: true }, {}, { isAdministrative: true });
    const c = candidate({ system: sys, role: r, person: thirdParty });
    expect(codes(grant(c)).sort()).toEqual(["THIRD_PARTY_ACCOUNT_CREATION", "THIRD_PARTY_ADMIN_ROLE"]);
    expect(evaluateGrant(c, { elevation: true })).toEqual([]);
  });
  it("never waives R4: sensitive permissions stay refused to third parties", () => {
    const { sys, role: r } = single({ sensitivity: "SENSITIVE" }, {}, { isAdministrative: true });
    expect(codes(evaluateGrant(candidate({ system: sys, role: r, person: thirdParty }), { elevation: true }))).toEqual([
      "THIRD_PARTY_SENSITIVE_PERMISSION",
    ]);
  });
  it("never waives R2: an inactive third party or one without a master account", () => {
    const { sys, role: r } = single({}, {}, { isAdministrative: true });
    const gone = person({ employmentType: "THIRD_PARTY", status: "SUSPENDED", masterAccountId: null });
    expect(codes(evaluateGrant(candidate({ system: sys, role: r, person: gone }), { elevation: true })).sort()).toEqual([
      "NO_MASTER_ACCOUNT",
      "PERSON_NOT_ACTIVE",
    ]);
  });
  it("never waives R6: a configured incompatible pair still refuses the elevation", () => {
    const sys = system();
    const held = role(sys, [permission(sys)]);
    const r = role(sys, [permission(sys)], { isAdministrative: true });
    const c = candidate({
      system: sys,
      role: r,
      person: thirdParty,
      holdings: [holding(sys, held)],
      sodRules: [{ id: "sod-e", kind: "ROLE_PAIR", roleIds: [held.id, r.id], description: "Maker and checker" }],
    });
    expect(codes(evaluateGrant(c, { elevation: true }))).toEqual(["SOD_ROLE_PAIR"]);
  });
});

describe("job-role catalogue (least privilege, R16)", () => {
  const as = (...jobCategories: JobCategory[]) => person({ jobCategories });

  it("super administrators never query customer information", () => {
    const q = single({ operation: "QUERY", dataKind: "IDENTITY" });
    expect(grant(candidate({ system: q.sys, role: q.role, person: as("OPS_INFRASTRUCTURE_ADMIN") }))).toMatchObject([
      { code: "SUPER_ADMIN_CUSTOMER_QUERY", rule: "R16", subject: { permissionId: q.perm.id } },
    ]);
    const noCustomerData = single({ operation: "QUERY", dataKind: "NONE" });
    expect(grant(candidate({ system: noCustomerData.sys, role: noCustomerData.role, person: as("OPS_INFRASTRUCTURE_ADMIN") }))).toEqual([]);
    // Application administrators may query.
    expect(grant(candidate({ system: q.sys, role: q.role, person: as("OPS_APPLICATION_ADMIN") }))).toEqual([]);
  });

  it("development and test staff get no roles on production systems", () => {
    const prod = single({}, { environment: "PRODUCTION" });
    expect(grant(candidate({ system: prod.sys, role: prod.role, person: as("DEV_TEST") }))).toMatchObject([
      { code: "DEV_TEST_PRODUCTION_SYSTEM", rule: "R16", subject: { roleId: prod.role.id, permissionId: null } },
    ]);
    const test = single({ dataKind: "USER_DATA", operation: "MODIFY" }, { environment: "TEST" });
    expect(grant(candidate({ system: test.sys, role: test.role, person: as("DEV_TEST") }))).toEqual([]);
  });

  it("business-department staff never get bulk export of customer information", () => {
    const exp = single({ operation: "BULK_EXPORT", dataKind: "SERVICE_DATA" });
    for (const category of BUSINESS_DEPARTMENT_CATEGORIES) {
      const vs = grant(candidate({ system: exp.sys, role: exp.role, person: as(category) }));
      expect(vs.filter((v) => v.code === "BUSINESS_BULK_EXPORT")).toMatchObject([
        { rule: "R16", params: { category }, subject: { permissionId: exp.perm.id } },
      ]);
      // Reported once, not again as a query-only breach.
      expect(codes(vs)).not.toContain("QUERY_ONLY_CUSTOMER_INFO_OPERATION");
    }
    expect(grant(candidate({ system: exp.sys, role: exp.role, person: as("PRODUCTION_OPERATIONS") }))).toEqual([]);
    const statistics = single({ operation: "BULK_EXPORT", dataKind: "NONE" });
    expect(grant(candidate({ system: statistics.sys, role: statistics.role, person: as("SERVICE_MARKETING_FRONT_LINE") }))).toEqual([]);
  });

  it("marketing policy and planning get no customer information at all", () => {
    const q = single({ operation: "QUERY", dataKind: "USER_DATA" });
    expect(grant(candidate({ system: q.sys, role: q.role, person: as("MARKETING_POLICY") }))).toMatchObject([
      { code: "MARKETING_POLICY_CUSTOMER_INFO", rule: "R16", subject: { permissionId: q.perm.id } },
    ]);
    const statistics = single({ operation: "QUERY", dataKind: "NONE" });
    expect(grant(candidate({ system: statistics.sys, role: statistics.role, person: as("MARKETING_POLICY") }))).toEqual([]);
  });

  it("product R&D (and the other query-only jobs) get no add/delete/modify/bulk operations on customer information", () => {
    for (const operation of ["ADD", "DELETE", "MODIFY", "BULK_IMPORT", "BULK_SERVICE", "BULK_DOWNLOAD"] as const) {
      const op = single({ operation, dataKind: "USER_DATA" });
      for (const category of ["PRODUCT_RD", "BUSINESS_MANAGEMENT", "OPERATIONS_SUPPORT", "SERVICE_MARKETING_OTHER"] as const) {
        expect(grant(candidate({ system: op.sys, role: op.role, person: as(category) }))).toMatchObject([
          {
            code: "QUERY_ONLY_CUSTOMER_INFO_OPERATION",
            rule: "R16",
            params: { category, operation },
            subject: { permissionId: op.perm.id },
          },
        ]);
      }
      // Front-line service marketing may get them; operations on non-customer data are not limited.
      expect(grant(candidate({ system: op.sys, role: op.role, person: as("SERVICE_MARKETING_FRONT_LINE") }))).toEqual([]);
      const config = single({ operation, dataKind: "NONE" });
      expect(grant(candidate({ system: config.sys, role: config.role, person: as("PRODUCT_RD") }))).toEqual([]);
    }
    const q = single({ operation: "QUERY", dataKind: "USER_DATA" });
    expect(grant(candidate({ system: q.sys, role: q.role, person: as("PRODUCT_RD") }))).toEqual([]);
  });
});

describe("several violations at once", () => {
  it("reports every reason together", () => {
    const sys = system({ environment: "PRODUCTION", kind: "BACK_END" });
    const sensitiveCreate = permission(sys, { sensitivity: "EXTREME", isAccountCreation: true, isLogManagement: true });
    const r = role(sys, [sensitiveCreate], { isAdministrative: true });
    const f = single({}, { kind: "FRONT_END" });
    const vs = grant(
      candidate({
        system: sys,
        role: r,
        person: person({ employmentType: "THIRD_PARTY", status: "SUSPENDED", jobCategories: ["DEV_TEST"] }),
        holdings: [holding(f.sys, f.role)],
      }),
    );
    expect(codes(vs).sort()).toEqual(
      [
        "PERSON_NOT_ACTIVE",
        "THIRD_PARTY_ADMIN_ROLE",
        "DEV_TEST_PRODUCTION_SYSTEM",
        "THIRD_PARTY_SENSITIVE_PERMISSION",
        "THIRD_PARTY_ACCOUNT_CREATION",
        "SOD_FRONT_END_LOG_MANAGEMENT",
      ].sort(),
    );
  });
});

describe("evaluateHoldings (continuous check)", () => {
  it("finds nothing in a clean set of grants", () => {
    const a = single();
    const b = single({}, { kind: "FRONT_END" });
    expect(holdings(person(), [holding(a.sys, a.role), holding(b.sys, b.role)], [])).toEqual([]);
  });

  it("names each offending grant for single-grant rules", () => {
    const ok = single();
    const bad = single({ sensitivity: "SENSITIVE" }, {}, { isAdministrative: true });
    const badGrant = holding(bad.sys, bad.role);
    const vs = holdings(person({ employmentType: "THIRD_PARTY", jobCategories: [] }), [holding(ok.sys, ok.role), badGrant], []);
    expect(codes(vs).sort()).toEqual(["THIRD_PARTY_ADMIN_ROLE", "THIRD_PARTY_SENSITIVE_PERMISSION"]);
    for (const v of vs) expect(v.subject.grantId).toBe(badGrant.grantId);
  });

  it("respects the sensitive-levels setting", () => {
    const rel = single({ sensitivity: "RELATIVE" });
    const thirdParty = person({ employmentType: "THIRD_PARTY", jobCategories: [] });
    expect(holdings(thirdParty, [holding(rel.sys, rel.role)], [])).toEqual([]);
    expect(codes(holdings(thirdParty, [holding(rel.sys, rel.role)], [], ["RELATIVE"]))).toEqual(["THIRD_PARTY_SENSITIVE_PERMISSION"]);
  });

  it("flags every grant of a person who has left", () => {
    const a = single();
    const b = single();
    const grants = [holding(a.sys, a.role), holding(b.sys, b.role)];
    const vs = holdings(person({ status: "LEFT" }), grants, []);
    expect(vs.map((v) => [v.code, v.subject.grantId])).toEqual(grants.map((g) => ["PERSON_NOT_ACTIVE", g.grantId]));
  });

  it("reports a conflicting pair once, against the later grant, whatever the list order", () => {
    const f = single({}, { kind: "FRONT_END" });
    const b = single({ isLogManagement: true }, { kind: "BACK_END" });
    const early = holding(f.sys, f.role, { startsAt: new Date("2024-01-01") });
    const late = holding(b.sys, b.role, { startsAt: new Date("2025-01-01") });
    for (const list of [
      [early, late],
      [late, early],
    ]) {
      const vs = holdings(person(), list, []);
      expect(vs).toHaveLength(1);
      expect(vs[0]).toMatchObject({
        code: "SOD_FRONT_END_LOG_MANAGEMENT",
        subject: { grantId: late.grantId, permissionId: b.perm.id },
        conflictsWith: { grantId: early.grantId },
      });
    }
  });

  it("uses list order when start dates are unknown, for role and permission pairs", () => {
    const x = single();
    const y = single();
    const rules: SodRule[] = [
      { id: "r", kind: "ROLE_PAIR", roleIds: [y.role.id, x.role.id], description: "Maker and checker" },
      { id: "p", kind: "PERMISSION_PAIR", permissionIds: [x.perm.id, y.perm.id], description: "Maker and checker" },
    ];
    const gx = holding(x.sys, x.role);
    const gy = holding(y.sys, y.role);
    const vs = holdings(person(), [gx, gy], rules);
    expect(vs).toMatchObject([
      { code: "SOD_ROLE_PAIR", subject: { grantId: gy.grantId }, conflictsWith: { grantId: gx.grantId } },
      {
        code: "SOD_PERMISSION_PAIR",
        subject: { grantId: gy.grantId, permissionId: y.perm.id },
        conflictsWith: { grantId: gx.grantId, permissionId: x.perm.id },
      },
    ]);
  });

  it("flags account problems of the grants' slave accounts", () => {
    const a = single();
    const b = single();
    const first = holding(a.sys, a.role, { slaveAccount: ownAccount(a.sys) });
    const second = holding(a.sys, single({}, { id: a.sys.id }).role, { slaveAccount: ownAccount(a.sys) });
    const shared = holding(b.sys, b.role, { slaveAccount: ownAccount(b.sys, { masterAccountIds: ["master-1", "master-9"] }) });
    const vs = holdings(person(), [first, second, shared], []);
    expect(vs.map((v) => [v.code, v.subject.grantId, v.conflictsWith?.grantId])).toEqual([
      ["DUPLICATE_SLAVE_ACCOUNT", second.grantId, first.grantId],
      ["SHARED_ACCOUNT", shared.grantId, undefined],
    ]);
  });
});

describe("policy messages", () => {
  it("explain every violation code in both languages", () => {
    for (const code of POLICY_VIOLATION_CODES) {
      expect(en.policy).toHaveProperty([code]);
      expect(zh.policy).toHaveProperty([code]);
    }
  });
  it("render every violation produced above with all its parameters", () => {
    expect(new Set(seen.map((v) => v.code))).toEqual(new Set(POLICY_VIOLATION_CODES));
    for (const [locale, messages] of [
      ["en", en],
      ["zh-CN", zh],
    ] as const) {
      const t = createTranslator({ locale, messages, namespace: "policy" });
      for (const v of seen) {
        const text = t(v.code, v.params);
        expect(text).not.toMatch(/[{}]|policy\./);
        for (const name of Object.values(v.params).filter((p) => p.includes(" "))) expect(text).toContain(name);
      }
    }
  });
});

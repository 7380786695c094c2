import { describe, expect, it } from "vitest";
import { compareAccounts } from "@/lib/provisioning/reconcile";
import { backoffMs, circuitCooldownMs, CIRCUIT_THRESHOLD } from "@/lib/provisioning/deliver";
import { scimString } from "@/lib/provisioning/scim-client";

describe("provisioning", () => {
  it("backs off exponentially up to an hour, and cools a circuit down up to ten minutes", () => {
    expect([1, 2, 3, 4].map(backoffMs)).toEqual([15_000, 30_000, 60_000, 120_000]);
    expect(backoffMs(30)).toBe(3_600_000);
    expect(circuitCooldownMs(CIRCUIT_THRESHOLD)).toBe(30_000);
    expect(circuitCooldownMs(CIRCUIT_THRESHOLD + 1)).toBe(60_000);
    expect(circuitCooldownMs(CIRCUIT_THRESHOLD + 20)).toBe(600_000);
  });

  it("quotes SCIM filter values", () => {
    expect(scimString('a"b\\c')).toBe('"a\\"b\\\\c"');
  });

  it("classifies each difference once, matching by externalId first and then by userName", () => {
    const portal = [
      { id: "a1", login_name: "alice", status: "ACTIVE", person_id: "p1", roles: ["R1"] },
      { id: "a2", login_name: "bob", status: "DISABLED", person_id: "p2", roles: [] },
      { id: "a3", login_name: "carol", status: "ACTIVE", person_id: "p3", roles: ["R1", "R2"] },
      { id: "a4", login_name: "dave", status: "ACTIVE", person_id: null, roles: [] },
      { id: "a5", login_name: "erin", status: "ACTIVE", person_id: "p5", roles: [] },
      { id: "a6", login_name: "frank", status: "DISABLED", person_id: "p6", roles: [] },
    ];
    const system = [
      { id: "u1", externalId: "a1", userName: "alice-renamed", active: true, roles: [{ value: "R1" }] },
      { id: "u2", userName: "bob", active: true },
      { id: "u3", externalId: "a3", userName: "carol", active: true, roles: [{ value: "R2" }, { value: "R1" }, { value: "R9" }] },
      { id: "u4", userName: "dave", active: true },
      { id: "u9", userName: "mallory", active: true },
    ];
    const { findings, matched } = compareAccounts(portal, system, "roles");
    expect(matched).toBe(4);
    expect(findings.map((f) => [f.kind, f.loginName]).sort()).toEqual(
      [
        ["STATUS_DRIFT", "bob"],
        ["ROLE_DRIFT", "carol"],
        ["OWNERLESS", "dave"],
        ["MISSING_IN_SYSTEM", "erin"],
        ["UNKNOWN_IN_SYSTEM", "mallory"],
      ].sort(),
    );
  });
});

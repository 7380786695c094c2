import { describe, expect, it } from "vitest";
import { getDb, inTransaction } from "@/lib/db";
import { evaluateHoldings } from "@/lib/policy/engine";
import { loadPolicyContext } from "@/lib/policy/context";
import { recheckPolicies } from "@/lib/policy/recheck-policies";
import { loadPolicyFacts } from "@/lib/policy/policy-facts";
import { changeRoleMatrix } from "@/lib/systems/change-role-matrix";
import { createSodRule } from "@/lib/policy/sod-rules";
import { makeActor, makePerson } from "../factories";
import { grantOf, roleWith, systemWithRoles } from "../lifecycle-fixtures";

describe("the batch-loaded policy check", () => {
  it("finds for every person exactly what the one-person context finds, across keyset batches", async () => {
    const officer = await makeActor(["SECURITY_OFFICER"]);
    const s = await systemWithRoles();
    const maker = await roleWith(s.admin.actor, s.system.id, "LOW");
    const checker = await roleWith(s.admin.actor, s.system.id, "LOW");
    const info = await roleWith(s.admin.actor, s.system.id, "RELATIVE", "IDENTITY");
    const people = [];
    for (let i = 0; i < 5; i++) {
      const p = await makePerson(i === 4 ? { employmentType: "THIRD_PARTY" } : {});
      await grantOf(s.admin.actor, p.person.id, maker.id);
      if (i % 2 === 0) await grantOf(s.admin.actor, p.person.id, checker.id);
      if (i !== 4) await grantOf(s.admin.actor, p.person.id, info.id);
      people.push(p);
    }
    // Later rules make existing grants non-compliant: an SoD pair, and a sensitive permission given to
    // the third party's role through the matrix.
    await inTransaction((tx) =>
      createSodRule(tx, officer.actor, { kind: "ROLE_PAIR", leftId: maker.id, rightId: checker.id, description: "Maker / checker" }),
    );
    await inTransaction((tx) =>
      changeRoleMatrix(tx, s.admin.actor, {
        systemId: s.system.id,
        add: [{ roleId: maker.id, permissionId: s.sensitive.permissionId }],
        remove: [],
        reason: "scope creep",
      }),
    );

    await recheckPolicies(officer.actor, { batchSize: 2 });
    const now = new Date();
    for (const p of people) {
      const ctx = await inTransaction((tx) => loadPolicyContext(tx, p.person.id, now));
      const expected = evaluateHoldings(ctx.person, ctx.holdings, ctx.sodRules, ctx.sensitiveLevels)
        .map((v) => [v.code, v.subject.grantId])
        .sort();
      const found = (await getDb().policyFinding.findMany({ where: { personId: p.person.id } })).map((f) => [f.code, f.grantId]).sort();
      expect(found, p.employeeNo).toEqual(expected);
    }
    const codes = (await getDb().policyFinding.findMany({ where: { personId: { in: people.map((p) => p.person.id) } } })).map(
      (f) => f.code,
    );
    expect(codes.filter((c) => c === "SOD_ROLE_PAIR")).toHaveLength(3);
    expect(codes.filter((c) => c === "THIRD_PARTY_SENSITIVE_PERMISSION")).toHaveLength(1);

    // The facts of several people come from one call, the same as one by one.
    const facts = await loadPolicyFacts(
      getDb(),
      people.map((p) => p.person.id),
      now,
    );
    expect(facts.map((f) => f.holdings.length).sort()).toEqual([2, 2, 2, 3, 3]);
  });
});

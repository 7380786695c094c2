import { afterAll, describe, expect, it } from "vitest";
import { getDb, inTransaction } from "@/lib/db";
import { systemActor, type Actor } from "@/lib/authz/actor";
import { updateClassificationSettings } from "@/lib/settings/update-classification-settings";
import { getClassificationSettings } from "@/lib/settings/classification";
import { runPolicyRecheck } from "@/lib/jobs/scheduler";
import { auditMark, auditSince, expectDomainError, expectZodError, FACTORY, makeActor, makePerson } from "../factories";
import { grantOf, roleWith, systemWithRoles } from "../lifecycle-fixtures";

type Input = Parameters<typeof updateClassificationSettings>[2];
const save = (actor: Actor, input: Input) => inTransaction((tx) => updateClassificationSettings(tx, actor, input));

// The setting is global: put the default back for the files that run after this one.
afterAll(async () => {
  await save(FACTORY, { sensitiveLevels: ["EXTREME", "SENSITIVE"], reason: "Test teardown" });
});

describe("the classification setting (which levels are sensitive)", () => {
  it("a system administrator changes it with a reason, audited before/after; the policy check then follows it", async () => {
    const { actor: sysadmin } = await makeActor(["SYSTEM_ADMIN"]);
    const s = await systemWithRoles();
    const relative = await roleWith(s.admin.actor, s.system.id, "RELATIVE", "IDENTITY");
    const contractor = await makePerson({ employmentType: "THIRD_PARTY" });
    // Relatively sensitive is not sensitive by default: the third party may hold it (R4 does not apply).
    const g = await grantOf(s.admin.actor, contractor.person.id, relative.id);

    const mark = await auditMark();
    const result = await save(sysadmin, {
      sensitiveLevels: ["RELATIVE", "EXTREME", "SENSITIVE", "RELATIVE"],
      reason: "Regulator's new guidance",
    });
    expect(result).toEqual({ changed: true, settings: { sensitiveLevels: ["EXTREME", "SENSITIVE", "RELATIVE"] } });
    expect(await getClassificationSettings(getDb())).toEqual({ sensitiveLevels: ["EXTREME", "SENSITIVE", "RELATIVE"] });
    const rows = await auditSince(mark);
    expect(rows.map((r) => r.action)).toEqual(["settings.updated"]);
    expect(rows[0]).toMatchObject({
      actorId: sysadmin.personId,
      targetType: "settings",
      targetId: "classification",
      reason: "Regulator's new guidance",
      summary: { before: { sensitiveLevels: ["EXTREME", "SENSITIVE"] }, after: { sensitiveLevels: ["EXTREME", "SENSITIVE", "RELATIVE"] } },
    });

    await runPolicyRecheck({ wait: true, actor: systemActor("classification-change") });
    const findings = await getDb().policyFinding.findMany({ where: { personId: contractor.person.id } });
    expect(findings.map((f) => [f.code, f.grantId])).toEqual([["THIRD_PARTY_SENSITIVE_PERMISSION", g.id]]);
    expect((await auditSince(mark)).map((r) => [r.action, r.actorName])).toEqual([
      ["settings.updated", `${sysadmin.name} (${sysadmin.employeeNo})`],
      ["policy.rechecked", "classification-change"],
    ]);

    // Back to the default: the finding goes with the next check.
    await save(sysadmin, { sensitiveLevels: ["EXTREME", "SENSITIVE"], reason: "Guidance withdrawn" });
    await runPolicyRecheck({ wait: true, actor: systemActor("classification-change") });
    expect(await getDb().policyFinding.count({ where: { personId: contractor.person.id } })).toBe(0);
  });

  it("an unchanged choice writes nothing; others than system administrators are refused; bad input refused; nothing written", async () => {
    const { actor: sysadmin } = await makeActor(["SYSTEM_ADMIN"]);
    const mark = await auditMark();
    expect(await save(sysadmin, { sensitiveLevels: ["SENSITIVE", "EXTREME"], reason: "Same again" })).toMatchObject({ changed: false });
    for (const roles of [["HR" as const], ["SECURITY_OFFICER" as const], ["ACCOUNT_ADMIN" as const], []]) {
      const { actor } = await makeActor(roles);
      const m = await auditMark();
      await expectDomainError(save(actor, { sensitiveLevels: ["LOW"], reason: "Everything is sensitive" }), "FORBIDDEN");
      expect(await auditSince(m)).toEqual([]);
    }
    const m2 = await auditMark();
    const cases: [keyof Input, unknown][] = [
      ["sensitiveLevels", []],
      ["sensitiveLevels", ["HIGH"]],
      ["sensitiveLevels", "EXTREME"],
      ["sensitiveLevels", ["<script>"]],
      ["reason", ""],
      ["reason", "x".repeat(10_000)],
      ["reason", "a\u0000b"],
    ];
    for (const [field, value] of cases) {
      const issues = await expectZodError(save(sysadmin, { sensitiveLevels: ["EXTREME"], reason: "ok reason", [field]: value } as Input));
      expect(
        issues.map((i) => i.path[0]),
        field,
      ).toContain(field);
    }
    expect(await auditSince(m2)).toEqual([]);
    expect((await auditSince(mark)).filter((r) => r.action === "settings.updated")).toEqual([]);
    expect(await getClassificationSettings(getDb())).toEqual({ sensitiveLevels: ["EXTREME", "SENSITIVE"] });
  });
});

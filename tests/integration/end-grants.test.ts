import { describe, expect, it } from "vitest";
import { getDb, inTransaction } from "@/lib/db";
import { systemActor } from "@/lib/authz/actor";
import { revokeGrant } from "@/lib/grants/revoke-grant";
import { expireDueGrants } from "@/lib/grants/expire-grants";
import { giveUpGrant } from "@/lib/access/give-up-grant";
import { createSodRule } from "@/lib/policy/sod-rules";
import { rebuildFindingsFor } from "@/lib/policy/recheck-policies";
import { actorFor, auditMark, auditSince, makeActor, makePerson } from "../factories";
import { outboxFor, roleWith, systemWithRoles } from "../lifecycle-fixtures";
import { giveGrant } from "../access-fixtures";

// Every way a grant ends goes through lib/grants/end-grants.ts: the grant is end-dated, connected
// systems get a grant.revoked outbox row, the holder's findings are rebuilt, and one audit row is written.

/** A person holding two roles of a connected system that a role pair rule, added afterwards, forbids together. */
async function conflictingHolder(laterEndsAt = new Date(Date.now() + 3_600_000)) {
  const s = await systemWithRoles({ connected: true });
  const other = await roleWith(s.admin.actor, s.system.id, "LOW");
  const person = await makePerson();
  const first = await giveGrant(person.person.id, s.low.id);
  const later = await giveGrant(person.person.id, other.id, { endsAt: laterEndsAt });
  const officer = await makeActor(["SECURITY_OFFICER"]);
  await inTransaction((tx) =>
    createSodRule(tx, officer.actor, { kind: "ROLE_PAIR", leftId: s.low.id, rightId: other.id, description: "Maker and checker" }),
  );
  await inTransaction((tx) => rebuildFindingsFor(tx, [person.person.id]));
  const findings = () => getDb().policyFinding.findMany({ where: { personId: person.person.id } });
  expect((await findings()).map((f) => [f.code, f.grantId])).toEqual([["SOD_ROLE_PAIR", later.id]]);
  return { ...s, person, first, later, findings };
}

describe("endGrants: one way to end a grant", () => {
  it("an administrator's revoke (the policy page's remediation) writes the outbox row and clears the finding it fixes", async () => {
    const h = await conflictingHolder();
    const mark = await auditMark();
    await inTransaction((tx) => revokeGrant(tx, h.admin.actor, { grantId: h.later.id, reason: "Remediate SoD" }));

    const revoked = (await outboxFor(h.system.id)).filter((o) => o.operation === "grant.revoked");
    expect(revoked.map((o) => o.grantId)).toEqual([h.later.id]);
    expect(revoked[0]!.payload).toMatchObject({ grantId: h.later.id, cause: "revoked" });
    expect(await h.findings()).toEqual([]);
    const rows = await auditSince(mark);
    expect(rows.map((r) => r.action)).toEqual(["grant.revoked"]);
    expect(rows[0]).toMatchObject({
      actorId: h.admin.person.id,
      targetType: "grant",
      targetId: h.later.id,
      reason: "Remediate SoD",
      summary: { cause: "revoked", count: 1, before: { personId: h.person.person.id, roleId: h.later.roleId } },
    });
    expect(rows[0]!.items).toEqual([expect.objectContaining({ kind: "grant", subjectId: h.later.id, personId: h.person.person.id })]);
    expect(rows[0]!.summary).not.toHaveProperty("grantIds");
    expect(await getDb().accessGrant.findUniqueOrThrow({ where: { id: h.later.id } })).toMatchObject({
      revokedById: h.admin.person.id,
      revokeReason: "Remediate SoD",
    });
  });

  it("expiry clears the findings of the grants it ends (they no longer stood until the next full check)", async () => {
    // A minute ahead, as grants.test.ts does, so other files' grants running in parallel are not touched.
    const h = await conflictingHolder(new Date(Date.now() + 60_000));
    const later = new Date(h.later.endsAt!.getTime() + 1000);
    while ((await inTransaction((tx) => expireDueGrants(tx, systemActor("scheduler"), later))) > 0) {
      // Batches until every grant due by then has ended.
    }
    expect(await getDb().accessGrant.findUniqueOrThrow({ where: { id: h.later.id } })).toMatchObject({
      revokedAt: h.later.endsAt,
      revokeReason: "expired",
    });
    expect((await outboxFor(h.system.id)).filter((o) => o.operation === "grant.revoked").map((o) => o.grantId)).toEqual([h.later.id]);
    expect(await h.findings()).toEqual([]);
  });

  it("giving a grant up ends it once with the same outbox row; the second try gets GRANT_NOT_LIVE and writes nothing", async () => {
    const h = await conflictingHolder();
    const me = await actorFor(h.person.person.id);
    const mark = await auditMark();
    await inTransaction((tx) => giveUpGrant(tx, me, { grantId: h.later.id }));
    await expect(inTransaction((tx) => giveUpGrant(tx, me, { grantId: h.later.id }))).rejects.toMatchObject({ code: "GRANT_NOT_LIVE" });
    expect((await auditSince(mark)).map((r) => r.action)).toEqual(["grant.given-up"]);
    expect((await outboxFor(h.system.id)).filter((o) => o.operation === "grant.revoked").map((o) => o.grantId)).toEqual([h.later.id]);
    expect(await h.findings()).toEqual([]);
  });
});

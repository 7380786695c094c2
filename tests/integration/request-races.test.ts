// Concurrency of access requests (issue 4 item 6): real transactions racing on real PostgreSQL.
import { describe, expect, it } from "vitest";
import { getDb, inTransaction } from "@/lib/db";
import { DomainError } from "@/lib/errors";
import { submitRequest } from "@/lib/requests/submit-request";
import { decideRequest } from "@/lib/requests/decide-request";
import { cancelRequest } from "@/lib/requests/cancel-request";
import { makeActor, uniq } from "../factories";
import { makeRequestScenario, requestDay, submitAs } from "../request-factories";
import { staggered } from "../race";

const ROUNDS = 3;

async function settle<A, B>(pair: [Promise<A>, Promise<B>]) {
  const results = await Promise.allSettled(pair);
  const ok = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
  const errors = results.flatMap((r) => {
    if (r.status === "fulfilled") return [];
    if (r.reason instanceof DomainError) return [r.reason];
    throw r.reason;
  });
  return { ok, errors };
}

describe("request races", () => {
  it("two approvers of one ANY stage at the same moment: one decision; the other is told who decided and when", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const s = await makeRequestScenario();
      const second = await makeActor([{ role: "ACCOUNT_ADMIN", systemId: s.system.id }]);
      const r = await submitAs(s.staff.actor, { roleId: s.role.id });
      await inTransaction((tx) => decideRequest(tx, s.head.actor, { requestId: r.id, outcome: "APPROVE" }));
      // Both system administrators approve the final stage at once.
      const { ok, errors } = await settle(
        staggered(
          (tx) => decideRequest(tx, s.owner.actor, { requestId: r.id, outcome: "APPROVE" }),
          (tx) => decideRequest(tx, second.actor, { requestId: r.id, outcome: "APPROVE" }),
        ),
      );
      expect(ok).toHaveLength(1);
      expect(ok[0]).toMatchObject({ status: "APPROVED" });
      expect(errors.map((e) => e.code)).toEqual(["REQUEST_ALREADY_DECIDED"]);
      expect(errors[0]!.params.who).toBe(`${s.owner.person.name} (${s.owner.person.employeeNo})`);
      expect(await getDb().approvalDecision.count({ where: { requestId: r.id } })).toBe(2);
      expect(await getDb().accessGrant.count({ where: { requestId: r.id } })).toBe(1);
    }
  });

  it("an approval and a rejection at once: exactly one outcome", async () => {
    const s = await makeRequestScenario();
    const second = await makeActor([{ role: "ACCOUNT_ADMIN", systemId: s.system.id }]);
    const r = await submitAs(s.staff.actor, { roleId: s.role.id });
    await inTransaction((tx) => decideRequest(tx, s.head.actor, { requestId: r.id, outcome: "APPROVE" }));
    const { ok, errors } = await settle(
      staggered(
        (tx) => decideRequest(tx, second.actor, { requestId: r.id, outcome: "REJECT", comment: "No" }),
        (tx) => decideRequest(tx, s.owner.actor, { requestId: r.id, outcome: "APPROVE" }),
      ),
    );
    expect(ok).toEqual([expect.objectContaining({ status: "REJECTED" })]);
    expect(errors.map((e) => e.code)).toEqual(["REQUEST_ALREADY_DECIDED"]);
    expect(await getDb().accessGrant.count({ where: { requestId: r.id } })).toBe(0);
  });

  it("the same approver's decision submitted twice at once: one row, the second returns it", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const s = await makeRequestScenario();
      const r = await submitAs(s.staff.actor, { roleId: s.role.id });
      const { ok, errors } = await settle(
        staggered(
          (tx) => decideRequest(tx, s.head.actor, { requestId: r.id, outcome: "APPROVE" }),
          (tx) => decideRequest(tx, s.head.actor, { requestId: r.id, outcome: "APPROVE" }),
        ),
      );
      expect(errors).toEqual([]);
      expect(ok.map((o) => o.repeated).sort()).toEqual([false, true]);
      expect(await getDb().approvalDecision.count({ where: { requestId: r.id } })).toBe(1);
    }
  });

  it("a double-clicked submit (same idempotency key) is one request", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const s = await makeRequestScenario();
      const input = {
        subjectId: s.staff.person.id,
        roleId: s.role.id,
        justification: "Campaign",
        endsAt: requestDay(10),
        idempotencyKey: `click-${uniq()}`,
      };
      const { ok, errors } = await settle(
        staggered(
          (tx) => submitRequest(tx, s.staff.actor, input),
          (tx) => submitRequest(tx, s.staff.actor, input),
        ),
      );
      expect(errors).toEqual([]);
      expect(ok.map((o) => o.created).sort()).toEqual([false, true]);
      expect(ok[0]!.id).toBe(ok[1]!.id);
      expect(await getDb().accessRequest.count({ where: { subjectId: s.staff.person.id } })).toBe(1);
    }
  });

  it("two people requesting the same role for the same person at once: one request, the other REQUEST_DUPLICATE", async () => {
    const s = await makeRequestScenario();
    const { ok, errors } = await settle(
      staggered(
        (tx) => submitRequest(tx, s.staff.actor, { subjectId: s.staff.person.id, roleId: s.role.id, justification: "Mine", endsAt: null }),
        (tx) =>
          submitRequest(tx, s.head.actor, { subjectId: s.staff.person.id, roleId: s.role.id, justification: "For my team", endsAt: null }),
      ),
    );
    expect(ok).toHaveLength(1);
    expect(errors.map((e) => e.code)).toEqual(["REQUEST_DUPLICATE"]);
  });

  it("a cancel and an approval at once: one outcome, the loser told why", async () => {
    const s = await makeRequestScenario();
    const r = await submitAs(s.staff.actor, { roleId: s.role.id });
    const { ok, errors } = await settle(
      staggered(
        (tx) => cancelRequest(tx, s.staff.actor, { requestId: r.id }),
        (tx) => decideRequest(tx, s.head.actor, { requestId: r.id, outcome: "APPROVE" }),
      ),
    );
    expect(ok).toEqual([{ requestId: r.id, status: "CANCELLED" }]);
    expect(errors.map((e) => e.code)).toEqual(["REQUEST_CLOSED"]);
    expect(await getDb().approvalDecision.count({ where: { requestId: r.id } })).toBe(0);
  });
});

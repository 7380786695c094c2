// The provisioning outbox writer every change goes through (grants, accounts, movers, offboarding).
import { describe, expect, it } from "vitest";
import { getDb, inTransaction } from "@/lib/db";
import { enqueueProvisioning, type ProvisioningRow } from "@/lib/provisioning/enqueue";
import { makeSystem } from "../factories";

describe("enqueueProvisioning", () => {
  it("writes rows for connected systems only, in the order given (ids sort as handed in), past one chunk", async () => {
    const connected = await makeSystem();
    const byHand = await makeSystem();
    await getDb().businessSystem.update({ where: { id: connected.id }, data: { isConnected: true } });
    const later = new Date(Date.now() + 3_600_000);
    const rows: ProvisioningRow[] = [];
    for (let i = 0; i < 5_003; i++) {
      rows.push({ systemId: i % 2 ? byHand.id : connected.id, operation: `op.${i}`, payload: { i, login: `u'${i}"\\` } });
    }
    rows.push({ systemId: connected.id, operation: "later", payload: { nested: { list: [1, null, "x"] } }, nextAttemptAt: later });

    const started = new Date();
    const written = await inTransaction((tx) => enqueueProvisioning(tx, rows));
    expect(written).toBe(2_503);
    expect(await getDb().provisioningOutbox.count({ where: { systemId: byHand.id } })).toBe(0);

    const out = await getDb().provisioningOutbox.findMany({ where: { systemId: connected.id }, orderBy: { id: "asc" } });
    const expected = rows.filter((r) => r.systemId === connected.id);
    expect(out.map((o) => o.operation)).toEqual(expected.map((r) => r.operation));
    expect(out.map((o) => o.payload)).toEqual(expected.map((r) => r.payload));
    expect(out[0]).toMatchObject({ status: "PENDING", attempts: 0, grantId: null, slaveAccountId: null, requestId: null });
    expect(out[0]!.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now());
    expect(out[0]!.nextAttemptAt.getTime()).toBeGreaterThan(started.getTime() - 5_000);
    expect(out.at(-1)!.nextAttemptAt.toISOString()).toBe(later.toISOString());
  });

  it("writes nothing when no system is connected, or when given nothing", async () => {
    const byHand = await makeSystem();
    expect(await inTransaction((tx) => enqueueProvisioning(tx, [{ systemId: byHand.id, operation: "x", payload: {} }]))).toBe(0);
    expect(await inTransaction((tx) => enqueueProvisioning(tx, []))).toBe(0);
    expect(await getDb().provisioningOutbox.count({ where: { systemId: byHand.id } })).toBe(0);
  });

  it("rolls back with the change it belongs to", async () => {
    const connected = await makeSystem();
    await getDb().businessSystem.update({ where: { id: connected.id }, data: { isConnected: true } });
    await expect(
      inTransaction(async (tx) => {
        await enqueueProvisioning(tx, [{ systemId: connected.id, operation: "grant.created", payload: {} }]);
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await getDb().provisioningOutbox.count({ where: { systemId: connected.id } })).toBe(0);
  });
});

import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { clockOffsetFromEnv } from "@/lib/time/pinned-clock";
import { makeOrgUnit, makePerson } from "../factories";

// Decision 0018: with PORTAL_CLOCK_AT the run's Node clock and the test database's clock move together.
// Under the real clock these hold trivially; under a pinned one they fail if either side is not shifted.
const SLACK_MS = 5_000;

describe("the clock is one input for Node and PostgreSQL [calendar]", () => {
  it("the database's now() and clock_timestamp() agree with Date.now(), and the run is where it was pinned", async () => {
    const [row] = await getDb().$queryRaw<{ now: Date; clock: Date }[]>`SELECT now() AS now, clock_timestamp() AS clock`;
    expect(Math.abs(row!.now.getTime() - Date.now())).toBeLessThan(SLACK_MS);
    expect(Math.abs(row!.clock.getTime() - Date.now())).toBeLessThan(SLACK_MS);
    const at = process.env.PORTAL_CLOCK_AT;
    if (at) expect(Math.abs(Date.now() - Date.parse(at))).toBeLessThan(30 * 60_000);
    if (clockOffsetFromEnv() !== 0) expect(process.env.PORTAL_CLOCK_OFFSET_MS).toMatch(/^-?\d+$/);
  });

  it("rows stamped by the database (audit trigger, column defaults) and by Prisma carry the pinned time", async () => {
    const before = Date.now();
    const unit = await makeOrgUnit();
    // occurred_at is set by the chain trigger's clock_timestamp().
    const audit = await getDb().auditEvent.findFirstOrThrow({ where: { targetId: unit.id } });
    expect(Math.abs(audit.occurredAt.getTime() - before)).toBeLessThan(SLACK_MS);
    // A column default (DEFAULT CURRENT_TIMESTAMP in the migration) filled in by the database itself.
    const { account } = await makePerson();
    const [defaulted] = await getDb().$queryRaw<{ created_at: Date }[]>`
      INSERT INTO password_history (id, account_id, hash) VALUES (gen_random_uuid(), ${account.id}::uuid, 'x') RETURNING created_at`;
    expect(Math.abs(defaulted!.created_at.getTime() - before)).toBeLessThan(SLACK_MS);
    const created = await getDb().orgUnit.findUniqueOrThrow({ where: { id: unit.id }, select: { createdAt: true } });
    expect(Math.abs(created.createdAt.getTime() - before)).toBeLessThan(SLACK_MS);
  });
});

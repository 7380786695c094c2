import { describe, expect, it } from "vitest";
import { getDb, inTransaction } from "@/lib/db";
import { systemActor } from "@/lib/authz/actor";
import { listMyAccess, highestSensitivity } from "@/lib/access/queries";
import { giveUpGrant } from "@/lib/access/give-up-grant";
import { dueExpiryNotice, remindExpiringGrants } from "@/lib/access/grant-notices";
import { expireDueGrants } from "@/lib/grants/expire-grants";
import { revokeGrant } from "@/lib/grants/revoke-grant";
import { staggered } from "../race";
import { auditMark, auditSince, itemIds, expectDomainError, expectZodError, lastAuditRow, makeActor, makePerson } from "../factories";
import { giveGrant, pendingRequest, roleOnNewSystem } from "../access-fixtures";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const JOB = systemActor("scheduler");

const notes = (recipientId: string, kind: string) =>
  getDb().notification.findMany({ where: { recipientId, kind }, orderBy: { createdAt: "asc" } });

describe("listMyAccess", () => {
  it("lists every live grant, soonest end first and permanent last, with sensitivity, basis and pending requests", async () => {
    const me = await makePerson();
    const a = await roleOnNewSystem({ sensitivity: "SENSITIVE" });
    const b = await roleOnNewSystem({ sensitivity: "LOW" });
    const c = await roleOnNewSystem({ sensitivity: "RELATIVE" });
    const d = await roleOnNewSystem();
    const now = new Date();
    const soon = await giveGrant(me.person.id, a.role.id, { endsAt: new Date(now.getTime() + 2 * DAY) });
    const later = await giveGrant(me.person.id, b.role.id, { endsAt: new Date(now.getTime() + 30 * DAY) });
    const forever = await giveGrant(me.person.id, c.role.id);
    const gone = await giveGrant(me.person.id, d.role.id, { endsAt: new Date(now.getTime() + DAY) });
    await inTransaction((tx) => revokeGrant(tx, systemActor("test"), { grantId: gone.id, reason: "No longer needed" }));
    // Someone else's grant never shows.
    const other = await makePerson();
    await giveGrant(other.person.id, d.role.id);
    // A pending renewal of `later`, and a request basis for `soon`.
    const basis = await pendingRequest({ requesterId: me.person.id, systemId: a.system.id, roleId: a.role.id, approverIds: [] });
    await getDb().accessGrant.update({ where: { id: soon.id }, data: { requestId: basis.request.id } });
    await getDb().accessRequest.update({ where: { id: basis.request.id }, data: { status: "APPROVED", grantId: soon.id } });
    const renewal = await pendingRequest({ requesterId: me.person.id, systemId: b.system.id, roleId: b.role.id, approverIds: [] });
    await getDb().accessRequest.update({ where: { id: renewal.request.id }, data: { renewsGrantId: later.id } });

    const page = await listMyAccess(me.person.id);
    expect(page.rows.map((g) => g.id)).toEqual([soon.id, later.id, forever.id]);
    expect(page.pendingRequests).toBe(1);
    expect(page.rows[0]).toMatchObject({
      sensitivity: "SENSITIVE",
      isSensitive: true,
      request: { id: basis.request.id, kind: "GRANT" },
      system: { id: a.system.id },
    });
    expect(page.rows[1]).toMatchObject({ sensitivity: "LOW", isSensitive: false, pendingRenewal: { id: renewal.request.id } });
    expect(page.rows[2]).toMatchObject({ endsAt: null, sensitivity: "RELATIVE" });

    // Keyset pages of one: the same order, nothing twice, then the end.
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const p = await listMyAccess(me.person.id, { cursor, pageSize: 1 });
      seen.push(...p.rows.map((g) => g.id));
      cursor = p.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([soon.id, later.id, forever.id]);
    // A forged cursor is the first page, not an error.
    expect((await listMyAccess(me.person.id, { cursor: "not-a-cursor" })).rows).toHaveLength(3);
  });

  it("ranks sensitivity", () => {
    expect(highestSensitivity(["LOW", "EXTREME", "SENSITIVE"])).toBe("EXTREME");
    expect(highestSensitivity(["LOW", "RELATIVE"])).toBe("RELATIVE");
    expect(highestSensitivity(null)).toBeNull();
  });
});

describe("giveUpGrant", () => {
  it("ends my own grant now, audited, with an outbox row for a connected system", async () => {
    const me = await makeActor();
    const { system, role } = await roleOnNewSystem({ connected: true });
    const grant = await giveGrant(me.person.id, role.id, { endsAt: new Date(Date.now() + 10 * DAY) });
    const outboxBefore = await getDb().provisioningOutbox.count({ where: { grantId: grant.id } });
    await inTransaction((tx) => giveUpGrant(tx, me.actor, { grantId: grant.id, reason: "Project finished" }));
    const row = await getDb().accessGrant.findUniqueOrThrow({ where: { id: grant.id } });
    expect(row.revokedAt).not.toBeNull();
    expect(row).toMatchObject({ revokedById: me.person.id, revokeReason: "given up by the holder: Project finished" });
    expect(await lastAuditRow({ action: "grant.given-up", targetId: grant.id })).toMatchObject({
      actorId: me.person.id,
      reason: "Project finished",
      summary: { before: { systemId: system.id, roleId: role.id } },
    });
    const outbox = await getDb().provisioningOutbox.findMany({ where: { grantId: grant.id }, orderBy: { createdAt: "asc" } });
    expect(outbox).toHaveLength(outboxBefore + 1);
    expect(outbox.at(-1)).toMatchObject({
      operation: "grant.revoked",
      systemId: system.id,
      payload: { grantId: grant.id, cause: "given-up", roleCode: role.code },
    });
    expect((await listMyAccess(me.person.id)).rows).toEqual([]);
  });

  it("writes no outbox row for a system changed by hand", async () => {
    const me = await makeActor();
    const { role } = await roleOnNewSystem();
    const grant = await giveGrant(me.person.id, role.id);
    await inTransaction((tx) => giveUpGrant(tx, me.actor, { grantId: grant.id }));
    expect(await getDb().provisioningOutbox.count({ where: { grantId: grant.id } })).toBe(0);
    expect(await lastAuditRow({ action: "grant.given-up", targetId: grant.id })).toMatchObject({ reason: "given up by the holder" });
  });

  it("refuses someone else's grant, an ended one and a bad id, writing nothing", async () => {
    const me = await makeActor();
    const other = await makePerson();
    const { role } = await roleOnNewSystem();
    const { role: role2 } = await roleOnNewSystem();
    const theirs = await giveGrant(other.person.id, role.id);
    const mine = await giveGrant(me.person.id, role2.id);
    await inTransaction((tx) => revokeGrant(tx, systemActor("test"), { grantId: mine.id, reason: "Moved team" }));
    const mark = await auditMark();
    await expectDomainError(
      inTransaction((tx) => giveUpGrant(tx, me.actor, { grantId: theirs.id })),
      "NOT_FOUND",
    );
    await expectDomainError(
      inTransaction((tx) => giveUpGrant(tx, me.actor, { grantId: mine.id })),
      "GRANT_NOT_LIVE",
    );
    await expectZodError(inTransaction((tx) => giveUpGrant(tx, me.actor, { grantId: "1; DROP TABLE access_grant" })));
    await expectZodError(inTransaction((tx) => giveUpGrant(tx, me.actor, { grantId: theirs.id, reason: "x".repeat(501) })));
    expect(await auditSince(mark)).toEqual([]);
    expect((await getDb().accessGrant.findUniqueOrThrow({ where: { id: theirs.id } })).revokedAt).toBeNull();
  });

  it("two tabs giving up the same grant at once: one succeeds, the other is told it has ended", async () => {
    const me = await makeActor();
    const { role } = await roleOnNewSystem({ connected: true });
    const grant = await giveGrant(me.person.id, role.id);
    const [first, second] = staggered(
      (tx) => giveUpGrant(tx, me.actor, { grantId: grant.id }),
      (tx) => giveUpGrant(tx, me.actor, { grantId: grant.id }),
    );
    const results = await Promise.allSettled([first, second]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected"]);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: "GRANT_NOT_LIVE" });
    expect(await getDb().auditEvent.count({ where: { action: "grant.given-up", targetId: grant.id } })).toBe(1);
    expect(await getDb().provisioningOutbox.count({ where: { grantId: grant.id, operation: "grant.revoked" } })).toBe(1);
  });
});

describe("expiry reminders", () => {
  it("follow the 7-day / 1-day / 1-hour rule (pure)", () => {
    const t = new Date("2026-05-01T00:00:00Z").getTime();
    const g = (durationMs: number) => ({ startsAt: new Date(t), endsAt: new Date(t + durationMs) });
    const at = (ms: number) => new Date(t + ms);
    const long = g(30 * DAY);
    expect(dueExpiryNotice(long, null, at(22 * DAY))).toBeNull();
    expect(dueExpiryNotice(long, null, at(23 * DAY + 1))).toBe("7d");
    expect(dueExpiryNotice(long, "7d", at(25 * DAY))).toBeNull();
    expect(dueExpiryNotice(long, "7d", at(29 * DAY + 1))).toBe("1d");
    expect(dueExpiryNotice(long, null, at(29 * DAY + 1))).toBe("1d");
    expect(dueExpiryNotice(long, "1d", at(30 * DAY - 1))).toBeNull();
    const week = g(5 * DAY);
    expect(dueExpiryNotice(week, null, at(HOUR))).toBeNull();
    expect(dueExpiryNotice(week, null, at(4 * DAY + 1))).toBe("1d");
    const short = g(8 * HOUR);
    expect(dueExpiryNotice(short, null, at(6 * HOUR))).toBeNull();
    expect(dueExpiryNotice(short, null, at(7 * HOUR + 1))).toBe("1h");
    expect(dueExpiryNotice(short, "1h", at(7 * HOUR + 2))).toBeNull();
    expect(dueExpiryNotice(short, null, at(9 * HOUR))).toBeNull();
  });

  it("are sent to the holder 7 days and 1 day before the end, each exactly once, audited", async () => {
    const me = await makePerson();
    const { system, role } = await roleOnNewSystem();
    const now = new Date();
    const grant = await giveGrant(me.person.id, role.id, { endsAt: new Date(now.getTime() + 10 * DAY) });
    const end = grant.endsAt!.getTime();
    const run = (t: number) => inTransaction((tx) => remindExpiringGrants(tx, JOB, new Date(t)));

    await run(now.getTime());
    expect(await notes(me.person.id, "grant-expiring")).toHaveLength(0);
    const mark = await auditMark();
    await run(end - 7 * DAY + 60_000);
    await run(end - 7 * DAY + 120_000);
    await run(end - 2 * DAY);
    let sent = await notes(me.person.id, "grant-expiring");
    expect(sent.map((n) => n.params)).toEqual([expect.objectContaining({ notice: "7d", days: 7, system: system.name, role: role.name })]);
    expect(sent[0]!.link).toBe("/access");
    const audit = (await auditSince(mark)).filter((r) => r.action === "grant.expiry-reminded");
    expect(audit.some((r) => itemIds(r, "grant").includes(grant.id))).toBe(true);
    await run(end - DAY + 60_000);
    await run(end - 30 * 60_000);
    sent = await notes(me.person.id, "grant-expiring");
    expect(sent.map((n) => (n.params as { notice: string }).notice)).toEqual(["7d", "1d"]);
    expect((await getDb().accessGrant.findUniqueOrThrow({ where: { id: grant.id } })).expiryNotice).toBe("1d");
  });

  it("for a grant of a day or less: once, an hour before the end", async () => {
    const me = await makePerson();
    const { role } = await roleOnNewSystem();
    const now = new Date();
    const grant = await giveGrant(me.person.id, role.id, { endsAt: new Date(now.getTime() + 8 * HOUR) });
    const end = grant.endsAt!.getTime();
    const run = (t: number) => inTransaction((tx) => remindExpiringGrants(tx, JOB, new Date(t)));
    await run(end - 2 * HOUR);
    expect(await notes(me.person.id, "grant-expiring")).toHaveLength(0);
    await run(end - 59 * 60_000);
    await run(end - 30 * 60_000);
    const sent = await notes(me.person.id, "grant-expiring");
    expect(sent.map((n) => n.params)).toEqual([expect.objectContaining({ notice: "1h", minutes: 59 })]);
  });

  it("skip the 7-day reminder for grants of a week or less", async () => {
    const me = await makePerson();
    const { role } = await roleOnNewSystem();
    const now = new Date();
    const grant = await giveGrant(me.person.id, role.id, { endsAt: new Date(now.getTime() + 5 * DAY) });
    const end = grant.endsAt!.getTime();
    await inTransaction((tx) => remindExpiringGrants(tx, JOB, new Date(end - 4 * DAY)));
    expect(await notes(me.person.id, "grant-expiring")).toHaveLength(0);
    await inTransaction((tx) => remindExpiringGrants(tx, JOB, new Date(end - 12 * HOUR)));
    expect((await notes(me.person.id, "grant-expiring")).map((n) => (n.params as { notice: string }).notice)).toEqual(["1d"]);
  });
});

describe("expiry", () => {
  it("tells the holder their grant has ended and tells a connected system", async () => {
    const me = await makePerson();
    const { system, role } = await roleOnNewSystem({ connected: true });
    const grant = await giveGrant(me.person.id, role.id, { endsAt: new Date(Date.now() + HOUR) });
    await inTransaction((tx) => expireDueGrants(tx, JOB, new Date(grant.endsAt!.getTime() + 1000)));
    expect((await getDb().accessGrant.findUniqueOrThrow({ where: { id: grant.id } })).revokeReason).toBe("expired");
    expect(await notes(me.person.id, "grant-expired")).toEqual([
      expect.objectContaining({ link: "/access", params: { system: system.name, role: role.name } }),
    ]);
    expect(await getDb().provisioningOutbox.findFirst({ where: { grantId: grant.id, operation: "grant.revoked" } })).toMatchObject({
      payload: { cause: "expired" },
    });
  });
});

import { describe, expect, it } from "vitest";
import { getDb, inTransaction } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { systemActor } from "@/lib/authz/actor";
import { DomainError } from "@/lib/errors";
import { grantRole } from "@/lib/grants/grant-role";
import { revokeGrant } from "@/lib/grants/revoke-grant";
import { expireDueGrants } from "@/lib/grants/expire-grants";
import { listRoster, RosterFilter } from "@/lib/roster/queries";
import { rosterCsvStream } from "@/lib/roster/export-csv";
import { rosterXlsxStream } from "@/lib/roster/export-xlsx";
import { APP_TIME_ZONE, dayIn, endOfDay } from "@/lib/time/calendar";
import ExcelJS from "exceljs";
import {
  auditMark,
  auditSince,
  dayFromToday,
  expectDomainError,
  lastAuditRow,
  makeActor,
  makePerson,
  makeSystemWithRole,
  rejectionOf,
  type SystemKind,
  uniq,
} from "../factories";

type Perm = {
  dataKind: "NONE" | "IDENTITY" | "USER_DATA" | "SERVICE_DATA";
  sensitivity: "EXTREME" | "SENSITIVE" | "RELATIVE" | "LOW";
  operation: "QUERY" | "MODIFY" | "BULK_EXPORT";
  isLogManagement?: boolean;
};

/** A system with one role carrying the given permissions, and its account administrator. */
async function systemWithRole(kind: SystemKind, perms: Perm[], opts: { administrative?: boolean } = {}) {
  return makeSystemWithRole({ kind, role: { permissions: perms, administrative: opts.administrative } });
}

// Time-bound by default, as a sensitive role's grant must be; `endsAt: undefined` asks for a permanent one.
const grant = (actor: Actor, personId: string, roleId: string, extra: { endsAt?: Date } = {}) =>
  inTransaction((tx) =>
    grantRole(tx, actor, {
      personId,
      roleId,
      endsAt: new Date(Date.now() + 30 * 86_400_000),
      reason: "Joined the team",
      basis: "IT-1",
      ...extra,
    }),
  );

const SENSITIVE_QUERY: Perm = { dataKind: "IDENTITY", sensitivity: "SENSITIVE", operation: "QUERY" };

describe("grantRole", () => {
  it("creates the slave account and the grant, each audited, and the person joins the roster", async () => {
    const { system, admin, role } = await systemWithRole("FRONT_END", [SENSITIVE_QUERY]);
    const person = await makePerson();
    const g = await grant(admin.actor, person.person.id, role.id);
    const account = await getDb().slaveAccount.findFirstOrThrow({ where: { personId: person.person.id, systemId: system.id } });
    expect(account.loginName).toBe(person.employeeNo.toLowerCase());
    expect(await lastAuditRow({ action: "slave-account.created", targetId: account.id })).toMatchObject({
      actorId: admin.person.id,
      reason: "Joined the team",
      basis: "IT-1",
    });
    expect(await lastAuditRow({ action: "grant.created", targetId: g.id })).toMatchObject({
      summary: { after: { personId: person.person.id, roleId: role.id } },
    });

    const officer = await makeActor(["SECURITY_OFFICER"]);
    const roster = await listRoster(officer.actor, { system: system.id });
    expect(roster.rows.map((r) => r.personId)).toEqual([person.person.id]);
    expect(roster.rows[0]!.holdings[0]).toMatchObject({ role: role.code, permissions: [{ sensitivity: "SENSITIVE" }] });
    // As of yesterday they held nothing.
    const yesterday = dayFromToday(-1);
    expect((await listRoster(officer.actor, { system: system.id, asOf: yesterday })).rows).toEqual([]);
  });

  it("refuses a sensitive role to a third party (R4) with the reason, writing nothing", async () => {
    const { admin, role } = await systemWithRole("FRONT_END", [SENSITIVE_QUERY]);
    const vendorPerson = await makePerson({ employmentType: "THIRD_PARTY" });
    const mark = await auditMark();
    const error = (await rejectionOf(grant(admin.actor, vendorPerson.person.id, role.id))) as DomainError;
    expect(error.code).toBe("POLICY_VIOLATION");
    expect((error.details as { code: string }[]).map((v) => v.code)).toContain("THIRD_PARTY_SENSITIVE_PERMISSION");
    expect(await getDb().slaveAccount.count({ where: { personId: vendorPerson.person.id } })).toBe(0);
    expect(await auditSince(mark)).toEqual([]);
  });

  it("refuses a back-end log-management role to a front-end operator (R6)", async () => {
    const front = await systemWithRole("FRONT_END", [{ dataKind: "USER_DATA", sensitivity: "LOW", operation: "QUERY" }]);
    const back = await systemWithRole("BACK_END", [
      { dataKind: "NONE", sensitivity: "RELATIVE", operation: "MODIFY", isLogManagement: true },
    ]);
    const person = await makePerson();
    await grant(front.admin.actor, person.person.id, front.role.id);
    const error = (await rejectionOf(grant(back.admin.actor, person.person.id, back.role.id))) as DomainError;
    expect(error.code).toBe("POLICY_VIOLATION");
    expect((error.details as { code: string }[]).map((v) => v.code)).toEqual(["SOD_FRONT_END_LOG_MANAGEMENT"]);
  });

  it("is for the system's own account administrators, refuses past end dates and duplicates", async () => {
    const { admin, role } = await systemWithRole("PLATFORM", [{ dataKind: "NONE", sensitivity: "LOW", operation: "QUERY" }]);
    const other = await systemWithRole("PLATFORM", []);
    const person = await makePerson();
    await expectDomainError(grant(other.admin.actor, person.person.id, role.id), "FORBIDDEN");
    await expectDomainError(grant(admin.actor, person.person.id, role.id, { endsAt: new Date(Date.now() - 1000) }), "DATE_IN_PAST");
    await grant(admin.actor, person.person.id, role.id);
    await expectDomainError(grant(admin.actor, person.person.id, role.id), "ALREADY_EXISTS");
  });

  it("keeps to the same duration rules as a request: sensitive roles and third parties time-bound, within the limits; nothing written", async () => {
    const sensitive = await systemWithRole("PLATFORM", [SENSITIVE_QUERY]);
    const low = await systemWithRole("PLATFORM", [{ dataKind: "NONE", sensitivity: "LOW", operation: "QUERY" }]);
    const person = await makePerson();
    const contractor = await makePerson({ employmentType: "THIRD_PARTY", contractEndsOn: dayFromToday(20) });
    const inDays = (days: number) => new Date(Date.now() + days * 86_400_000);
    const mark = await auditMark();
    const permanent = await expectDomainError(
      grant(sensitive.admin.actor, person.person.id, sensitive.role.id, { endsAt: undefined }),
      "REQUEST_PERMANENT_NOT_ALLOWED",
    );
    expect([permanent.field, permanent.params]).toEqual(["endsAt", { reason: "sensitive" }]);
    const tooLong = await expectDomainError(
      grant(sensitive.admin.actor, person.person.id, sensitive.role.id, { endsAt: inDays(120) }),
      "REQUEST_TOO_LONG",
    );
    expect(tooLong.params).toEqual({ days: 90 });
    const vendorPermanent = await expectDomainError(
      grant(low.admin.actor, contractor.person.id, low.role.id, { endsAt: undefined }),
      "REQUEST_PERMANENT_NOT_ALLOWED",
    );
    expect(vendorPermanent.params).toEqual({ reason: "thirdParty" });
    await expectDomainError(grant(low.admin.actor, contractor.person.id, low.role.id, { endsAt: inDays(40) }), "REQUEST_PAST_CONTRACT_END");
    expect(await auditSince(mark)).toEqual([]);
    expect(await getDb().slaveAccount.count({ where: { personId: { in: [person.person.id, contractor.person.id] } } })).toBe(0);

    // Within the limits it is granted; an employee's non-sensitive role may be permanent.
    expect((await grant(sensitive.admin.actor, person.person.id, sensitive.role.id, { endsAt: inDays(90) })).endsAt).toBeInstanceOf(Date);
    await grant(low.admin.actor, contractor.person.id, low.role.id, { endsAt: inDays(10) });
    expect((await grant(low.admin.actor, person.person.id, low.role.id, { endsAt: undefined })).endsAt).toBeNull();
  });

  it("two grants racing for one person cannot together break separation of duties", async () => {
    const front = await systemWithRole("FRONT_END", [{ dataKind: "USER_DATA", sensitivity: "LOW", operation: "QUERY" }]);
    const back = await systemWithRole("BACK_END", [
      { dataKind: "NONE", sensitivity: "RELATIVE", operation: "MODIFY", isLogManagement: true },
    ]);
    const person = await makePerson();
    const results = await Promise.allSettled([
      grant(front.admin.actor, person.person.id, front.role.id),
      grant(back.admin.actor, person.person.id, back.role.id),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect((refused.reason as DomainError).code).toBe("POLICY_VIOLATION");
  });
});

describe("revoking and expiry", () => {
  it("revokes once (a second revoke gets CONFLICT), end-dating the grant; the person leaves the roster", async () => {
    const { system, admin, role } = await systemWithRole("FRONT_END", [SENSITIVE_QUERY]);
    const person = await makePerson();
    const g = await grant(admin.actor, person.person.id, role.id);
    await inTransaction((tx) => revokeGrant(tx, admin.actor, { grantId: g.id, reason: "Moved to billing" }));
    expect(await lastAuditRow({ action: "grant.revoked", targetId: g.id })).toMatchObject({ reason: "Moved to billing" });
    await expectDomainError(
      inTransaction((tx) => revokeGrant(tx, admin.actor, { grantId: g.id, reason: "Again" })),
      "CONFLICT",
    );
    const row = await getDb().accessGrant.findUniqueOrThrow({ where: { id: g.id } });
    expect(row.revokedAt).toBeInstanceOf(Date);
    const officer = await makeActor(["SECURITY_OFFICER"]);
    expect((await listRoster(officer.actor, { system: system.id })).rows).toEqual([]);
  });

  it("expires due grants set-based with one audit row per batch", async () => {
    const { admin, role } = await systemWithRole("FRONT_END", [SENSITIVE_QUERY]);
    const people = await Promise.all([makePerson(), makePerson(), makePerson()]);
    const soon = new Date(Date.now() + 60_000);
    const grants = [];
    for (const p of people) grants.push(await grant(admin.actor, p.person.id, role.id, { endsAt: soon }));
    const later = new Date(soon.getTime() + 1000);
    const expired = await inTransaction((tx) => expireDueGrants(tx, systemActor("scheduler"), later));
    expect(expired).toBeGreaterThanOrEqual(3);
    const rows = await getDb().accessGrant.findMany({ where: { id: { in: grants.map((g) => g.id) } } });
    expect(rows.every((r) => r.revokeReason === "expired" && r.revokedAt?.getTime() === soon.getTime())).toBe(true);
    const audit = await lastAuditRow({ action: "grant.expired" });
    const items = await getDb().auditEventItem.findMany({ where: { eventId: audit.id }, orderBy: { position: "asc" } });
    expect(items.map((i) => i.subjectId)).toEqual(expect.arrayContaining(grants.map((g) => g.id)));
    expect(items.every((i) => i.kind === "grant")).toBe(true);
    expect(await inTransaction((tx) => expireDueGrants(tx, systemActor("scheduler"), later))).toBe(0);
  });
});

describe("system accounts", () => {
  it("lists a system's accounts and flags orphans (owner unknown or left)", async () => {
    const { system, admin, role } = await systemWithRole("PLATFORM", [{ dataKind: "NONE", sensitivity: "LOW", operation: "QUERY" }]);
    const person = await makePerson();
    await grant(admin.actor, person.person.id, role.id);
    await getDb().slaveAccount.create({
      data: { systemId: system.id, loginName: `zz-legacy-${uniq()}`, basis: "imported from the old system" },
    });
    const { listSystemAccounts } = await import("@/lib/grants/queries");
    const all = await listSystemAccounts(system.id);
    expect(all.rows.map((r) => [r.person?.id ?? null, r.isOrphan, r.liveGrants])).toEqual([
      [person.person.id, false, 1],
      [null, true, 0],
    ]);
    const orphans = await listSystemAccounts(system.id, { orphans: true });
    expect(orphans.rows).toHaveLength(1);
    expect(orphans.rows[0]!.person).toBeNull();
  });
});

/** A stream read to its end, or an error after `ms` (a stream that never closes fails the test). */
async function readAll(stream: ReadableStream<Uint8Array>, ms = 10_000): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  const reader = stream.getReader();
  const deadline = Date.now() + ms;
  for (;;) {
    const next = await Promise.race([
      reader.read(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error("the export never ended")), Math.max(0, deadline - Date.now()))),
    ]);
    if (next.done) return Buffer.concat(chunks);
    chunks.push(next.value);
  }
}

const hhmm = (at: Date) =>
  new Intl.DateTimeFormat("en-GB", { timeZone: APP_TIME_ZONE, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(at);

describe("roster as of a date and time, and its exports [calendar]", () => {
  it("looks behind a revocation earlier today: as of an hour ago the person held it, as of now they do not", async () => {
    const { system, admin, role } = await systemWithRole("FRONT_END", [SENSITIVE_QUERY]);
    const person = await makePerson();
    const g = await grant(admin.actor, person.person.id, role.id);
    // The grant and the matrix cell have been there since three hours ago; the revocation is now.
    const threeHoursAgo = new Date(Date.now() - 3 * 3_600_000);
    await getDb().accessGrant.update({ where: { id: g.id }, data: { startsAt: threeHoursAgo } });
    await getDb().rolePermission.updateMany({ where: { roleId: role.id }, data: { startsAt: threeHoursAgo } });
    await inTransaction((tx) => revokeGrant(tx, admin.actor, { grantId: g.id, reason: "Moved to billing" }));
    const officer = await makeActor(["SECURITY_OFFICER"]);
    expect((await listRoster(officer.actor, { system: system.id })).rows).toEqual([]);

    const hourAgo = new Date(Date.now() - 3_600_000);
    const before = await listRoster(officer.actor, { system: system.id, asOf: dayIn(hourAgo), asOfTime: hhmm(hourAgo) });
    expect(before.rows.map((r) => r.personId)).toEqual([person.person.id]);
    expect(Math.abs(before.at.getTime() - hourAgo.getTime())).toBeLessThan(60_000);
    const inAMinute = new Date(Date.now() + 60_000);
    expect((await listRoster(officer.actor, { system: system.id, asOf: dayIn(inAMinute), asOfTime: hhmm(inAMinute) })).rows).toEqual([]);
    // A time that is not one is dropped (the end of the day is used), never an error.
    const parsed = RosterFilter.parse({ system: system.id, asOf: dayIn(hourAgo), asOfTime: "25:99" });
    expect(parsed.asOfTime).toBeUndefined();
    expect((await listRoster(officer.actor, parsed)).at).toEqual(endOfDay(dayIn(hourAgo)));
  });

  it("an empty roster's CSV ends after the header; CSV and XLSX stamp every line with the one instant given", async () => {
    const empty = await systemWithRole("FRONT_END", [SENSITIVE_QUERY]);
    const officer = await makeActor(["SECURITY_OFFICER"]);
    const csv = (await readAll(rosterCsvStream(officer.actor, { system: empty.system.id }))).toString("utf8");
    expect(
      csv
        .replace(/^\uFEFF/, "")
        .trim()
        .split("\r\n"),
    ).toHaveLength(1);

    const { system, admin, role } = await systemWithRole("FRONT_END", [SENSITIVE_QUERY, { ...SENSITIVE_QUERY, operation: "MODIFY" }]);
    for (let i = 0; i < 3; i++) await grant(admin.actor, (await makePerson()).person.id, role.id);
    const now = new Date();
    const lines = (await readAll(rosterCsvStream(officer.actor, { system: system.id }, now))).toString("utf8").trim().split("\r\n");
    expect(lines).toHaveLength(1 + 6);
    expect(new Set(lines.slice(1).map((l) => l.split(",").at(-1)))).toEqual(new Set([now.toISOString()]));

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await readAll(rosterXlsxStream(officer.actor, { system: system.id }, now))) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    const stamps = new Set<string>();
    sheet.eachRow((row, n) => {
      if (n > 1) stamps.add(String(row.getCell(13).value));
    });
    expect(sheet.rowCount).toBe(1 + 6);
    expect(stamps).toEqual(new Set([now.toISOString()]));
  });
});

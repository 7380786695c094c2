// Staff records managed by HR (lib/people/*): third parties with vendor, sponsor and contract end (R10),
// edits with before/after, and status changes that end sessions and revoke access at once (R5).
import { describe, expect, it } from "vitest";
import { decryptOptional } from "@/lib/crypto";
import { getDb, inTransaction, type Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { DomainError } from "@/lib/errors";
import { createPerson } from "@/lib/people/create-person";
import { updatePerson } from "@/lib/people/update-person";
import { changePersonStatus } from "@/lib/people/change-person-status";
import { grantRole } from "@/lib/grants/grant-role";
import { revokeGrant } from "@/lib/grants/revoke-grant";
import { checkSession } from "@/lib/auth/sessions";
import { listPeople, getPersonDetail } from "@/lib/people/queries";
import {
  actorName,
  auditMark,
  auditSince,
  itemIds,
  auditText,
  dayFromToday,
  expectDomainError,
  expectZodError,
  FACTORY,
  makeActor,
  makeOrgUnit,
  makePerson,
  makeSystemWithRole,
  makeVendor,
  onlySystemAdmins,
  testCtx,
  uniq,
  withPii,
} from "../factories";
import { staggered } from "../race";

type CreateInput = Parameters<typeof createPerson>[2];
type UpdateInput = Parameters<typeof updatePerson>[2];
type StatusInput = Parameters<typeof changePersonStatus>[2];

const create = (actor: Actor, input: CreateInput) => inTransaction((tx) => createPerson(tx, actor, input));
const update = (actor: Actor, input: UpdateInput) => inTransaction((tx) => updatePerson(tx, actor, input));
const setStatus = (actor: Actor, input: StatusInput) => inTransaction((tx) => changePersonStatus(tx, actor, input));

const day = (s: string) => new Date(`${s}T00:00:00Z`);
const HUGE = "x".repeat(10_000);
const SCRIPT = "<script>alert(1)</script>";

/** A vendor under contract, an active employee to sponsor, and a unit: what a third party needs. */
async function thirdPartySetup(opts: { vendorEndsIn?: number } = {}) {
  const vendor = await makeVendor({ contractStartsOn: dayFromToday(-200), contractEndsOn: dayFromToday(opts.vendorEndsIn ?? 400) });
  const sponsor = await makePerson();
  const unit = await makeOrgUnit();
  return { vendor, sponsor, unit };
}

function thirdPartyInput(s: Awaited<ReturnType<typeof thirdPartySetup>>, overrides: Partial<CreateInput> = {}): CreateInput {
  const employeeNo = `T${uniq()}`;
  return {
    employeeNo,
    name: "Wu Gang",
    orgUnitId: s.unit.id,
    jobTitle: "Outsourced tester",
    employmentType: "THIRD_PARTY",
    vendorId: s.vendor.id,
    sponsorEmployeeNo: s.sponsor.employeeNo,
    contractEndsOn: dayFromToday(300),
    jobCategories: ["DEV_TEST"],
    phone: "13712345678",
    email: `${employeeNo.toLowerCase()}@vendor.example`,
    idNumber: "11010519491231002X",
    ...overrides,
  };
}

/** A system with one (non-sensitive) role and its account administrator, as in grants.test.ts. */
async function systemWithRole() {
  return makeSystemWithRole();
}

const grant = (actor: Actor, personId: string, roleId: string, extra: { endsAt?: Date } = {}) =>
  inTransaction((tx) => grantRole(tx, actor, { personId, roleId, reason: "Needs reports", basis: "IT-7", ...extra }));

async function liveGrants(personId: string) {
  return getDb().accessGrant.count({ where: { revokedAt: null, slaveAccount: { personId } } });
}

describe("createPerson: third parties (R10) [calendar]", () => {
  it("creates a third party with vendor, sponsor and contract end; vendorName follows the vendor; audited", async () => {
    const { actor: hr } = await makeActor(["HR"]);
    const s = await thirdPartySetup();
    const input = thirdPartyInput(s);
    const mark = await auditMark();
    const { person, account } = await create(hr, input);
    expect(person).toMatchObject({
      employmentType: "THIRD_PARTY",
      vendorId: s.vendor.id,
      vendorName: s.vendor.name,
      sponsorId: s.sponsor.person.id,
      contractEndsOn: day(dayFromToday(300)),
      jobCategories: ["DEV_TEST"],
      status: "ACTIVE",
    });
    const rows = await auditSince(mark);
    expect(rows.map((r) => r.action)).toEqual(["person.created", "account.created"]);
    expect(rows[0]).toMatchObject({
      actorId: hr.personId,
      actorName: actorName(hr),
      targetType: "person",
      targetId: person.id,
      summary: {
        after: {
          employmentType: "THIRD_PARTY",
          vendorId: s.vendor.id,
          vendorName: s.vendor.name,
          sponsorId: s.sponsor.person.id,
          contractEndsOn: dayFromToday(300),
          jobCategories: ["DEV_TEST"],
        },
      },
    });
    expect(rows[1]).toMatchObject({ targetType: "account", targetId: account.id });
    for (const secret of [input.phone!, input.email!, input.idNumber!]) expect(auditText(rows)).not.toContain(secret);

    // The list and the detail page show vendor, sponsor and contract end.
    const list = await listPeople(hr, { q: person.employeeNo, sort: "name", vendor: s.vendor.id });
    expect(list.rows).toEqual([
      expect.objectContaining({ id: person.id, vendorName: s.vendor.name, contractEndsOn: day(dayFromToday(300)) }),
    ]);
    const detail = await getPersonDetail(hr, person.id);
    expect(detail).toMatchObject({
      sponsor: { id: s.sponsor.person.id, employeeNo: s.sponsor.employeeNo },
      vendor: { id: s.vendor.id },
      contractEndsOn: day(dayFromToday(300)),
    });
    const sponsorDetail = await getPersonDetail(hr, s.sponsor.person.id);
    expect(sponsorDetail).toMatchObject({ sponsoredCount: 1 });
  });

  it("refuses a third party without vendor, sponsor or contract end, and an employee with them (ZodError), writing nothing", async () => {
    const s = await thirdPartySetup();
    const mark = await auditMark();
    const before = await getDb().person.count();
    const missing = await expectZodError(
      create(FACTORY, thirdPartyInput(s, { vendorId: undefined, sponsorEmployeeNo: "", contractEndsOn: "" })),
    );
    expect(missing.map((i) => [i.path.join("."), i.message]).sort()).toEqual([
      ["contractEndsOn", "third-party-required"],
      ["sponsorEmployeeNo", "third-party-required"],
      ["vendorId", "third-party-required"],
    ]);
    for (const field of ["vendorId", "sponsorEmployeeNo", "contractEndsOn"] as const) {
      const issues = await expectZodError(create(FACTORY, thirdPartyInput(s, { [field]: undefined })));
      expect(issues.map((i) => i.path.join("."))).toEqual([field]);
    }
    const employee = await expectZodError(create(FACTORY, thirdPartyInput(s, { employmentType: "EMPLOYEE" })));
    expect(employee.map((i) => [i.path.join("."), i.message]).sort()).toEqual([
      ["contractEndsOn", "third-party-only"],
      ["sponsorEmployeeNo", "third-party-only"],
      ["vendorId", "third-party-only"],
    ]);
    expect(await getDb().person.count()).toBe(before);
    expect(await auditSince(mark)).toEqual([]);
  });

  it("requires the sponsor to be an active employee: never a third party, a suspended person or a leaver", async () => {
    const s = await thirdPartySetup();
    const otherThirdParty = await makePerson({ employmentType: "THIRD_PARTY", vendorId: s.vendor.id });
    const suspended = await makePerson();
    await setStatus(FACTORY, { personId: suspended.person.id, status: "SUSPENDED", reason: "Investigation" });
    const leaver = await makePerson();
    await setStatus(FACTORY, { personId: leaver.person.id, status: "LEFT", reason: "Resigned" });
    const mark = await auditMark();
    const before = await getDb().person.count();
    for (const ref of [otherThirdParty, suspended, leaver]) {
      const byNo = await expectDomainError(
        create(FACTORY, thirdPartyInput(s, { sponsorEmployeeNo: ref.employeeNo })),
        "SPONSOR_NOT_ELIGIBLE",
      );
      expect(byNo.field).toBe("sponsorEmployeeNo");
      const byId = await expectDomainError(
        create(FACTORY, thirdPartyInput(s, { sponsorEmployeeNo: undefined, sponsorId: ref.person.id })),
        "SPONSOR_NOT_ELIGIBLE",
      );
      expect(byId.field).toBe("sponsorId");
    }
    expect((await expectDomainError(create(FACTORY, thirdPartyInput(s, { sponsorEmployeeNo: "NOBODY-0000" })), "NOT_FOUND")).field).toBe(
      "sponsorEmployeeNo",
    );
    expect(await getDb().person.count()).toBe(before);
    expect(await auditSince(mark)).toEqual([]);
  });

  it("refuses a contract end after the vendor's (or before its start, or already passed), and an unknown or inactive vendor", async () => {
    const s = await thirdPartySetup({ vendorEndsIn: 100 });
    const inactive = await makeVendor();
    await getDb().vendor.update({ where: { id: inactive.id }, data: { isActive: false } });
    const mark = await auditMark();
    const before = await getDb().person.count();
    const beyond = await expectDomainError(
      create(FACTORY, thirdPartyInput(s, { contractEndsOn: dayFromToday(101) })),
      "CONTRACT_OUTSIDE_VENDOR",
    );
    expect(beyond).toMatchObject({
      field: "contractEndsOn",
      params: { vendor: s.vendor.name, from: dayFromToday(-200), to: dayFromToday(100) },
    });
    expect((await expectDomainError(create(FACTORY, thirdPartyInput(s, { contractEndsOn: dayFromToday(-1) })), "DATE_IN_PAST")).field).toBe(
      "contractEndsOn",
    );
    const unknown = await expectDomainError(
      create(FACTORY, thirdPartyInput(s, { vendorId: "00000000-0000-4000-8000-000000000000" })),
      "NOT_FOUND",
    );
    expect(unknown.field).toBe("vendorId");
    expect((await expectDomainError(create(FACTORY, thirdPartyInput(s, { vendorId: inactive.id })), "NOT_FOUND")).field).toBe("vendorId");
    expect(await getDb().person.count()).toBe(before);
    expect(await auditSince(mark)).toEqual([]);
    // The vendor's last day is fine.
    const { person } = await create(FACTORY, thirdPartyInput(s, { contractEndsOn: dayFromToday(100) }));
    expect(person.contractEndsOn).toEqual(day(dayFromToday(100)));
  });

  it("refuses staff, approvers and account administrators (FORBIDDEN), writing nothing", async () => {
    const s = await thirdPartySetup();
    for (const roles of [[], ["APPROVER"], ["ACCOUNT_ADMIN"], ["SYSTEM_ADMIN"]] as const) {
      const { actor } = await makeActor([...roles], { orgUnitId: s.unit.id });
      const input = thirdPartyInput(s);
      const mark = await auditMark();
      await expectDomainError(create(actor, input), "FORBIDDEN");
      expect(await getDb().person.findUnique({ where: { employeeNo: input.employeeNo } })).toBeNull();
      expect(await auditSince(mark)).toEqual([]);
    }
  });

  it("refuses hostile values in the new fields (markup, 10,000 characters, NUL) with a ZodError, writing nothing", async () => {
    const s = await thirdPartySetup();
    const mark = await auditMark();
    const before = await getDb().person.count();
    const cases: [keyof CreateInput, unknown][] = [
      ["vendorId", SCRIPT],
      ["vendorId", HUGE],
      ["vendorId", "\u0000"],
      ["sponsorEmployeeNo", SCRIPT],
      ["sponsorEmployeeNo", HUGE],
      ["sponsorEmployeeNo", "E0001\u0000"],
      ["contractEndsOn", SCRIPT],
      ["contractEndsOn", HUGE],
      ["contractEndsOn", "2027-01-01\u0000"],
      ["contractEndsOn", "2027-13-01"],
      ["jobCategories", [SCRIPT]],
      ["jobCategories", "DEV_TEST"],
      ["employmentType", SCRIPT],
      ["name", ""],
      ["name", HUGE],
      ["name", "Wu\u0000Gang"],
      ["employeeNo", SCRIPT],
      ["employeeNo", HUGE],
      ["phone", SCRIPT],
      ["idNumber", "1\u00002345678"],
    ];
    for (const [field, value] of cases) {
      const issues = await expectZodError(create(FACTORY, thirdPartyInput(s, { [field]: value } as Partial<CreateInput>)));
      expect(
        issues.map((i) => i.path[0]),
        `${field}`,
      ).toContain(field);
    }
    expect(await getDb().person.count()).toBe(before);
    expect(await auditSince(mark)).toEqual([]);
  });
});

describe("updatePerson", () => {
  function editOf(p: { id: string; name: string; orgUnitId: string; jobTitle: string }, overrides: Partial<UpdateInput> = {}): UpdateInput {
    return { personId: p.id, name: p.name, orgUnitId: p.orgUnitId, jobTitle: p.jobTitle, reason: "HR ticket HR-1", ...overrides };
  }

  it("changes the record with 'person.updated': changed fields before/after, personal data masked, the reason; no change writes nothing", async () => {
    const { actor: hr } = await makeActor(["HR"]);
    const target = await makePerson({ phone: "13812345678", idNumber: "11010519491231002X" });
    const newUnit = await makeOrgUnit();
    const base = editOf(target.person);

    let mark = await auditMark();
    expect(await update(hr, base)).toEqual({ id: target.person.id, changed: [], sensitiveGrantsRevoked: [] });
    expect(await auditSince(mark)).toEqual([]);

    mark = await auditMark();
    const newEmail = `new-${uniq()}@test.example`;
    const result = await update(hr, {
      ...base,
      name: "Renamed Person",
      orgUnitId: newUnit.id,
      jobTitle: "Billing analyst",
      jobCategories: ["PRODUCTION_OPERATIONS", "BUSINESS_MANAGEMENT", "PRODUCTION_OPERATIONS"],
      phone: "13900009999",
      email: newEmail.toUpperCase(),
      clearIdNumber: true,
    });
    expect(result.changed).toEqual(["name", "orgUnitId", "jobTitle", "jobCategories", "phone", "email", "idNumber"]);
    expect(withPii(await getDb().person.findUniqueOrThrow({ where: { id: target.person.id } }))).toMatchObject({
      name: "Renamed Person",
      orgUnitId: newUnit.id,
      jobTitle: "Billing analyst",
      jobCategories: ["BUSINESS_MANAGEMENT", "PRODUCTION_OPERATIONS"],
      phone: "13900009999",
      email: newEmail,
      idNumber: null,
    });
    const rows = await auditSince(mark);
    expect(rows.map((r) => r.action)).toEqual(["person.updated"]);
    expect(rows[0]).toMatchObject({
      actorId: hr.personId,
      targetType: "person",
      targetId: target.person.id,
      reason: "HR ticket HR-1",
      summary: {
        employeeNo: target.employeeNo,
        before: {
          name: target.person.name,
          orgUnitId: target.orgUnitId,
          jobTitle: "Engineer",
          jobCategories: [],
          phone: "138****5678",
          idNumber: "1101**********002X",
        },
        after: {
          name: "Renamed Person",
          orgUnitId: newUnit.id,
          jobCategories: ["BUSINESS_MANAGEMENT", "PRODUCTION_OPERATIONS"],
          phone: "139****9999",
          email: "n***@test.example",
          idNumber: "",
        },
      },
    });
    for (const secret of ["13812345678", "13900009999", "11010519491231002X", newEmail, target.person.email!])
      expect(auditText(rows)).not.toContain(secret);

    // Empty personal-data fields keep what is stored.
    await update(
      hr,
      editOf(
        { ...target.person, name: "Renamed Person", orgUnitId: newUnit.id, jobTitle: "Billing analyst" },
        { jobCategories: ["BUSINESS_MANAGEMENT", "PRODUCTION_OPERATIONS"], phone: "" },
      ),
    );
    expect(decryptOptional((await getDb().person.findUniqueOrThrow({ where: { id: target.person.id } })).phoneEnc)).toBe("13900009999");
  });

  it("keeps a third party's sponsor an active employee and the contract inside the vendor's", async () => {
    const s = await thirdPartySetup({ vendorEndsIn: 100 });
    const { person } = await create(FACTORY, thirdPartyInput(s, { contractEndsOn: dayFromToday(50) }));
    const newSponsor = await makePerson();
    const otherThirdParty = await makePerson({ employmentType: "THIRD_PARTY" });
    const base = editOf(person, { sponsorId: s.sponsor.person.id, contractEndsOn: dayFromToday(50), jobCategories: ["DEV_TEST"] });
    const mark = await auditMark();
    expect(
      (await expectDomainError(update(FACTORY, { ...base, sponsorId: otherThirdParty.person.id }), "SPONSOR_NOT_ELIGIBLE")).field,
    ).toBe("sponsorId");
    expect((await expectDomainError(update(FACTORY, { ...base, sponsorId: person.id }), "SPONSOR_NOT_ELIGIBLE")).field).toBe("sponsorId");
    expect(
      (await expectDomainError(update(FACTORY, { ...base, contractEndsOn: dayFromToday(101) }), "CONTRACT_OUTSIDE_VENDOR")).field,
    ).toBe("contractEndsOn");
    const missing = await expectZodError(update(FACTORY, { ...base, sponsorId: undefined, contractEndsOn: "" }));
    expect(missing.map((i) => [i.path.join("."), i.message]).sort()).toEqual([
      ["contractEndsOn", "third-party-required"],
      ["sponsorEmployeeNo", "third-party-required"],
    ]);
    expect(await auditSince(mark)).toEqual([]);

    const result = await update(FACTORY, {
      ...base,
      sponsorId: undefined,
      sponsorEmployeeNo: newSponsor.employeeNo,
      contractEndsOn: dayFromToday(100),
    });
    expect(result.changed).toEqual(["sponsorId", "contractEndsOn"]);
    expect(await getDb().person.findUniqueOrThrow({ where: { id: person.id } })).toMatchObject({
      sponsorId: newSponsor.person.id,
      contractEndsOn: day(dayFromToday(100)),
    });
    const rows = await auditSince(mark);
    expect(rows[0]).toMatchObject({
      action: "person.updated",
      summary: {
        before: { sponsorId: s.sponsor.person.id, contractEndsOn: dayFromToday(50) },
        after: { sponsorId: newSponsor.person.id, contractEndsOn: dayFromToday(100) },
      },
    });

    // An employee has no sponsor or contract end.
    const employee = await makePerson();
    const wrong = await expectZodError(
      update(FACTORY, editOf(employee.person, { sponsorEmployeeNo: newSponsor.employeeNo, contractEndsOn: dayFromToday(10) })),
    );
    expect(wrong.map((i) => i.message)).toEqual(["third-party-only", "third-party-only"]);
  });

  it("refuses a leaver's record (PERSON_LEFT), another person's e-mail (ALREADY_EXISTS) and an inactive unit", async () => {
    const leaver = await makePerson();
    await setStatus(FACTORY, { personId: leaver.person.id, status: "LEFT", reason: "Resigned" });
    const other = await makePerson();
    const target = await makePerson();
    const closed = await makeOrgUnit();
    await getDb().orgUnit.update({ where: { id: closed.id }, data: { isActive: false } });
    const mark = await auditMark();
    await expectDomainError(update(FACTORY, editOf(leaver.person, { name: "Changed" })), "PERSON_LEFT");
    expect((await expectDomainError(update(FACTORY, editOf(target.person, { email: other.person.email! })), "ALREADY_EXISTS")).field).toBe(
      "email",
    );
    expect((await expectDomainError(update(FACTORY, editOf(target.person, { orgUnitId: closed.id })), "ORG_UNIT_INACTIVE")).field).toBe(
      "orgUnitId",
    );
    await expectDomainError(update(FACTORY, editOf({ ...target.person, id: "00000000-0000-4000-8000-000000000000" })), "NOT_FOUND");
    expect(await auditSince(mark)).toEqual([]);
  });

  it("refuses staff and approvers (FORBIDDEN), writing nothing", async () => {
    const target = await makePerson();
    for (const roles of [[], [{ role: "APPROVER" as const, orgUnitId: target.orgUnitId }], ["SECURITY_OFFICER" as const]]) {
      const { actor } = await makeActor(roles);
      const mark = await auditMark();
      await expectDomainError(update(actor, editOf(target.person, { name: "Hijacked" })), "FORBIDDEN");
      expect(await auditSince(mark)).toEqual([]);
    }
    expect((await getDb().person.findUniqueOrThrow({ where: { id: target.person.id } })).name).toBe(target.person.name);
  });

  it("refuses hostile input (empty, 10,000 characters, markup in coded fields, NUL) with a ZodError, writing nothing", async () => {
    const target = await makePerson();
    const base = editOf(target.person);
    const mark = await auditMark();
    const cases: [keyof UpdateInput, unknown][] = [
      ["name", ""],
      ["name", " \t "],
      ["name", HUGE],
      ["name", "A\u0000B"],
      ["jobTitle", HUGE],
      ["reason", ""],
      ["reason", HUGE],
      ["reason", "ok\u0000"],
      ["personId", SCRIPT],
      ["orgUnitId", SCRIPT],
      ["jobCategories", ["ROOT"]],
      ["phone", SCRIPT],
      ["email", SCRIPT],
      ["idNumber", SCRIPT],
      ["sponsorEmployeeNo", SCRIPT],
      ["contractEndsOn", SCRIPT],
      ["vendorId", HUGE],
    ];
    for (const [field, value] of cases) {
      const issues = await expectZodError(update(FACTORY, { ...base, [field]: value } as UpdateInput));
      expect(
        issues.map((i) => i.path[0]),
        field,
      ).toContain(field);
    }
    expect(await getDb().person.findUniqueOrThrow({ where: { id: target.person.id } })).toMatchObject({ name: target.person.name });
    expect(await auditSince(mark)).toEqual([]);
  });
});

describe("changePersonStatus (R5: leavers lose access at once)", () => {
  it("LEFT ends every session and revokes every live grant in one go, with one audit row listing the grants", async () => {
    const { actor: hr } = await makeActor(["HR"]);
    const a = await systemWithRole();
    const b = await systemWithRole();
    const target = await makePerson();
    const g1 = await grant(a.admin.actor, target.person.id, a.role.id);
    const g2 = await grant(b.admin.actor, target.person.id, b.role.id, { endsAt: new Date(Date.now() + 86_400_000) });
    // History stays as it is: an already revoked grant keeps its own revocation.
    const c = await systemWithRole();
    const old = await grant(c.admin.actor, target.person.id, c.role.id);
    await inTransaction((tx) => revokeGrant(tx, c.admin.actor, { grantId: old.id, reason: "Moved team" }));
    const s1 = await getDb().portalSession.create({ data: { accountId: target.account.id } });
    const s2 = await getDb().portalSession.create({ data: { accountId: target.account.id } });
    // Someone else's grant and session are not touched.
    const bystander = await makePerson();
    const gb = await grant(a.admin.actor, bystander.person.id, a.role.id);
    const sb = await getDb().portalSession.create({ data: { accountId: bystander.account.id } });

    const mark = await auditMark();
    const result = await setStatus(hr, {
      personId: target.person.id,
      status: "LEFT",
      expectedStatus: "ACTIVE",
      reason: "Resigned, last day today",
    });
    expect(result).toMatchObject({ id: target.person.id, status: "LEFT", sessionsEnded: 2, grantIds: [g1.id, g2.id].sort() });
    expect(result.slaveAccountIds).toHaveLength(3);

    expect((await getDb().person.findUniqueOrThrow({ where: { id: target.person.id } })).status).toBe("LEFT");
    expect(await liveGrants(target.person.id)).toBe(0);
    for (const id of [g1.id, g2.id]) {
      expect(await getDb().accessGrant.findUniqueOrThrow({ where: { id } })).toMatchObject({
        revokedById: hr.personId,
        revokeReason: "Resigned, last day today",
        revokedAt: expect.any(Date),
      });
    }
    expect(await getDb().accessGrant.findUniqueOrThrow({ where: { id: old.id } })).toMatchObject({ revokeReason: "Moved team" });
    for (const id of [s1.id, s2.id])
      expect(await getDb().portalSession.findUniqueOrThrow({ where: { id } })).toMatchObject({
        revokedAt: expect.any(Date),
        revokedReason: "person-left",
      });
    expect(await checkSession(s1.id, testCtx())).toEqual({ ok: false, reason: "revoked" });
    expect(await getDb().accessGrant.findUniqueOrThrow({ where: { id: gb.id } })).toMatchObject({ revokedAt: null });
    expect(await getDb().portalSession.findUniqueOrThrow({ where: { id: sb.id } })).toMatchObject({ revokedAt: null });

    const rows = await auditSince(mark);
    expect(rows.map((r) => r.action)).toEqual([
      "grant.revoked",
      "offboarding.completed",
      "person.status-changed",
      "slave-account.disabled",
    ]);
    expect(rows[2]).toMatchObject({
      actorId: hr.personId,
      targetType: "person",
      targetId: target.person.id,
      reason: "Resigned, last day today",
      summary: {
        employeeNo: target.employeeNo,
        before: { status: "ACTIVE" },
        after: { status: "LEFT" },
        sessionsEnded: 2,
        grantsRevoked: 2,
      },
    });
    expect(rows[0]).toMatchObject({
      actorId: hr.personId,
      targetType: "person",
      targetId: target.person.id,
      reason: "Resigned, last day today",
      summary: { personId: target.person.id, cause: "person-left", count: 2 },
    });
    expect(itemIds(rows[0]!, "grant")).toEqual([g1.id, g2.id].sort());
  });

  it("SUSPENDED revokes too; reinstating restores nothing; a leaver stays left (STATUS_TRANSITION); a stale form gets CONFLICT", async () => {
    const a = await systemWithRole();
    const target = await makePerson();
    const g = await grant(a.admin.actor, target.person.id, a.role.id);
    const suspended = await setStatus(FACTORY, { personId: target.person.id, status: "SUSPENDED", reason: "Investigation" });
    expect(suspended.grantIds).toEqual([g.id]);
    expect(await liveGrants(target.person.id)).toBe(0);

    let mark = await auditMark();
    await expectDomainError(setStatus(FACTORY, { personId: target.person.id, status: "SUSPENDED", reason: "Again" }), "STATUS_TRANSITION");
    await expectDomainError(
      setStatus(FACTORY, { personId: target.person.id, status: "ACTIVE", expectedStatus: "ACTIVE", reason: "Stale form" }),
      "CONFLICT",
    );
    expect(await auditSince(mark)).toEqual([]);

    mark = await auditMark();
    const back = await setStatus(FACTORY, { personId: target.person.id, status: "ACTIVE", reason: "Cleared" });
    expect(back).toEqual({ id: target.person.id, status: "ACTIVE", sessionsEnded: 0, grantIds: [], slaveAccountIds: [] });
    expect(await liveGrants(target.person.id)).toBe(0);
    expect((await auditSince(mark)).map((r) => [r.action, (r.summary as { after: { status: string } }).after.status])).toEqual([
      ["person.status-changed", "ACTIVE"],
    ]);

    await setStatus(FACTORY, { personId: target.person.id, status: "LEFT", reason: "Resigned" });
    mark = await auditMark();
    for (const status of ["ACTIVE", "SUSPENDED", "LEFT"] as const) {
      const error = await expectDomainError(
        setStatus(FACTORY, { personId: target.person.id, status, reason: "Undo" }),
        "STATUS_TRANSITION",
      );
      expect(error.params).toEqual({ from: "LEFT", to: status });
    }
    expect(await auditSince(mark)).toEqual([]);
  });

  it("never suspends or removes the last active system administrator (LAST_SYSTEM_ADMIN), writing nothing", async () => {
    const { actor: hr } = await makeActor(["HR"]);
    const admin = await makePerson({ roles: ["SYSTEM_ADMIN"] });
    await onlySystemAdmins([admin.person.id]);
    const session = await getDb().portalSession.create({ data: { accountId: admin.account.id } });
    const mark = await auditMark();
    for (const status of ["SUSPENDED", "LEFT"] as const) {
      await expectDomainError(setStatus(hr, { personId: admin.person.id, status, reason: "Leaving" }), "LAST_SYSTEM_ADMIN");
    }
    expect((await getDb().person.findUniqueOrThrow({ where: { id: admin.person.id } })).status).toBe("ACTIVE");
    expect((await getDb().portalSession.findUniqueOrThrow({ where: { id: session.id } })).revokedAt).toBeNull();
    expect(await auditSince(mark)).toEqual([]);

    // With a second administrator the first may leave.
    await makePerson({ roles: ["SYSTEM_ADMIN"] });
    expect((await setStatus(hr, { personId: admin.person.id, status: "LEFT", reason: "Leaving" })).status).toBe("LEFT");
  });

  it("refuses staff, approvers and HR changing their own status (FORBIDDEN), writing nothing", async () => {
    const target = await makePerson();
    const sys = await systemWithRole();
    await grant(sys.admin.actor, target.person.id, sys.role.id);
    for (const roles of [
      [],
      [{ role: "APPROVER" as const, orgUnitId: target.orgUnitId }],
      ["ACCOUNT_ADMIN" as const],
      ["SYSTEM_ADMIN" as const],
    ]) {
      const { actor } = await makeActor(roles);
      const mark = await auditMark();
      await expectDomainError(setStatus(actor, { personId: target.person.id, status: "LEFT", reason: "Not mine to do" }), "FORBIDDEN");
      expect(await auditSince(mark)).toEqual([]);
    }
    const { actor: hr } = await makeActor(["HR"]);
    const mark = await auditMark();
    await expectDomainError(setStatus(hr, { personId: hr.personId, status: "LEFT", reason: "Self" }), "FORBIDDEN");
    expect(await auditSince(mark)).toEqual([]);
    expect((await getDb().person.findUniqueOrThrow({ where: { id: target.person.id } })).status).toBe("ACTIVE");
    expect(await liveGrants(target.person.id)).toBe(1);
  });

  it("refuses hostile input (empty, 10,000 characters, markup in coded fields, NUL) with a ZodError, writing nothing", async () => {
    const target = await makePerson();
    const mark = await auditMark();
    const cases: [keyof StatusInput, string][] = [
      ["status", SCRIPT],
      ["status", ""],
      ["status", "left"],
      ["status", HUGE],
      ["expectedStatus", SCRIPT],
      ["personId", SCRIPT],
      ["personId", ""],
      ["personId", HUGE],
      ["reason", ""],
      ["reason", HUGE],
      ["reason", "bye\u0000"],
    ];
    for (const [field, value] of cases) {
      const issues = await expectZodError(
        setStatus(FACTORY, { personId: target.person.id, status: "LEFT", reason: "ok", [field]: value } as StatusInput),
      );
      expect(
        issues.map((i) => i.path[0]),
        field,
      ).toContain(field);
    }
    expect((await getDb().person.findUniqueOrThrow({ where: { id: target.person.id } })).status).toBe("ACTIVE");
    expect(await auditSince(mark)).toEqual([]);
  });

  it("two HR users setting the same person LEFT at once: one succeeds, the other gets CONFLICT; grants revoked once", async () => {
    const { actor: hr1 } = await makeActor(["HR"]);
    const { actor: hr2 } = await makeActor(["HR"]);
    const sys = await systemWithRole();
    for (let round = 0; round < 4; round++) {
      const target = await makePerson();
      const g = await grant(sys.admin.actor, target.person.id, sys.role.id);
      const mark = await auditMark();
      const first = (tx: Tx) => changePersonStatus(tx, hr1, { personId: target.person.id, status: "LEFT", reason: "Race: first" });
      const second = (tx: Tx) => changePersonStatus(tx, hr2, { personId: target.person.id, status: "LEFT", reason: "Race: second" });
      const results = await Promise.allSettled(round === 0 ? staggered(first, second) : [inTransaction(first), inTransaction(second)]);
      const ok = results.filter((r) => r.status === "fulfilled");
      const codes = results.flatMap((r) => (r.status === "rejected" ? [(r.reason as DomainError).code] : []));
      expect(ok).toHaveLength(1);
      expect(codes).toEqual(["CONFLICT"]);
      const rows = await auditSince(mark);
      expect(rows.map((r) => r.action)).toEqual([
        "grant.revoked",
        "offboarding.completed",
        "person.status-changed",
        "slave-account.disabled",
      ]);
      expect(itemIds(rows[0]!, "grant")).toEqual([g.id]);
      expect(await getDb().accessGrant.findUniqueOrThrow({ where: { id: g.id } })).toMatchObject({ revokeReason: rows[0]!.reason });
      if (round === 0) expect(rows[2]!.actorId).toBe(hr1.personId);
    }
  });
});

// Vendors of third-party staff (lib/vendors/*): creation, changes, the contract guard, hostile input.
import { describe, expect, it } from "vitest";
import { decryptOptional } from "@/lib/crypto";
import { getDb, inTransaction } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { createVendor } from "@/lib/vendors/create-vendor";
import { updateVendor } from "@/lib/vendors/update-vendor";
import { listVendors } from "@/lib/vendors/queries";
import { changePersonStatus } from "@/lib/people/change-person-status";
import {
  actorName,
  auditMark,
  auditSince,
  auditText,
  dayFromToday,
  expectDomainError,
  expectZodError,
  FACTORY,
  lastAuditRow,
  makeActor,
  makePerson,
  makeVendor,
  uniq,
} from "../factories";

type CreateInput = Parameters<typeof createVendor>[2];
type UpdateInput = Parameters<typeof updateVendor>[2];

const create = (actor: Actor, input: CreateInput) => inTransaction((tx) => createVendor(tx, actor, input));
const update = (actor: Actor, input: UpdateInput) => inTransaction((tx) => updateVendor(tx, actor, input));

function vendorInput(overrides: Partial<CreateInput> = {}): CreateInput {
  return {
    name: `Vendor ${uniq()}`,
    contractStartsOn: "2026-01-01",
    contractEndsOn: "2028-12-31",
    contactName: "Sun Li",
    contactPhone: "13912345678",
    contactEmail: "Sun.Li@Vendor.example",
    ...overrides,
  };
}

const day = (s: string) => new Date(`${s}T00:00:00Z`);

describe("createVendor", () => {
  it("creates the vendor with 'vendor.created' (contact masked)", async () => {
    const { actor: hr } = await makeActor(["HR"]);
    const input = vendorInput();
    const mark = await auditMark();
    const vendor = await create(hr, input);
    expect(vendor).toMatchObject({
      name: input.name,
      contractStartsOn: day("2026-01-01"),
      contractEndsOn: day("2028-12-31"),
      contactName: "Sun Li",
      contactPhone: "13912345678",
      contactEmail: "sun.li@vendor.example",
      isActive: true,
    });
    const rows = await auditSince(mark);
    expect(rows.map((r) => r.action)).toEqual(["vendor.created"]);
    expect(rows[0]).toMatchObject({
      actorId: hr.personId,
      actorName: actorName(hr),
      targetType: "vendor",
      targetId: vendor.id,
      summary: {
        after: {
          name: input.name,
          contractStartsOn: "2026-01-01",
          contractEndsOn: "2028-12-31",
          contactName: "Sun Li",
          contactPhone: "139****5678",
          contactEmail: "s***@vendor.example",
        },
      },
    });
    expect(auditText(rows)).not.toContain("13912345678");
    expect(auditText(rows)).not.toContain("sun.li@");
  });

  it("refuses an end date not after the start date, and a duplicate name, writing nothing", async () => {
    const existing = await makeVendor();
    const mark = await auditMark();
    for (const contractEndsOn of ["2026-01-01", "2025-12-31"]) {
      const issues = await expectZodError(create(FACTORY, vendorInput({ contractEndsOn })));
      expect(issues.map((i) => [i.path.join("."), i.message])).toEqual([["contractEndsOn", "end-before-start"]]);
    }
    expect((await expectDomainError(create(FACTORY, vendorInput({ name: existing.name })), "ALREADY_EXISTS")).field).toBe("name");
    expect(await auditSince(mark)).toEqual([]);
  });

  it("is for HR only: staff, approvers, system administrators and officers get FORBIDDEN, nothing written", async () => {
    for (const roles of [[], ["APPROVER"], ["SYSTEM_ADMIN"], ["SECURITY_OFFICER"], ["ACCOUNT_ADMIN"]] as const) {
      const { actor } = await makeActor([...roles]);
      const input = vendorInput();
      const mark = await auditMark();
      await expectDomainError(create(actor, input), "FORBIDDEN");
      expect(await getDb().vendor.findUnique({ where: { name: input.name } })).toBeNull();
      expect(await auditSince(mark)).toEqual([]);
    }
  });

  it("refuses hostile input (empty, 10,000 characters, markup in dates and contacts, NUL) with a ZodError, writing nothing", async () => {
    const before = await getDb().vendor.count();
    const mark = await auditMark();
    const cases: [keyof CreateInput, string][] = [
      ["name", ""],
      ["name", "   "],
      ["name", "x".repeat(10_000)],
      ["name", "Acme\u0000Ltd"],
      ["contractStartsOn", ""],
      ["contractStartsOn", "<script>alert(1)</script>"],
      ["contractStartsOn", "2026-02-30"],
      ["contractStartsOn", "2026-01-01\u0000"],
      ["contractEndsOn", "31/12/2028"],
      ["contractEndsOn", "x".repeat(10_000)],
      ["contactName", "x".repeat(10_000)],
      ["contactName", "Sun\u0000"],
      ["contactPhone", "<script>alert(1)</script>"],
      ["contactPhone", "1".repeat(10_000)],
      ["contactPhone", "139\u000012345678"],
      ["contactEmail", "<script>@x.example"],
      ["contactEmail", "not-an-email"],
      ["contactEmail", `${"a".repeat(10_000)}@x.example`],
    ];
    for (const [field, value] of cases) {
      const issues = await expectZodError(create(FACTORY, vendorInput({ [field]: value })));
      expect(
        issues.map((i) => i.path[0]),
        `${field}=${JSON.stringify(value.slice(0, 40))}`,
      ).toContain(field);
    }
    expect(await getDb().vendor.count()).toBe(before);
    expect(await auditSince(mark)).toEqual([]);
  });
});

describe("updateVendor", () => {
  it("changes the contract and contact with 'vendor.updated' (changed fields, contact masked, reason); nothing changed writes nothing", async () => {
    const { actor: hr } = await makeActor(["HR"]);
    const vendor = await create(hr, vendorInput());
    const base: UpdateInput = {
      vendorId: vendor.id,
      name: vendor.name,
      contractStartsOn: "2026-01-01",
      contractEndsOn: "2028-12-31",
      contactName: "Sun Li",
      reason: "Contract amendment A-1",
    };

    // Empty phone and e-mail keep the stored values (write-only fields).
    let mark = await auditMark();
    expect(await update(hr, base)).toEqual({ id: vendor.id, changed: [] });
    expect(await auditSince(mark)).toEqual([]);

    mark = await auditMark();
    const result = await update(hr, { ...base, contractEndsOn: "2029-06-30", contactPhone: "13800001111", clearContactEmail: true });
    expect(result.changed).toEqual(["contractEndsOn", "contactPhone", "contactEmail"]);
    const stored = await getDb().vendor.findUniqueOrThrow({ where: { id: vendor.id } });
    // Stored encrypted (decision 0019).
    expect({
      ...stored,
      contactPhone: decryptOptional(stored.contactPhoneEnc),
      contactEmail: decryptOptional(stored.contactEmailEnc),
    }).toMatchObject({
      contractEndsOn: day("2029-06-30"),
      contactPhone: "13800001111",
      contactEmail: null,
      contactName: "Sun Li",
    });
    const rows = await auditSince(mark);
    expect(rows.map((r) => r.action)).toEqual(["vendor.updated"]);
    expect(rows[0]).toMatchObject({
      actorId: hr.personId,
      targetType: "vendor",
      targetId: vendor.id,
      reason: "Contract amendment A-1",
      summary: {
        changed: ["contractEndsOn", "contactPhone", "contactEmail"],
        before: { contractEndsOn: "2028-12-31", contactPhone: "139****5678", contactEmail: "s***@vendor.example" },
        after: { contractEndsOn: "2029-06-30", contactPhone: "138****1111", contactEmail: null },
      },
    });
    for (const secret of ["13800001111", "13912345678", "sun.li@vendor.example"]) expect(auditText(rows)).not.toContain(secret);
  });

  it("renames the vendor and its people's vendor name; refuses another vendor's name", async () => {
    const vendor = await makeVendor();
    const other = await makeVendor();
    const tp = await makePerson({ employmentType: "THIRD_PARTY", vendorId: vendor.id });
    const base: UpdateInput = {
      vendorId: vendor.id,
      name: `Renamed ${uniq()}`,
      contractStartsOn: vendor.contractStartsOn,
      contractEndsOn: vendor.contractEndsOn,
      reason: "Company renamed",
    };
    await update(FACTORY, base);
    expect((await getDb().person.findUniqueOrThrow({ where: { id: tp.person.id } })).vendorName).toBe(base.name);
    expect(await lastAuditRow({ action: "vendor.updated", targetId: vendor.id })).toMatchObject({
      summary: { changed: ["name"], after: { name: base.name }, peopleRenamed: 1 },
    });
    const mark = await auditMark();
    expect((await expectDomainError(update(FACTORY, { ...base, name: other.name }), "ALREADY_EXISTS")).field).toBe("name");
    expect(await auditSince(mark)).toEqual([]);
  });

  it("refuses a contract that no longer covers a current person's contract end (VENDOR_CONTRACT_CONFLICT); leavers do not count [calendar]", async () => {
    const vendor = await makeVendor({ contractStartsOn: dayFromToday(-100), contractEndsOn: dayFromToday(300) });
    const tp = await makePerson({ employmentType: "THIRD_PARTY", vendorId: vendor.id, contractEndsOn: dayFromToday(200) });
    const shorter: UpdateInput = {
      vendorId: vendor.id,
      name: vendor.name,
      contractStartsOn: vendor.contractStartsOn,
      contractEndsOn: dayFromToday(150),
      reason: "Shortened",
    };
    const mark = await auditMark();
    const error = await expectDomainError(update(FACTORY, shorter), "VENDOR_CONTRACT_CONFLICT");
    expect(error).toMatchObject({ field: "contractEndsOn", params: { people: 1 } });
    expect((await getDb().vendor.findUniqueOrThrow({ where: { id: vendor.id } })).contractEndsOn).toEqual(vendor.contractEndsOn);
    expect(await auditSince(mark)).toEqual([]);

    await inTransaction((tx) => changePersonStatus(tx, FACTORY, { personId: tp.person.id, status: "LEFT", reason: "Contract terminated" }));
    expect((await update(FACTORY, shorter)).changed).toEqual(["contractEndsOn"]);
  });

  it("is for HR only (FORBIDDEN, nothing written); an unknown vendor is NOT_FOUND", async () => {
    const vendor = await makeVendor();
    for (const roles of [[], ["APPROVER"], ["SYSTEM_ADMIN"], ["SECURITY_OFFICER"]] as const) {
      const { actor } = await makeActor([...roles]);
      const mark = await auditMark();
      await expectDomainError(
        update(actor, {
          vendorId: vendor.id,
          name: "Taken over",
          contractStartsOn: vendor.contractStartsOn,
          contractEndsOn: vendor.contractEndsOn,
          reason: "Attempt",
        }),
        "FORBIDDEN",
      );
      expect(await auditSince(mark)).toEqual([]);
    }
    expect((await getDb().vendor.findUniqueOrThrow({ where: { id: vendor.id } })).name).toBe(vendor.name);
    await expectDomainError(
      update(FACTORY, {
        vendorId: "00000000-0000-4000-8000-000000000000",
        name: "X",
        contractStartsOn: "2026-01-01",
        contractEndsOn: "2027-01-01",
        reason: "Missing",
      }),
      "NOT_FOUND",
    );
  });

  it("refuses hostile input (reason, dates, NUL) with a ZodError, writing nothing", async () => {
    const vendor = await makeVendor();
    const base: UpdateInput = {
      vendorId: vendor.id,
      name: vendor.name,
      contractStartsOn: vendor.contractStartsOn,
      contractEndsOn: vendor.contractEndsOn,
      reason: "Fine",
    };
    const mark = await auditMark();
    for (const [field, value] of [
      ["reason", ""],
      ["reason", "x".repeat(10_000)],
      ["reason", "ok\u0000"],
      ["vendorId", "<script>alert(1)</script>"],
      ["contractEndsOn", "<script>"],
      ["name", "x".repeat(10_000)],
    ] as const) {
      const issues = await expectZodError(update(FACTORY, { ...base, [field]: value }));
      expect(issues.map((i) => i.path[0])).toContain(field);
    }
    expect(await auditSince(mark)).toEqual([]);
  });
});

describe("listVendors", () => {
  it("shows current people and their sponsors, with the contact masked", async () => {
    const vendor = await makeVendor({ name: `Listed ${uniq()}` });
    await inTransaction((tx) =>
      updateVendor(tx, FACTORY, {
        vendorId: vendor.id,
        name: vendor.name,
        contractStartsOn: vendor.contractStartsOn,
        contractEndsOn: vendor.contractEndsOn,
        contactPhone: "13912345678",
        contactEmail: "pm@listed.example",
        reason: "Contact",
      }),
    );
    const sponsor = await makePerson();
    await makePerson({ employmentType: "THIRD_PARTY", vendorId: vendor.id, sponsorId: sponsor.person.id });
    await makePerson({ employmentType: "THIRD_PARTY", vendorId: vendor.id, sponsorId: sponsor.person.id });
    const page = await listVendors({ q: vendor.name });
    expect(page.rows).toHaveLength(1);
    expect(page.rows[0]).toMatchObject({
      id: vendor.id,
      people: 2,
      contactPhoneMasked: "139****5678",
      contactEmailMasked: "p***@listed.example",
      sponsors: [{ id: sponsor.person.id, employeeNo: sponsor.employeeNo, people: 2 }],
    });
    expect(JSON.stringify(page.rows)).not.toContain("13912345678");
  });
});

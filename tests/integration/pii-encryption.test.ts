// Personal data encrypted at rest (issue 9 §5, decision 0019): the database holds no plain text,
// lookups and uniqueness go through keyed blind indexes, legacy plain text is encrypted by the start
// step, keys rotate (old-key values still decrypt until rotated), reveal and export show the same values.
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { getDb, inTransaction } from "@/lib/db";
import { startSignIn } from "@/lib/auth/start-sign-in";
import { createPerson } from "@/lib/people/create-person";
import { listPeople } from "@/lib/people/queries";
import { revealPersonPii } from "@/lib/people/reveal-pii";
import { updatePerson } from "@/lib/people/update-person";
import { encryptLegacyPii, rotateEncryptionKeys } from "@/lib/people/pii-maintenance";
import { decryptSecret, keyId, keyRing, type KeyRing } from "@/lib/crypto";
import { staffExportStream } from "@/lib/imports/staff-export";
import { readTable } from "@/lib/imports/read-table";
import { createVendor } from "@/lib/vendors/create-vendor";
import { listVendors } from "@/lib/vendors/queries";
import { REVEAL_PII_SCENARIO, vaultOperation } from "@/lib/vault/built-in";
import {
  approvedVaultRequest,
  dayFromToday,
  DEFAULT_PASSWORD,
  enrolTotp,
  expectDomainError,
  FACTORY,
  lastAuditRow,
  makeActor,
  makePerson,
  testCtx,
  uniq,
} from "../factories";

type RawPerson = {
  phone: string | null;
  email: string | null;
  id_number: string | null;
  phone_enc: string | null;
  email_enc: string | null;
  id_number_enc: string | null;
  email_bidx: string | null;
  id_number_bidx: string | null;
  whole: string;
};
const raw = async (id: string) =>
  (
    await getDb().$queryRaw<RawPerson[]>`
      SELECT phone, email, id_number, phone_enc, email_enc, id_number_enc, email_bidx, id_number_bidx, row_to_json(p)::text AS whole
      FROM person p WHERE id = ${id}::uuid`
  )[0]!;

const run = <T>(fn: Parameters<typeof inTransaction<T>>[0]) => inTransaction(fn, { timeoutMs: 120_000 });

function pii() {
  const n = uniq(4);
  return {
    phone: `139${String(parseInt(n, 16) % 100_000_000).padStart(8, "0")}`,
    email: `pii.${n}@test.example`,
    idNumber: `110105199001${n}`.toUpperCase(),
  };
}

describe("personal data at rest", () => {
  it("stores phone, e-mail and ID number only encrypted: no column of the row holds the plain text", async () => {
    const values = pii();
    const { person } = await makePerson(values);
    const row = await raw(person.id);
    expect([row.phone, row.email, row.id_number]).toEqual([null, null, null]);
    for (const v of Object.values(values)) expect(row.whole).not.toContain(v);
    expect(row.whole).not.toContain(values.email.split("@")[0]);
    const kid = keyId(keyRing().current);
    for (const c of [row.phone_enc, row.email_enc, row.id_number_enc]) expect(c).toMatch(new RegExp(`^v2\\.${kid}\\.`));
    expect(decryptSecret(row.phone_enc!)).toBe(values.phone);
    expect(decryptSecret(row.email_enc!)).toBe(values.email);
    expect(decryptSecret(row.id_number_enc!)).toBe(values.idNumber);
    // An edit re-encrypts; the blind index follows the new address.
    const { actor: hr } = await makeActor(["HR"]);
    const newEmail = `changed.${uniq()}@test.example`;
    const before = await getDb().person.findUniqueOrThrow({ where: { id: person.id } });
    await run((tx) =>
      updatePerson(tx, hr, {
        personId: person.id,
        name: before.name,
        orgUnitId: before.orgUnitId,
        jobTitle: before.jobTitle,
        email: newEmail,
        reason: "new address",
      }),
    );
    const after = await raw(person.id);
    expect(after.whole).not.toContain(newEmail);
    expect(decryptSecret(after.email_enc!)).toBe(newEmail);
    expect(after.email_bidx).not.toBe(row.email_bidx);
    expect(decryptSecret(after.phone_enc!)).toBe(values.phone);
    // The audit row shows the change masked, never the value.
    const audit = await lastAuditRow({ action: "person.updated", targetId: person.id });
    expect(JSON.stringify(audit.summary)).not.toContain(newEmail);
  });

  it("finds people by e-mail and ID number through the blind index (sign-in, search), and keeps e-mail unique whatever its case", async () => {
    const values = pii();
    const { person, employeeNo } = await makePerson(values);
    const signIn = await inTransaction((tx) =>
      startSignIn(tx, testCtx(), { login: ` ${values.email.toUpperCase()} `.trim(), password: DEFAULT_PASSWORD }),
    );
    expect(signIn).toMatchObject({ ok: true });
    const { actor: hr } = await makeActor(["HR"]);
    expect((await listPeople(hr, { q: values.email.toUpperCase(), sort: "name" })).rows.map((r) => r.employeeNo)).toEqual([employeeNo]);
    expect((await listPeople(hr, { q: values.idNumber.toLowerCase(), sort: "name" })).rows.map((r) => r.employeeNo)).toEqual([employeeNo]);
    // A prefix of an encrypted value finds nothing (blind indexes match whole values only).
    expect((await listPeople(hr, { q: values.email.slice(0, 8), sort: "name" })).rows).toEqual([]);
    await expectDomainError(
      run((tx) =>
        createPerson(tx, FACTORY, {
          employeeNo: `P${uniq()}`,
          name: "Clash",
          orgUnitId: person.orgUnitId,
          jobTitle: "Engineer",
          employmentType: "EMPLOYEE",
          email: values.email.toUpperCase(),
        }),
      ),
      "ALREADY_EXISTS",
    );
  });

  it("reveal (audited) and the masked export show the same values as before encryption", async () => {
    const values = pii();
    const { person, employeeNo } = await makePerson(values);
    const { actor: hr } = await makeActor(["HR"]);
    for (const field of ["phone", "email", "idNumber"] as const) {
      const vaultRequestId = await approvedVaultRequest(hr, REVEAL_PII_SCENARIO, {
        operation: vaultOperation.revealPii(field),
        targetType: "person",
        targetId: person.id,
      });
      expect(await run((tx) => revealPersonPii(tx, hr, { personId: person.id, field, vaultRequestId }))).toBe(values[field]);
      expect((await lastAuditRow({ action: "person.pii.revealed", targetId: person.id })).summary).toMatchObject({ field });
    }
    const bytes = new Uint8Array(await new Response(staffExportStream(hr, { q: employeeNo, sort: "name" }, "csv")).arrayBuffer());
    const table = await readTable(bytes, "export.csv");
    const line = table.rows.find((r) => r.includes(employeeNo))!;
    expect(line).toContain(`${values.phone.slice(0, 3)}****${values.phone.slice(-4)}`);
    expect(line.join(",")).not.toContain(values.phone);
    expect(line.join(",")).not.toContain(values.idNumber);
  });
});

describe("vendor contacts at rest", () => {
  it("stores the contact's phone and e-mail encrypted; the list shows them masked; legacy plain text is encrypted at start", async () => {
    const name = `PII vendor ${uniq()}`;
    const vendor = await run((tx) =>
      createVendor(tx, FACTORY, {
        name,
        contactName: "Li Lei",
        contactPhone: "13911112222",
        contactEmail: "li.lei@vendor.example",
        contractStartsOn: dayFromToday(-10),
        contractEndsOn: dayFromToday(300),
      }),
    );
    const whole = async () =>
      (await getDb().$queryRaw<{ t: string }[]>`SELECT row_to_json(v)::text AS t FROM vendor v WHERE id = ${vendor.id}::uuid`)[0]!.t;
    expect(await whole()).not.toContain("13911112222");
    expect(await whole()).not.toContain("li.lei");
    const row = (await listVendors({ q: name })).rows[0]!;
    expect(row).toMatchObject({ contactPhoneMasked: "139****2222", contactEmailMasked: "l***@vendor.example" });
    await getDb().$executeRaw`
      UPDATE vendor SET contact_phone = '13933334444', contact_email = 'old@vendor.example', contact_phone_enc = NULL, contact_email_enc = NULL
      WHERE id = ${vendor.id}::uuid`;
    expect((await encryptLegacyPii(run, FACTORY)).vendors).toBe(1);
    expect(await whole()).not.toContain("13933334444");
    expect((await listVendors({ q: name })).rows[0]).toMatchObject({
      contactPhoneMasked: "139****4444",
      contactEmailMasked: "o***@vendor.example",
    });
  });
});

describe("plain text from before encryption (the start step)", () => {
  it("is encrypted and cleared, audited; the person can then sign in by e-mail and be revealed", async () => {
    const values = pii();
    const { person } = await makePerson({ email: `placeholder.${uniq()}@test.example` });
    // As a database migrated from before decision 0019 has it: plain columns, no ciphertext.
    await getDb().$executeRaw`
      UPDATE person SET phone = ${values.phone}, email = ${values.email}, id_number = ${values.idNumber},
        phone_enc = NULL, email_enc = NULL, email_bidx = NULL, id_number_enc = NULL, id_number_bidx = NULL
      WHERE id = ${person.id}::uuid`;
    const result = await encryptLegacyPii(run, FACTORY, { batchSize: 2 });
    expect(result.people).toBeGreaterThanOrEqual(1);
    const row = await raw(person.id);
    expect([row.phone, row.email, row.id_number]).toEqual([null, null, null]);
    for (const v of Object.values(values)) expect(row.whole).not.toContain(v);
    expect(decryptSecret(row.id_number_enc!)).toBe(values.idNumber);
    expect((await lastAuditRow({ action: "person.pii.encrypted" })).summary).toMatchObject({ keyId: keyId(keyRing().current) });
    expect(await inTransaction((tx) => startSignIn(tx, testCtx(), { login: values.email, password: DEFAULT_PASSWORD }))).toMatchObject({
      ok: true,
    });
    // Nothing left to do the second time.
    expect(await encryptLegacyPii(run, FACTORY)).toEqual({ people: 0, vendors: 0, emails: 0 });
    const left = await getDb().$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM person WHERE phone IS NOT NULL OR email IS NOT NULL OR id_number IS NOT NULL`;
    expect(left[0]!.n).toBe(0);
  });
});

describe("key rotation (npm run keys:rotate)", () => {
  const original = keyRing();
  const next: KeyRing = { current: randomBytes(32), previous: [original.current] };
  const back: KeyRing = { current: original.current, previous: [next.current] };
  afterAll(async () => {
    // The other test files use the configured key: put everything back under it.
    await rotateEncryptionKeys(run, FACTORY, { ring: back });
  });

  it("re-encrypts PII and TOTP secrets with the new key in batches, audited; old-key values decrypt until then", async () => {
    const values = pii();
    const { person, account } = await makePerson(values);
    const totp = await enrolTotp(account.id);
    const before = await raw(person.id);
    // Under the new ring (old key listed as previous), old values still decrypt.
    expect(decryptSecret(before.phone_enc!, next)).toBe(values.phone);

    const result = await rotateEncryptionKeys(run, FACTORY, { ring: next, batchSize: 500 });
    expect(result.person).toBeGreaterThanOrEqual(1);
    expect(result.master_account).toBeGreaterThanOrEqual(1);
    const after = await raw(person.id);
    const prefix = `v2.${keyId(next.current)}.`;
    for (const c of [after.phone_enc, after.email_enc, after.id_number_enc]) expect(c!.startsWith(prefix)).toBe(true);
    expect(decryptSecret(after.email_enc!, next)).toBe(values.email);
    expect(after.email_bidx).toBe(before.email_bidx); // same blind-index key: same index
    const secret = await getDb().masterAccount.findUniqueOrThrow({ where: { id: account.id }, select: { totpSecretEnc: true } });
    expect(secret.totpSecretEnc!.startsWith(prefix)).toBe(true);
    expect(decryptSecret(secret.totpSecretEnc!, next)).toBe(totp);
    // Without the old key nothing is lost any more: the new key alone opens everything.
    expect(decryptSecret(after.id_number_enc!, { current: next.current, previous: [] })).toBe(values.idNumber);
    const stale = await getDb().$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM person WHERE phone_enc NOT LIKE ${`${prefix}%`} OR email_enc NOT LIKE ${`${prefix}%`} OR id_number_enc NOT LIKE ${`${prefix}%`}`;
    expect(stale[0]!.n).toBe(0);
    expect((await lastAuditRow({ action: "encryption.rotated" })).summary).toMatchObject({ keyId: keyId(next.current) });
    // A second run has nothing to do.
    expect(await rotateEncryptionKeys(run, FACTORY, { ring: next })).toEqual({
      person: 0,
      master_account: 0,
      pending_sign_in: 0,
      email_outbox: 0,
      vendor: 0,
    });
  });
});

import { Prisma, type Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { currentKeyPrefix, decryptOptional, encryptOptional, isCiphertext, keyId, keyRing, type KeyRing } from "@/lib/crypto";
import { decryptPii, piiColumns } from "./pii";

/**
 * Batch jobs over encrypted data (decision 0019), each batch one transaction with its own audit row:
 *
 * - encryptLegacyPii: plain-text phone/e-mail/ID number written before encryption (the legacy
 *   person.phone/email/id_number columns, vendor contacts, and plain addresses queued in email_outbox) are encrypted
 *   and the plain text cleared. Runs at every `npm start` / `npm run db:migrate`; a no-op once done.
 * - rotateEncryptionKeys: every value not written with the current key (person PII, TOTP secrets,
 *   pending enrolment secrets, queued e-mail addresses) is decrypted with its old key and re-encrypted
 *   with APP_ENCRYPTION_KEY; person blind indexes are recomputed on the way (`reindex` does that for
 *   every person, after APP_BLIND_INDEX_KEY changed). `npm run keys:rotate`.
 *
 * Keyset batches in id order, rows locked FOR UPDATE, each batch written with one UPDATE … FROM unnest().
 */
export type BatchRunner = <T>(fn: (tx: Tx) => Promise<T>) => Promise<T>;
export type MaintenanceResult = Record<string, number>;

const BATCH = 1000;

export async function encryptLegacyPii(
  run: BatchRunner,
  actor: Actor,
  opts: { batchSize?: number; ring?: KeyRing } = {},
): Promise<MaintenanceResult> {
  const ring = opts.ring ?? keyRing();
  const size = opts.batchSize ?? BATCH;
  const result: MaintenanceResult = { people: 0, vendors: 0, emails: 0 };
  for (let after = ""; ;) {
    const done = await run(async (tx) => {
      const rows = await tx.$queryRaw<{ id: string; phone: string | null; email: string | null; id_number: string | null }[]>`
        SELECT id::text, phone, email, id_number FROM person
        WHERE (phone IS NOT NULL OR email IS NOT NULL OR id_number IS NOT NULL) AND id::text > ${after}
        ORDER BY id::text LIMIT ${size} FOR UPDATE`;
      if (!rows.length) return true;
      const cols = rows.map((r) => piiColumns({ phone: r.phone || null, email: r.email || null, idNumber: r.id_number || null }, ring));
      await tx.$executeRaw`
        UPDATE person p SET phone_enc = u.phone_enc, email_enc = u.email_enc, email_bidx = u.email_bidx,
          id_number_enc = u.id_number_enc, id_number_bidx = u.id_number_bidx, phone = NULL, email = NULL, id_number = NULL
        FROM unnest(${rows.map((r) => r.id)}::uuid[], ${cols.map((c) => c.phoneEnc)}::text[], ${cols.map((c) => c.emailEnc)}::text[],
                    ${cols.map((c) => c.emailIndex)}::text[], ${cols.map((c) => c.idNumberEnc)}::text[], ${cols.map((c) => c.idNumberIndex)}::text[])
          AS u(id, phone_enc, email_enc, email_bidx, id_number_enc, id_number_bidx)
        WHERE p.id = u.id`;
      await recordAuditEvent(tx, actor, {
        action: "person.pii.encrypted",
        summary: { people: rows.length, keyId: keyId(ring.current) },
        reason: "Personal data written before encryption at rest, now encrypted (decision 0019)",
      });
      result.people! += rows.length;
      after = rows[rows.length - 1]!.id;
      return false;
    });
    if (done) break;
  }
  // Vendor contacts (a small table: one pass).
  result.vendors = await run(async (tx) => {
    const rows = await tx.$queryRaw<{ id: string; contact_phone: string | null; contact_email: string | null }[]>`
      SELECT id::text, contact_phone, contact_email FROM vendor WHERE contact_phone IS NOT NULL OR contact_email IS NOT NULL FOR UPDATE`;
    if (!rows.length) return 0;
    await tx.$executeRaw`
      UPDATE vendor v SET contact_phone_enc = u.phone_enc, contact_email_enc = u.email_enc, contact_phone = NULL, contact_email = NULL
      FROM unnest(${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => encryptOptional(r.contact_phone, ring))}::text[],
                  ${rows.map((r) => encryptOptional(r.contact_email, ring))}::text[]) AS u(id, phone_enc, email_enc)
      WHERE v.id = u.id`;
    await recordAuditEvent(tx, actor, {
      action: "person.pii.encrypted",
      summary: { vendorContacts: rows.length, keyId: keyId(ring.current) },
      reason: "Vendor contacts written before encryption at rest, now encrypted (decision 0019)",
    });
    return rows.length;
  });
  // Addresses queued in plain text by the notifier before this version.
  for (let after = ""; ;) {
    const done = await run(async (tx) => {
      const rows = await tx.$queryRaw<{ id: string; to_address: string }[]>`
        SELECT id::text, to_address FROM email_outbox WHERE to_address !~ '^v[12]\\.' AND id::text > ${after}
        ORDER BY id::text LIMIT ${size} FOR UPDATE`;
      const plain = rows.filter((r) => !isCiphertext(r.to_address));
      if (!rows.length) return true;
      if (plain.length) {
        await tx.$executeRaw`
          UPDATE email_outbox o SET to_address = u.to_address
          FROM unnest(${plain.map((r) => r.id)}::uuid[], ${plain.map((r) => encryptOptional(r.to_address, ring))}::text[]) AS u(id, to_address)
          WHERE o.id = u.id`;
        await recordAuditEvent(tx, actor, {
          action: "person.pii.encrypted",
          summary: { emailOutbox: plain.length, keyId: keyId(ring.current) },
          reason: "Queued e-mail addresses written before encryption at rest, now encrypted (decision 0019)",
        });
      }
      result.emails! += plain.length;
      after = rows[rows.length - 1]!.id;
      return false;
    });
    if (done) break;
  }
  return result;
}

type Column = { table: string; id: string; column: string };
// Every column holding values encrypted with the portal key, besides person's PII (handled with its blind indexes).
const SECRET_COLUMNS: Column[] = [
  { table: "master_account", id: "id", column: "totp_secret_enc" },
  { table: "pending_sign_in", id: "id", column: "enrol_secret_enc" },
  { table: "email_outbox", id: "id", column: "to_address" },
  { table: "vendor", id: "id", column: "contact_phone_enc" },
  { table: "vendor", id: "id", column: "contact_email_enc" },
];

export async function rotateEncryptionKeys(
  run: BatchRunner,
  actor: Actor,
  opts: { batchSize?: number; ring?: KeyRing; reindex?: boolean } = {},
): Promise<MaintenanceResult> {
  const ring = opts.ring ?? keyRing();
  const size = opts.batchSize ?? BATCH;
  const current = `${currentKeyPrefix(ring)}%`;
  const kid = keyId(ring.current);
  const result: MaintenanceResult = { person: 0 };
  const audit = (tx: Tx, table: string, rows: number) =>
    recordAuditEvent(tx, actor, {
      action: "encryption.rotated",
      summary: { table, rows, keyId: kid, ...(opts.reindex ? { reindexed: true } : {}) },
      reason: "Re-encrypted with the current key (npm run keys:rotate, decision 0019)",
    });

  for (let after = ""; ;) {
    const done = await run(async (tx) => {
      const stale = opts.reindex
        ? Prisma.sql`TRUE`
        : Prisma.sql`(phone_enc NOT LIKE ${current} OR email_enc NOT LIKE ${current} OR id_number_enc NOT LIKE ${current})`;
      const rows = await tx.$queryRaw<{ id: string; phone_enc: string | null; email_enc: string | null; id_number_enc: string | null }[]>`
        SELECT id::text, phone_enc, email_enc, id_number_enc FROM person
        WHERE ${stale} AND id::text > ${after} ORDER BY id::text LIMIT ${size} FOR UPDATE`;
      if (!rows.length) return true;
      const cols = rows.map((r) =>
        piiColumns(decryptPii({ phoneEnc: r.phone_enc, emailEnc: r.email_enc, idNumberEnc: r.id_number_enc }, ring), ring),
      );
      await tx.$executeRaw`
        UPDATE person p SET phone_enc = u.phone_enc, email_enc = u.email_enc, email_bidx = u.email_bidx,
          id_number_enc = u.id_number_enc, id_number_bidx = u.id_number_bidx
        FROM unnest(${rows.map((r) => r.id)}::uuid[], ${cols.map((c) => c.phoneEnc)}::text[], ${cols.map((c) => c.emailEnc)}::text[],
                    ${cols.map((c) => c.emailIndex)}::text[], ${cols.map((c) => c.idNumberEnc)}::text[], ${cols.map((c) => c.idNumberIndex)}::text[])
          AS u(id, phone_enc, email_enc, email_bidx, id_number_enc, id_number_bidx)
        WHERE p.id = u.id`;
      await audit(tx, "person", rows.length);
      result.person! += rows.length;
      after = rows[rows.length - 1]!.id;
      return false;
    });
    if (done) break;
  }

  for (const c of SECRET_COLUMNS) {
    result[c.table] ??= 0;
    const table = Prisma.raw(`"${c.table}"`);
    const col = Prisma.raw(`"${c.column}"`);
    const id = Prisma.raw(`"${c.id}"`);
    for (let after = ""; ;) {
      const done = await run(async (tx) => {
        const rows = await tx.$queryRaw<{ id: string; value: string }[]>`
          SELECT ${id}::text AS id, ${col} AS value FROM ${table}
          WHERE ${col} IS NOT NULL AND ${col} NOT LIKE ${current} AND ${id}::text > ${after} ORDER BY ${id}::text LIMIT ${size} FOR UPDATE`;
        if (!rows.length) return true;
        // Only our ciphertexts (a plain-text queued address is encryptLegacyPii's business).
        const stale = rows.filter((r) => isCiphertext(r.value));
        if (stale.length) {
          const values = stale.map((r) => encryptOptional(decryptOptional(r.value, ring), ring));
          await tx.$executeRaw`
            UPDATE ${table} t SET ${col} = u.value FROM unnest(${stale.map((r) => r.id)}::uuid[], ${values}::text[]) AS u(id, value)
            WHERE t.${id} = u.id`;
          await audit(tx, c.table, stale.length);
        }
        result[c.table]! += stale.length;
        after = rows[rows.length - 1]!.id;
        return false;
      });
      if (done) break;
    }
  }
  return result;
}

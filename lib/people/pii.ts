import { blindIndex, decryptOptional, encryptOptional, type KeyRing } from "@/lib/crypto";

/**
 * Personal data at rest (R15, decision 0019): phone, e-mail and ID number are stored AES-256-GCM
 * encrypted (person.phone_enc / email_enc / id_number_enc); e-mail and ID number also as keyed blind
 * indexes of their normalised form (email_bidx, unique: sign-in by e-mail and the clash check;
 * id_number_bidx: lookup). Reads decrypt here; masking (lib/people/masking.ts) works on the result.
 */
export type PersonPii = { phone: string | null; email: string | null; idNumber: string | null };
export type PersonPiiColumns = { phoneEnc: string | null; emailEnc: string | null; idNumberEnc: string | null };

export const PII_SELECT = { phoneEnc: true, emailEnc: true, idNumberEnc: true } as const;

export const normaliseEmail = (v: string): string => v.trim().toLowerCase();
export const normaliseIdNumber = (v: string): string => v.replace(/[\s-]/g, "").toUpperCase();

export const emailIndex = (email: string): string => blindIndex("person.email", normaliseEmail(email));
export const idNumberIndex = (idNumber: string): string => blindIndex("person.id_number", normaliseIdNumber(idNumber));

/** The columns to write for these values (null or "" clears a field). */
export function piiColumns(pii: PersonPii, ring?: KeyRing) {
  return {
    phoneEnc: encryptOptional(pii.phone, ring),
    emailEnc: encryptOptional(pii.email && normaliseEmail(pii.email), ring),
    emailIndex: pii.email ? emailIndex(pii.email) : null,
    idNumberEnc: encryptOptional(pii.idNumber, ring),
    idNumberIndex: pii.idNumber ? idNumberIndex(pii.idNumber) : null,
  };
}

export function decryptPii(row: PersonPiiColumns, ring?: KeyRing): PersonPii {
  return {
    phone: decryptOptional(row.phoneEnc, ring),
    email: decryptOptional(row.emailEnc, ring),
    idNumber: decryptOptional(row.idNumberEnc, ring),
  };
}

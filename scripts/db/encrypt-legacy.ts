import { inTransaction } from "@/lib/db";
import { systemActor } from "@/lib/authz/actor";
import { encryptLegacyPii } from "@/lib/people/pii-maintenance";

/**
 * After migrations: personal data still in the plain-text columns of a database from before
 * decision 0019 is encrypted (a no-op on a fresh or already converted database). `npm start` and
 * `npm run db:migrate` run it, so an existing demo database and a new one both end encrypted.
 */
export async function encryptLegacyData(log: (m: string) => void = (m) => console.log(m)): Promise<void> {
  const result = await encryptLegacyPii((fn) => inTransaction(fn, { timeoutMs: 120_000 }), systemActor("encryption-at-rest"));
  if (result.people || result.emails)
    log(`[encrypt] personal data encrypted at rest: ${result.people} people, ${result.emails} queued e-mail addresses`);
}

/**
 * `npm run keys:rotate [-- --reindex]`: re-encrypts everything not written with the current
 * APP_ENCRYPTION_KEY (personal data, TOTP secrets, pending enrolments, queued e-mail addresses) in
 * batches of 1,000 rows, one audited transaction each (decision 0019). Old keys must still be listed in
 * APP_ENCRYPTION_PREVIOUS_KEYS while it runs; remove them afterwards. `--reindex` also recomputes every
 * person's blind indexes (after APP_BLIND_INDEX_KEY changed). Safe to re-run; the portal may keep serving.
 *
 * Uses DATABASE_URL when set; otherwise starts the embedded "app" database, as `npm start` does.
 */
import { loadLocalSecrets } from "./lib/local-env";
import { startDatabase, stopOnSignals } from "./lib/postgres";

loadLocalSecrets();
const database = await startDatabase({ flavour: "app" });
const removeHandlers = stopOnSignals(database);
process.env.DATABASE_URL = database.url;
const { getDb, inTransaction } = await import("@/lib/db");
const { systemActor } = await import("@/lib/authz/actor");
const { keyId, keyRing } = await import("@/lib/crypto");
const { rotateEncryptionKeys } = await import("@/lib/people/pii-maintenance");
try {
  const ring = keyRing();
  const started = Date.now();
  const result = await rotateEncryptionKeys((fn) => inTransaction(fn, { timeoutMs: 120_000 }), systemActor("keys:rotate"), {
    reindex: process.argv.includes("--reindex"),
  });
  const rows = Object.entries(result)
    .map(([t, n]) => `${t} ${n}`)
    .join(", ");
  console.log(`[keys:rotate] current key ${keyId(ring.current)}: re-encrypted ${rows} (${Date.now() - started} ms)`);
  if (ring.previous.length) console.log(`[keys:rotate] nothing uses the previous keys any more: remove APP_ENCRYPTION_PREVIOUS_KEYS`);
} catch (error) {
  console.error(`[keys:rotate] failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await getDb().$disconnect();
  await database.stop();
  removeHandlers();
}

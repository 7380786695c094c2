import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { PROJECT_ROOT } from "./postgres";

const SECRETS_FILE = path.join(PROJECT_ROOT, ".secrets.local.json");

/**
 * Secrets the portal needs are generated into a git-ignored file on first start, so a first run
 * needs no configuration; values already in the environment win. On a real installation set
 * AUTH_SECRET, APP_ENCRYPTION_KEY and APP_BLIND_INDEX_KEY yourself (and keep both keys with the database
 * backup: they protect TOTP seeds and personal data).
 */
export function loadLocalSecrets(): void {
  let stored: Record<string, string> = {};
  if (fs.existsSync(SECRETS_FILE)) stored = JSON.parse(fs.readFileSync(SECRETS_FILE, "utf8")) as Record<string, string>;
  let changed = false;
  const ensure = (key: string, make: () => string) => {
    if (!stored[key]) {
      stored[key] = make();
      changed = true;
    }
  };
  ensure("AUTH_SECRET", () => randomBytes(32).toString("base64url"));
  ensure("APP_ENCRYPTION_KEY", () => randomBytes(32).toString("base64"));
  ensure("APP_BLIND_INDEX_KEY", () => randomBytes(32).toString("base64"));
  // Seals the audit trail and signs its checkpoints; keep it out of the database and its backups.
  ensure("AUDIT_SIGNING_KEY", () => randomBytes(32).toString("base64"));
  if (changed) fs.writeFileSync(SECRETS_FILE, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
  for (const [k, v] of Object.entries(stored)) if (!process.env[k]) process.env[k] = v;
  process.env.NEXT_TELEMETRY_DISABLED ??= "1";
}

import { z } from "zod";
import { parseTrustedProxies } from "@/lib/http/client-address";

// Validated once per process. scripts/start.ts and scripts/with-db.ts fill in DATABASE_URL and the
// generated local secrets before the app starts, so a first run needs no configuration.
const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  // The app's connection: a role that owns nothing and is not a superuser (README, Database roles).
  DATABASE_URL: z.string().url().or(z.string().startsWith("postgres")),
  // The schema owner's connection, used only by migrations (scripts/db/migrate.ts), which then grant the
  // DATABASE_URL role its privileges. Unset with DATABASE_URL: one role for both (not tamper-resistant).
  DATABASE_OWNER_URL: z.string().startsWith("postgres").optional(),
  // A superuser's connection, for tests that must act as the database administrator; never the app.
  DATABASE_ADMIN_URL: z.string().startsWith("postgres").optional(),
  AUTH_SECRET: z.string().min(32, "AUTH_SECRET must be at least 32 characters"),
  APP_ENCRYPTION_KEY: z.string().refine((v) => Buffer.from(v, "base64").length === 32, "APP_ENCRYPTION_KEY must be 32 bytes, base64"),
  // Keys that wrote data still in the database (before a rotation): comma-separated, each 32 bytes base64.
  // They decrypt only; `npm run keys:rotate` re-encrypts with APP_ENCRYPTION_KEY, then they can go.
  APP_ENCRYPTION_PREVIOUS_KEYS: z
    .string()
    .default("")
    .transform((v) =>
      v
        .split(",")
        .map((k) => k.trim())
        .filter(Boolean),
    )
    .refine(
      (keys) => keys.every((k) => Buffer.from(k, "base64").length === 32),
      "APP_ENCRYPTION_PREVIOUS_KEYS: each key must be 32 bytes, base64",
    ),
  // Keys the blind indexes of encrypted personal data (e-mail and ID number lookups); not a rotation key.
  APP_BLIND_INDEX_KEY: z.string().refine((v) => Buffer.from(v, "base64").length === 32, "APP_BLIND_INDEX_KEY must be 32 bytes, base64"),
  // Seals audit rows and signs the checkpoints of the chain head (docs/decisions/0025); the database never holds it.
  AUDIT_SIGNING_KEY: z.string().refine((v) => Buffer.from(v, "base64").length === 32, "AUDIT_SIGNING_KEY must be 32 bytes, base64"),
  // The append-only file of signed checkpoints (default .data/audit-checkpoints.jsonl).
  AUDIT_CHECKPOINT_FILE: z.string().min(1).optional(),
  APP_TIME_ZONE: z.string().default("Asia/Shanghai"),
  PASSWORD_PROFILE: z.enum(["modern", "operator"]).default("modern"),
  // Outgoing mail for notifications (lib/notifications/mail-settings.ts): SMTP_URL
  // (smtp://user:pass@host:587, smtps://… for TLS) or SMTP_HOST with SMTP_PORT/SMTP_USER/SMTP_PASS/SMTP_SECURE.
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^\s]+$/, "SMTP_URL must look like smtp://user:pass@host:587 or smtps://host:465")
    .optional(),
  SMTP_HOST: z.string().min(1).optional(),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  SMTP_USER: z.string().optional(),
  SMTP_PASS: z.string().optional(),
  SMTP_SECURE: z.enum(["true", "false"]).optional(),
  SMTP_FROM: z.string().min(3).optional(),
  // The portal's address as people reach it, for links in e-mails.
  PORTAL_URL: z.string().url().default("http://localhost:3000"),
  // Reverse proxies whose X-Forwarded-For is believed (addresses or CIDR ranges, comma-separated);
  // none by default: the socket's address is the client's (lib/http/client-address.ts).
  TRUSTED_PROXIES: z
    .string()
    .default("")
    .superRefine((v, ctx) => {
      try {
        parseTrustedProxies(v);
      } catch (error) {
        ctx.addIssue({ code: "custom", message: `TRUSTED_PROXIES: ${(error as Error).message}` });
      }
    }),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  // Which work this process does (decision 0023): "web" serves pages and the API and runs no background
  // job; "worker" runs the pg-boss queues; "both" does both in one process. `npm start` without it runs
  // one web and one worker process; with it, only that role.
  PORTAL_ROLE: z.enum(["web", "worker", "both"]).optional(),
  // Connections in each process's database pool (lib/db.ts).
  DB_POOL_MAX: z.coerce.number().int().min(1).max(500).default(10),
  // Each REST API token's call budget per minute (lib/api/rate-limit.ts).
  API_CALLS_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
});

export type Env = z.infer<typeof EnvSchema>;

// The mail settings alone, read again on each use (lib/notifications/mail-settings.ts) so tests can point
// them at a capture server; validated at boot with the rest.
export const MailEnvSchema = EnvSchema.pick({
  SMTP_URL: true,
  SMTP_HOST: true,
  SMTP_PORT: true,
  SMTP_USER: true,
  SMTP_PASS: true,
  SMTP_SECURE: true,
  SMTP_FROM: true,
  PORTAL_URL: true,
});

let cached: Env | undefined;

export function env(): Env {
  if (cached) return cached;
  const parsed = EnvSchema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Invalid environment:\n${problems}`);
  }
  cached = parsed.data;
  return cached;
}

import { getDb, inTransaction, type Tx } from "@/lib/db";
import { systemActor, type Actor } from "@/lib/authz/actor";
import { decryptSecret } from "@/lib/crypto";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { notify } from "@/lib/notifications/notify";
import { log } from "@/lib/log";
import { checkSafetyValve, heldRow } from "./safety-valve";
import {
  asUser,
  firstResource,
  scimCall,
  scimString,
  SCIM_CORE_USER,
  SCIM_PATCH_OP,
  type ScimCredentials,
  type ScimResponse,
  type ScimUser,
} from "./scim-client";

// The provisioning worker (issue 11 §3): delivers provisioning_outbox rows to the business systems with a
// SCIM connector. At least once and idempotent: each row is delivered in its own transaction that holds
// the row's lock (FOR UPDATE SKIP LOCKED) while it talks to the system, so a crash mid-way leaves the row
// PENDING and it is delivered again; every operation is written so that doing it twice changes nothing
// (the account's externalId is the slave account id; a 409 on create looks the account up and links it;
// roles are added or removed only when the system's record differs). In order per account: a row waits
// while an earlier row of the same account is still pending. Failures are retried with exponential
// backoff and dead-lettered after the connector's maxAttempts, with a notice to the system's account
// administrators; CIRCUIT_THRESHOLD consecutive failures open the system's circuit for a cooldown.

export const CIRCUIT_THRESHOLD = 5;
const BACKOFF_BASE_MS = 15_000;
const BACKOFF_CAP_MS = 3_600_000;
const COOLDOWN_BASE_MS = 30_000;
const COOLDOWN_CAP_MS = 600_000;

/** Delay before the next try after `failures` failed attempts of one row: 15 s, 30 s, 1 min … at most 1 h. */
export function backoffMs(failures: number): number {
  return Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, failures - 1), BACKOFF_CAP_MS);
}

/** How long a system's circuit stays open after `failures` consecutive failures (≥ the threshold). */
export function circuitCooldownMs(failures: number): number {
  return Math.min(COOLDOWN_BASE_MS * 2 ** Math.max(0, failures - CIRCUIT_THRESHOLD), COOLDOWN_CAP_MS);
}

export type DeliveryOutcome = "DELIVERED" | "NOT_PRESENT" | "NOOP" | "RETRY" | "DEAD";
export type DeliveryRun = { delivered: number; retried: number; dead: number; skipped: number };

type OutboxRow = {
  id: string;
  system_id: string;
  operation: string;
  payload: Record<string, unknown>;
  grant_id: string | null;
  slave_account_id: string | null;
  attempts: number;
};

type ConnectorRow = {
  kind: string;
  base_url: string | null;
  auth: "BEARER" | "BASIC" | null;
  secret_enc: string | null;
  role_mapping: "ROLES" | "ENTITLEMENTS";
  max_attempts: number;
  consecutive_failures: number;
  circuit_open_until: Date | null;
};

const WORKER: Actor = systemActor("provisioning worker");

/**
 * Delivers what is due at `now`: up to `limit` rows, `concurrency` at a time, oldest first, each row only
 * when no earlier row of its account is pending and its system's circuit is closed.
 */
export async function deliverProvisioning(
  now: Date,
  opts: { limit?: number; concurrency?: number; systemId?: string; timeoutMs?: number } = {},
): Promise<DeliveryRun> {
  const limit = opts.limit ?? 500;
  // Mass disables are held before anything is sent (lib/provisioning/safety-valve.ts).
  await checkSafetyValve(now);
  const ids = await getDb().$queryRaw<{ id: string }[]>`
    SELECT o.id::text AS id
    FROM provisioning_outbox o
    JOIN system_connector c ON c.system_id = o.system_id AND c.kind = 'SCIM'
    WHERE o.status = 'PENDING' AND o.next_attempt_at <= ${now}
      AND (c.circuit_open_until IS NULL OR c.circuit_open_until <= ${now})
      AND NOT ${heldRow}
      AND (${opts.systemId ?? null}::uuid IS NULL OR o.system_id = ${opts.systemId ?? null}::uuid)
      AND NOT EXISTS (SELECT 1 FROM provisioning_outbox p
                      WHERE p.slave_account_id = o.slave_account_id AND p.status = 'PENDING' AND p.id < o.id)
    ORDER BY o.id
    LIMIT ${limit}`;
  const run: DeliveryRun = { delivered: 0, retried: 0, dead: 0, skipped: 0 };
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++]!.id;
      try {
        const outcome = await deliverOne(id, now, opts.timeoutMs);
        if (outcome === null) run.skipped++;
        else if (outcome === "RETRY") run.retried++;
        else if (outcome === "DEAD") run.dead++;
        else run.delivered++;
      } catch (e) {
        // A database error (not the system's answer): the row stays PENDING and is tried again next run.
        log.error({ err: e, outboxId: id }, "provisioning delivery failed");
        run.skipped++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency ?? 4, ids.length)) }, worker));
  return run;
}

/** Delivers one row; null when another worker has it, it is no longer due, or its circuit is open. */
export async function deliverOne(id: string, now: Date, timeoutMs?: number): Promise<DeliveryOutcome | null> {
  return inTransaction(
    async (tx) => {
      const rows = await tx.$queryRaw<OutboxRow[]>`
        SELECT o.id::text AS id, o.system_id::text AS system_id, o.operation, o.payload, o.grant_id::text AS grant_id,
               o.slave_account_id::text AS slave_account_id, o.attempts
        FROM provisioning_outbox o JOIN system_connector c ON c.system_id = o.system_id
        WHERE o.id = ${id}::uuid AND o.status = 'PENDING' AND o.next_attempt_at <= ${now} AND NOT ${heldRow}
          AND NOT EXISTS (SELECT 1 FROM provisioning_outbox p
                          WHERE p.slave_account_id = o.slave_account_id AND p.status = 'PENDING' AND p.id < o.id)
        FOR UPDATE OF o SKIP LOCKED`;
      const row = rows[0];
      if (!row) return null;
      const connectors = await tx.$queryRaw<ConnectorRow[]>`
        SELECT kind::text AS kind, base_url, auth::text AS auth, secret_enc, role_mapping::text AS role_mapping, max_attempts,
               consecutive_failures, circuit_open_until
        FROM system_connector WHERE system_id = ${row.system_id}::uuid`;
      const connector = connectors[0];
      if (!connector || connector.kind !== "SCIM" || !connector.base_url || !connector.auth || !connector.secret_enc) return null;
      if (connector.circuit_open_until && connector.circuit_open_until > now) return null;
      const credentials: ScimCredentials = {
        baseUrl: connector.base_url,
        auth: connector.auth,
        secret: decryptSecret(connector.secret_enc),
      };

      const calls: ScimResponse[] = [];
      let result: { outcome: "DELIVERED" | "NOT_PRESENT" | "NOOP" } | { outcome: "FAILED"; error: string; status: number | null };
      try {
        result = { outcome: await apply(tx, row, connector, credentials, calls, timeoutMs) };
      } catch (e) {
        if (!(e instanceof CallFailed)) throw e;
        result = { outcome: "FAILED", error: e.response.error ?? "failed", status: e.response.status };
      }
      const last = calls[calls.length - 1];
      const durationMs = calls.reduce((sum, c) => sum + c.durationMs, 0);
      const attempt = row.attempts + 1;
      const requestLine =
        calls
          .map((c) => `${c.request}${c.status === null ? "" : ` ${c.status}`}`)
          .join(" → ")
          .slice(0, 500) || "—";

      if (result.outcome !== "FAILED") {
        await tx.$executeRaw`
          UPDATE provisioning_outbox SET status = 'DELIVERED', delivered_at = ${now}, attempts = ${attempt}, last_error = NULL
          WHERE id = ${row.id}::uuid`;
        await tx.$executeRaw`
          UPDATE system_connector SET consecutive_failures = 0, circuit_open_until = NULL, last_success_at = ${now}, updated_at = ${now}
          WHERE system_id = ${row.system_id}::uuid`;
        await recordAttempt(tx, row, attempt, requestLine, last?.status ?? null, result.outcome, null, durationMs, now);
        await recordAuditEvent(tx, WORKER, {
          action: "provisioning.delivered",
          target: row.slave_account_id ? { type: "slave-account", id: row.slave_account_id } : { type: "system", id: row.system_id },
          summary: { outboxId: row.id, systemId: row.system_id, operation: row.operation, outcome: result.outcome, attempt },
        });
        return result.outcome;
      }

      const isDead = attempt >= connector.max_attempts;
      const failures = connector.consecutive_failures + 1;
      const opensCircuit = failures >= CIRCUIT_THRESHOLD;
      await tx.$executeRaw`
        UPDATE provisioning_outbox
        SET attempts = ${attempt}, last_error = ${result.error.slice(0, 1000)},
            status = ${isDead ? "FAILED" : "PENDING"}::"OutboxStatus",
            next_attempt_at = ${isDead ? now : new Date(now.getTime() + backoffMs(attempt))}
        WHERE id = ${row.id}::uuid`;
      await tx.$executeRaw`
        UPDATE system_connector
        SET consecutive_failures = ${failures}, last_failure_at = ${now}, updated_at = ${now},
            circuit_open_until = ${opensCircuit ? new Date(now.getTime() + circuitCooldownMs(failures)) : null}
        WHERE system_id = ${row.system_id}::uuid`;
      await recordAttempt(tx, row, attempt, requestLine, result.status, isDead ? "DEAD" : "RETRY", result.error, durationMs, now);
      if (opensCircuit) {
        await recordAuditEvent(tx, WORKER, {
          action: "provisioning.circuit-opened",
          target: { type: "system", id: row.system_id },
          summary: {
            consecutiveFailures: failures,
            until: new Date(now.getTime() + circuitCooldownMs(failures)).toISOString(),
            error: result.error.slice(0, 200),
          },
        });
      }
      if (isDead) {
        await recordAuditEvent(tx, WORKER, {
          action: "provisioning.dead-lettered",
          target: row.slave_account_id ? { type: "slave-account", id: row.slave_account_id } : { type: "system", id: row.system_id },
          summary: {
            outboxId: row.id,
            systemId: row.system_id,
            operation: row.operation,
            attempts: attempt,
            error: result.error.slice(0, 200),
          },
        });
        const admins = await systemAccountAdmins(tx, row.system_id);
        if (admins.personIds.length) {
          await notify(tx, {
            recipientIds: admins.personIds,
            kind: "provisioning-dead-lettered",
            params: { system: admins.code ?? "", operation: row.operation, attempts: attempt },
            link: `/systems/${row.system_id}/provisioning`,
          });
        }
      }
      return isDead ? "DEAD" : "RETRY";
    },
    { timeoutMs: 120_000 },
  );
}

/** The account administrators of a system and its code, for notices about its deliveries. */
export async function systemAccountAdmins(tx: Tx, systemId: string): Promise<{ personIds: string[]; code: string | null }> {
  const rows = await tx.$queryRaw<{ person_id: string; code: string }[]>`
    SELECT DISTINCT a.person_id::text AS person_id, s.code FROM portal_role_assignment a JOIN business_system s ON s.id = a.system_id
    WHERE a.role = 'ACCOUNT_ADMIN' AND a.system_id = ${systemId}::uuid`;
  return { personIds: rows.map((r) => r.person_id), code: rows[0]?.code ?? null };
}

async function recordAttempt(
  tx: Tx,
  row: OutboxRow,
  attempt: number,
  request: string,
  httpStatus: number | null,
  outcome: DeliveryOutcome,
  error: string | null,
  durationMs: number,
  now: Date,
): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO provisioning_attempt (outbox_id, system_id, attempt, request, http_status, outcome, error, duration_ms, at)
    VALUES (${row.id}::uuid, ${row.system_id}::uuid, ${attempt}, ${request}, ${httpStatus}, ${outcome},
            ${error?.slice(0, 1000) ?? null}, ${durationMs}, ${now})`;
}

class CallFailed extends Error {
  constructor(readonly response: ScimResponse) {
    super(response.error ?? "SCIM call failed");
  }
}

type Account = { id: string; login_name: string; status: string; person_name: string | null; external_ref: string | null };

/** Performs one outbox row's change in the system. Throws CallFailed for an answer that needs a retry. */
async function apply(
  tx: Tx,
  row: OutboxRow,
  connector: ConnectorRow,
  c: ScimCredentials,
  calls: ScimResponse[],
  timeoutMs?: number,
): Promise<"DELIVERED" | "NOT_PRESENT" | "NOOP"> {
  const call = async (method: Parameters<typeof scimCall>[1], path: string, label: string, body?: unknown, settled: number[] = []) => {
    const res = await scimCall(c, method, path, body, { timeoutMs, label });
    calls.push(res);
    if (res.status !== null && ((res.status >= 200 && res.status < 300) || settled.includes(res.status))) return res;
    throw new CallFailed(res);
  };
  if (!row.slave_account_id) return "NOOP";
  const accounts = await tx.$queryRaw<Account[]>`
    SELECT sa.id::text AS id, sa.login_name, sa.status::text AS status, p.name AS person_name, l.external_ref
    FROM slave_account sa LEFT JOIN person p ON p.id = sa.person_id LEFT JOIN provisioning_link l ON l.slave_account_id = sa.id
    WHERE sa.id = ${row.slave_account_id}::uuid`;
  const account = accounts[0];
  if (!account) return "NOOP";

  const link = async (user: ScimUser) => {
    await tx.$executeRaw`
      INSERT INTO provisioning_link (slave_account_id, system_id, external_ref, linked_at)
      VALUES (${account.id}::uuid, ${row.system_id}::uuid, ${user.id}, now())
      ON CONFLICT (slave_account_id) DO UPDATE SET external_ref = EXCLUDED.external_ref, linked_at = EXCLUDED.linked_at`;
    account.external_ref = user.id;
  };
  const search = async (): Promise<ScimUser | null> => {
    for (const [attr, value] of [
      ["externalId", account.id],
      ["userName", account.login_name],
    ] as const) {
      const res = await call("GET", `/Users?filter=${encodeURIComponent(`${attr} eq ${scimString(value)}`)}`, `/Users?filter=${attr}`);
      const user = firstResource(res.body);
      if (user) return user;
    }
    return null;
  };
  const find = async (): Promise<ScimUser | null> => {
    if (account.external_ref) {
      const res = await call("GET", `/Users/${encodeURIComponent(account.external_ref)}`, "/Users/{id}", undefined, [404]);
      const user = res.status === 404 ? null : asUser(res.body);
      if (user) return user;
    }
    const user = await search();
    if (user) await link(user);
    return user;
  };
  const create = async (): Promise<ScimUser> => {
    const res = await call(
      "POST",
      "/Users",
      "/Users",
      {
        schemas: [SCIM_CORE_USER],
        externalId: account.id,
        userName: account.login_name,
        ...(account.person_name ? { displayName: account.person_name } : {}),
        active: account.status === "ACTIVE",
      },
      [409],
    );
    // 409: it exists already (an earlier try whose answer was lost, or the system had it): look it up.
    const user = res.status === 409 ? await search() : asUser(res.body);
    if (!user) throw new CallFailed({ ...res, error: "created, but the system does not return the account" });
    await link(user);
    return user;
  };
  const patch = (user: ScimUser, operations: unknown[]) =>
    call("PATCH", `/Users/${encodeURIComponent(user.id)}`, "/Users/{id}", { schemas: [SCIM_PATCH_OP], Operations: operations });

  const op = row.operation;
  if (op === "slave-account.created") {
    return (await find()) ? "DELIVERED" : (await create(), "DELIVERED");
  }
  if (op === "grant.created" || op === "grant.updated" || op === "grant.revoked") {
    const roleCode = await roleCodeOf(tx, row);
    if (!roleCode) return "NOOP";
    const attr = connector.role_mapping === "ENTITLEMENTS" ? "entitlements" : "roles";
    const user = (await find()) ?? (op === "grant.revoked" ? null : await create());
    if (!user) return "NOT_PRESENT";
    const holds = (user[attr] ?? []).some((r) => r.value === roleCode);
    if (op === "grant.revoked") {
      if (!holds) return "NOT_PRESENT";
      await patch(user, [{ op: "remove", path: `${attr}[value eq ${scimString(roleCode)}]` }]);
      return "DELIVERED";
    }
    if (holds) return "DELIVERED";
    await patch(user, [{ op: "add", path: attr, value: [{ value: roleCode }] }]);
    return "DELIVERED";
  }
  if (
    op === "slave-account.disabled" ||
    op === "slave-account.locked" ||
    op === "slave-account.enabled" ||
    op === "slave-account.unlocked"
  ) {
    const active = op === "slave-account.enabled" || op === "slave-account.unlocked";
    const user = await find();
    if (!user) return active ? (await create(), "DELIVERED") : "NOT_PRESENT";
    if (user.active === active) return "DELIVERED";
    await patch(user, [{ op: "replace", path: "active", value: active }]);
    return "DELIVERED";
  }
  if (op === "slave-account.deleted") {
    const user = await find();
    if (!user) return "NOT_PRESENT";
    const res = await call("DELETE", `/Users/${encodeURIComponent(user.id)}`, "/Users/{id}", undefined, [404]);
    return res.status === 404 ? "NOT_PRESENT" : "DELIVERED";
  }
  // Nothing the system needs to hear (e.g. the portal linked an orphan to its owner).
  return "NOOP";
}

async function roleCodeOf(tx: Tx, row: OutboxRow): Promise<string | null> {
  const fromPayload = row.payload?.roleCode;
  if (typeof fromPayload === "string") return fromPayload;
  const grantId = row.grant_id ?? (typeof row.payload?.grantId === "string" ? row.payload.grantId : null);
  if (!grantId) return null;
  const rows = await tx.$queryRaw<{ code: string }[]>`
    SELECT r.code FROM access_grant g JOIN job_role r ON r.id = g.role_id WHERE g.id = ${grantId}::uuid`;
  return rows[0]?.code ?? null;
}

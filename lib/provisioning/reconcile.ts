import { z } from "zod";
import { getDb, inTransaction, type Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { decryptSecret } from "@/lib/crypto";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { enqueueProvisioning, type ProvisioningRow } from "./enqueue";
import { scimCall, type ScimCredentials, type ScimUser } from "./scim-client";
import { ReasonInput, text } from "@/lib/validation";

// Reconciliation (issue 11 §4): read every account a SCIM system holds (GET /Users, paged) and compare it
// with the portal's slave accounts and live grants. Each difference is a finding; a run replaces the
// system's open findings (those no longer seen are resolved), all in one transaction with its audit row.
// Findings are remediated by pushing the portal's state again (outbox rows) or accepted with a reason.

const PAGE = 200;
const MAX_ACCOUNTS = 200_000;

export type ReconcileCounts = {
  portalAccounts: number;
  systemAccounts: number;
  matched: number;
  MISSING_IN_SYSTEM: number;
  UNKNOWN_IN_SYSTEM: number;
  OWNERLESS: number;
  STATUS_DRIFT: number;
  ROLE_DRIFT: number;
};

type Kind = "MISSING_IN_SYSTEM" | "UNKNOWN_IN_SYSTEM" | "OWNERLESS" | "STATUS_DRIFT" | "ROLE_DRIFT";
type Finding = {
  kind: Kind;
  slaveAccountId: string | null;
  externalRef: string | null;
  loginName: string;
  details: Record<string, unknown>;
};

type PortalAccount = { id: string; login_name: string; status: string; person_id: string | null; roles: string[] | null };

/** Reads all users of a SCIM endpoint, PAGE at a time (RFC 7644 §3.4.2.4 startIndex/count). */
async function readAllUsers(c: ScimCredentials): Promise<ScimUser[]> {
  const users: ScimUser[] = [];
  for (let start = 1; users.length < MAX_ACCOUNTS; start += PAGE) {
    const res = await scimCall(c, "GET", `/Users?startIndex=${start}&count=${PAGE}`, undefined, {
      timeoutMs: 30_000,
      label: "/Users?startIndex",
    });
    if (res.status !== 200) throw new DomainError("RECONCILIATION_FAILED", { params: { error: res.error ?? `HTTP ${res.status}` } });
    const body = res.body as { Resources?: ScimUser[]; totalResults?: number } | null;
    const page = Array.isArray(body?.Resources) ? body.Resources : [];
    users.push(...page.filter((u) => typeof u?.id === "string"));
    if (page.length === 0 || (typeof body?.totalResults === "number" && start + page.length > body.totalResults)) break;
  }
  return users;
}

/** Compares what the system holds with the portal (pure; exported for unit tests). */
export function compareAccounts(portal: readonly PortalAccount[], system: readonly ScimUser[], roleAttr: "roles" | "entitlements") {
  const findings: Finding[] = [];
  const byExternal = new Map<string, ScimUser>();
  const byUserName = new Map<string, ScimUser>();
  for (const u of system) {
    if (u.externalId) byExternal.set(u.externalId, u);
    if (u.userName) byUserName.set(u.userName, u);
  }
  const seen = new Set<string>();
  let matched = 0;
  for (const a of portal) {
    const user = byExternal.get(a.id) ?? byUserName.get(a.login_name);
    const live = a.status === "ACTIVE" || a.status === "LOCKED";
    if (!user) {
      if (a.status === "ACTIVE")
        findings.push({
          kind: "MISSING_IN_SYSTEM",
          slaveAccountId: a.id,
          externalRef: null,
          loginName: a.login_name,
          details: { portal: { status: a.status, roles: a.roles ?? [] } },
        });
      continue;
    }
    seen.add(user.id);
    matched++;
    const systemRoles = (user[roleAttr] ?? [])
      .map((r) => r.value)
      .filter((v): v is string => typeof v === "string")
      .sort();
    const portalRoles = [...(a.roles ?? [])].sort();
    const details = { portal: { status: a.status, roles: portalRoles }, system: { active: user.active !== false, roles: systemRoles } };
    if (!a.person_id) findings.push({ kind: "OWNERLESS", slaveAccountId: a.id, externalRef: user.id, loginName: a.login_name, details });
    const systemActive = user.active !== false;
    if (systemActive !== (a.status === "ACTIVE") && !(a.status === "DELETED" && !systemActive)) {
      findings.push({ kind: "STATUS_DRIFT", slaveAccountId: a.id, externalRef: user.id, loginName: a.login_name, details });
    } else if (live && systemRoles.join("\n") !== portalRoles.join("\n")) {
      findings.push({ kind: "ROLE_DRIFT", slaveAccountId: a.id, externalRef: user.id, loginName: a.login_name, details });
    }
  }
  for (const u of system) {
    if (seen.has(u.id)) continue;
    findings.push({
      kind: "UNKNOWN_IN_SYSTEM",
      slaveAccountId: null,
      externalRef: u.id,
      loginName: u.userName ?? u.id,
      details: { system: { active: u.active !== false, roles: (u[roleAttr] ?? []).map((r) => r.value) } },
    });
  }
  return { findings, matched };
}

export async function reconcileSystem(
  actor: Actor,
  systemId: string,
  now = new Date(),
): Promise<{ runId: string; counts: ReconcileCounts }> {
  if (!text().uuid().safeParse(systemId).success) throw new DomainError("NOT_FOUND", { field: "systemId" });
  assertCan(actor, "connectors:manage", { systemId });
  const c = await getDb().systemConnector.findUnique({ where: { systemId } });
  if (!c || c.kind !== "SCIM" || !c.baseUrl || !c.auth || !c.secretEnc) throw new DomainError("NOT_FOUND", { field: "systemId" });
  const users = await readAllUsers({ baseUrl: c.baseUrl, auth: c.auth, secret: decryptSecret(c.secretEnc) });

  return inTransaction(
    async (tx) => {
      // One run per system at a time; a second one waits and then compares afresh.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('reconcile'), hashtext(${systemId}))`;
      const portal = await tx.$queryRaw<PortalAccount[]>`
        SELECT sa.id::text AS id, sa.login_name, sa.status::text AS status, sa.person_id::text AS person_id,
               array_remove(array_agg(DISTINCT r.code) FILTER (WHERE g.id IS NOT NULL), NULL) AS roles
        FROM slave_account sa
        LEFT JOIN access_grant g ON g.slave_account_id = sa.id AND g.revoked_at IS NULL AND (g.ends_at IS NULL OR g.ends_at > ${now})
        LEFT JOIN job_role r ON r.id = g.role_id
        WHERE sa.system_id = ${systemId}::uuid
        GROUP BY sa.id`;
      const { findings, matched } = compareAccounts(portal, users, c.roleMapping === "ENTITLEMENTS" ? "entitlements" : "roles");
      const counts: ReconcileCounts = {
        portalAccounts: portal.length,
        systemAccounts: users.length,
        matched,
        MISSING_IN_SYSTEM: 0,
        UNKNOWN_IN_SYSTEM: 0,
        OWNERLESS: 0,
        STATUS_DRIFT: 0,
        ROLE_DRIFT: 0,
      };
      for (const f of findings) counts[f.kind]++;
      const run = await tx.reconciliationRun.create({
        data: { systemId, startedAt: now, finishedAt: new Date(), counts, startedById: actor.kind === "person" ? actor.personId : null },
        select: { id: true },
      });
      await tx.$executeRaw`
        UPDATE reconciliation_finding SET status = 'RESOLVED', resolution = 'no longer seen', resolved_at = ${now}
        WHERE system_id = ${systemId}::uuid AND status = 'OPEN'`;
      for (let i = 0; i < findings.length; i += 5000) {
        const chunk = findings.slice(i, i + 5000);
        await tx.$executeRaw`
          INSERT INTO reconciliation_finding (id, run_id, system_id, kind, slave_account_id, external_ref, login_name, details)
          SELECT gen_random_uuid(), ${run.id}::uuid, ${systemId}::uuid, f.kind::"ReconciliationKind", f.sa, f.ext, f.login, f.details::jsonb
          FROM unnest(${chunk.map((f) => f.kind)}::text[], ${chunk.map((f) => f.slaveAccountId)}::uuid[], ${chunk.map((f) => f.externalRef)}::text[],
                      ${chunk.map((f) => f.loginName)}::text[], ${chunk.map((f) => JSON.stringify(f.details))}::text[])
            AS f(kind, sa, ext, login, details)`;
      }
      // Manual work is verified when the system shows it: done tasks of accounts now in agreement.
      await tx.$executeRaw`
        UPDATE provisioning_task t SET status = 'VERIFIED', verified_at = ${now}
        WHERE t.system_id = ${systemId}::uuid AND t.status = 'DONE'
          AND NOT EXISTS (SELECT 1 FROM reconciliation_finding f WHERE f.run_id = ${run.id}::uuid AND f.slave_account_id = t.slave_account_id)`;
      await recordAuditEvent(tx, actor, {
        action: "provisioning.reconciled",
        target: { type: "system", id: systemId },
        summary: { runId: run.id, ...counts },
      });
      return { runId: run.id, counts };
    },
    { timeoutMs: 120_000 },
  );
}

export const RemediateInput = z.object({
  findingId: text().uuid("invalid"),
  action: z.enum(["push", "accept"], { message: "invalid" }),
  reason: ReasonInput,
});

/**
 * Remediates one finding: `push` queues the portal's state for the account again (status and each live
 * role; the delivery makes the system agree), `accept` records why the difference is fine. Compare-and-set
 * on OPEN. Unknown accounts can only be accepted here (owning or removing them is the orphan workflow).
 */
export async function remediateFinding(tx: Tx, actor: Actor, raw: z.input<typeof RemediateInput>, now = new Date()) {
  const input = RemediateInput.parse(raw);
  const finding = await tx.reconciliationFinding.findUnique({ where: { id: input.findingId } });
  if (!finding) throw new DomainError("NOT_FOUND", { field: "findingId" });
  assertCan(actor, "connectors:manage", { systemId: finding.systemId });
  if (input.action === "push" && !finding.slaveAccountId) throw new DomainError("VALIDATION", { field: "action" });
  const { count } = await tx.reconciliationFinding.updateMany({
    where: { id: finding.id, status: "OPEN" },
    data: {
      status: "RESOLVED",
      resolution: `${input.action}: ${input.reason}`,
      resolvedAt: now,
      resolvedById: actor.kind === "person" ? actor.personId : null,
    },
  });
  if (count !== 1) throw new DomainError("CONFLICT");
  let queued = 0;
  if (input.action === "push") {
    const [account] = await tx.$queryRaw<{ id: string; login_name: string; status: string }[]>`
      SELECT id::text AS id, login_name, status::text AS status FROM slave_account WHERE id = ${finding.slaveAccountId}::uuid`;
    const grants = await tx.$queryRaw<{ id: string; code: string }[]>`
      SELECT g.id::text AS id, r.code FROM access_grant g JOIN job_role r ON r.id = g.role_id
      WHERE g.slave_account_id = ${finding.slaveAccountId}::uuid AND g.revoked_at IS NULL AND (g.ends_at IS NULL OR g.ends_at > ${now})`;
    const details = finding.details as { system?: { roles?: string[] } };
    const live = new Set(grants.map((g) => g.code));
    const rows: ProvisioningRow[] = [];
    if (account) {
      const op =
        account.status === "ACTIVE"
          ? "slave-account.enabled"
          : account.status === "DELETED"
            ? "slave-account.deleted"
            : "slave-account.disabled";
      if (finding.kind === "MISSING_IN_SYSTEM")
        rows.push({
          systemId: finding.systemId,
          operation: "slave-account.created",
          slaveAccountId: account.id,
          payload: { slaveAccountId: account.id, loginName: account.login_name },
        });
      else
        rows.push({
          systemId: finding.systemId,
          operation: op,
          slaveAccountId: account.id,
          payload: { slaveAccountId: account.id, loginName: account.login_name, after: account.status, cause: "reconciliation" },
        });
      for (const g of grants)
        rows.push({
          systemId: finding.systemId,
          operation: "grant.created",
          grantId: g.id,
          slaveAccountId: account.id,
          payload: { grantId: g.id, roleCode: g.code },
        });
      for (const extra of details.system?.roles ?? []) {
        if (!live.has(extra))
          rows.push({
            systemId: finding.systemId,
            operation: "grant.revoked",
            slaveAccountId: account.id,
            payload: { roleCode: extra, loginName: account.login_name, cause: "reconciliation" },
          });
      }
    }
    queued = await enqueueProvisioning(tx, rows);
  }
  await recordAuditEvent(tx, actor, {
    action: "provisioning.finding-remediated",
    target: finding.slaveAccountId ? { type: "slave-account", id: finding.slaveAccountId } : { type: "system", id: finding.systemId },
    summary: {
      findingId: finding.id,
      kind: finding.kind,
      loginName: finding.loginName,
      action: input.action,
      queued,
      before: { status: "OPEN" },
      after: { status: "RESOLVED" },
    },
    reason: input.reason,
  });
  return { queued };
}

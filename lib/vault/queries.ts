import { getDb } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { can } from "@/lib/authz/can";
import { decodeCursor, encodeCursor, type Page } from "@/lib/http/cursor";
import type { VaultStatus } from "@/lib/generated/prisma/enums";

const requestSelect = {
  id: true,
  status: true,
  operation: true,
  targetType: true,
  targetId: true,
  targetLabel: true,
  context: true,
  reason: true,
  decisionComment: true,
  createdAt: true,
  expiresAt: true,
  decidedAt: true,
  validUntil: true,
  consumedAt: true,
  operatorId: true,
  approverId: true,
  scenario: { select: { code: true, name: true, nameEn: true, validForSeconds: true } },
  operator: { select: { id: true, name: true, employeeNo: true } },
  approver: { select: { id: true, name: true, employeeNo: true } },
} as const;

type RequestRow = NonNullable<Awaited<ReturnType<typeof loadRequest>>>;

function loadRequest(id: string) {
  return getDb().vaultRequest.findUnique({ where: { id }, select: requestSelect });
}

/** The status as of now: a pending prompt or an unused approval past its time reads EXPIRED before the job has run. */
export function effectiveStatus(r: { status: VaultStatus; expiresAt: Date; validUntil: Date | null }, now = new Date()): VaultStatus {
  if (r.status === "PENDING" && r.expiresAt <= now) return "EXPIRED";
  if (r.status === "APPROVED" && r.validUntil && r.validUntil <= now) return "EXPIRED";
  return r.status;
}

export type VaultRequestView = Omit<RequestRow, "context"> & {
  context: Record<string, unknown> | null;
  role: "operator" | "approver" | "officer";
};

function view(r: RequestRow, role: VaultRequestView["role"], now: Date): VaultRequestView {
  return { ...r, status: effectiveStatus(r, now), context: (r.context ?? null) as Record<string, unknown> | null, role };
}

/** One vault request for its operator, its approver, or an officer who may read vault records; else null. */
export async function getVaultRequestView(actor: Actor, id: string, now = new Date()): Promise<VaultRequestView | null> {
  if (actor.kind !== "person" || !/^[0-9a-f-]{36}$/i.test(id)) return null;
  const r = await loadRequest(id);
  if (!r) return null;
  if (r.operatorId === actor.personId) return view(r, "operator", now);
  if (r.approverId === actor.personId) return view(r, "approver", now);
  if (can(actor, "vault-scenarios:read")) return view(r, "officer", now);
  return null;
}

/** The prompts waiting for this approver now (index vault_request(approver_id, status, created_at)). */
export async function listOpenPrompts(personId: string, now = new Date()): Promise<VaultRequestView[]> {
  const rows = await getDb().vaultRequest.findMany({
    where: { approverId: personId, status: "PENDING", expiresAt: { gt: now } },
    orderBy: { createdAt: "asc" },
    take: 20,
    select: requestSelect,
  });
  return rows.map((r) => view(r, "approver", now));
}

export async function listVaultScenarios() {
  const rows = await getDb().vaultScenario.findMany({
    orderBy: [{ systemId: { sort: "asc", nulls: "first" } }, { code: "asc" }],
    select: {
      id: true,
      code: true,
      name: true,
      nameEn: true,
      description: true,
      approverRoles: true,
      approverIds: true,
      validForSeconds: true,
      isActive: true,
      updatedAt: true,
      system: { select: { id: true, code: true, name: true } },
    },
  });
  const ids = [...new Set(rows.flatMap((r) => r.approverIds))];
  const people = ids.length
    ? await getDb().person.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, employeeNo: true, status: true } })
    : [];
  const byId = new Map(people.map((p) => [p.id, p]));
  return rows.map((r) => ({ ...r, approvers: r.approverIds.map((id) => byId.get(id)).filter((p): p is NonNullable<typeof p> => !!p) }));
}

const PAGE_SIZE = 50;
const isIdCursor = (v: unknown): v is { id: string } =>
  typeof v === "object" && v !== null && typeof (v as { id: string }).id === "string" && /^[0-9a-f-]{36}$/.test((v as { id: string }).id);

/** Vault requests, newest first (ids are time-ordered UUIDv7: keyset on the primary key), for officers. */
export async function listVaultRequests(
  filter: { status?: VaultStatus; cursor?: string },
  now = new Date(),
): Promise<Page<VaultRequestView>> {
  const cursor = decodeCursor(filter.cursor, isIdCursor);
  const rows = await getDb().vaultRequest.findMany({
    where: { ...(filter.status ? { status: filter.status } : {}), ...(cursor ? { id: { lt: cursor.id } } : {}) },
    orderBy: { id: "desc" },
    take: PAGE_SIZE + 1,
    select: requestSelect,
  });
  const page = rows.slice(0, PAGE_SIZE);
  const last = page[page.length - 1];
  return {
    rows: page.map((r) => view(r, "officer", now)),
    nextCursor: rows.length > PAGE_SIZE && last ? encodeCursor({ id: last.id }) : null,
  };
}

import { getDb } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";

export type ApiTokenStatus = "active" | "expired" | "revoked";

export function apiTokenStatus(t: { expiresAt: Date; revokedAt: Date | null }, now = new Date()): ApiTokenStatus {
  if (t.revokedAt) return "revoked";
  return t.expiresAt.getTime() <= now.getTime() ? "expired" : "active";
}

/**
 * The tokens, newest first, keyset-paginated by id (uuid v7: creation order), with the codes of their
 * systems. Never the hash.
 */
export async function listApiTokens(actor: Actor, opts: { before?: string; pageSize?: number } = {}) {
  assertCan(actor, "api-tokens:manage");
  const pageSize = opts.pageSize ?? 50;
  const before = opts.before && /^[0-9a-f-]{36}$/i.test(opts.before) ? opts.before : undefined;
  const rows = await getDb().apiToken.findMany({
    where: before ? { id: { lt: before } } : {},
    orderBy: { id: "desc" },
    take: pageSize + 1,
    select: {
      id: true,
      name: true,
      prefix: true,
      systemIds: true,
      operations: true,
      expiresAt: true,
      revokedAt: true,
      lastUsedAt: true,
      createdAt: true,
      createdById: true,
      revokedById: true,
    },
  });
  const page = rows.slice(0, pageSize);
  const systemIds = [...new Set(page.flatMap((r) => r.systemIds))];
  const personIds = [...new Set(page.flatMap((r) => [r.createdById, r.revokedById]).filter((id): id is string => !!id))];
  const [systems, people] = await Promise.all([
    getDb().businessSystem.findMany({ where: { id: { in: systemIds } }, select: { id: true, code: true } }),
    getDb().person.findMany({ where: { id: { in: personIds } }, select: { id: true, name: true, employeeNo: true } }),
  ]);
  const codeOf = new Map(systems.map((s) => [s.id, s.code]));
  const personOf = new Map(people.map((p) => [p.id, p]));
  const now = new Date();
  return {
    rows: page.map((r) => ({
      id: r.id,
      name: r.name,
      prefix: r.prefix,
      operations: r.operations,
      expiresAt: r.expiresAt,
      revokedAt: r.revokedAt,
      lastUsedAt: r.lastUsedAt,
      createdAt: r.createdAt,
      systems: r.systemIds.map((id) => codeOf.get(id) ?? id).sort(),
      createdBy: r.createdById ? (personOf.get(r.createdById) ?? null) : null,
      revokedBy: r.revokedById ? (personOf.get(r.revokedById) ?? null) : null,
      status: apiTokenStatus(r, now),
    })),
    nextCursor: rows.length > pageSize ? page[page.length - 1]!.id : null,
  };
}

/** The active business systems a token may be scoped to, for the creation form. */
export async function listSystemsForTokens(actor: Actor) {
  assertCan(actor, "api-tokens:manage");
  return getDb().businessSystem.findMany({
    where: { isActive: true },
    orderBy: { code: "asc" },
    take: 1000,
    select: { id: true, code: true, name: true, nameEn: true },
  });
}

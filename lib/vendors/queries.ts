import { z } from "zod";
import { decryptOptional } from "@/lib/crypto";
import { getDb, Prisma } from "@/lib/db";
import { decodeCursor, encodeCursor, type Page } from "@/lib/http/cursor";
import { decodeLabelCursor, LOOKUP_LIMIT, lookupPage, type LookupPage, type LookupQuery } from "@/lib/http/lookup";
import { maskEmail, maskPhone } from "@/lib/people/masking";
import { text } from "@/lib/validation";

export const VendorFilter = z.object({
  q: text().trim().max(100).optional().catch(undefined),
  cursor: text().max(1000).optional().catch(undefined),
});
export type VendorFilter = z.infer<typeof VendorFilter>;

const PAGE_SIZE = 50;

type VendorCursor = { v: string; id: string };
const isVendorCursor = (v: unknown): v is VendorCursor =>
  typeof v === "object" &&
  v !== null &&
  typeof (v as VendorCursor).v === "string" &&
  typeof (v as VendorCursor).id === "string" &&
  /^[0-9a-f-]{36}$/.test((v as VendorCursor).id);

export type VendorSponsor = { id: string; name: string; employeeNo: string; people: number };

/**
 * Vendors by name (keyset pages), each with its current people (not departed) and their sponsors.
 * The contact's phone and e-mail are masked (R15); the edit form never receives them in full.
 */
export async function listVendors(filter: VendorFilter): Promise<Page<VendorRow>> {
  const where: Prisma.VendorWhereInput[] = [];
  if (filter.q) where.push({ name: { startsWith: filter.q } });
  const cursor = decodeCursor(filter.cursor, isVendorCursor);
  if (cursor) where.push({ OR: [{ name: { gt: cursor.v } }, { name: cursor.v, id: { gt: cursor.id } }] });
  const rows = await getDb().vendor.findMany({
    where: { AND: where },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    take: PAGE_SIZE + 1,
    select: {
      id: true,
      name: true,
      contactName: true,
      contactPhoneEnc: true,
      contactEmailEnc: true,
      contractStartsOn: true,
      contractEndsOn: true,
      isActive: true,
    },
  });
  const page = rows.slice(0, PAGE_SIZE);
  const ids = page.map((v) => v.id);
  const sponsors = ids.length
    ? await getDb().$queryRaw<(VendorSponsor & { vendorId: string })[]>`
        SELECT p.vendor_id::text AS "vendorId", s.id::text AS "id", s.name, s.employee_no AS "employeeNo", count(*)::int AS "people"
        FROM person p JOIN person s ON s.id = p.sponsor_id
        WHERE p.vendor_id = ANY(${ids}::uuid[]) AND p.status <> 'LEFT'
        GROUP BY p.vendor_id, s.id, s.name, s.employee_no
        ORDER BY s.name, s.id`
    : [];
  const counts = ids.length
    ? await getDb().person.groupBy({ by: ["vendorId"], where: { vendorId: { in: ids }, status: { not: "LEFT" } }, _count: { _all: true } })
    : [];
  const last = page[page.length - 1];
  return {
    rows: page.map((v) => ({
      id: v.id,
      name: v.name,
      contactName: v.contactName,
      contractStartsOn: v.contractStartsOn,
      contractEndsOn: v.contractEndsOn,
      isActive: v.isActive,
      contactPhoneMasked: maskPhone(decryptOptional(v.contactPhoneEnc)),
      contactEmailMasked: maskEmail(decryptOptional(v.contactEmailEnc)),
      people: counts.find((c) => c.vendorId === v.id)?._count._all ?? 0,
      sponsors: sponsors.filter((s) => s.vendorId === v.id).map(({ id, name, employeeNo, people }) => ({ id, name, employeeNo, people })),
    })),
    nextCursor: rows.length > PAGE_SIZE && last ? encodeCursor({ v: last.name, id: last.id }) : null,
  };
}

export type VendorRow = {
  id: string;
  name: string;
  contactName: string | null;
  contractStartsOn: Date;
  contractEndsOn: Date;
  isActive: boolean;
  contactPhoneMasked: string;
  contactEmailMasked: string;
  people: number;
  sponsors: VendorSponsor[];
};

/** The vendors a new third party may join (active ones), for the staff forms' select box. */
export async function listVendorOptions() {
  return getDb().vendor.findMany({
    where: { isActive: true },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    take: 1000,
    select: { id: true, name: true, contractStartsOn: true, contractEndsOn: true },
  });
}

/** The vendor picker's lookup: active vendors whose name contains `q`, LOOKUP_LIMIT at a time by (name, id); the hint is the contract's last day. */
export async function lookupVendors(query: LookupQuery): Promise<LookupPage> {
  const where: Prisma.VendorWhereInput[] = [{ isActive: true }];
  if (query.q) where.push({ name: { contains: query.q, mode: "insensitive" } });
  const cursor = decodeLabelCursor(query.cursor);
  if (cursor) where.push({ name: { gte: cursor.v } }, { OR: [{ name: { gt: cursor.v } }, { name: cursor.v, id: { gt: cursor.id } }] });
  const rows = await getDb().vendor.findMany({
    where: { AND: where },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    take: LOOKUP_LIMIT + 1,
    select: { id: true, name: true, contractEndsOn: true },
  });
  return lookupPage(
    rows,
    (r) => r.name,
    (r) => ({ id: r.id, label: r.name, hint: r.contractEndsOn.toISOString().slice(0, 10) }),
  );
}

/** The label a picker shows for an already chosen vendor. */
export async function vendorOption(id: string | null | undefined): Promise<{ id: string; label: string } | null> {
  if (!id || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return null;
  const vendor = await getDb().vendor.findUnique({ where: { id }, select: { id: true, name: true } });
  return vendor ? { id: vendor.id, label: vendor.name } : null;
}

import { z } from "zod";
import { getDb, Prisma } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { can } from "@/lib/authz/can";
import { decodeCursor, encodeCursor, type Page } from "@/lib/http/cursor";
import { maskEmail, maskIdNumber, maskPhone } from "./masking";
import { decryptPii, emailIndex, idNumberIndex, PII_SELECT, type PersonPiiColumns } from "./pii";
import { text } from "@/lib/validation";

export const PeopleFilter = z.object({
  q: text().trim().max(100).optional().catch(undefined),
  status: z.enum(["ACTIVE", "SUSPENDED", "LEFT"]).optional().catch(undefined),
  type: z.enum(["EMPLOYEE", "THIRD_PARTY"]).optional().catch(undefined),
  org: text().uuid().optional().catch(undefined),
  vendor: text().uuid().optional().catch(undefined),
  sort: z.enum(["name", "employeeNo"]).default("name").catch("name"),
  cursor: text().max(1000).optional().catch(undefined),
});
export type PeopleFilter = z.infer<typeof PeopleFilter>;

const PAGE_SIZE = 50;

type PersonCursor = { v: string; id: string };
const isPersonCursor = (v: unknown): v is PersonCursor =>
  typeof v === "object" &&
  v !== null &&
  typeof (v as PersonCursor).v === "string" &&
  typeof (v as PersonCursor).id === "string" &&
  /^[0-9a-f-]{36}$/.test((v as PersonCursor).id);

/** The org paths an actor may see people in; null = everywhere. */
export function peopleScope(actor: Actor): string[] | null {
  if (actor.kind === "system") return null;
  const global = actor.roles.some((r) => r.role !== "APPROVER" && can({ ...actor, roles: [r] }, "people:read"));
  if (global) return null;
  return actor.roles.filter((r) => r.role === "APPROVER" && r.orgUnitPath).map((r) => r.orgUnitPath!);
}

/** The list's conditions for an actor and filter (scope and filters; not the cursor): the people list and the staff export share them. */
export async function peopleWhere(actor: Actor, filter: Omit<PeopleFilter, "sort" | "cursor">): Promise<Prisma.PersonWhereInput[]> {
  const scope = peopleScope(actor);
  const where: Prisma.PersonWhereInput[] = [];
  if (scope) where.push({ OR: scope.map((p) => ({ orgUnit: { path: { startsWith: p } } })) });
  if (filter.status) where.push({ status: filter.status });
  if (filter.type) where.push({ employmentType: filter.type });
  if (filter.vendor) where.push({ vendorId: filter.vendor });
  if (filter.org) {
    const org = await getDb().orgUnit.findUnique({ where: { id: filter.org }, select: { path: true } });
    where.push({ orgUnit: { path: { startsWith: org?.path ?? "/none/" } } });
  }
  if (filter.q) {
    // Encrypted e-mail and ID number are found by their blind index: whole values only, no prefixes.
    const exact: Prisma.PersonWhereInput[] = [];
    if (filter.q.includes("@")) exact.push({ emailIndex: emailIndex(filter.q) });
    else if (/^[0-9A-Za-z]{15,30}$/.test(filter.q)) exact.push({ idNumberIndex: idNumberIndex(filter.q) });
    where.push({ OR: [{ employeeNo: { startsWith: filter.q } }, { name: { startsWith: filter.q } }, ...exact] });
  }
  return where;
}

export async function listPeople(actor: Actor, filter: PeopleFilter): Promise<Page<PersonRow>> {
  const where = await peopleWhere(actor, filter);
  const sortKey = filter.sort;
  const cursor = decodeCursor(filter.cursor, isPersonCursor);
  // The redundant lower bound turns the keyset into an index range (Prisma's OR alone cannot bound it).
  if (cursor)
    where.push({ [sortKey]: { gte: cursor.v } }, { OR: [{ [sortKey]: { gt: cursor.v } }, { [sortKey]: cursor.v, id: { gt: cursor.id } }] });

  const rows = await getDb().person.findMany({
    where: { AND: where },
    orderBy: [{ [sortKey]: "asc" }, { id: "asc" }],
    take: PAGE_SIZE + 1,
    select: {
      id: true,
      employeeNo: true,
      name: true,
      jobTitle: true,
      employmentType: true,
      vendorName: true,
      status: true,
      phoneEnc: true,
      emailEnc: true,
      idNumberEnc: true,
      contractEndsOn: true,
      vendor: { select: { name: true } },
      orgUnit: { select: { name: true, nameEn: true } },
      account: { select: { status: true } },
    },
  });
  const page = rows.slice(0, PAGE_SIZE);
  const last = page[page.length - 1];
  return {
    rows: page.map(toRow),
    nextCursor: rows.length > PAGE_SIZE && last ? encodeCursor({ v: last[sortKey], id: last.id }) : null,
  };
}

function toRow(
  p: PersonPiiColumns & {
    id: string;
    employeeNo: string;
    name: string;
    jobTitle: string;
    employmentType: "EMPLOYEE" | "THIRD_PARTY";
    vendorName: string | null;
    status: "ACTIVE" | "SUSPENDED" | "LEFT";
    contractEndsOn: Date | null;
    vendor: { name: string } | null;
    orgUnit: { name: string; nameEn: string | null };
    account: { status: "ACTIVE" | "LOCKED" | "DISABLED" } | null;
  },
) {
  const pii = decryptPii(p);
  return {
    // Records from before vendors were kept carry only the legacy vendor name.
    id: p.id,
    employeeNo: p.employeeNo,
    name: p.name,
    jobTitle: p.jobTitle,
    employmentType: p.employmentType,
    vendorName: p.vendor?.name ?? p.vendorName,
    contractEndsOn: p.contractEndsOn,
    status: p.status,
    orgUnitName: p.orgUnit.name,
    orgUnitNameEn: p.orgUnit.nameEn,
    accountStatus: p.account?.status ?? null,
    phoneMasked: maskPhone(pii.phone),
    emailMasked: maskEmail(pii.email),
  };
}
export type PersonRow = ReturnType<typeof toRow>;

export async function getPersonDetail(actor: Actor, id: string) {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const p = await getDb().person.findUnique({
    where: { id },
    select: {
      id: true,
      employeeNo: true,
      name: true,
      jobTitle: true,
      employmentType: true,
      vendorName: true,
      status: true,
      ...PII_SELECT,
      createdAt: true,
      jobCategories: true,
      contractEndsOn: true,
      vendor: { select: { id: true, name: true, contractStartsOn: true, contractEndsOn: true } },
      sponsor: { select: { id: true, name: true, employeeNo: true, status: true } },
      _count: { select: { sponsored: { where: { status: { not: "LEFT" } } } } },
      orgUnit: { select: { id: true, name: true, nameEn: true, path: true } },
      account: {
        select: {
          id: true,
          status: true,
          lastSignInAt: true,
          totpEnrolledAt: true,
          lockedUntil: true,
          passwordChangedAt: true,
          _count: { select: { sessions: { where: { revokedAt: null } } } },
        },
      },
      roleAssignments: {
        select: { id: true, role: true, system: { select: { code: true, name: true } }, orgUnit: { select: { name: true, nameEn: true } } },
      },
    },
  });
  if (!p) return null;
  if (!can(actor, "people:read", { orgUnitPath: p.orgUnit.path })) return "forbidden" as const;
  const pii = decryptPii(p);
  return {
    id: p.id,
    employeeNo: p.employeeNo,
    name: p.name,
    jobTitle: p.jobTitle,
    employmentType: p.employmentType,
    vendorName: p.vendor?.name ?? p.vendorName,
    status: p.status,
    createdAt: p.createdAt,
    orgUnit: p.orgUnit,
    jobCategories: p.jobCategories,
    contractEndsOn: p.contractEndsOn,
    vendor: p.vendor,
    sponsor: p.sponsor,
    sponsoredCount: p._count.sponsored,
    phoneMasked: maskPhone(pii.phone),
    emailMasked: maskEmail(pii.email),
    idNumberMasked: maskIdNumber(pii.idNumber),
    hasPhone: !!pii.phone,
    hasEmail: !!pii.email,
    hasIdNumber: !!pii.idNumber,
    account: p.account ? { ...p.account, openSessions: p.account._count.sessions } : null,
    roles: p.roleAssignments,
  };
}
export type PersonDetail = Exclude<NonNullable<Awaited<ReturnType<typeof getPersonDetail>>>, "forbidden">;

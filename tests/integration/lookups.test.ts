// The typeahead pickers' lookups (issue 13): at most 20 matches a page, keyset pages that neither
// repeat nor skip, the actor's people scope, a tree level at a time; bad input is a 400, not a 500.
import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { LOOKUP_LIMIT, LookupQuery } from "@/lib/http/lookup";
import { lookupOrgUnits, orgUnitOption } from "@/lib/org/queries";
import { lookupVendors, vendorOption } from "@/lib/vendors/queries";
import { lookupSystems, systemOption } from "@/lib/systems/queries";
import { makeActor, makeOrgUnit, makeSystem, makeVendor, uniq } from "../factories";

describe("org-unit lookup", () => {
  it("pages 45 matches 20 at a time, in name order, without repeats or gaps", async () => {
    const tag = `LK${uniq()}`;
    const parent = await makeOrgUnit({ name: `${tag} root` });
    for (let i = 0; i < 44; i++) await makeOrgUnit({ parentId: parent.id, name: `${tag} unit ${String(i).padStart(2, "0")}` });
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await lookupOrgUnits(null, { q: tag.toLowerCase(), cursor }, "zh-CN");
      expect(page.items.length).toBeLessThanOrEqual(LOOKUP_LIMIT);
      seen.push(...page.items.map((i) => i.label));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(45);
    expect(new Set(seen).size).toBe(45);
    expect(seen).toEqual([...seen].sort());
  });

  it("walks the tree a level at a time and says which units have children", async () => {
    const tag = `LT${uniq()}`;
    const root = await makeOrgUnit({ name: `${tag} root` });
    const child = await makeOrgUnit({ parentId: root.id, name: `${tag} child` });
    await makeOrgUnit({ parentId: child.id, name: `${tag} grandchild` });
    const top = await lookupOrgUnits(null, {}, "en");
    expect(top.items.length).toBeLessThanOrEqual(LOOKUP_LIMIT);
    const children = await lookupOrgUnits(null, { parent: root.id }, "en");
    expect(children.items).toEqual([expect.objectContaining({ id: child.id, label: `${tag} child`, hasChildren: true })]);
    const grandchildren = await lookupOrgUnits(null, { parent: child.id }, "en");
    expect(grandchildren.items).toEqual([expect.objectContaining({ label: `${tag} grandchild`, hasChildren: false })]);
    expect(grandchildren.items[0]!.hint).toContain(`${tag} child`);
  });

  it("keeps an approver inside their units: matches elsewhere are not offered, and their tree starts at their unit", async () => {
    const tag = `LS${uniq()}`;
    const mine = await makeOrgUnit({ name: `${tag} mine` });
    const inside = await makeOrgUnit({ parentId: mine.id, name: `${tag} inside` });
    await makeOrgUnit({ name: `${tag} elsewhere` });
    const { path } = await getDb().orgUnit.findUniqueOrThrow({ where: { id: mine.id }, select: { path: true } });
    const found = await lookupOrgUnits([path], { q: tag }, "zh-CN");
    expect(found.items.map((i) => i.label).sort()).toEqual([`${tag} inside`, `${tag} mine`]);
    const top = await lookupOrgUnits([path], {}, "zh-CN");
    expect(top.items.map((i) => i.id)).toEqual([mine.id]);
    // Asking for another unit's children still only answers inside the scope.
    const other = await makeOrgUnit({ name: `${tag} other root` });
    await makeOrgUnit({ parentId: other.id, name: `${tag} other child` });
    expect((await lookupOrgUnits([path], { parent: other.id }, "zh-CN")).items).toEqual([]);
    expect((await lookupOrgUnits([path], { parent: mine.id }, "zh-CN")).items.map((i) => i.id)).toEqual([inside.id]);
  });

  it("labels a chosen unit, and ignores ids that are not units", async () => {
    const unit = await makeOrgUnit({ name: `Named ${uniq()}` });
    expect(await orgUnitOption(unit.id, "en")).toEqual({ id: unit.id, label: unit.name });
    expect(await orgUnitOption("not-a-uuid", "en")).toBeNull();
    expect(await orgUnitOption(undefined, "en")).toBeNull();
  });
});

describe("vendor lookup", () => {
  it("finds vendors by part of the name, 20 at a time, with the contract's last day as hint", async () => {
    const tag = `VL${uniq()}`;
    for (let i = 0; i < 21; i++) await makeVendor({ name: `Vendor ${tag} ${String(i).padStart(2, "0")}` });
    const first = await lookupVendors({ q: tag });
    expect(first.items).toHaveLength(LOOKUP_LIMIT);
    expect(first.items[0]!.hint).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const second = await lookupVendors({ q: tag, cursor: first.nextCursor! });
    expect(second.items).toHaveLength(1);
    expect(second.items[0]!.label).toContain(`Vendor ${tag} 20`);
    expect(second.nextCursor).toBeNull();
    const one = first.items[0]!;
    expect(await vendorOption(one.id)).toEqual({ id: one.id, label: one.label });
  });
});

describe("lookup query", () => {
  // The routes read it with queryOf: a query that does not fit is a 400 VALIDATION, never a 500.
  const fits = (qs: string) => LookupQuery.safeParse(Object.fromEntries(new URLSearchParams(qs))).success;
  it("refuses what a lookup does not take, and accepts what it does", () => {
    for (const qs of ["parent=../../etc", "parent=not-a-uuid", `q=${"x".repeat(101)}`, "take=5000", `cursor=${"a".repeat(1001)}`])
      expect(fits(qs), qs).toBe(false);
    expect(fits("q=研发&cursor=abc")).toBe(true);
    expect(fits("")).toBe(true);
  });
  it("reads a garbage cursor as the first page", async () => {
    const page = await lookupVendors({ cursor: "%%%garbage" });
    expect(page.items.length).toBeLessThanOrEqual(LOOKUP_LIMIT);
  });
});

describe("system lookup", () => {
  it("offers an account administrator only their systems, and everyone else every system, 20 at a time", async () => {
    const systems = [];
    for (let i = 0; i < 3; i++) systems.push(await makeSystem());
    const { actor: admin } = await makeActor([{ role: "ACCOUNT_ADMIN", systemId: systems[0]!.id }]);
    const { actor: officer } = await makeActor(["SECURITY_OFFICER"]);
    const mine = await lookupSystems(admin, {}, "en");
    expect(mine.items.map((i) => i.id)).toEqual([systems[0]!.id]);
    expect(await systemOption(admin, systems[1]!.id)).toBeNull();
    expect(await systemOption(admin, systems[0]!.id)).toEqual({ id: systems[0]!.id, label: systems[0]!.code });
    const all = await lookupSystems(officer, { q: systems[1]!.code }, "en");
    expect(all.items.map((i) => i.id)).toEqual([systems[1]!.id]);
    const page = await lookupSystems(officer, {}, "en");
    expect(page.items.length).toBeLessThanOrEqual(LOOKUP_LIMIT);
  });
});

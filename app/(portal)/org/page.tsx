import { forbidden } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { requireActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/can";
import { getOrgTree, getOrgUnitDetail } from "@/lib/org/queries";
import { Card, EmptyState, PageHeader } from "@/components/ui/card";
import { OrgTree } from "@/components/org/org-tree";
import { OrgUnitDetails } from "@/components/org/org-unit-details";
import {
  CreateChildUnitForm,
  DeactivateOrgUnitForm,
  MoveOrgUnitForm,
  RenameOrgUnitForm,
  SetOrgUnitHeadForm,
} from "@/components/org/org-unit-forms";

export async function generateMetadata() {
  const t = await getTranslations("org");
  return { title: t("title") };
}

export default async function OrgPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireActor();
  if (!can(actor, "org:read")) forbidden();
  const manage = can(actor, "org:manage");
  const { unit: unitParam } = await searchParams;
  const unitId = typeof unitParam === "string" ? unitParam : undefined;
  const [tree, unit, t, ta, locale] = await Promise.all([
    getOrgTree(),
    unitId ? getOrgUnitDetail(unitId) : null,
    getTranslations("org"),
    getTranslations("orgAdmin"),
    getLocale(),
  ]);
  const english = locale === "en";
  const label = (o: { name: string; nameEn: string | null }) => (english && o.nameEn ? o.nameEn : o.name);
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <div className="grid gap-4 lg:grid-cols-5">
        <div className="lg:col-span-3">
          {tree.length ? (
            <OrgTree nodes={tree} selectedId={unit?.id} openIds={unit ? unit.path.split("/").filter(Boolean) : []} english={english} />
          ) : (
            <EmptyState title={t("empty")} />
          )}
        </div>
        <div className="space-y-4 lg:col-span-2">
          {unit ? (
            <>
              <Card title={`${ta("details")} · ${label(unit)}`}>
                <OrgUnitDetails unit={unit} english={english} />
              </Card>
              {manage && unit.isActive ? (
                // Keyed by unit: choosing another unit starts every form afresh.
                <Card title={ta("manage")} key={unit.id}>
                  <div className="space-y-4">
                    <RenameOrgUnitForm orgUnitId={unit.id} name={unit.name} nameEn={unit.nameEn} />
                    <CreateChildUnitForm parentId={unit.id} />
                    <MoveOrgUnitForm orgUnitId={unit.id} parent={unit.parent ? { id: unit.parent.id, label: label(unit.parent) } : null} />
                    <SetOrgUnitHeadForm orgUnitId={unit.id} hasHead={!!unit.head} />
                    <DeactivateOrgUnitForm orgUnitId={unit.id} />
                  </div>
                </Card>
              ) : null}
            </>
          ) : (
            <p className="rounded-lg border border-dashed border-slate-300 bg-white px-4 py-6 text-center text-sm text-slate-500">
              {ta("select")}
            </p>
          )}
        </div>
      </div>
    </>
  );
}

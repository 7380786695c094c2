import { forbidden } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { requireActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/can";
import { getOrgTree, type OrgNode } from "@/lib/org/queries";
import { EmptyState, PageHeader } from "@/components/ui/card";

export async function generateMetadata() {
  const t = await getTranslations("org");
  return { title: t("title") };
}

export default async function OrgPage() {
  const actor = await requireActor();
  if (!can(actor, "org:read")) forbidden();
  const [tree, t, locale] = await Promise.all([getOrgTree(), getTranslations("org"), getLocale()]);
  const label = (n: OrgNode) => (locale === "en" && n.nameEn ? n.nameEn : n.name);
  const render = (nodes: OrgNode[]) => (
    <ul role="group" className="ml-4 space-y-1 border-l border-slate-200 pl-3">
      {nodes.map((n) => (
        <li key={n.id} role="treeitem" aria-selected={false}>
          <div className="flex items-baseline gap-2 text-sm">
            <span className="font-medium text-slate-900">{label(n)}</span>
            <span className="font-mono text-xs text-slate-500">{n.code}</span>
            <span className="text-xs text-slate-500">{t("people", { count: n.people })}</span>
            {n.headName ? <span className="text-xs text-slate-500">{t("head", { name: n.headName })}</span> : null}
          </div>
          {n.children.length ? render(n.children) : null}
        </li>
      ))}
    </ul>
  );
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      {tree.length ? <div role="tree" className="rounded-lg border border-slate-200 bg-white p-4">{render(tree)}</div> : <EmptyState title={t("empty")} />}
    </>
  );
}

import Link from "next/link";
import { useTranslations } from "next-intl";
import type { OrgNode } from "@/lib/org/queries";

/** The org tree; each unit links to its details (?unit=<id>). */
export function OrgTree({ nodes, selectedId, english }: { nodes: OrgNode[]; selectedId?: string; english: boolean }) {
  const t = useTranslations("org");
  const label = (n: OrgNode) => (english && n.nameEn ? n.nameEn : n.name);
  const render = (list: OrgNode[]) => (
    <ul role="group" className="ml-4 space-y-1 border-l border-slate-200 pl-3">
      {list.map((n) => {
        const selected = n.id === selectedId;
        return (
          <li key={n.id} role="treeitem" aria-selected={selected}>
            <div className="flex items-baseline gap-2 text-sm">
              <Link
                href={`/org?unit=${n.id}`}
                aria-current={selected ? "true" : undefined}
                className={`font-medium hover:underline ${selected ? "rounded bg-brand-50 px-1 text-brand-700" : "text-slate-900"}`}
              >
                {label(n)}
              </Link>
              <span className="font-mono text-xs text-slate-500">{n.code}</span>
              <span className="text-xs text-slate-500">{t("people", { count: n.people })}</span>
              {n.headName ? <span className="text-xs text-slate-500">{t("head", { name: n.headName })}</span> : null}
            </div>
            {n.children.length ? render(n.children) : null}
          </li>
        );
      })}
    </ul>
  );
  return (
    <div role="tree" aria-label={t("title")} className="rounded-lg border border-slate-200 bg-white p-4">
      {render(nodes)}
    </div>
  );
}

import Link from "next/link";
import { useTranslations } from "next-intl";
import type { OrgNode } from "@/lib/org/queries";

/** A unit with more children than this shows them only when it is selected or above the selected unit. */
export const OPEN_CHILDREN_LIMIT = 25;

/**
 * The org tree; each unit links to its details (?unit=<id>). At operator scale (2,000+ units) the
 * page must not carry every unit (issue 13): a unit's children are listed when they are few
 * (OPEN_CHILDREN_LIMIT) or the unit is on the selected unit's path (`openIds`: its ancestors and
 * itself); otherwise the unit says how many sub-units it has, and selecting it opens them.
 */
export function OrgTree({
  nodes,
  selectedId,
  openIds = [],
  english,
}: {
  nodes: OrgNode[];
  selectedId?: string;
  openIds?: string[];
  english: boolean;
}) {
  const t = useTranslations("org");
  const label = (n: OrgNode) => (english && n.nameEn ? n.nameEn : n.name);
  const render = (list: OrgNode[]) => (
    <ul role="group" className="ml-4 space-y-1 border-l border-slate-200 pl-3">
      {list.map((n) => {
        const selected = n.id === selectedId;
        const open = n.children.length > 0 && (n.children.length <= OPEN_CHILDREN_LIMIT || openIds.includes(n.id));
        return (
          <li key={n.id} role="treeitem" aria-selected={selected} aria-expanded={n.children.length ? open : undefined}>
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
              {n.children.length && !open ? (
                <span className="text-xs text-slate-500">{t("subUnits", { count: n.children.length })}</span>
              ) : null}
            </div>
            {open ? render(n.children) : null}
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

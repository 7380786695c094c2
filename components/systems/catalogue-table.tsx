import type { ReactNode } from "react";
import { getTranslations } from "next-intl/server";
import { Card, EmptyState } from "@/components/ui/card";
import { LazyDetails } from "@/components/ui/lazy-details";
import { Table, Td, Th } from "@/components/ui/table";

type Entry = { id: string; code: string; isActive: boolean };
type Column<T> = { header: string; className?: string; cell: (entry: T) => ReactNode };
// The texts (in "systems") of each catalogue; its table's test id is the kind.
const TEXTS = {
  permissions: { title: "permissions", empty: "noPermissions", emptyHint: "noPermissionsHint", add: "newPermission" },
  roles: { title: "roles", empty: "noRoles", emptyHint: "noRolesHint", add: "newRole" },
} as const;

/**
 * One of a system's catalogues (its permissions or its job roles): code, name, the catalogue's own
 * columns, flags (an inactive entry is greyed and says so); for editors an inline form on each row
 * and a form for a new entry below, each built only when opened (LazyDetails: the page's purpose is
 * the catalogue, its forms would be most of its weight). The caller pages the entries (25 at a time).
 */
export async function CatalogueTable<T extends Entry>({
  kind,
  entries,
  name,
  columns,
  flags,
  editable,
  editWidth,
  editForm,
  newForm,
  total,
  pager,
}: {
  kind: keyof typeof TEXTS;
  entries: T[];
  name: (entry: T) => string;
  columns: Column<T>[];
  flags: (entry: T) => (string | null)[];
  editable: boolean;
  /** The inline form's Tailwind width class. */
  editWidth: string;
  editForm: (entry: T) => ReactNode;
  newForm: ReactNode;
  /** How many entries the whole catalogue has (the table shows one page of them). */
  total?: number;
  /** Links to the catalogue's other pages, below the table. */
  pager?: ReactNode;
}) {
  const t = await getTranslations("systems");
  const texts = TEXTS[kind];
  const title = t(texts.title);
  return (
    <Card title={total === undefined ? title : t("catalogueCount", { title, count: total })}>
      {entries.length === 0 ? (
        <EmptyState title={t(texts.empty)} hint={editable ? t(texts.emptyHint) : undefined} />
      ) : (
        <Table caption={title}>
          <thead>
            <tr>
              <Th>{t("code")}</Th>
              <Th>{t("name")}</Th>
              {columns.map((c) => (
                <Th key={c.header}>{c.header}</Th>
              ))}
              <Th>{t("flags")}</Th>
              {editable ? <Th>{t("edit")}</Th> : null}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100" data-testid={kind}>
            {entries.map((e) => (
              <tr key={e.id} className={e.isActive ? "" : "opacity-50"}>
                <Td className="font-mono text-xs">{e.code}</Td>
                <Td>{name(e)}</Td>
                {columns.map((c) => (
                  <Td key={c.header} className={c.className}>
                    {c.cell(e)}
                  </Td>
                ))}
                <Td className="text-xs">{[...flags(e), e.isActive ? null : t("inactive")].filter(Boolean).join(" · ")}</Td>
                {editable ? (
                  <Td>
                    <LazyDetails summary={t("edit")} summaryClassName="cursor-pointer text-xs text-brand-700">
                      <div className={`mt-2 ${editWidth}`}>{editForm(e)}</div>
                    </LazyDetails>
                  </Td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      {pager}
      {editable ? (
        <LazyDetails className="mt-4" summaryClassName="cursor-pointer text-sm font-medium text-brand-700" summary={t(texts.add)}>
          <div className="mt-3 max-w-2xl">{newForm}</div>
        </LazyDetails>
      ) : null}
    </Card>
  );
}

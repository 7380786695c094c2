import { useTranslations } from "next-intl";
import { Badge } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import type { ImportPreviewView } from "@/app/(portal)/people/import/actions";

const KEY_COLUMNS = ["employeeNo", "name", "orgCode", "jobTitle", "employmentType", "vendor"] as const;

/** The checked rows, those with errors first, each error next to its row (column: message). */
export function ImportPreviewTable({ preview }: { preview: ImportPreviewView }) {
  const t = useTranslations("imports");
  return (
    <div className="space-y-2">
      {preview.rows.length < preview.total ? <p className="text-xs text-slate-500">{t("shownRows", { shown: preview.rows.length, total: preview.total })}</p> : null}
      <Table caption={t("title")}>
        <thead>
          <tr>
            <Th>{t("line")}</Th>
            {KEY_COLUMNS.map((c) => <Th key={c}>{t(`fields.${c}`)}</Th>)}
            <Th>{t("problems")}</Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {preview.rows.map((r) => (
            <tr key={r.line} data-testid={`import-row-${r.line}`} className={r.problems.length ? "bg-red-50/40" : undefined}>
              <Td className="font-mono text-xs">{r.line}</Td>
              {KEY_COLUMNS.map((c) => <Td key={c} className="max-w-48 truncate" title={r.values[c]}>{r.values[c] ?? ""}</Td>)}
              <Td>
                {r.problems.length ? (
                  <ul className="space-y-0.5 text-xs text-red-700">
                    {r.problems.map((p, i) => <li key={i}><span className="font-medium">{p.field}</span>: {p.message}</li>)}
                  </ul>
                ) : (
                  <Badge tone="green">{t("ok")}</Badge>
                )}
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </div>
  );
}

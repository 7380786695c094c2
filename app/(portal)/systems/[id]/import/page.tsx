import Link from "next/link";
import { forbidden, notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { requireActor } from "@/lib/auth/get-actor";
import { getImportSystem } from "@/lib/imports/queries";
import { MAX_FILE_BYTES } from "@/lib/imports/read-table";
import type { SystemImportKind } from "@/lib/imports/system-import";
import { Card, PageHeader } from "@/components/ui/card";
import { buttonClass } from "@/components/ui/button";
import { SystemImportForm } from "@/components/systems/system-import-form";

const KINDS: readonly SystemImportKind[] = ["accounts", "grants", "last-login"];

export async function generateMetadata() {
  const t = await getTranslations("accountImport");
  return { title: t("metaTitle") };
}

/** A system's imports (accounts, grants, last logins) and exports, for its account administrators. */
export default async function SystemImportPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ kind?: string }>;
}) {
  const actor = await requireActor();
  const { id } = await params;
  const system = await getImportSystem(actor, id);
  if (system === null) notFound();
  if (system === "forbidden") forbidden();
  const { kind: requested } = await searchParams;
  const kind = KINDS.find((k) => k === requested) ?? "accounts";
  const [t, locale] = await Promise.all([getTranslations("accountImport"), getLocale()]);
  const name = locale === "en" && system.nameEn ? system.nameEn : system.name;
  const base = `/systems/${system.id}`;
  return (
    <>
      <PageHeader
        title={t("title", { system: `${system.code} · ${name}` })}
        description={t("description")}
        actions={
          <Link className={buttonClass("ghost")} href={base}>
            {t("backToSystem")}
          </Link>
        }
      />
      <div className="space-y-4">
        <nav className="flex flex-wrap gap-1 border-b border-slate-200" aria-label={t("metaTitle")}>
          {KINDS.map((k) => (
            <Link
              key={k}
              href={`${base}/import?kind=${k}`}
              aria-current={k === kind ? "page" : undefined}
              className={`-mb-px border-b-2 px-3 py-2 text-sm font-medium ${k === kind ? "border-brand-600 text-brand-700" : "border-transparent text-slate-600 hover:text-slate-900"}`}
            >
              {t(`tabs.${k}`)}
            </Link>
          ))}
        </nav>
        <div className="flex flex-wrap items-start justify-between gap-4">
          <p className="max-w-3xl text-sm text-slate-600">{t(`help.${kind}`)}</p>
          {/* A file download from a route handler, not a page: a plain link, never client-side navigation. */}
          <a className={buttonClass("secondary")} href={`${base}/import/template?kind=${kind}`} download data-testid="import-template">
            {t("template")}
          </a>
        </div>
        {system.isActive ? <SystemImportForm key={kind} kind={kind} systemId={system.id} maxBytes={MAX_FILE_BYTES} /> : null}
        <Card title={t("export.title")}>
          <p className="mb-3 text-sm text-slate-600">{t("export.description")}</p>
          <div className="flex flex-wrap gap-2">
            <a className={buttonClass("secondary")} href={`${base}/export?what=accounts&format=csv`} download>
              {t("export.accountsCsv")}
            </a>
            <a className={buttonClass("secondary")} href={`${base}/export?what=accounts&format=xlsx`} download>
              {t("export.accountsXlsx")}
            </a>
            <a className={buttonClass("secondary")} href={`${base}/export?what=grants&format=csv`} download>
              {t("export.grantsCsv")}
            </a>
            <a className={buttonClass("secondary")} href={`${base}/export?what=grants&format=xlsx`} download>
              {t("export.grantsXlsx")}
            </a>
          </div>
        </Card>
      </div>
    </>
  );
}

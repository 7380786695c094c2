import Link from "next/link";
import { forbidden, notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { requireActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/can";
import { getMatrixPage, getSystemDetail, MATRIX_PERMISSIONS_PAGE_SIZE, MATRIX_ROLES_PAGE_SIZE } from "@/lib/systems/queries";
import { loadClassificationSettings } from "@/lib/settings/queries";
import { Card, EmptyState, PageHeader } from "@/components/ui/card";
import { MatrixForm } from "@/components/systems/matrix-form";

export async function generateMetadata() {
  const t = await getTranslations("systems");
  return { title: t("matrix") };
}

/**
 * A system's role-permission matrix, a page at a time (issue 13): up to 25 active roles × 20 active
 * permissions, each axis on its own keyset (?roles=, ?perms=). Saving compares the page's shown cells
 * with the ticked ones (saveMatrixAction), so a page never touches cells it did not show.
 */
export default async function SystemMatrixPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ roles?: string | string[]; perms?: string | string[] }>;
}) {
  const actor = await requireActor();
  if (!can(actor, "systems:read")) forbidden();
  const { id } = await params;
  const system = await getSystemDetail(actor, id);
  if (system === null) notFound();
  if (system === "forbidden") forbidden();
  const raw = await searchParams;
  const one = (v: string | string[] | undefined) => (typeof v === "string" ? v.slice(0, 1000) : undefined);
  const current = { roles: one(raw.roles), perms: one(raw.perms) };
  const [matrix, t, tc, locale, classification] = await Promise.all([
    getMatrixPage(system.id, current),
    getTranslations("systems"),
    getTranslations("catalog"),
    getLocale(),
    loadClassificationSettings(),
  ]);
  const en = locale === "en";
  const label = (x: { name: string; nameEn: string | null }) => (en && x.nameEn ? x.nameEn : x.name);
  const sensitive = (level: string) => (classification.sensitiveLevels as string[]).includes(level);
  const href = (over: Partial<typeof current>) => {
    const qs = new URLSearchParams(Object.entries({ ...current, ...over }).filter((e): e is [string, string] => !!e[1])).toString();
    return qs ? `/systems/${system.id}/matrix?${qs}` : `/systems/${system.id}/matrix`;
  };
  const links = [
    current.roles ? { href: href({ roles: undefined }), text: t("firstRoles") } : null,
    matrix.roles.nextCursor ? { href: href({ roles: matrix.roles.nextCursor }), text: t("nextRoles") } : null,
    current.perms ? { href: href({ perms: undefined }), text: t("firstPermissions") } : null,
    matrix.permissions.nextCursor ? { href: href({ perms: matrix.permissions.nextCursor }), text: t("nextPermissions") } : null,
  ].filter((l) => l !== null);
  return (
    <>
      <PageHeader
        title={t("matrixTitle", { system: `${system.code} · ${label(system)}` })}
        description={t("matrixPageHint", { roles: MATRIX_ROLES_PAGE_SIZE, permissions: MATRIX_PERMISSIONS_PAGE_SIZE })}
        actions={
          <Link className="text-sm text-brand-700 hover:underline" href={`/systems/${system.id}`}>
            {t("backToSystem")}
          </Link>
        }
      />
      <Card title={t("matrix")}>
        {matrix.roles.rows.length && matrix.permissions.rows.length ? (
          <MatrixForm
            // A new page is a new form: its ticks start from what that page holds.
            key={`${current.roles ?? ""}|${current.perms ?? ""}`}
            systemId={system.id}
            editable={can(actor, "catalog:manage", { systemId: system.id })}
            cells={matrix.cells}
            roles={matrix.roles.rows.map((r) => ({ id: r.id, code: r.code, label: label(r), isAdministrative: r.isAdministrative }))}
            permissions={matrix.permissions.rows.map((p) => ({
              id: p.id,
              code: p.code,
              label: label(p),
              sensitive: sensitive(p.sensitivity),
              sensitivityLabel: tc(`sensitivities.${p.sensitivity}`),
            }))}
          />
        ) : (
          <EmptyState title={t("matrixEmpty")} />
        )}
        {links.length ? (
          <nav className="mt-3 flex flex-wrap justify-end gap-4 text-sm" aria-label={t("matrix")}>
            {links.map((l) => (
              <Link key={l.text} className="text-brand-700 hover:underline" href={l.href}>
                {l.text}
              </Link>
            ))}
          </nav>
        ) : null}
      </Card>
    </>
  );
}

import Link from "next/link";
import { forbidden } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { requireActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/can";
import { PageHeader } from "@/components/ui/card";
import { buttonClass } from "@/components/ui/button";
import { ImportForm } from "@/components/people/import-form";
import { MAX_FILE_BYTES } from "@/lib/imports/read-table";

export async function generateMetadata() {
  const t = await getTranslations("imports");
  return { title: t("title") };
}

export default async function PeopleImportPage() {
  const actor = await requireActor();
  if (!can(actor, "people:manage")) forbidden();
  const t = await getTranslations("imports");
  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description")}
        actions={
          <>
            {/* A file download from a route handler, not a page: a plain link, never client-side navigation. */}
            <a className={buttonClass("secondary")} href="/people/import/template" download data-testid="import-template">
              {t("template")}
            </a>
            <Link className={buttonClass("ghost")} href="/people">
              {t("backToPeople")}
            </Link>
          </>
        }
      />
      <ImportForm maxBytes={MAX_FILE_BYTES} />
    </>
  );
}

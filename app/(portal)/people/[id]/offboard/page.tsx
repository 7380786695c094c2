import Link from "next/link";
import { forbidden, notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { requireActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/can";
import { offboardingTarget } from "@/lib/offboarding/queries";
import { Card, PageHeader } from "@/components/ui/card";
import { OffboardPersonForm } from "@/components/offboarding/offboard-person-form";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** HR offboards one person (now or on a last working day) on its own route (issue 13). */
export default async function OffboardPersonPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireActor();
  if (!can(actor, "people:manage")) forbidden();
  const { id } = await params;
  if (!UUID.test(id)) notFound();
  const person = await offboardingTarget(id);
  if (!person) notFound();
  if (!can(actor, "people:manage", { orgUnitPath: person.orgUnit.path })) forbidden();
  const t = await getTranslations("offboarding.personForm");
  return (
    <>
      <PageHeader
        title={t("title", { person: `${person.name} (${person.employeeNo})` })}
        description={t("description")}
        actions={
          <Link className="text-sm text-brand-700 hover:underline" href={`/people/${person.id}`}>
            {t("back")}
          </Link>
        }
      />
      <Card title={t("submit")} className="max-w-xl">
        <OffboardPersonForm personId={person.id} />
      </Card>
    </>
  );
}

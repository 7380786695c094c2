import { forbidden } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { requireActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/can";
import { Card, PageHeader } from "@/components/ui/card";
import { NewPersonForm } from "@/components/people/person-forms";

export async function generateMetadata() {
  const t = await getTranslations("staffAdmin");
  return { title: t("newPerson") };
}

/** HR's joiner form on its own route (issue 13: the people list carries only the list). */
export default async function NewPersonPage() {
  const actor = await requireActor();
  if (!can(actor, "people:manage")) forbidden();
  const ts = await getTranslations("staffAdmin");
  return (
    <>
      <PageHeader title={ts("newPerson")} description={ts("newPersonHint")} />
      <Card title={ts("newPerson")} className="max-w-3xl">
        <NewPersonForm />
      </Card>
    </>
  );
}

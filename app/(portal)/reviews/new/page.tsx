import { forbidden } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { requireActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/can";
import { dayIn } from "@/lib/time/calendar";
import { PageHeader } from "@/components/ui/card";
import { DefinitionForm } from "@/components/reviews/campaigns/definition-form";

export async function generateMetadata() {
  const t = await getTranslations("reviewsCampaigns.form");
  return { title: t("title") };
}

/** The review definition form: account administrators (their systems) and security officers. */
export default async function NewReviewPage() {
  const actor = await requireActor();
  if (!can(actor, "reviews:manage")) forbidden();
  const t = await getTranslations("reviewsCampaigns.form");
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <DefinitionForm today={dayIn(new Date())} />
    </>
  );
}
